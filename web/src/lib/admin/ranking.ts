import type { Schemas } from '../api/client';

export type Ranking = Schemas['RankingDto'];
export type Agreement = Schemas['AgreementDto'];
export type TieGroup = Schemas['TieGroupDto'];

/** A value with up to `digits` decimals, or an en dash for "none". */
export function fixed(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}
