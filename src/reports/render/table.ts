/**
 * `--format table`: reports for people. Aligned columns, percentages and
 * units, ▲/▼ changes, the funnel as horizontal bars and cohorts as a
 * heat-map. Colour comes from the styles the caller passes.
 */
import { KPI_SECTIONS } from '../kpi.js';
import type { Envelope, GroupResult, Values } from '../types.js';
import {
  cell,
  changeCell,
  grid,
  gridWidth,
  label,
  visibleWidth,
  type GridRow,
  type RenderOptions,
  TITLES,
} from './format.js';

function heading(env: Envelope, o: RenderOptions): string {
  const period = env.report === 'pipeline' ? '' : `${o.label ?? `${env.from} – ${env.to}`}`;
  const range = o.label && o.label !== `${env.from} – ${env.to}` && env.report !== 'pipeline' ? ` (${env.from} – ${env.to})` : '';
  const parts = [`${TITLES[env.report] ?? env.report}${period ? ` ${period}` : ''}${range}`];
  const sub = [o.name, `as of ${o.asOfText ?? env.as_of}`, env.compare ? `vs ${o.compareLabel ?? `${env.compare.from} – ${env.compare.to}`}` : undefined]
    .filter(Boolean)
    .join(' · ');
  return `${o.styles.bold(parts[0]!)}\n${o.styles.dim(sub)}`;
}

function groupTitle(g: GroupResult): string {
  return g.group === null ? '' : g.group;
}

/** A vertical table of flat values: one row per id (optionally in sections), one column per group. */
function valuesTable(
  env: Envelope,
  sections: readonly { section?: string; ids: readonly string[] }[],
  o: RenderOptions,
): string {
  const s = o.styles;
  const groups = env.groups;
  const compare = Boolean(env.compare);
  const rowsFor = (gs: readonly GroupResult[]): GridRow[] => {
    const rows: GridRow[] = [];
    for (const sec of sections) {
      if (sec.section) rows.push({ section: sec.section.toUpperCase() });
      for (const id of sec.ids) {
        const cells = [`${sec.section ? '  ' : ''}${label(id)}`];
        for (const g of gs) {
          cells.push(cell(id, g.values[id], env.currency));
          if (compare) {
            cells.push(s.dim(cell(id, g.previous?.[id], env.currency)));
            cells.push(changeCell(id, g.change?.[id], g.previous?.[id], env.currency, s));
          }
        }
        rows.push({ cells });
      }
    }
    return rows;
  };
  const headersFor = (gs: readonly GroupResult[]): string[] => {
    const h = [''];
    for (const g of gs) {
      if (compare) h.push(groupTitle(g) || 'value', 'previous', 'change');
      else h.push(groupTitle(g));
    }
    return h;
  };
  // Groups side by side, as many as fit the width in each table; one block per group otherwise.
  const fits = (gs: readonly GroupResult[]) => gridWidth(headersFor(gs), rowsFor(gs)) <= o.columns;
  const chunks: GroupResult[][] = [];
  for (const g of groups) {
    const last = chunks[chunks.length - 1];
    if (last && fits([...last, g])) last.push(g);
    else chunks.push([g]);
  }
  if (chunks.length === 1) return grid(headersFor(groups), rowsFor(groups), s);
  return chunks
    .map((gs) => {
      if (gs.length > 1 || !compare) return grid(headersFor(gs), rowsFor(gs), s);
      const h = headersFor(gs);
      h[1] = 'value';
      return `${s.bold(`▸ ${groupTitle(gs[0]!)}`)}\n${grid(h, rowsFor(gs), s)}`;
    })
    .join('\n\n');
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `fraction` × width cells, in eighths of a cell. */
export function bar(fraction: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]!;
}

