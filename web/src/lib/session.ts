import { ApiError, api, call, type Session } from './api/client';

/** The current session, or null when signed out (401). */
export async function currentSession(): Promise<Session | null> {
  try {
    return await call(api.GET('/api/auth/me'));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}
