/** `crm report pipeline`: open opportunities at --as-of, per stage in pipeline order, and a total. */
import type { Facts } from './facts.js';
import { enteredStateAt, stateAt } from './lifecycle.js';
import type { Period } from './period.js';
import { median } from './stats.js';
import { DAY_MS } from './time.js';
import type { Ctx, ReportDef, Values } from './types.js';

function money(n: number): number {
  return Math.round(n * 100) / 100;
}

export function pipelineValues(facts: Facts, _p: Period, ctx: Ctx): Values {
  const asOf = ctx.spec.asOf;
  const open = ctx.config.pipeline.stages.filter((s) => !s.closed);
  const rows = open.map((s) => ({ stage: s.id, probability: s.probability, count: 0, amount: 0, weighted: 0, ages: [] as number[] }));
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  for (const o of facts.opportunities) {
    const s = stateAt(o.entries, asOf);
    const row = s === undefined ? undefined : byStage.get(s);
    if (!row) continue;
    row.count++;
    row.amount += o.amount ?? 0;
    row.weighted += (o.amount ?? 0) * row.probability;
    const since = enteredStateAt(o.entries, asOf);
    if (since !== undefined) row.ages.push((asOf - since) / DAY_MS);
  }
  const stages = rows.map((r) => ({
    stage: r.stage,
    count: r.count,
    amount: money(r.amount),
    weighted_amount: money(r.weighted),
    median_age_days: median(r.ages),
  }));
  const total = {
    count: rows.reduce((a, r) => a + r.count, 0),
    amount: money(rows.reduce((a, r) => a + r.amount, 0)),
    weighted_amount: money(rows.reduce((a, r) => a + r.weighted, 0)),
    median_age_days: median(rows.flatMap((r) => r.ages)),
  };
  return { stages, total };
}

export const pipeline: ReportDef = {
  types: ['opportunity'],
  subjects: ['opportunities'],
  comparable: false,
  compute: pipelineValues,
};