function funnelTable(env: Envelope, o: RenderOptions): string {
  const s = o.styles;
  return env.groups
    .map((g) => {
      const steps = (g.values.steps ?? []) as Values[];
      const rows = steps.map((st) => [
        String(st.step),
        cell('count', st.count ?? null, env.currency),
        cell('step_rate', st.step_rate ?? null, env.currency),
        cell('cumulative_rate', st.cumulative_rate ?? null, env.currency),
        st.median_days_from_previous === null || st.median_days_from_previous === undefined ? '–' : cell('median_days', st.median_days_from_previous, env.currency),
      ]);
      const headers = ['STEP', 'COUNT', 'STEP %', 'CUMUL.', 'DAYS (MED.)'];
      const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleWidth(r[i]!))));
      const used = widths.reduce((a, b) => a + b, 0) + 2 * widths.length;
      const barWidth = Math.max(10, Math.min(40, o.columns - used - 1));
      const line = (r: readonly string[], b: string) =>
        [r[0]!.padEnd(widths[0]!), r[1]!.padStart(widths[1]!), b.padEnd(barWidth), r[2]!.padStart(widths[2]!), r[3]!.padStart(widths[3]!), r[4]!.padStart(widths[4]!)]
          .join('  ')
          .replace(/\s+$/, '');
      const out = [s.bold(line(headers, '')), ...rows.map((r, i) => line(r, bar(Number(steps[i]!.cumulative_rate ?? 0), barWidth)))];
      const title = g.group === null ? '' : `${s.bold(`▸ ${g.group}`)}\n`;
      const cohort = steps[0]?.count ?? 0;
      const note = [
        `${String(cohort)} lead${cohort === 1 ? '' : 's'} created in the period. STEP %: share of the previous step;`,
        'CUMUL.: share of all; DAYS: median days from the previous step.',
      ].join('\n');
      return `${title}${out.join('\n')}\n${s.dim(note)}`;
    })
    .join('\n\n');
}

const SHADES = [' ', '░', '▒', '▓', '█'];

function heatLevel(v: number): number {
  if (v >= 0.8) return 4;
  if (v >= 0.6) return 3;
  if (v >= 0.4) return 2;
  if (v > 0) return 1;
  return 0;
}

function retentionTable(env: Envelope, o: RenderOptions): string {
  const s = o.styles;
  return env.groups
    .map((g) => {
      const parts: string[] = [];
      if (g.group !== null) parts.push(s.bold(`▸ ${g.group}`));
      const periods = (g.values.periods ?? []) as Values[];
      const headers = ['PERIOD', 'START', 'NEW', 'LOST', 'END', 'CHURN', 'RETENTION'];
      const rows: GridRow[] = periods.map((p) => ({
        cells: [
          p.from === p.to ? String(p.from) : `${String(p.from)} – ${String(p.to)}`,
          cell('customers_start', p.customers_start ?? null, env.currency),
          cell('customers_new', p.customers_new ?? null, env.currency),
          cell('customers_lost', p.customers_lost ?? null, env.currency),
          cell('customers_end', p.customers_end ?? null, env.currency),
          cell('churn_rate', p.churn_rate ?? null, env.currency),
          cell('retention_rate', p.retention_rate ?? null, env.currency),
        ],
      }));
      parts.push(grid(headers, rows, s));
      const cohorts = g.values.cohorts as Values[] | undefined;
      if (cohorts) parts.push('', cohortMatrix(cohorts, o));
      return parts.join('\n');
    })
    .join('\n\n');
}

function cohortMatrix(cohorts: readonly Values[], o: RenderOptions): string {
  const s = o.styles;
  if (cohorts.length === 0) return s.dim('No customers were acquired in the period: no cohorts.');
  const longest = Math.max(...cohorts.map((c) => (c.retention as number[]).length));
  const cellWidth = 6;
  const fixed = 7 + 2 + 4 + 2;
  const fit = Math.max(1, Math.floor((o.columns - fixed) / (cellWidth + 1)));
  const shown = Math.min(longest, fit);
  const head = ['COHORT ', 'SIZE'.padStart(4), ...Array.from({ length: shown }, (_, k) => `M${k}`.padStart(cellWidth))].join(' ');
  const lines = [s.bold(head.replace(/\s+$/, ''))];
  for (const c of cohorts) {
    const ret = c.retention as number[];
    const cells = Array.from({ length: shown }, (_, k) => {
      const v = ret[k];
      if (v === undefined) return ' '.repeat(cellWidth);
      const level = heatLevel(v);
      const text = `${SHADES[level]}${`${Math.round(v * 100)}%`.padStart(cellWidth - 1)}`;
      return s.heat(level, text);
    });
    lines.push([String(c.cohort).padEnd(7), String(c.size).padStart(4), ...cells].join(' ').replace(/\s+$/, ''));
  }
  const notes = ['Mk: share still active k months after acquisition; blank: month not over yet.'];
  if (shown < longest) notes.push(`${longest - shown} more month${longest - shown === 1 ? '' : 's'} not shown: widen the terminal or use --format csv.`);
  return `${s.bold('Cohorts')}\n${lines.join('\n')}\n${s.dim(notes.join('\n'))}`;
}

