/**
 * `crm report ltv`: historical revenue per customer, and the simple
 * predictive customer lifetime value
 * CLV = average yearly revenue per customer × margin / yearly churn.
 */
import type { Facts, OpportunityFact } from './facts.js';
import { enteredAny, wonStages } from './kpi.js';
import { customerCounts, customerIntervals } from './lifecycle.js';
import type { Period } from './period.js';
import { ratio } from './stats.js';
import { dayNumber } from './time.js';
import type { Ctx, ReportDef, Values } from './types.js';

function money(n: number | null): number | null {
  return n === null ? null : Math.round(n * 100) / 100;
}

/** Length of the period in years: 1 for a calendar year, else days / 365.25. */
export function years(p: Period): number {
  if (p.unit === 'year') return 1;
  return (dayNumber(p.to) - dayNumber(p.from) + 1) / 365.25;
}

export function ltvValues(facts: Facts, p: Period, ctx: Ctx): Values {
  const won = wonStages(ctx.config);
  const accounts = new Set(facts.accounts.map((a) => a.id));
  const byAccount = new Map<string, OpportunityFact[]>();
  for (const o of ctx.all.opportunities) {
    const a = o.data.account;
    if (typeof a !== 'string' || !accounts.has(a)) continue;
    let list = byAccount.get(a);
    if (!list) byAccount.set(a, (list = []));
    list.push(o);
  }
  let customers = 0;
  let revenue = 0;
  let revenueInPeriod = 0;
  for (const [, opps] of byAccount) {
    let bought = false;
    for (const o of opps) {
      const moments = enteredAny(o, won).filter((t) => t <= p.end);
      if (moments.length === 0) continue;
      bought = true;
      revenue += o.amount ?? 0;
      if (moments.some((t) => t >= p.start)) revenueInPeriod += o.amount ?? 0;
    }
    if (bought) customers++;
  }
  const c = customerCounts(facts.accounts.map((a) => customerIntervals(a.entries)), p.start, p.end);
  const y = years(p);
  const avgCustomers = (c.customers_start + c.customers_end) / 2;
  const yearlyRevenue = avgCustomers === 0 ? null : revenueInPeriod / avgCustomers / y;
  const yearlyChurn = c.churn_rate === null ? null : 1 - Math.pow(1 - c.churn_rate, 1 / y);
  const margin = ctx.spec.margin ?? 1;
  const clv = yearlyRevenue === null || yearlyChurn === null || yearlyChurn === 0 ? null : (yearlyRevenue * margin) / yearlyChurn;
  return {
    customers,
    revenue: money(revenue),
    revenue_per_customer: money(ratio(revenue, customers)),
    revenue_in_period: money(revenueInPeriod),
    avg_customers: avgCustomers,
    yearly_revenue_per_customer: money(yearlyRevenue),
    churn_rate: c.churn_rate,
    yearly_churn_rate: yearlyChurn,
    margin,
    clv: money(clv),
  };
}

export const ltv: ReportDef = {
  types: ['account', 'opportunity'],
  subjects: ['accounts'],
  comparable: true,
  compute: ltvValues,
};
