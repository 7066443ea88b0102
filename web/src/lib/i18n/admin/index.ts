import { addStrings, t, tExtra, type Key } from '../index.svelte';
import { adminEn, type AdminKey } from './en';
import { adminKm } from './km';

addStrings({ en: adminEn, km: adminKm });

/** A key of the shared dictionary or of the admin console's own. */
export type AnyKey = Key | AdminKey;

/** `t` for admin screens: their own strings first, then the shared ones. */
export function ta(key: AnyKey, params?: Record<string, string | number>): string {
  return key in adminEn ? tExtra(key, params) : t(key as Key, params);
}
