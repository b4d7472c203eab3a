/**
 * How report values look to people: labels of the ids, units (%, money,
 * days, hours), changes with ▲/▼, and the styles a caller may colour.
 * No colour library here: the command passes the styles in.
 */
import type { Value } from '../types.js';

export interface Styles {
  bold(s: string): string;
  dim(s: string): string;
  /** A change for the better / for the worse. */
  good(s: string): string;
  bad(s: string): string;
  /** Heat-map cell, level 0 (cold) … 4 (hot). */
  heat(level: number, s: string): string;
}

const id = (s: string) => s;
/** Each report's name in titles (table and Markdown). */
export const TITLES: Record<string, string> = {
  kpi: 'KPI',
  funnel: 'Funnel',
  retention: 'Retention',
  pipeline: 'Pipeline',
  cases: 'Cases',
  activity: 'Activity',
  ltv: 'Lifetime value',
  rfm: 'RFM',
};

export const PLAIN: Styles = { bold: id, dim: id, good: id, bad: id, heat: (_l, s) => s };

export interface RenderOptions {
  styles: Styles;
  /** Terminal width (80 when piped). */
  columns: number;
  /** Name of the CRM (crm.yaml `name`) for headings. */
  name?: string;
  /** Human-readable period name, e.g. 2026-W47. */
  label?: string;
  /** Human-readable as-of moment, e.g. 2026-11-20 11:00. */
  asOfText?: string;
  compareLabel?: string;
}

export const LABELS: Record<string, string> = {
  leads_created: 'Leads created',
  leads_qualified: 'Leads qualified',
  leads_converted: 'Leads converted',
  lead_conversion_rate: 'Lead conversion rate',
  opportunities_created: 'Opportunities created',
  opportunities_won: 'Opportunities won',
  opportunities_lost: 'Opportunities lost',
  win_rate: 'Win rate',
  revenue_won: 'Revenue won',
  avg_deal_size: 'Average deal size',
  sales_cycle_days_median: 'Sales cycle, median',
  sales_cycle_days_mean: 'Sales cycle, mean',
  pipeline_value: 'Pipeline value',
  weighted_pipeline_value: 'Weighted pipeline',
  customers_start: 'Customers at start',
  customers_new: 'New customers',
  customers_lost: 'Customers lost',
  customers_end: 'Customers at end',
  churn_rate: 'Churn rate',
  retention_rate: 'Retention rate',
  cases_opened: 'Cases opened',
  cases_resolved: 'Cases resolved',
  first_response_hours_median: 'First response, median',
  resolution_hours_median: 'Resolution time, median',
  resolution_hours_p90: 'Resolution time, p90',
  sla_breach_rate: 'SLA breach rate',
  csat_avg: 'Satisfaction, average',
  backlog: 'Backlog (open cases)',
  interactions: 'Interactions',
  tasks_overdue: 'Tasks overdue',
  tasks_created: 'Tasks created',
  tasks_done: 'Tasks done',
  opened: 'Opened',
  resolved: 'Resolved',
  customers: 'Customers (ever bought)',
  revenue: 'Revenue to date',
  revenue_per_customer: 'Revenue per customer',
  revenue_in_period: 'Revenue in period',
  avg_customers: 'Customers, average',
  yearly_revenue_per_customer: 'Yearly revenue per customer',
  yearly_churn_rate: 'Yearly churn rate',
  margin: 'Margin',
  clv: 'Predicted lifetime value',
};

export function label(key: string): string {
  return LABELS[key] ?? key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ');
}

export type Unit = 'rate' | 'money' | 'days' | 'hours' | 'score' | 'count';

const MONEY = new Set([
  'revenue_won',
  'avg_deal_size',
  'pipeline_value',
  'weighted_pipeline_value',
  'amount',
  'weighted_amount',
  'revenue',
  'revenue_per_customer',
  'revenue_in_period',
  'yearly_revenue_per_customer',
  'clv',
  'monetary',
]);

export function unitOf(key: string): Unit {
  if (key.endsWith('_rate') || key === 'drop_off' || key === 'margin') return 'rate';
  if (MONEY.has(key)) return 'money';
  if (key.includes('_days')) return 'days';
  if (key.includes('_hours')) return 'hours';
  if (key === 'csat_avg' || key === 'avg_customers') return 'score';
  return 'count';
}

