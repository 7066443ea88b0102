import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Contest = Schemas['ContestDto'];
export type ContestBrief = Schemas['ContestBriefDto'];
export type ContestStatus = Schemas['ContestStatusDto'];
export type Participant = Schemas['ParticipantDto'];
export type Role = Schemas['RoleDto'];
export type Session = Schemas['SessionResponse'];
export type Redeemed = Schemas['RedeemResponse'];
export type Submission = Schemas['SubmissionDto'];
export type SubmissionForm = Schemas['SubmissionRequest'];
export type Video = Schemas['VideoDto'];

/** The typed API client; the session travels in the HttpOnly cookie. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

/** An API failure with the server's stable code (or `network-error` when the request never got an answer). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError carrying the server's code. */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (e) {
    throw new ApiError(0, 'network-error', e instanceof Error ? e.message : String(e));
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error ?? {}) as Partial<Schemas['ErrorBody']>;
  throw new ApiError(response.status, body.code ?? `http-${response.status}`, body.message ?? response.statusText);
}

/** Where an admin fetches the QR image of a participant's invite; `version` busts the cache after a regeneration. */
export function qrUrl(contestId: string, participantId: string, version = ''): string {
  const v = version ? `?v=${encodeURIComponent(version)}` : '';
  return `/api/contests/${contestId}/participants/${participantId}/invite/qr.svg${v}`;
}

/** True when the contest view is the admin's full settings rather than a participant's brief. */
export function isFullContest(c: Contest | ContestBrief): c is Contest {
  return 'ranking_method' in c;
}

/** Sends a multipart form (a file) with `method` and returns the JSON answer, or throws an ApiError. */
export async function sendForm<T>(url: string, method: 'PUT' | 'POST', form: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method, body: form, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'network-error', e instanceof Error ? e.message : String(e));
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Schemas['ErrorBody']>;
  if (response.ok) return body as T;
  throw new ApiError(response.status, body.code ?? `http-${response.status}`, body.message ?? response.statusText);
}
