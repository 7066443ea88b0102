/**
 * The shape of `ResultsDto.ranking`: the API declares it as a free-form object (it is the domain engine's own JSON),
 * so the fields the results screen reads are described here. Exact values arrive as a number or as a fraction
 * string such as "116/15".
 */
export type Exact = number | string;

export type Decider = 'admin' | { tie_break: string };

export interface RankedEntry {
  entry: string;
  place: number;
  value: number | null;
  tied: boolean;
  tied_on_value: boolean;
  decided_by: Decider | null;
  jurors_scored: number;
  jurors_recused: number;
  jurors_missing: number;
  mean: Exact | null;
  median: Exact | null;
  spread: { range: Exact; sd: number | null; high: boolean } | null;
  flags: string[];
}

export interface MethodColumn {
  method: string;
  entries: { entry: string; value: number | null; place: number; tied: boolean }[];
}

export interface TieGroup {
  place: number;
  entries: string[];
  touches_top3: boolean;
}

export interface Agreement {
  kendall_w: number | null;
  kendall_w_tie_corrected: number | null;
  chi2: number | null;
  df: number | null;
  p_value: number | null;
  basis: { jurors: string[]; entries: string[]; excluded_jurors: string[]; excluded_entries: string[] };
  jurors: { juror: string; spearman_rho: number | null; disagrees: boolean; entries_scored: number }[];
}

export interface Ranking {
  method: string;
  tie_rule: string[];
  jurors: string[];
  entries: RankedEntry[];
  ties: TieGroup[];
  tie_touches_top3: boolean;
  score_range: { min: Exact; max: Exact } | null;
  high_spread_threshold: Exact | null;
  admin_decisions: { order: string[]; reason: string }[];
  methods: MethodColumn[];
  statistics: Agreement;
}

/** An exact value as a float, for display and plotting. */
export function toNumber(v: Exact | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const [n, d] = v.split('/').map(Number);
  return d ? n / d : n;
}

/** A value with up to `digits` decimals, or an en dash for "none". */
export function fixed(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}
