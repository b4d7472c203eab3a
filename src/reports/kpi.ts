/** `crm report kpi`: the weekly KPI table of REPORTS.md, one value per id. */
import type { Config } from '../model/config.js';
import type { CaseFact, Facts, OpportunityFact } from './facts.js';
import {
  CASE_RANK,
  LEAD_RANK,
  anyWithin,
  customerCounts,
  customerIntervals,
  passages,
  stateAt,
  within,
} from './lifecycle.js';
import type { Period } from './period.js';
import { mean, median, ratio, sum } from './stats.js';
import { dayNumber, HOUR_MS, localDate } from './time.js';
import type { Ctx, ReportDef, Values } from './types.js';

/** The KPI ids in table order, with the section each belongs to. */
export const KPI_SECTIONS: readonly { section: string; ids: readonly string[] }[] = [
  {
    section: 'sales',
    ids: [
      'leads_created',
      'leads_qualified',
      'leads_converted',
      'lead_conversion_rate',
      'opportunities_created',
      'opportunities_won',
      'opportunities_lost',
      'win_rate',
      'revenue_won',
      'avg_deal_size',
      'sales_cycle_days_median',
      'sales_cycle_days_mean',
      'pipeline_value',
      'weighted_pipeline_value',
    ],
  },
  {
    section: 'customers',
    ids: ['customers_start', 'customers_new', 'customers_lost', 'customers_end', 'churn_rate', 'retention_rate'],
  },
  {
    section: 'service',
    ids: [
      'cases_opened',
      'cases_resolved',
      'first_response_hours_median',
      'resolution_hours_median',
      'sla_breach_rate',
      'csat_avg',
      'backlog',
    ],
  },
  { section: 'activity', ids: ['interactions', 'tasks_overdue'] },
];

export const KPI_IDS: readonly string[] = KPI_SECTIONS.flatMap((s) => s.ids);

export function wonStages(config: Config): Set<string> {
  return new Set(config.pipeline.stages.filter((s) => s.closed === 'won').map((s) => s.id));
}

export function lostStages(config: Config): Set<string> {
  return new Set(config.pipeline.stages.filter((s) => s.closed === 'lost').map((s) => s.id));
}

/** Moments an opportunity entered one of the stages. */
export function enteredAny(o: OpportunityFact, stages: ReadonlySet<string>): number[] {
  return o.entries.filter((e) => stages.has(e.to)).map((e) => e.at);
}

/** The date an opportunity was won: `closed_on`, else the date (in the zone) it entered the won stage. */
export function wonDate(o: OpportunityFact, wonAt: number, tz: string): string {
  return o.closedOn ?? localDate(wonAt, tz);
}

/** When a case was resolved: `resolved_at`, else the last time it entered (or passed) `resolved`. */
export function resolvedMoment(c: CaseFact): number | undefined {
  if (c.resolvedAt !== undefined) return c.resolvedAt;
  const p = passages(c.entries, CASE_RANK, 'resolved');
  return p[p.length - 1];
}

/** When a case was first answered: `first_response_at`, else its first move out of `new`. */
export function firstResponseMoment(c: CaseFact): number | undefined {
  if (c.firstResponseAt !== undefined) return c.firstResponseAt;
  return c.entries.find((e) => e.to !== 'new')?.at;
}

export function resolvedIn(c: CaseFact, p: Period): boolean {
  return anyWithin(passages(c.entries, CASE_RANK, 'resolved'), p.start, p.end);
}

/** Cases figures shared by the KPI table and `crm report cases`. */
export function caseFigures(cases: readonly CaseFact[], p: Period, config: Config) {
  const opened = cases.filter((c) => within(c.created, p.start, p.end));
  const resolved = cases.filter((c) => resolvedIn(c, p));
  const firstResponse = opened
    .map((c) => {
      const t = firstResponseMoment(c);
      return t === undefined ? undefined : (t - c.created) / HOUR_MS;
    })
    .filter((h): h is number => h !== undefined);
  const resolution: number[] = [];
  let breached = 0;
  let withTarget = 0;
  const csat: number[] = [];
  for (const c of resolved) {
    const t = resolvedMoment(c);
    if (t !== undefined) {
      const hours = (t - c.created) / HOUR_MS;
      resolution.push(hours);
      const target = config.cases.sla[c.priority];
      if (target) {
        withTarget++;
        if (hours > target.resolution) breached++;
      }
    }
    if (c.satisfaction !== undefined) csat.push(c.satisfaction);
  }
  const backlog = cases.filter((c) => {
    if (c.created > p.end) return false;
    const s = stateAt(c.entries, p.end);
    return s !== undefined && s !== 'resolved' && s !== 'closed';
  }).length;
  return { opened: opened.length, resolved: resolved.length, firstResponse, resolution, breached, withTarget, csat, backlog };
}

