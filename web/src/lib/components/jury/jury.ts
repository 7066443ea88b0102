import type { Schemas } from '../../api/client';
import { toNumber, type Exact } from '../../api/exact';

export type JurorEntries = Schemas['JurorEntriesDto'];
export type JurorEntry = Schemas['JurorEntryDto'];
export type EntryDetail = Schemas['EntryDetailDto'];
export type OwnScore = Schemas['OwnScoreDto'];
export type Progress = Schemas['ProgressDto'];
export type Media = Schemas['MediaDto'];

/** A rubric criterion with its numbers as floats, for the score buttons. */
export type Criterion = Omit<Schemas['CriterionDto'], 'weight' | 'scale'> & {
  weight: number;
  scale: Record<keyof Schemas['ScaleDto'], number>;
};

/** The criteria of a rubric in display order, their exact numbers as floats. */
export function criteriaOf(rubric: Schemas['RubricDto']): Criterion[] {
  const num = (v: Exact) => toNumber(v) ?? Number.NaN;
  return rubric.criteria.map((c) => ({
    ...c,
    weight: num(c.weight),
    scale: { min: num(c.scale.min), max: num(c.scale.max), step: num(c.scale.step) },
  }));
}

/** Every value a criterion accepts, from min to max by step (rounded so 0.1 steps do not drift). */
export function valuesOf(c: Criterion): number[] {
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const v = Math.round((c.scale.min + i * c.scale.step) * 1000) / 1000;
    if (v > c.scale.max + 1e-9 || out.length > 200) break;
    out.push(v);
  }
  return out;
}

/** The score a number key gives on this criterion: the digit itself, or 10 for "0" when 0 is not on the scale. */
export function valueForDigit(c: Criterion, digit: number): number | null {
  const values = valuesOf(c);
  if (values.includes(digit)) return digit;
  if (digit === 0 && values.includes(10)) return 10;
  return null;
}

/** What a juror calls an entry: the group's name, or "Entry N" (translated) when the contest is anonymised. */
export function entryLabel(e: { group_name?: string | null; label: string; number: number }, entryN: (n: number) => string): string {
  return e.group_name ? e.label : entryN(e.number);
}

/** The entry after `current` (in list order, wrapping) that still needs this juror's scores, if any. */
export function nextToScore(entries: JurorEntry[], current?: string): JurorEntry | undefined {
  const open = (e: JurorEntry) => e.progress === 'not_started' || e.progress === 'draft';
  const at = entries.findIndex((e) => e.entry_id === current);
  const ordered = at < 0 ? entries : [...entries.slice(at + 1), ...entries.slice(0, at)];
  return ordered.find(open);
}

/** True when a phone, a small screen or the browser's data saver asks for the 360p rendition first. */
export function prefersDataSaver(): boolean {
  const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
  if (connection?.saveData) return true;
  return window.matchMedia('(max-width: 40rem), (pointer: coarse)').matches;
}
