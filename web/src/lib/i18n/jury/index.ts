import { addStrings, t, tExtra, type Key } from '../index.svelte';
import { juryEn, type JuryKey } from './en';
import { juryKm } from './km';

addStrings({ en: juryEn, km: juryKm });

/** A key of the shared dictionary or of the juror panel's own. */
export type AnyKey = Key | JuryKey;

/** `t` for juror pages: their own strings first, then the shared ones. */
export function tj(key: AnyKey, params?: Record<string, string | number>): string {
  return key in juryEn ? tExtra(key, params) : t(key as Key, params);
}
