/**
 * Running a report: read the records as of the moment, split them by --by,
 * compute each group (and, with --compare previous, the previous period),
 * and wrap the result in the JSON envelope of REPORTS.md. Pure.
 */
import type { Config } from '../model/config.js';
import { activity } from './activity.js';
import { cases } from './cases.js';
import { prepare, type BaseFact, type Facts, type ReportRecord } from './facts.js';
import { funnel } from './funnel.js';
import { kpi } from './kpi.js';
import { ltv } from './ltv.js';
import { previousPeriod, type Period } from './period.js';
import { pipeline } from './pipeline.js';
import { retention } from './retention.js';
import { rfm } from './rfm.js';
import { formatMoment } from './time.js';
import type { Ctx, GroupResult, ReportDef, ReportName, ReportOutput, ReportSpec, Values } from './types.js';

export const REPORTS: Record<ReportName, ReportDef> = { kpi, funnel, retention, pipeline, cases, activity, ltv, rfm };

export const NONE = '(none)';
export const ALL = '(all)';

/** Defaults FORMAT.md gives a field; a record without the key has that value. */
const FIELD_DEFAULTS: Partial<Record<string, Record<string, string>>> = {
  case: { priority: 'normal' },
  account: { kind: 'company' },
};

function lookup(data: Record<string, unknown>, field: string): unknown {
  if (field in data) return data[field];
  let v: unknown = data;
  for (const part of field.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && typeof (v as { amount?: unknown }).amount === 'number') return String((v as { amount: number }).amount);
  return JSON.stringify(v);
}

/** The groups a record belongs to for --by FIELD: one per list element, `(none)` when empty. */
export function groupsOf(f: BaseFact, field: string): string[] {
  let v = lookup(f.data, field);
  if (v === undefined || v === null || v === '') v = FIELD_DEFAULTS[f.type]?.[field];
  if (Array.isArray(v)) {
    const items = [...new Set(v.map(text).filter((x): x is string => x !== undefined))];
    return items.length > 0 ? items : [NONE];
  }
  return [text(v) ?? NONE];
}

export function compareGroups(a: string, b: string): number {
  const rank = (g: string) => (g === ALL ? 2 : g === NONE ? 1 : 0);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

const MONEY_IDS = new Set(['revenue_won', 'avg_deal_size', 'pipeline_value', 'weighted_pipeline_value']);

function tidy(values: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) out[k] = MONEY_IDS.has(k) && typeof v === 'number' ? Math.round(v * 100) / 100 : v;
  return out;
}

function change(now: Values, before: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(now)) {
    const p = before[k];
    out[k] = typeof v === 'number' && typeof p === 'number' ? Math.round((v - p) * 1e9) / 1e9 : null;
  }
  return out;
}

type Lists = keyof Omit<Facts, 'skipped'>;

const LIST_WORD: Record<Lists, string> = {
  leads: 'lead',
  opportunities: 'opportunity',
  accounts: 'account',
  cases: 'case',
  interactions: 'interaction',
};

function subset(facts: Facts, subjects: readonly Lists[], keep: (f: BaseFact) => boolean): Facts {
  const out = { ...facts };
  for (const s of subjects) (out as Record<Lists, BaseFact[]>)[s] = (facts[s] as BaseFact[]).filter(keep);
  return out;
}

/** Compute report `name` over the records, as of `spec.asOf`, for `spec.period`. */
export function runReport(name: ReportName, records: readonly ReportRecord[], config: Config, spec: ReportSpec): ReportOutput {
  const def = REPORTS[name];
  const facts = prepare(records, config, spec.asOf, def.types);
  const ctx: Ctx = { config, spec, all: facts };
  const warnings: string[] = [];
  const previous: Period | undefined = spec.compare === 'previous' ? previousPeriod(spec.period, config.timezone) : undefined;

  const one = (f: Facts, group: string | null): GroupResult => {
    const values = tidy(def.compute(f, spec.period, ctx));
    if (!previous) return { group, values };
    const before = tidy(def.compute(f, previous, ctx));
    return { group, values, previous: before, change: change(values, before) };
  };

  const by = spec.by ?? def.defaultBy;
  let groups: GroupResult[];
  if (!by) {
    groups = [one(facts, null)];
  } else {
    const names = new Set<string>();
    let withValue = false;
    let count = 0;
    const member = new Map<BaseFact, string[]>();
    for (const s of def.subjects) {
      for (const f of facts[s] as BaseFact[]) {
        const g = groupsOf(f, by);
        member.set(f, g);
        for (const x of g) names.add(x);
        if (g[0] !== NONE) withValue = true;
        count++;
      }
    }
    if (!withValue) {
      // Nobody has the field (a typo?): say so, unless there is nothing to split at all.
      const what = def.subjects.map((s) => LIST_WORD[s]).join(', ').replace(/, ([^,]*)$/, ' or $1');
      if (count > 0) warnings.push(`no ${what} has a value for "${by}": everything is in the group ${NONE}`);
      names.add(NONE);
    }
    groups = [...names]
      .sort(compareGroups)
      .map((g) => one(subset(facts, def.subjects, (f) => member.get(f)?.includes(g) ?? false), g));
    groups.push(one(facts, ALL));
  }

  return {
    envelope: {
      report: name,
      from: spec.period.from,
      to: spec.period.to,
      as_of: formatMoment(spec.asOf, config.timezone),
      currency: config.currency,
      ...(previous ? { compare: { from: previous.from, to: previous.to } } : {}),
      groups,
    },
    warnings,
    skipped: facts.skipped,
  };
}
