/** Checks a picked video on the phone before any byte is sent: size, "is it a video at all", duration. */

export type PrecheckResult =
  | { ok: true; duration: number | null }
  | { ok: false; code: 'file-empty' | 'file-too-large' | 'not-a-video' | 'video-too-long'; duration?: number };

const VIDEO_EXTENSIONS = /\.(mp4|m4v|mov|qt|3gp|3g2|webm|mkv|avi|mpe?g|ts|mts|m2ts|wmv|flv)$/i;

/** True when the first bytes look like a video container (MP4/MOV/3GP, Matroska/WebM, AVI, MPEG-TS/PS, ASF, FLV). */
async function looksLikeVideoContainer(file: File): Promise<boolean> {
  let b: Uint8Array;
  try {
    b = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  } catch {
    return true; // cannot read: let the server decide
  }
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  const box = ascii(4, 8);
  if (['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].includes(box)) return true;
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return true; // Matroska / WebM
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return true;
  if (b[0] === 0x47) return true; // MPEG-TS sync byte
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && (b[3] === 0xba || b[3] === 0xb3)) return true; // MPEG-PS
  if (b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75) return true; // ASF / WMV
  if (ascii(0, 3) === 'FLV') return true;
  return false;
}

/** The duration in seconds from a hidden `<video>` element's metadata; null when the browser cannot tell. */
function readDuration(file: File, timeoutMs = 10_000): Promise<{ duration: number | null; decodable: boolean }> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const video = document.createElement('video');
    let done = false;
    const finish = (duration: number | null, decodable: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(url);
      resolve({ duration, decodable });
    };
    const timer = setTimeout(() => finish(null, true), timeoutMs);
    video.preload = 'metadata';
    video.muted = true;
    video.onloadedmetadata = () => {
      const d = video.duration;
      // MediaRecorder WebM reports Infinity until played through: unknown, the server measures it.
      finish(Number.isFinite(d) && d > 0 ? d : null, true);
    };
    video.onerror = () => finish(null, false);
    video.src = url;
  });
}

/**
 * Refuses a file that cannot be accepted, so no upload is created for it. A video whose codec this browser cannot
 * decode (HEVC on some phones) passes: the server probes every upload anyway.
 */
export async function precheckVideo(file: File, maxBytes: number, maxSeconds: number): Promise<PrecheckResult> {
  if (file.size === 0) return { ok: false, code: 'file-empty' };
  if (file.size > maxBytes) return { ok: false, code: 'file-too-large' };
  // Photos, sound recordings and documents are refused at once; unknown types are looked at more closely.
  if (/^(image|audio|text)\//.test(file.type) && !VIDEO_EXTENSIONS.test(file.name)) return { ok: false, code: 'not-a-video' };
  const { duration, decodable } = await readDuration(file);
  if (!decodable && !(await looksLikeVideoContainer(file))) return { ok: false, code: 'not-a-video' };
  if (duration !== null && duration > maxSeconds + 5) return { ok: false, code: 'video-too-long', duration };
  return { ok: true, duration };
}
