import type { Schemas } from './client';

/** An exact number from the API: a JSON number, or a string such as "22/3" when it has no short decimal form. */
export type Exact = Schemas['Exact'];

/** An exact value as a float, for display and plotting. */
export function toNumber(v: Exact | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const [n, d] = v.split('/').map(Number);
  return d === undefined ? n : n / d;
}
