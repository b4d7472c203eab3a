/**
 * Reading lifecycles: when a record entered (or, by the implied-stage rule,
 * passed) a status or stage, what it was at a moment, and the intervals
 * during which an account was a customer. Pure.
 */
import type { Config } from '../model/config.js';
import type { Entry } from './facts.js';

/** FORMAT.md's order of lead statuses; `disqualified` is outside it and never implied. */
export const LEAD_ORDER = ['new', 'contacted', 'qualified', 'converted'] as const;
/** FORMAT.md's order of case statuses (a closed case has passed `resolved`). */
export const CASE_ORDER = ['new', 'open', 'pending', 'resolved', 'closed'] as const;

/** Rank of each status in an order; statuses outside it have none. */
export type Order = ReadonlyMap<string, number>;

export function order(list: readonly string[]): Order {
  return new Map(list.map((s, i) => [s, i]));
}

export const LEAD_RANK = order(LEAD_ORDER);
export const CASE_RANK = order(CASE_ORDER);

/**
 * Opportunity stages: the open stages of crm.yaml in order, then every won
 * stage (a won deal has passed the open stages). Lost stages are outside the
 * order: they imply nothing and are never implied.
 */
export function stageOrder(config: Config): Order {
  const open = config.pipeline.stages.filter((s) => !s.closed);
  const m = new Map(open.map((s, i) => [s.id, i]));
  for (const s of config.pipeline.stages) if (s.closed === 'won') m.set(s.id, open.length);
  return m;
}

/**
 * The moments at which a record entered `status`, or passed it by entering
 * a later one from an earlier one (the implied-stage rule). A status outside
 * the order counts only when entered.
 */
export function passages(entries: readonly Entry[], rank: Order, status: string): number[] {
  const target = rank.get(status);
  const out: number[] = [];
  let prev = -1;
  for (const e of entries) {
    const r = rank.get(e.to);
    if (e.to === status) out.push(e.at);
    else if (target !== undefined && r !== undefined && r > target && prev < target) out.push(e.at);
    if (r !== undefined) prev = r;
  }
  return out;
}

/** The first moment a record entered or passed `status`. */
export function firstPassage(entries: readonly Entry[], rank: Order, status: string): number | undefined {
  return passages(entries, rank, status)[0];
}

export function within(t: number, start: number, end: number): boolean {
  return t >= start && t <= end;
}

/** Whether any of the moments falls in [start, end] (a record is counted once per period). */
export function anyWithin(moments: readonly number[], start: number, end: number): boolean {
  return moments.some((t) => t >= start && t <= end);
}

/** The status at moment t: the last entry at or before t. */
export function stateAt(entries: readonly Entry[], t: number): string | undefined {
  let s: string | undefined;
  for (const e of entries) {
    if (e.at > t) break;
    s = e.to;
  }
  return s;
}

/** When the record entered its state at moment t (the first of a run of entries to the same state). */
export function enteredStateAt(entries: readonly Entry[], t: number): number | undefined {
  let since: number | undefined;
  let s: string | undefined;
  for (const e of entries) {
    if (e.at > t) break;
    if (e.to !== s) since = e.at;
    s = e.to;
  }
  return since;
}

/** A half-open interval [from, until) of epoch ms; `until` undefined means still open. */
export interface Interval {
  from: number;
  until: number | undefined;
}

/** Customer intervals: from each entry to `customer` until the next entry to something else. */
export function customerIntervals(entries: readonly Entry[]): Interval[] {
  const out: Interval[] = [];
  let open: Interval | undefined;
  for (const e of entries) {
    if (e.to === 'customer') {
      if (!open) {
        open = { from: e.at, until: undefined };
        out.push(open);
      }
    } else if (open) {
      open.until = e.at;
      open = undefined;
    }
  }
  return out;
}

export function activeAt(intervals: readonly Interval[], t: number): boolean {
  return intervals.some((i) => i.from <= t && (i.until === undefined || t < i.until));
}

/** Customer figures of the KPI table and the retention report, for one period. */
export interface CustomerCounts {
  customers_start: number;
  customers_new: number;
  customers_lost: number;
  customers_end: number;
  churn_rate: number | null;
  retention_rate: number | null;
}

export function rate(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}

/**
 * S: customers just before `start`; E: customers at `end`; N: intervals
 * starting in the period (reactivations included); L: accounts of S whose
 * interval covering the start ends in the period.
 */
export function customerCounts(all: readonly Interval[][], start: number, end: number): CustomerCounts {
  let s = 0;
  let n = 0;
  let l = 0;
  let e = 0;
  for (const intervals of all) {
    const atStart = intervals.find((i) => i.from <= start - 1 && (i.until === undefined || start - 1 < i.until));
    if (atStart) {
      s++;
      if (atStart.until !== undefined && atStart.until <= end) l++;
    }
    if (intervals.some((i) => within(i.from, start, end))) n++;
    if (activeAt(intervals, end)) e++;
  }
  return {
    customers_start: s,
    customers_new: n,
    customers_lost: l,
    customers_end: e,
    churn_rate: rate(l, s),
    retention_rate: rate(e - n, s),
  };
}
