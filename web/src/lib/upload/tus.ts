/** The resumable upload itself. Loaded only when a group starts an upload, so tus-js-client stays off the first load. */
import { DetailedError, Upload } from 'tus-js-client';

export type UploadFailure = { status: number; code: string; message: string };

export interface UploadHandlers {
  /** The server-issued upload URL, as soon as it exists (store it to resume after a reload). */
  onUrl(url: string): void;
  onProgress(sent: number, total: number): void;
  onSuccess(): void;
  onError(failure: UploadFailure): void;
}

export interface RunningUpload {
  /** Stops sending; the bytes already received stay on the server for a later resume. */
  abort(): Promise<void>;
}

function failureOf(err: Error): UploadFailure {
  if (err instanceof DetailedError && err.originalResponse) {
    const status = err.originalResponse.getStatus();
    let code = `http-${status}`;
    let message = err.message;
    try {
      const body = JSON.parse(err.originalResponse.getBody() || '{}') as { code?: string; message?: string };
      if (body.code) code = body.code;
      if (body.message) message = body.message;
    } catch {
      // not a JSON error body
    }
    if (status === 410 && code === `http-${status}`) code = 'upload-expired';
    return { status, code, message };
  }
  return { status: 0, code: 'network-error', message: err.message };
}

/** Starts (or, with `uploadUrl`, resumes) a tus upload of `file` to /api/uploads. */
export function startUpload(file: File, uploadUrl: string | null, handlers: UploadHandlers): RunningUpload {
  const upload = new Upload(file, {
    endpoint: '/api/uploads',
    uploadUrl,
    chunkSize: 5 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000, 30000, 30000, 60000, 60000],
    // iOS re-encodes a re-picked file, so fingerprints do not match: the caller keeps the URL instead.
    storeFingerprintForResuming: false,
    removeFingerprintOnSuccess: false,
    metadata: { filename: file.name, filetype: file.type || 'application/octet-stream' },
    onUploadUrlAvailable() {
      if (upload.url) handlers.onUrl(upload.url);
    },
    onProgress(sent, total) {
      handlers.onProgress(sent, total);
    },
    onSuccess() {
      handlers.onSuccess();
    },
    onError(err) {
      handlers.onError(failureOf(err));
    },
  });
  upload.start();
  return { abort: () => upload.abort(false) };
}