function pipelineTable(env: Envelope, o: RenderOptions): string {
  const s = o.styles;
  return env.groups
    .map((g) => {
      const stages = (g.values.stages ?? []) as Values[];
      const total = (g.values.total ?? {}) as Values;
      const row = (name: string, v: Values): GridRow => ({
        cells: [
          name,
          cell('count', v.count ?? null, env.currency),
          cell('amount', v.amount ?? null, env.currency),
          cell('weighted_amount', v.weighted_amount ?? null, env.currency),
          cell('median_age_days', v.median_age_days ?? null, env.currency),
        ],
      });
      const rows = [...stages.map((st) => row(String(st.stage), st)), row(s.bold('total'), total)];
      const title = g.group === null ? '' : `${s.bold(`▸ ${g.group}`)}\n`;
      return `${title}${grid(['STAGE', 'COUNT', 'AMOUNT', 'WEIGHTED', 'AGE (MED.)'], rows, s)}`;
    })
    .join('\n\n');
}

/** Groups as rows, ids as columns (cases, activity without --compare). */
function rowsTable(env: Envelope, ids: readonly string[], headers: readonly string[], groupHeader: string, o: RenderOptions): string {
  const rows: GridRow[] = env.groups.map((g) => ({
    cells: [g.group === null ? 'all' : g.group, ...ids.map((id) => cell(id, g.values[id] ?? null, env.currency))],
  }));
  return grid([groupHeader, ...headers], rows, o.styles);
}

const CASES_COLUMNS: readonly [string, string][] = [
  ['opened', 'OPENED'],
  ['resolved', 'RESOLVED'],
  ['backlog', 'BACKLOG'],
  ['first_response_hours_median', '1ST RESP.'],
  ['resolution_hours_median', 'RESOLUTION'],
  ['resolution_hours_p90', 'RES. P90'],
  ['sla_breach_rate', 'SLA BREACH'],
  ['csat_avg', 'CSAT'],
];

function activityIds(env: Envelope): string[] {
  const first = env.groups[env.groups.length - 1]?.values ?? {};
  const kinds = Object.keys(first).filter((k) => !['interactions', 'tasks_created', 'tasks_done', 'tasks_overdue'].includes(k));
  const used = kinds.filter((k) => env.groups.some((g) => g.values[k] !== 0));
  return [...used, 'interactions', 'tasks_created', 'tasks_done', 'tasks_overdue'];
}

const ACTIVITY_HEADERS: Record<string, string> = {
  interactions: 'TOTAL',
  tasks_created: 'TASKS',
  tasks_done: 'DONE',
  tasks_overdue: 'OVERDUE',
};

function rfmTable(env: Envelope, o: RenderOptions): string {
  const s = o.styles;
  return env.groups
    .map((g) => {
      const rows = ((g.values.accounts ?? []) as Values[]).map((a): GridRow => ({
        cells: [
          String(a.account),
          String(a.score),
          cell('recency_days', a.recency_days ?? null, env.currency),
          cell('frequency', a.frequency ?? null, env.currency),
          cell('monetary', a.monetary ?? null, env.currency),
        ],
      }));
      const title = g.group === null ? '' : `${s.bold(`▸ ${g.group}`)}\n`;
      if (rows.length === 0) return `${title}${s.dim('No opportunities with an account were won in the period.')}`;
      return `${title}${grid(['ACCOUNT', 'RFM', 'RECENCY', 'FREQUENCY', 'MONETARY'], rows, s)}`;
    })
    .join('\n\n');
}

export function renderTable(env: Envelope, o: RenderOptions): string {
  let body: string;
  switch (env.report) {
    case 'kpi':
      body = valuesTable(env, KPI_SECTIONS, o);
      break;
    case 'funnel':
      body = funnelTable(env, o);
      break;
    case 'retention':
      body = retentionTable(env, o);
      break;
    case 'pipeline':
      body = pipelineTable(env, o);
      break;
    case 'cases':
      body = env.compare
        ? valuesTable(env, [{ ids: CASES_COLUMNS.map((c) => c[0]) }], o)
        : rowsTable(env, CASES_COLUMNS.map((c) => c[0]), CASES_COLUMNS.map((c) => c[1]), 'GROUP', o);
      break;
    case 'activity': {
      const ids = activityIds(env);
      body = env.compare
        ? valuesTable(env, [{ ids }], o)
        : rowsTable(env, ids, ids.map((k) => ACTIVITY_HEADERS[k] ?? k.toUpperCase()), 'GROUP', o);
      break;
    }
    case 'ltv':
      body = valuesTable(env, [{ ids: Object.keys(env.groups[0]?.values ?? {}) }], o);
      break;
    case 'rfm':
      body = rfmTable(env, o);
      break;
  }
  return `${heading(env, o)}\n\n${body}`;
}
