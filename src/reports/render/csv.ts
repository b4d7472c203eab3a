/**
 * `--format csv`: one header row of snake_case ids and one row per group
 * (or per group and step, stage, period, cohort, account). Rates are
 * fractions, undefined values are empty cells.
 */
import type { Envelope, Value, Values } from '../types.js';

function text(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function lines(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
}

/** Rows of nested objects (`values.steps`, …) with the group in front. */
function nested(env: Envelope, key: string, keys: readonly string[], extra?: (g: Values) => Values[]): string {
  const rows: string[][] = [];
  for (const g of env.groups) {
    const items = [...((g.values[key] ?? []) as Values[]), ...(extra ? extra(g.values) : [])];
    for (const it of items) rows.push([g.group ?? '', ...keys.map((k) => text(it[k]))]);
  }
  return lines(['group', ...keys], rows);
}

export function renderCsv(env: Envelope): string {
  switch (env.report) {
    case 'funnel':
      return nested(env, 'steps', ['step', 'count', 'step_rate', 'cumulative_rate', 'drop_off', 'median_days_from_previous']);
    case 'pipeline':
      return nested(env, 'stages', ['stage', 'count', 'amount', 'weighted_amount', 'median_age_days'], (v) => [
        { stage: '(total)', ...((v.total ?? {}) as Values) },
      ]);
    case 'rfm':
      return nested(env, 'accounts', ['account', 'recency_days', 'frequency', 'monetary', 'r', 'f', 'm', 'score']);
    case 'retention': {
      const withCohorts = env.groups.some((g) => g.values.cohorts !== undefined);
      if (!withCohorts) {
        return nested(env, 'periods', ['from', 'to', 'customers_start', 'customers_new', 'customers_lost', 'customers_end', 'churn_rate', 'retention_rate']);
      }
      const all = env.groups.flatMap((g) => (g.values.cohorts ?? []) as Values[]);
      const n = Math.max(0, ...all.map((c) => (c.retention as number[]).length));
      const months = Array.from({ length: n }, (_, k) => `m${k}`);
      const rows: string[][] = [];
      for (const g of env.groups) {
        for (const c of (g.values.cohorts ?? []) as Values[]) {
          const r = c.retention as number[];
          rows.push([g.group ?? '', text(c.cohort), text(c.size), ...months.map((_, k) => text(r[k]))]);
        }
      }
      return lines(['group', 'cohort', 'size', ...months], rows);
    }
    default: {
      const ids = Object.keys(env.groups[0]?.values ?? {});
      const compare = Boolean(env.compare);
      const headers = ['group', ...ids.flatMap((id) => (compare ? [id, `${id}_previous`, `${id}_change`] : [id]))];
      const rows = env.groups.map((g) => [
        g.group ?? '',
        ...ids.flatMap((id) => (compare ? [text(g.values[id]), text(g.previous?.[id]), text(g.change?.[id])] : [text(g.values[id])])),
      ]);
      return lines(headers, rows);
    }
  }
}
