import { ApiError } from '../api/client';
import { en, type Key } from './en';
import { km } from './km';

export type Locale = 'en' | 'km';
export type { Key };

const dictionaries: Record<Locale, Record<Key, string>> = { en, km };
const STORAGE_KEY = 'clipjury.locale';

function isLocale(v: unknown): v is Locale {
  return v === 'en' || v === 'km';
}

function rememberedLocale(): Locale | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null; // storage blocked (private mode in some in-app browsers)
  }
}

function browserLocale(): Locale {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

/** The chosen language: the remembered choice, else the browser's language, else English. */
export const i18n = $state<{ locale: Locale }>({ locale: rememberedLocale() ?? browserLocale() });

/** Switches language because the person asked for it, and remembers the choice. */
export function chooseLocale(locale: Locale): void {
  i18n.locale = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered; the switch still applies to this visit
  }
}

/** Uses a contest's default language unless the person already chose one. */
export function suggestLocale(locale: string): void {
  if (!rememberedLocale() && isLocale(locale)) i18n.locale = locale;
}

// Strings of lazily loaded screens (the admin console), registered when their chunk loads, so that a group's phone
// never downloads them.
const extra: Record<Locale, Record<string, string>> = { en: {}, km: {} };

/** Registers the strings of a lazily loaded screen (see lib/i18n/admin/). */
export function addStrings(more: Record<Locale, Record<string, string>>): void {
  Object.assign(extra.en, more.en);
  Object.assign(extra.km, more.km);
}

/** The text of a key registered with `addStrings`, in the current language. */
export function tExtra(key: string, params?: Record<string, string | number>): string {
  return fill(extra[i18n.locale][key] ?? extra.en[key] ?? key, params);
}

function fill(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

/** The text of `key` in the current language, with `{name}` placeholders filled. */
export function t(key: Key, params?: Record<string, string | number>): string {
  return fill(dictionaries[i18n.locale][key], params);
}

/** The text of `key` in a given language (the QR sheet prints both). */
export function tIn(locale: Locale, key: Key, params?: Record<string, string | number>): string {
  return fill(dictionaries[locale][key], params);
}

/** A translated error message: known codes in the current language, else the server's own message. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const key = `error.${err.code}`;
    if (key in en) return t(key as Key);
    if (key in extra.en) return tExtra(key);
    return err.message || t('error.internal-error');
  }
  return t('error.internal-error');
}

function intlTag(): string {
  return i18n.locale === 'km' ? 'km-KH' : 'en-GB';
}

// Some browsers (Debian's Chromium, older Android WebViews) ship without Khmer date data and would fall back to English.
const khmerDates = Intl.DateTimeFormat.supportedLocalesOf(['km']).length > 0;
const khmerMonths = 'មករា កុម្ភៈ មីនា មេសា ឧសភា មិថុនា កក្កដា សីហា កញ្ញា តុលា វិច្ឆិកា ធ្នូ'.split(' ');

/** A date and time in the current language and the device's time zone. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (i18n.locale === 'km' && !khmerDates) {
    const time = `${date.getHours()}:${String(date.getMinutes()).padStart(2, '0')}`;
    return `${date.getDate()} ${khmerMonths[date.getMonth()]} ${date.getFullYear()}, ${time}`;
  }
  return new Intl.DateTimeFormat(intlTag(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A whole number in the current language. */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat(intlTag(), { maximumFractionDigits: 1 }).format(n);
}

/** A span of seconds as "2 d 3 h", "5 min 30 s"…: the two largest non-zero units. */
export function formatSpan(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const parts: [Key, number][] = [
    ['unit.d', Math.floor(s / 86400)],
    ['unit.h', Math.floor((s % 86400) / 3600)],
    ['unit.min', Math.floor((s % 3600) / 60)],
    ['unit.s', s % 60],
  ];
  const first = parts.findIndex(([, n]) => n > 0);
  if (first < 0) return t('unit.s', { n: formatNumber(0) });
  return parts
    .slice(first, first + 2)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => t(key, { n: formatNumber(n) }))
    .join(' ');
}

/** Bytes as decimal megabytes, as the server counts them. */
export function formatMegabytes(bytes: number): string {
  return t('unit.mb', { n: formatNumber(bytes / 1_000_000) });
}
