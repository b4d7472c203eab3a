/** `--format md`: Markdown tables to paste into a pull request or a wiki page. */
import { KPI_SECTIONS } from '../kpi.js';
import type { Envelope, GroupResult, Values } from '../types.js';
import { cell, changeCell, label, PLAIN, TITLES, type RenderOptions } from './format.js';

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], rightFrom = 1): string {
  const sep = headers.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [headers, sep, ...rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
}

function groupName(g: GroupResult): string {
  return g.group ?? 'all';
}

function valuesTables(env: Envelope, sections: readonly { section?: string; ids: readonly string[] }[]): string {
  const compare = Boolean(env.compare);
  const headers = ['', ...env.groups.flatMap((g) => (compare ? [g.group ?? 'value', 'previous', 'change'] : [g.group ?? 'value']))];
  return sections
    .map((sec) => {
      const rows = sec.ids.map((id) => [
        label(id),
        ...env.groups.flatMap((g) =>
          compare
            ? [cell(id, g.values[id], env.currency), cell(id, g.previous?.[id], env.currency), changeCell(id, g.change?.[id], g.previous?.[id], env.currency, PLAIN)]
            : [cell(id, g.values[id], env.currency)],
        ),
      ]);
      const h = sec.section ? `### ${sec.section.charAt(0).toUpperCase()}${sec.section.slice(1)}\n\n` : '';
      return `${h}${table(headers, rows)}`;
    })
    .join('\n\n');
}

function perGroup(env: Envelope, body: (g: GroupResult) => string): string {
  return env.groups.map((g) => (g.group === null ? body(g) : `### ${groupName(g)}\n\n${body(g)}`)).join('\n\n');
}

export function renderMarkdown(env: Envelope, o: RenderOptions): string {
  const c = env.currency;
  const title = `## ${TITLES[env.report] ?? env.report}${env.report === 'pipeline' ? '' : ` ${o.label ?? `${env.from} – ${env.to}`}`}`;
  const meta = [
    env.report === 'pipeline' ? undefined : `Period: ${env.from} – ${env.to}`,
    `as of ${env.as_of}`,
    env.compare ? `compared with ${env.compare.from} – ${env.compare.to}` : undefined,
    o.name,
  ]
    .filter(Boolean)
    .join(' · ');
  let body: string;
  switch (env.report) {
    case 'kpi':
      body = valuesTables(env, KPI_SECTIONS);
      break;
    case 'cases':
    case 'activity':
    case 'ltv':
      body = valuesTables(env, [{ ids: Object.keys(env.groups[0]?.values ?? {}) }]);
      break;
    case 'funnel':
      body = perGroup(env, (g) =>
        table(
          ['Step', 'Count', 'Step rate', 'Cumulative', 'Drop-off', 'Median days from previous'],
          ((g.values.steps ?? []) as Values[]).map((s) => [
            String(s.step),
            cell('count', s.count ?? null, c),
            cell('step_rate', s.step_rate ?? null, c),
            cell('cumulative_rate', s.cumulative_rate ?? null, c),
            cell('drop_off', s.drop_off ?? null, c),
            cell('median_days', s.median_days_from_previous ?? null, c),
          ]),
        ),
      );
      break;
    case 'retention':
      body = perGroup(env, (g) => {
        const parts = [
          table(
            ['Period', 'Customers at start', 'New', 'Lost', 'At end', 'Churn', 'Retention'],
            ((g.values.periods ?? []) as Values[]).map((p) => [
              `${String(p.from)} – ${String(p.to)}`,
              cell('customers_start', p.customers_start ?? null, c),
              cell('customers_new', p.customers_new ?? null, c),
              cell('customers_lost', p.customers_lost ?? null, c),
              cell('customers_end', p.customers_end ?? null, c),
              cell('churn_rate', p.churn_rate ?? null, c),
              cell('retention_rate', p.retention_rate ?? null, c),
            ]),
          ),
        ];
        const cohorts = g.values.cohorts as Values[] | undefined;
        if (cohorts) {
          const n = Math.max(0, ...cohorts.map((x) => (x.retention as number[]).length));
          parts.push(
            table(
              ['Cohort', 'Size', ...Array.from({ length: n }, (_, k) => `M${k}`)],
              cohorts.map((x) => [
                String(x.cohort),
                String(x.size),
                ...Array.from({ length: n }, (_, k) => {
                  const v = (x.retention as number[])[k];
                  return v === undefined ? '' : `${Math.round(v * 100)}%`;
                }),
              ]),
            ),
          );
        }
        return parts.join('\n\n');
      });
      break;
    case 'pipeline':
      body = perGroup(env, (g) => {
        const row = (name: string, v: Values) => [
          name,
          cell('count', v.count ?? null, c),
          cell('amount', v.amount ?? null, c),
          cell('weighted_amount', v.weighted_amount ?? null, c),
          cell('median_age_days', v.median_age_days ?? null, c),
        ];
        return table(
          ['Stage', 'Count', 'Amount', 'Weighted', 'Median age'],
          [...((g.values.stages ?? []) as Values[]).map((s) => row(String(s.stage), s)), row('**total**', (g.values.total ?? {}) as Values)],
        );
      });
      break;
    case 'rfm':
      body = perGroup(env, (g) =>
        table(
          ['Account', 'RFM', 'R', 'F', 'M', 'Recency', 'Frequency', 'Monetary'],
          ((g.values.accounts ?? []) as Values[]).map((a) => [
            String(a.account),
            String(a.score),
            String(a.r),
            String(a.f),
            String(a.m),
            cell('recency_days', a.recency_days ?? null, c),
            cell('frequency', a.frequency ?? null, c),
            cell('monetary', a.monetary ?? null, c),
          ]),
        ),
      );
      break;
  }
  return `${title}\n\n${meta}\n\n${body}\n`;
}
