/**
 * The dashboard: this period's KPI table (src/reports, the same figures as
 * `crm report kpi --compare previous`) against the previous period, and
 * small bar charts: the lead funnel of the period and the open pipeline
 * by stage.
 */
import { formatNumber } from '../../format/text.js';
import { runReport } from '../../reports/index.js';
import { KPI_SECTIONS } from '../../reports/kpi.js';
import { parsePeriod, periodLabel, previousPeriod } from '../../reports/period.js';
import { localDate } from '../../reports/time.js';
import type { Value, Values } from '../../reports/types.js';
import { compact, fit, seg, sideBySide, type Line, Lines } from '../lines.js';
import type { Period, State } from '../state.js';
import type { TuiData } from '../view.js';

export interface Dashboard {
  label: string;
  previousLabel: string;
  values: Values;
  previous: Values;
  funnel: { step: string; count: number }[];
  pipeline: { stage: string; count: number; amount: number }[];
}

const cache = new WeakMap<TuiData, Map<Period, Dashboard>>();

export function dashboardData(data: TuiData, period: Period): Dashboard {
  let m = cache.get(data);
  if (!m) {
    m = new Map();
    cache.set(data, m);
  }
  const hit = m.get(period);
  if (hit) return hit;
  const tz = data.config.timezone;
  const now = data.now.getTime();
  const p = parsePeriod(`this-${period}`, localDate(now, tz), tz);
  const spec = { period: p, asOf: now, compare: 'previous' as const };
  const kpi = runReport('kpi', data.records, data.config, spec).envelope.groups[0]!;
  const funnel = runReport('funnel', data.records, data.config, { period: p, asOf: now }).envelope.groups[0]!.values;
  const pipeline = runReport('pipeline', data.records, data.config, { period: p, asOf: now }).envelope.groups[0]!.values;
  const d: Dashboard = {
    label: periodLabel(p),
    previousLabel: periodLabel(previousPeriod(p, tz)),
    values: kpi.values,
    previous: kpi.previous ?? {},
    funnel: ((funnel.steps ?? []) as { step: string; count: number }[]).map((x) => ({ step: x.step, count: x.count })),
    pipeline: ((pipeline.stages ?? []) as { stage: string; count: number; amount: number }[]).map((x) => ({ stage: x.stage, count: x.count, amount: x.amount })),
  };
  m.set(period, d);
  return d;
}

const LABELS: Record<string, string> = {
  lead_conversion_rate: 'lead conversion',
  opportunities_created: 'deals created',
  opportunities_won: 'deals won',
  opportunities_lost: 'deals lost',
  sales_cycle_days_median: 'sales cycle, median d',
  sales_cycle_days_mean: 'sales cycle, mean d',
  weighted_pipeline_value: 'weighted pipeline',
  first_response_hours_median: '1st response, med h',
  resolution_hours_median: 'resolution, median h',
};

const MONEY = new Set(['revenue_won', 'avg_deal_size', 'pipeline_value', 'weighted_pipeline_value']);

function show(id: string, v: Value | undefined): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (id.endsWith('_rate')) return `${Math.round(v * 1000) / 10}%`;
  if (MONEY.has(id)) return compact(v);
  if (Number.isInteger(v)) return formatNumber(v);
  return (Math.round(v * 10) / 10).toString();
}

function delta(id: string, now: Value | undefined, before: Value | undefined): { text: string; good?: boolean } {
  if (typeof now !== 'number' || typeof before !== 'number') return { text: '' };
  const d = now - before;
  if (d === 0) return { text: '=' };
  const text = id.endsWith('_rate') ? `${d > 0 ? '+' : ''}${Math.round(d * 1000) / 10}pt` : `${d > 0 ? '+' : ''}${MONEY.has(id) ? compact(d) : Math.round(d * 10) / 10}`;
  const worse = /lost|churn|breach|overdue|backlog|hours|cycle/.test(id);
  return { text, good: worse ? d < 0 : d > 0 };
}

function kpiLines(d: Dashboard, w: number): Line[] {
  const valueW = 8;
  const labelW = Math.max(10, w - valueW * 3);
  const out: Line[] = [[seg(fit('KPI', labelW), { bold: true }), seg(fit(d.label, valueW, 'right'), { bold: true }), seg(fit(d.previousLabel, valueW, 'right'), { dim: true }), seg(fit('change', valueW, 'right'), { dim: true })]];
  for (const section of KPI_SECTIONS) {
    out.push([seg(fit(section.section, w), { underline: true, dim: true })]);
    for (const id of section.ids) {
      const ch = delta(id, d.values[id], d.previous[id]);
      out.push([
        seg(fit(LABELS[id] ?? id.replace(/_/g, ' '), labelW)),
        seg(fit(show(id, d.values[id]), valueW, 'right'), { bold: true }),
        seg(fit(show(id, d.previous[id]), valueW, 'right'), { dim: true }),
        seg(fit(ch.text, valueW, 'right'), ch.good === undefined ? { dim: true } : { color: ch.good ? 'green' : 'red' }),
      ]);
    }
  }
  return out;
}

function bars(title: string, rows: { label: string; value: number; text: string }[], w: number): Line[] {
  const labelW = Math.min(13, Math.max(6, ...rows.map((r) => r.label.length)));
  const textW = Math.max(4, ...rows.map((r) => r.text.length));
  const barW = Math.max(1, w - labelW - textW - 2);
  const max = Math.max(0, ...rows.map((r) => r.value));
  const out: Line[] = [[seg(fit(title, w), { bold: true })]];
  for (const r of rows) {
    const n = max > 0 ? Math.round((r.value / max) * barW) : 0;
    const bar = r.value > 0 ? '█'.repeat(Math.max(1, n)) : '';
    out.push([seg(fit(r.label, labelW)), seg(' '), seg(fit(bar, barW), { color: 'cyan' }), seg(' '), seg(fit(r.text, textW, 'right'), { dim: true })]);
  }
  if (rows.length === 0) out.push([seg('nothing yet', { dim: true })]);
  return out;
}

export function dashboardLines(s: State, w: number, h: number): Line[] {
  const d = dashboardData(s.data, s.dashboard.period);
  const cur = s.data.config.currency;
  const title: Line = [seg(`This ${s.dashboard.period} (${d.label}) against the previous one (${d.previousLabel})`, { bold: true }), seg('   p: month / quarter / year', { dim: true })];
  const bodyH = h - 1;
  const wide = w >= 76;
  const leftW = wide ? Math.floor(w * 0.55) : w;
  const rightW = wide ? w - leftW - 1 : w;
  const chart = [
    ...bars(`Lead funnel (created ${d.label})`, d.funnel.map((f) => ({ label: f.step, value: f.count, text: String(f.count) })), rightW),
    [],
    ...bars(`Open pipeline by stage (${cur})`, d.pipeline.map((p) => ({ label: p.stage, value: p.amount, text: `${compact(p.amount)} (${p.count})` })), rightW),
  ];
  const table = kpiLines(d, leftW);
  if (!wide) {
    const all = [...chart, [], ...table];
    const top = Math.min(s.dashboard.scroll, Math.max(0, all.length - bodyH));
    return [title, ...all.slice(top, top + bodyH)];
  }
  const top = Math.min(s.dashboard.scroll, Math.max(0, table.length - bodyH));
  const shown = [table[0]!, ...table.slice(1 + top, top + bodyH)];
  return [title, ...sideBySide([shown, chart], [leftW, rightW], bodyH)];
}

export function DashboardScreen({ state, width, height }: { state: State; width: number; height: number }) {
  return <Lines lines={dashboardLines(state, width, height)} />;
}
