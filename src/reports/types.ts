/** The shapes every report shares: its spec, the JSON envelope, and what a computation returns. */
import type { Config } from '../model/config.js';
import type { RecordType } from '../model/schema.js';
import type { Facts, Skipped } from './facts.js';
import type { Period } from './period.js';

export const REPORT_NAMES = ['kpi', 'funnel', 'retention', 'pipeline', 'cases', 'activity', 'ltv', 'rfm'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportSpec {
  period: Period;
  /** The moment the records are read as of (epoch ms). */
  asOf: number;
  /** Group by this front-matter key (dots reach into maps: `address.country`). */
  by?: string | undefined;
  compare?: 'previous' | undefined;
  /** retention */
  basis?: 'status' | 'purchases' | undefined;
  every?: 'month' | 'quarter' | 'year' | undefined;
  cohorts?: boolean | undefined;
  /** ltv: gross margin as a fraction (default 1). */
  margin?: number | undefined;
}

export type Value = number | string | null | Value[] | { [k: string]: Value };
export type Values = { [k: string]: Value };

export interface GroupResult {
  /** null without --by; else the group's value, `(none)` or `(all)`. */
  group: string | null;
  values: Values;
  /** With --compare previous: the same ids for the previous period, and value − previous. */
  previous?: Values;
  change?: Values;
}

/** The JSON envelope of REPORTS.md (`compare` only with --compare). */
export interface Envelope {
  report: ReportName;
  from: string;
  to: string;
  as_of: string;
  currency: string;
  compare?: { from: string; to: string };
  groups: GroupResult[];
}

export interface ReportOutput {
  envelope: Envelope;
  /** Messages for stderr (e.g. a --by field nobody has). */
  warnings: string[];
  /** Records left out because their dates or amounts cannot be read. */
  skipped: Skipped[];
}

/** A report: which record types it reads, which it groups, and its figures for one period. */
export interface ReportDef {
  types: readonly RecordType[];
  /** Fact lists split by --by (the others stay whole, for look-ups). */
  subjects: readonly (keyof Omit<Facts, 'skipped'>)[];
  /** Default --by (cases: priority). */
  defaultBy?: string;
  /** Flat numeric values that --compare previous can set side by side. */
  comparable: boolean;
  compute(facts: Facts, period: Period, ctx: Ctx): Values;
}

export interface Ctx {
  config: Config;
  spec: ReportSpec;
  /** Every fact, unsplit (e.g. the opportunity a lead of a group converted into). */
  all: Facts;
}
