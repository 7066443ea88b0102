import { ApiError, api, call } from '../../api/client';
import { toNumber } from '../../api/exact';
import type { OwnScore } from './jury';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'conflict' | 'error';

/**
 * A juror's score card being edited, saved automatically. Every save sends the version last read; the server answers
 * 409 `stale-version` when another tab or device saved in between, and then nothing is overwritten until the juror
 * loads the newer card.
 */
export class ScoreDraft {
  scores = $state<Record<string, number>>({});
  privateComment = $state('');
  feedback = $state('');
  card = $state<OwnScore>() as OwnScore;
  state = $state<SaveState>('idle');
  error = $state<unknown>(null);
  savedAt = $state<Date | null>(null);

  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<boolean> | null = null;
  #again = false;

  constructor(
    readonly contestId: string,
    readonly entryId: string,
    card: OwnScore,
  ) {
    this.load(card);
  }

  /** Replaces the local card with the server's (first load, or after a conflict). */
  load(card: OwnScore): void {
    clearTimeout(this.#timer);
    this.card = card;
    this.scores = Object.fromEntries(Object.entries(card.scores).map(([k, v]) => [k, toNumber(v) ?? Number.NaN]));
    this.privateComment = card.private_comment;
    this.feedback = card.feedback;
    this.state = 'idle';
    this.error = null;
  }

  get editable(): boolean {
    return this.card.progress === 'not_started' || this.card.progress === 'draft';
  }

  /** Marks the card changed and saves after `delay` ms of quiet (typing), or at once for a tap on a score. */
  changed(delay = 800): void {
    if (this.state === 'conflict') return;
    this.state = 'pending';
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.save(), delay);
  }

  /** Saves now if anything is waiting; resolves true when the server holds what the juror sees. */
  async flush(): Promise<boolean> {
    clearTimeout(this.#timer);
    if (this.#inFlight) await this.#inFlight;
    if (this.state === 'pending' || this.state === 'error') return this.save();
    return this.state !== 'conflict';
  }

  async save(): Promise<boolean> {
    clearTimeout(this.#timer);
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    this.#inFlight = this.#send();
    try {
      return await this.#inFlight;
    } finally {
      this.#inFlight = null;
      if (this.#again && this.state !== 'conflict') {
        this.#again = false;
        void this.save();
      }
    }
  }

  async #send(): Promise<boolean> {
    this.state = 'saving';
    this.error = null;
    const body = {
      version: this.card.version,
      scores: { ...this.scores },
      private_comment: this.privateComment,
      feedback: this.feedback,
    };
    try {
      const saved = await call(
        api.PUT('/api/contests/{contest_id}/entries/{entry_id}/score', {
          params: { path: { contest_id: this.contestId, entry_id: this.entryId } },
          body,
        }),
      );
      // Keep what the juror typed (the server trims); take the new version and progress.
      this.card = saved;
      // A mark tapped while this request was on its way set 'pending' (its timer is still to fire, or a flush will
      // send it): keep it, or a submit right after the last tap finds "saved" and submits a card missing that mark.
      this.state = this.#again || (this.state as SaveState) === 'pending' ? 'pending' : 'saved';
      this.savedAt = new Date();
      return true;
    } catch (e) {
      this.error = e;
      this.state = e instanceof ApiError && e.code === 'stale-version' ? 'conflict' : 'error';
      return false;
    }
  }
}
