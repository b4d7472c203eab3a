/**
 * `crm report funnel`: the leads created in the period, followed through
 * new → contacted → qualified → converted → won (as of --as-of).
 */
import type { Facts, LeadFact, OpportunityFact } from './facts.js';
import { enteredAny, wonStages } from './kpi.js';
import { LEAD_ORDER, LEAD_RANK, firstPassage, within } from './lifecycle.js';
import type { Period } from './period.js';
import { median, ratio } from './stats.js';
import { DAY_MS } from './time.js';
import type { Ctx, ReportDef, Values } from './types.js';

export const FUNNEL_STEPS = [...LEAD_ORDER, 'won'] as const;

/** The opportunity a lead was converted into: `converted.opportunity`, else one whose `lead` names it. */
export function leadOpportunity(lead: LeadFact, byId: ReadonlyMap<string, OpportunityFact>, byLead: ReadonlyMap<string, OpportunityFact>): OpportunityFact | undefined {
  const conv = lead.data.converted;
  if (conv && typeof conv === 'object' && !Array.isArray(conv)) {
    const id = (conv as Record<string, unknown>).opportunity;
    if (typeof id === 'string' && byId.has(id)) return byId.get(id);
  }
  return byLead.get(lead.id);
}

/** Moments a lead entered each step (undefined where it never got), the won step included. */
export function stepMoments(lead: LeadFact, opp: OpportunityFact | undefined, won: ReadonlySet<string>): (number | undefined)[] {
  const out: (number | undefined)[] = LEAD_ORDER.map((s) => firstPassage(lead.entries, LEAD_RANK, s));
  // Every lead of the cohort is at least `new` (a lead created straight into a later
  // status passed it then; one created as disqualified still entered the funnel).
  out[0] ??= lead.entries[0]?.at ?? lead.created;
  const converted = out[3];
  const wonAt = converted !== undefined && opp ? enteredAny(opp, won)[0] : undefined;
  out.push(wonAt);
  // Passing a step implies the earlier ones: fill gaps with the later moment.
  for (let i = out.length - 2; i >= 0; i--) if (out[i] === undefined && out[i + 1] !== undefined) out[i] = out[i + 1];
  return out;
}

export function funnelValues(facts: Facts, p: Period, ctx: Ctx): Values {
  const won = wonStages(ctx.config);
  const byId = new Map(ctx.all.opportunities.map((o) => [o.id, o]));
  const byLead = new Map<string, OpportunityFact>();
  for (const o of [...ctx.all.opportunities].sort((a, b) => a.id.localeCompare(b.id))) {
    const l = o.data.lead;
    if (typeof l === 'string' && l && !byLead.has(l)) byLead.set(l, o);
  }
  const cohort = facts.leads.filter((l) => within(l.created, p.start, p.end));
  const moments = cohort.map((l) => stepMoments(l, leadOpportunity(l, byId, byLead), won));
  const counts = FUNNEL_STEPS.map((_, i) => moments.filter((m) => m[i] !== undefined).length);
  const steps = FUNNEL_STEPS.map((step, i) => {
    const stepRate = i === 0 ? null : ratio(counts[i]!, counts[i - 1]!);
    const days =
      i === 0
        ? []
        : moments.filter((m) => m[i] !== undefined && m[i - 1] !== undefined).map((m) => (m[i]! - m[i - 1]!) / DAY_MS);
    return {
      step,
      count: counts[i]!,
      step_rate: stepRate,
      cumulative_rate: ratio(counts[i]!, counts[0]!),
      drop_off: stepRate === null ? null : 1 - stepRate,
      median_days_from_previous: median(days),
    };
  });
  return { steps };
}

export const funnel: ReportDef = {
  types: ['lead', 'opportunity'],
  subjects: ['leads'],
  comparable: false,
  compute: funnelValues,
};
