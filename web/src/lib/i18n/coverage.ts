/**
 * Every error code the server can answer with (the `ErrorCode` enum of the OpenAPI document) has a text in one of the
 * dictionaries: the shared one, the admin console's or the juror panel's. The Khmer dictionaries are typed to have
 * the same keys as the English ones, so a code translated here is translated in both languages. This file holds only
 * types: it adds no byte to any page, and `svelte-check` (run by `npm run build`) fails on an untranslated code.
 *
 * The dictionaries stay split by audience instead of one `Record<ErrorCode, string>` so that a group's phone never
 * downloads the admin console's strings (the group path has a 60 KB budget).
 */
import type { components } from '../api/schema';
import type { Key } from './en';
import type { AdminKey } from './admin/en';
import type { JuryKey } from './jury/en';

type ErrorCode = components['schemas']['ErrorCode'];
type Untranslated = Exclude<`error.${ErrorCode}`, Key | AdminKey | JuryKey>;

/** Names the untranslated codes in the type error when there is one. */
export type EveryErrorCodeTranslated = [Untranslated] extends [never] ? true : { untranslated: Untranslated };
export const everyErrorCodeTranslated: EveryErrorCodeTranslated = true;
