/**
 * `crm report rfm`: recency, frequency and monetary scores (1 to 5, by
 * quintile) per account, over the opportunities won in the period.
 */
import type { Facts } from './facts.js';
import { enteredAny, wonDate, wonStages } from './kpi.js';
import { within } from './lifecycle.js';
import type { Period } from './period.js';
import { dayNumber } from './time.js';
import type { Ctx, ReportDef, Values } from './types.js';

interface Row {
  account: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  r: number;
  f: number;
  m: number;
  score: string;
}

/**
 * Quintile scores: rows sorted by `key` ascending (ties by id), the i-th of
 * n gets ⌊5·i/n⌋ + 1, so the top fifth scores 5.
 */
export function quintiles<T extends { account: string }>(rows: readonly T[], key: (r: T) => number): Map<string, number> {
  const sorted = [...rows].sort((a, b) => key(a) - key(b) || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
  return new Map(sorted.map((r, i) => [r.account, Math.floor((5 * i) / sorted.length) + 1]));
}

export function rfmValues(facts: Facts, p: Period, ctx: Ctx): Values {
  const won = wonStages(ctx.config);
  const tz = ctx.config.timezone;
  const accounts = new Set(facts.accounts.map((a) => a.id));
  const acc = new Map<string, { last: string; frequency: number; monetary: number }>();
  for (const o of ctx.all.opportunities) {
    const a = o.data.account;
    if (typeof a !== 'string' || !accounts.has(a)) continue;
    const at = enteredAny(o, won).find((t) => within(t, p.start, p.end));
    if (at === undefined) continue;
    const date = wonDate(o, at, tz);
    const cur = acc.get(a) ?? { last: date, frequency: 0, monetary: 0 };
    cur.frequency++;
    cur.monetary += o.amount ?? 0;
    if (date > cur.last) cur.last = date;
    acc.set(a, cur);
  }
  const base = [...acc.entries()].map(([account, x]) => ({
    account,
    recency_days: dayNumber(p.to) - dayNumber(x.last),
    frequency: x.frequency,
    monetary: Math.round(x.monetary * 100) / 100,
  }));
  const r = quintiles(base, (x) => -x.recency_days);
  const f = quintiles(base, (x) => x.frequency);
  const m = quintiles(base, (x) => x.monetary);
  const rows: Row[] = base
    .map((x) => {
      const rs = r.get(x.account)!;
      const fs = f.get(x.account)!;
      const ms = m.get(x.account)!;
      return { ...x, r: rs, f: fs, m: ms, score: `${rs}${fs}${ms}` };
    })
    .sort((a, b) => b.score.localeCompare(a.score) || b.monetary - a.monetary || a.account.localeCompare(b.account));
  return { accounts: rows as unknown as Values[] };
}

export const rfm: ReportDef = {
  types: ['account', 'opportunity'],
  subjects: ['accounts'],
  comparable: false,
  compute: rfmValues,
};
