/** `crm report cases`: service figures per group (default: per priority). */
import type { Facts } from './facts.js';
import { caseFigures } from './kpi.js';
import type { Period } from './period.js';
import { mean, median, percentile, ratio } from './stats.js';
import type { Ctx, ReportDef, Values } from './types.js';

export const CASES_IDS = [
  'opened',
  'resolved',
  'backlog',
  'first_response_hours_median',
  'resolution_hours_median',
  'resolution_hours_p90',
  'sla_breach_rate',
  'csat_avg',
] as const;

export function casesValues(facts: Facts, p: Period, ctx: Ctx): Values {
  const f = caseFigures(facts.cases, p, ctx.config);
  return {
    opened: f.opened,
    resolved: f.resolved,
    backlog: f.backlog,
    first_response_hours_median: median(f.firstResponse),
    resolution_hours_median: median(f.resolution),
    resolution_hours_p90: percentile(f.resolution, 0.9),
    sla_breach_rate: ratio(f.breached, f.withTarget),
    csat_avg: mean(f.csat),
  };
}

export const cases: ReportDef = {
  types: ['case'],
  subjects: ['cases'],
  defaultBy: 'priority',
  comparable: true,
  compute: casesValues,
};
