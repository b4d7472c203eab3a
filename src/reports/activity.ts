/**
 * `crm report activity`: interactions per owner (default --by owner) and
 * kind in the period, and the tasks created, done and overdue.
 */
import type { Facts } from './facts.js';
import { within } from './lifecycle.js';
import type { Period } from './period.js';
import type { Ctx, ReportDef, Values } from './types.js';

/** The interaction kinds shown as columns: crm.yaml's list, then any other kind found. */
export function activityKinds(ctx: Ctx): string[] {
  const kinds = (ctx.config.values.interaction?.kind ?? []).filter((k) => k !== 'task');
  const extra = new Set<string>();
  for (const i of ctx.all.interactions) if (i.kind !== 'task' && !kinds.includes(i.kind)) extra.add(i.kind);
  return [...kinds, ...[...extra].sort()];
}

export function activityValues(facts: Facts, p: Period, ctx: Ctx): Values {
  const { start, end } = p;
  const inPeriod = facts.interactions.filter((i) => i.kind !== 'task' && within(i.at, start, end));
  const values: Values = { interactions: inPeriod.length };
  for (const k of activityKinds(ctx)) values[k] = inPeriod.filter((i) => i.kind === k).length;
  const tasks = facts.interactions.filter((i) => i.kind === 'task');
  values.tasks_created = tasks.filter((t) => within(t.at, start, end)).length;
  values.tasks_done = tasks.filter((t) => t.doneAt !== undefined && within(t.doneAt, start, end)).length;
  values.tasks_overdue = tasks.filter(
    (t) => t.at <= end && t.dueBy !== undefined && t.dueBy < end && !(t.doneAt !== undefined && t.doneAt <= end),
  ).length;
  return values;
}

export const activity: ReportDef = {
  types: ['interaction'],
  subjects: ['interactions'],
  defaultBy: 'owner',
  comparable: true,
  compute: activityValues,
};