export function kpiValues(facts: Facts, p: Period, config: Config): Values {
  const tz = config.timezone;
  const { start, end } = p;

  // Leads
  const leadsCreated = facts.leads.filter((l) => within(l.created, start, end));
  const leadsQualified = facts.leads.filter((l) => anyWithin(passages(l.entries, LEAD_RANK, 'qualified'), start, end));
  const leadsConverted = facts.leads.filter((l) => anyWithin(passages(l.entries, LEAD_RANK, 'converted'), start, end));
  const convertedByEnd = leadsCreated.filter((l) => passages(l.entries, LEAD_RANK, 'converted').some((t) => t <= end));

  // Opportunities
  const won = wonStages(config);
  const lost = lostStages(config);
  const stages = new Map(config.pipeline.stages.map((s) => [s.id, s]));
  const oppsCreated = facts.opportunities.filter((o) => within(o.created, start, end));
  const wonIn: { o: OpportunityFact; at: number }[] = [];
  let lostCount = 0;
  for (const o of facts.opportunities) {
    const w = enteredAny(o, won).find((t) => within(t, start, end));
    if (w !== undefined) wonIn.push({ o, at: w });
    if (anyWithin(enteredAny(o, lost), start, end)) lostCount++;
  }
  const revenueWon = sum(wonIn.map((x) => x.o.amount ?? 0));
  const cycle = wonIn.map((x) => dayNumber(wonDate(x.o, x.at, tz)) - dayNumber(localDate(x.o.created, tz)));
  let pipeline = 0;
  let weighted = 0;
  for (const o of facts.opportunities) {
    if (o.created > end) continue;
    const s = stateAt(o.entries, end);
    const stage = s === undefined ? undefined : stages.get(s);
    if (!stage || stage.closed) continue;
    pipeline += o.amount ?? 0;
    weighted += (o.amount ?? 0) * stage.probability;
  }

  // Customers
  const customers = customerCounts(facts.accounts.map((a) => customerIntervals(a.entries)), start, end);

  // Cases
  const cases = caseFigures(facts.cases, p, config);

  // Activity
  const interactions = facts.interactions.filter((i) => i.kind !== 'task' && within(i.at, start, end)).length;
  const overdue = facts.interactions.filter(
    (i) => i.kind === 'task' && i.at <= end && i.dueBy !== undefined && i.dueBy < end && !(i.doneAt !== undefined && i.doneAt <= end),
  ).length;

  return {
    leads_created: leadsCreated.length,
    leads_qualified: leadsQualified.length,
    leads_converted: leadsConverted.length,
    lead_conversion_rate: ratio(convertedByEnd.length, leadsCreated.length),
    opportunities_created: oppsCreated.length,
    opportunities_won: wonIn.length,
    opportunities_lost: lostCount,
    win_rate: ratio(wonIn.length, wonIn.length + lostCount),
    revenue_won: revenueWon,
    avg_deal_size: ratio(revenueWon, wonIn.length),
    sales_cycle_days_median: median(cycle),
    sales_cycle_days_mean: mean(cycle),
    pipeline_value: pipeline,
    weighted_pipeline_value: weighted,
    ...customers,
    cases_opened: cases.opened,
    cases_resolved: cases.resolved,
    first_response_hours_median: median(cases.firstResponse),
    resolution_hours_median: median(cases.resolution),
    sla_breach_rate: ratio(cases.breached, cases.withTarget),
    csat_avg: mean(cases.csat),
    backlog: cases.backlog,
    interactions,
    tasks_overdue: overdue,
  };
}

export const kpi: ReportDef = {
  types: ['lead', 'opportunity', 'account', 'case', 'interaction'],
  subjects: ['leads', 'opportunities', 'accounts', 'cases', 'interactions'],
  comparable: true,
  compute: (facts: Facts, p: Period, ctx: Ctx) => kpiValues(facts, p, ctx.config),
};
