/** What the phone remembers about an unfinished upload, so a reload, a crash or a closed tab resumes it. */

export type StoredUpload = { url: string; size: number; name: string };

const key = (contestId: string, groupId: string) => `clipjury.upload.${contestId}.${groupId}`;

export function loadStoredUpload(contestId: string, groupId: string): StoredUpload | null {
  try {
    const raw = localStorage.getItem(key(contestId, groupId));
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<StoredUpload>;
    return typeof v.url === 'string' && typeof v.size === 'number' ? { url: v.url, size: v.size, name: v.name ?? '' } : null;
  } catch {
    return null; // storage blocked or damaged: start a new upload
  }
}

export function storeUpload(contestId: string, groupId: string, upload: StoredUpload): void {
  try {
    localStorage.setItem(key(contestId, groupId), JSON.stringify(upload));
  } catch {
    // not remembered: a reload starts over, the upload itself still works
  }
}

export function forgetUpload(contestId: string, groupId: string): void {
  try {
    localStorage.removeItem(key(contestId, groupId));
  } catch {
    // nothing to forget
  }
}

/** The id at the end of an upload URL (`/api/uploads/{id}`). */
export function uploadIdOf(url: string): string {
  return url.split('?')[0].split('/').filter(Boolean).pop() ?? '';
}

/** The length the server expects for an unfinished upload, or null when it is gone (expired, finished, unknown). */
export async function pendingUploadLength(url: string): Promise<number | null> {
  try {
    const res = await fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' }, credentials: 'same-origin' });
    if (!res.ok) return null;
    const length = Number(res.headers.get('Upload-Length'));
    return Number.isFinite(length) ? length : null;
  } catch {
    return null;
  }
}

/**
 * Keeps the screen on while uploading where the browser allows it. `onHeld` learns whether the screen is kept on:
 * Wake Lock exists only in secure contexts (not on a plain-http LAN address such as room mode's), and the browser
 * may refuse it; the page then asks the person to keep the screen on.
 */
export function keepScreenOn(onHeld: (held: boolean) => void = () => {}): () => void {
  type Sentinel = { release(): Promise<void> };
  const wl = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<Sentinel> } }).wakeLock;
  if (!wl) {
    onHeld(false);
    return () => {};
  }
  let sentinel: Sentinel | null = null;
  let active = true;
  const acquire = () => {
    if (!active || document.visibilityState !== 'visible') return;
    wl.request('screen').then(
      (s) => {
        if (active) {
          sentinel = s;
          onHeld(true);
        } else s.release().catch(() => {});
      },
      () => onHeld(false),
    );
  };
  // The lock is dropped when the page is hidden; take it again when the person comes back.
  const onVisible = () => {
    if (document.visibilityState !== 'visible') onHeld(false);
    acquire();
  };
  document.addEventListener('visibilitychange', onVisible);
  acquire();
  return () => {
    active = false;
    document.removeEventListener('visibilitychange', onVisible);
    sentinel?.release().catch(() => {});
    sentinel = null;
  };
}