/** Ids where a rise is bad news (coloured red). */
const UP_IS_BAD = new Set([
  'opportunities_lost',
  'sales_cycle_days_median',
  'sales_cycle_days_mean',
  'customers_lost',
  'churn_rate',
  'yearly_churn_rate',
  'first_response_hours_median',
  'resolution_hours_median',
  'resolution_hours_p90',
  'sla_breach_rate',
  'backlog',
  'tasks_overdue',
]);

/** 12500 → "12,500"; 1234.5 with 1 decimal → "1,234.5". */
export function grouped(n: number, decimals = 0): string {
  const fixed = Math.abs(n).toFixed(decimals);
  const [int, frac] = fixed.split('.');
  const g = (int ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 && Number(fixed) !== 0 ? '-' : ''}${g}${frac ? `.${frac}` : ''}`;
}

/** A value in a table cell: percentages, money with its currency, days, hours; null as "–". */
export function cell(key: string, v: Value | undefined, currency: string): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  switch (unitOf(key)) {
    case 'rate':
      return `${(v * 100).toFixed(1)}%`;
    case 'money':
      return `${grouped(v)} ${currency}`;
    case 'days':
      return `${grouped(v, 1)} d`;
    case 'hours':
      return `${grouped(v, 1)} h`;
    case 'score':
      return grouped(v, 2);
    default:
      return grouped(v, Number.isInteger(v) ? 0 : 2);
  }
}

/** A change against the previous period: "▲ 3 (+25%)", "▼ 4.2 pp", "= 0"; coloured good or bad. */
export function changeCell(key: string, change: Value | undefined, previous: Value | undefined, currency: string, styles: Styles): string {
  if (typeof change !== 'number') return '–';
  if (change === 0) return styles.dim('= 0');
  const arrow = change > 0 ? '▲' : '▼';
  const unit = unitOf(key);
  const abs = Math.abs(change);
  let text: string;
  if (unit === 'rate') text = `${(abs * 100).toFixed(1)} pp`;
  else if (unit === 'money') text = grouped(abs);
  else if (unit === 'days' || unit === 'hours') text = `${grouped(abs, 1)} ${unit === 'days' ? 'd' : 'h'}`;
  else if (unit === 'score') text = grouped(abs, 2);
  else text = grouped(abs, Number.isInteger(abs) ? 0 : 2);
  if (unit !== 'rate' && typeof previous === 'number' && previous !== 0) {
    const pct = (change / Math.abs(previous)) * 100;
    text += ` (${pct > 0 ? '+' : ''}${pct.toFixed(0)}%)`;
  }
  void currency;
  const out = `${arrow} ${text}`;
  const better = UP_IS_BAD.has(key) ? change < 0 : change > 0;
  return better ? styles.good(out) : styles.bad(out);
}

/** Display width ignoring ANSI colour codes. */
export function visibleWidth(s: string): number {
  let n = 0;
  // eslint-disable-next-line no-control-regex
  for (const _ of s.replace(/\u001b\[[0-9;]*m/g, '')) n++;
  return n;
}

export function padCell(s: string, w: number, align: 'left' | 'right'): string {
  const gap = Math.max(0, w - visibleWidth(s));
  return align === 'right' ? ' '.repeat(gap) + s : s + ' '.repeat(gap);
}

export type GridRow = { cells: readonly string[] } | { section: string };

/**
 * An aligned grid: the first column left, the rest right-aligned; section
 * rows are printed as headings across the table.
 */
export function grid(headers: readonly string[], rows: readonly GridRow[], styles: Styles, align?: readonly ('left' | 'right')[]): string {
  const widths = headers.map((h, i) =>
    Math.max(visibleWidth(h), ...rows.map((r) => ('cells' in r ? visibleWidth(r.cells[i] ?? '') : 0))),
  );
  const al = (i: number) => align?.[i] ?? (i === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => padCell(c, widths[i]!, al(i)))
      .join('  ')
      .replace(/\s+$/, '');
  const out: string[] = [];
  if (headers.some((h) => h !== '')) out.push(styles.bold(line(headers)));
  for (const r of rows) {
    if ('section' in r) out.push(styles.bold(r.section));
    else out.push(line(r.cells));
  }
  return out.join('\n');
}

export function gridWidth(headers: readonly string[], rows: readonly GridRow[]): number {
  const widths = headers.map((h, i) =>
    Math.max(visibleWidth(h), ...rows.map((r) => ('cells' in r ? visibleWidth(r.cells[i] ?? '') : 0))),
  );
  return widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
}
