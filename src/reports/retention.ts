/**
 * `crm report retention`: customers at the start and end of each sub-period,
 * new, lost, churn and retention rates, and cohort retention. Basis
 * `status`: an account is a customer during its customer intervals. Basis
 * `purchases`: during each calendar month in which one of its opportunities
 * entered a won stage.
 */
import type { AccountFact, Facts } from './facts.js';
import { enteredAny, wonStages } from './kpi.js';
import { activeAt, customerCounts, customerIntervals, type Interval } from './lifecycle.js';
import { splitPeriod, type Period } from './period.js';
import { addMonths, endOfDay, lastDayOfMonth, localDate, monthKey, startOfDay } from './time.js';
import type { Ctx, ReportDef, Value, Values } from './types.js';

/** Calendar months (`YYYY-MM`) in which each account bought, from its won opportunities. */
export function purchaseMonths(ctx: Ctx): Map<string, Set<string>> {
  const won = wonStages(ctx.config);
  const out = new Map<string, Set<string>>();
  for (const o of ctx.all.opportunities) {
    const account = o.data.account;
    if (typeof account !== 'string' || !account) continue;
    for (const t of enteredAny(o, won)) {
      let months = out.get(account);
      if (!months) out.set(account, (months = new Set()));
      months.add(monthKey(localDate(t, ctx.config.timezone)));
    }
  }
  return out;
}

/** Active months as intervals [first instant of the month, first instant of the next). */
function monthIntervals(months: ReadonlySet<string>, tz: string): Interval[] {
  const sorted = [...months].sort();
  const out: Interval[] = [];
  for (const m of sorted) {
    const from = startOfDay(`${m}-01`, tz);
    const until = startOfDay(addMonths(`${m}-01`, 1), tz);
    const last = out[out.length - 1];
    if (last && last.until === from) last.until = until;
    else out.push({ from, until });
  }
  return out;
}

export function accountIntervals(accounts: readonly AccountFact[], ctx: Ctx): Interval[][] {
  if ((ctx.spec.basis ?? 'status') === 'status') return accounts.map((a) => customerIntervals(a.entries));
  const months = purchaseMonths(ctx);
  return accounts.map((a) => monthIntervals(months.get(a.id) ?? new Set(), ctx.config.timezone));
}

export function retentionValues(facts: Facts, p: Period, ctx: Ctx): Values {
  const tz = ctx.config.timezone;
  const intervals = accountIntervals(facts.accounts, ctx);
  const periods = splitPeriod(p, ctx.spec.every ?? 'month', tz).map((sub) => ({
    from: sub.from,
    to: sub.to,
    ...customerCounts(intervals, sub.start, sub.end),
  }));
  const values: Values = { periods };
  if (ctx.spec.cohorts) values.cohorts = cohorts(intervals, p, ctx);
  return values;
}

/**
 * One cohort per acquisition month in the period (the month of an account's
 * first customer interval). Element k of `retention` is the share of the
 * cohort active at the end of month c+k (status) or in month c+k
 * (purchases); months that have not ended by --as-of are left out.
 */
function cohorts(intervals: readonly Interval[][], p: Period, ctx: Ctx): Value[] {
  const tz = ctx.config.timezone;
  const asOf = ctx.spec.asOf;
  const purchases = ctx.spec.basis === 'purchases';
  const byMonth = new Map<string, Interval[][]>();
  for (const iv of intervals) {
    const first = iv[0];
    if (!first || first.from < p.start || first.from > p.end) continue;
    const m = monthKey(localDate(first.from, tz));
    let list = byMonth.get(m);
    if (!list) byMonth.set(m, (list = []));
    list.push(iv);
  }
  return [...byMonth.keys()].sort().map((m) => {
    const members = byMonth.get(m)!;
    const retention: number[] = [1];
    for (let k = 1; ; k++) {
      const month = addMonths(`${m}-01`, k);
      const monthEnd = endOfDay(lastDayOfMonth(month), tz);
      if (monthEnd > asOf) break;
      const monthStart = startOfDay(month, tz);
      const active = members.filter((iv) =>
        purchases ? iv.some((i) => i.from <= monthStart && (i.until === undefined || monthStart < i.until)) : activeAt(iv, monthEnd),
      ).length;
      retention.push(active / members.length);
    }
    return { cohort: m, size: members.length, retention };
  });
}

export const retention: ReportDef = {
  types: ['account', 'opportunity'],
  subjects: ['accounts'],
  comparable: false,
  compute: retentionValues,
};
