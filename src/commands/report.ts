/**
 * `crm report kpi|funnel|retention|pipeline|cases|activity|ltv|rfm`: the
 * analytic reports of REPORTS.md. Options become a ReportSpec; the figures
 * come from src/reports (pure), the output from src/reports/render.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CrmError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { Config } from '../model/config.js';
import type { CrmRecord } from '../model/record.js';
import type { Issue } from '../model/issues.js';
import type { RecordType } from '../model/schema.js';
import type { Skipped } from '../reports/facts.js';
import type { ReportName, ReportSpec } from '../reports/types.js';
import { examples, openRepository, warnSkipped } from './shared.js';

export interface ReportOptions {
  period?: string;
  from?: string;
  to?: string;
  asOf?: string;
  asOfCommit?: string;
  by?: string;
  compare?: string;
  format: 'table' | 'md' | 'csv' | 'json';
  basis?: 'status' | 'purchases';
  every?: 'month' | 'quarter' | 'year';
  cohorts?: boolean;
  margin?: number;
}

/** The warning for records left out of the figures: how many, and which (never silently). */
export function skippedMessage(skipped: readonly Skipped[]): string | undefined {
  if (skipped.length === 0) return undefined;
  const shown = skipped.slice(0, 10).map((s) => `  ${s.record}: ${s.reason}`);
  const more = skipped.length > 10 ? [`  … and ${skipped.length - 10} more`] : [];
  return [
    `warning: left ${skipped.length} record${skipped.length === 1 ? '' : 's'} out of the figures (unreadable dates or amounts):`,
    ...shown,
    ...more,
    '  (fix them, then `crm validate` should report nothing)',
  ].join('\n');
}

/** Records and crm.yaml as they were in a git commit (--as-of-commit REV), read from git objects. */
async function recordsAtCommit(root: string, rev: string, types: readonly RecordType[]): Promise<{ records: CrmRecord[]; config: Config; issues: Issue[] }> {
  const { loadRecordsAt, loadConfigAt } = await import('../model/snapshot.js');
  const config = await loadConfigAt(root, rev);
  const { records, issues } = await loadRecordsAt(root, rev, types);
  return { records, config, issues };
}

export async function runReport(io: Io, cmd: Command, name: ReportName, o: ReportOptions): Promise<void> {
  const { isTimeZone, localDate, endOfDay, formatMoment } = await import('../reports/time.js');
  const { resolvePeriod, parseDateOption, PeriodError, periodLabel, previousPeriod } = await import('../reports/period.js');
  const { REPORTS, runReport: compute } = await import('../reports/index.js');

  if (o.compare !== undefined && o.compare !== 'previous') {
    throw new UsageError(`--compare "${o.compare}" is not supported`, { hint: 'Use --compare previous (the period of the same length just before).' });
  }
  if (o.compare && !REPORTS[name].comparable) {
    throw new UsageError(`--compare works with the kpi, cases, activity and ltv reports, not ${name}`, { hint: `Run \`crm report ${name}\` for two periods instead.` });
  }
  if (o.asOf !== undefined && o.asOfCommit !== undefined) {
    throw new UsageError('--as-of and --as-of-commit cannot be combined', { hint: 'Use --as-of DATE, or --as-of-commit REV to read the records from a commit.' });
  }

  const repo = await openRepository(io, cmd);
  let config = repo.config;
  let records: readonly CrmRecord[];
  if (o.asOfCommit !== undefined) {
    const at = await recordsAtCommit(repo.root, o.asOfCommit, REPORTS[name].types);
    config = at.config;
    records = at.records;
    warnSkipped(io, at.issues);
  } else {
    const { FACT_FIELDS } = await import('../reports/facts.js');
    const loaded = repo.load(REPORTS[name].types, { columns: FACT_FIELDS });
    warnSkipped(io, loaded.issues);
    records = loaded.records;
  }
  const tz = config.timezone;
  if (!isTimeZone(tz)) {
    throw new CrmError(`crm.yaml: timezone "${tz}" is not a time zone this system knows`, { hint: 'Use an IANA name such as Europe/Rome, America/New_York or UTC.', exitCode: 2 });
  }

  const now = io.now().getTime();
  let asOf = now;
  let today = localDate(now, tz);
  try {
    if (o.asOf !== undefined) {
      const date = parseDateOption(o.asOf, today, '--as-of');
      asOf = endOfDay(date, tz);
      today = date;
    }
    const period = resolvePeriod({ period: o.period, from: o.from, to: o.to }, today, tz);
    const spec: ReportSpec = {
      period,
      asOf,
      by: o.by,
      compare: o.compare ? 'previous' : undefined,
      basis: o.basis,
      every: o.every,
      cohorts: o.cohorts,
      margin: o.margin,
    };
    const result = compute(name, records, config, spec);
    for (const w of result.warnings) io.err(`warning: ${w}`);
    const skipped = skippedMessage(result.skipped);
    if (skipped) io.err(skipped);

    const { render } = await import('../reports/render/index.js');
    const { palette } = await import('../format/color.js');
    const c = palette(io.color);
    const heat = [c.dim, c.red, c.yellow, c.green, c.greenBright.bold];
    const styles = {
      bold: (s: string) => c.bold(s),
      dim: (s: string) => c.dim(s),
      good: (s: string) => c.green(s),
      bad: (s: string) => c.red(s),
      heat: (level: number, s: string) => (heat[level] ?? c.reset)(s),
    };
    const asOfText = formatMoment(asOf, tz).slice(0, 16).replace('T', ' ');
    io.out(
      render(result.envelope, o.format, {
        styles,
        columns: io.isTTY ? io.columns : 80,
        name: config.name,
        label: periodLabel(period),
        asOfText,
        ...(spec.compare ? { compareLabel: periodLabel(previousPeriod(period, tz)) } : {}),
      }),
    );
  } catch (e) {
    if (e instanceof PeriodError) throw new UsageError(e.message, { hint: e.hint });
    throw e;
  }
}

function margin(v: string): number {
  const n = Number(v.trim().replace(/%$/, ''));
  const f = v.trim().endsWith('%') ? n / 100 : n;
  if (!Number.isFinite(f) || f < 0 || f > 1) throw new InvalidArgumentError('expected a fraction from 0 to 1 (0.3) or a percentage (30%).');
  return f;
}

const PERIOD_HELP = `
Periods (in crm.yaml's time zone):
  --period 2026 | 2026-Q4 | 2026-11 | 2026-W47 (ISO week) | 2026-11-20
  --period today | yesterday | this-week | last-week | this-month | last-month
           this-quarter | last-quarter | this-year | last-year
  --from 2026-11-01 --to 2026-11-30     both days included (--to defaults to today)
  default: the last full ISO week (Monday to Sunday) before today
  --as-of 2026-11-15    the records as they stood at the end of that day
                        (relative periods then count from that day)
Formats: table (people), md (pull requests, wikis), csv and json (scripts:
rates as fractions, null where a denominator is 0). See docs/reports.md.`;

interface Sub {
  name: ReportName;
  summary: string;
  examples: string[];
  extra?: (c: Command) => Command;
  byHelp?: string;
}

const SUBS: Sub[] = [
  {
    name: 'kpi',
    summary: 'the weekly KPI table: sales, customers, service, activity',
    examples: [
      '$ crm report kpi',
      '$ crm report kpi --period 2026-Q3 --compare previous',
      '$ crm report kpi --period last-month --by owner',
      '$ crm report kpi --period 2026-W47 --format md > reports/2026-W47.md',
      '$ crm report kpi --from 2026-01-01 --to 2026-06-30 --format json | jq .groups[0].values.win_rate',
    ],
  },
  {
    name: 'funnel',
    summary: 'conversion funnel of the leads created in the period: new → contacted → qualified → converted → won',
    examples: ['$ crm report funnel --period this-quarter', '$ crm report funnel --period 2026 --by source', '$ crm report funnel --period 2026-11 --format csv'],
  },
  {
    name: 'retention',
    summary: 'customers at start and end, new, lost, churn and retention per month (or quarter, year), and cohorts',
    examples: [
      '$ crm report retention --period 2026',
      '$ crm report retention --period 2026 --every quarter --by industry',
      '$ crm report retention --period 2026 --cohorts',
      '$ crm report retention --period 2026 --basis purchases --cohorts --format csv',
    ],
    extra: (c) =>
      c
        .addOption(new Option('--basis <basis>', 'status: customer intervals of accounts; purchases: months with a won deal').choices(['status', 'purchases']).default('status'))
        .addOption(new Option('--every <unit>', 'split the period into').choices(['month', 'quarter', 'year']).default('month'))
        .option('--cohorts', 'add the cohort matrix (one row per acquisition month)'),
  },
  {
    name: 'pipeline',
    summary: 'open opportunities at --as-of (default now) per stage: count, amount, weighted amount, age',
    examples: ['$ crm report pipeline', '$ crm report pipeline --by owner', '$ crm report pipeline --as-of 2026-09-30 --format json'],
  },
  {
    name: 'cases',
    summary: 'service figures per priority (or --by FIELD): opened, resolved, backlog, response and resolution times, SLA, CSAT',
    examples: ['$ crm report cases --period last-month', '$ crm report cases --period 2026-Q4 --by owner', '$ crm report cases --by channel --compare previous'],
    byHelp: 'split by a front-matter key (default: priority)',
  },
  {
    name: 'activity',
    summary: 'interactions per owner (or --by FIELD) and kind, tasks created, done and overdue',
    examples: ['$ crm report activity', '$ crm report activity --period this-month --by kind', '$ crm report activity --period 2026-11 --format csv'],
    byHelp: 'split by a front-matter key (default: owner)',
  },
  {
    name: 'ltv',
    summary: 'customer lifetime value: historical revenue per customer and predicted CLV',
    examples: ['$ crm report ltv --period last-year', '$ crm report ltv --period 2026 --margin 30% --by industry'],
    extra: (c) => c.option('--margin <fraction>', 'gross margin for the predicted CLV, 0.3 or 30% (default: 1)', margin),
  },
  {
    name: 'rfm',
    summary: 'recency, frequency and monetary scores (1–5 by quintile) per account, over deals won in the period',
    examples: ['$ crm report rfm --period last-year', '$ crm report rfm --period 2026 --format csv'],
  },
];

export function register(program: Command, io: Io): void {
  const report = program
    .command('report')
    .description('reports: kpi, funnel, retention, pipeline, cases, activity, ltv, rfm')
    .addHelpText(
      'after',
      `${PERIOD_HELP}
${examples([
  '$ crm report kpi --period last-week',
  '$ crm report funnel --period 2026-Q3 --by source',
  '$ crm report retention --period 2026 --cohorts',
  '$ crm report pipeline --by owner',
])}`,
    );
  for (const sub of SUBS) {
    let c = report
      .command(sub.name)
      .description(sub.summary)
      .option('-p, --period <period>', 'the period: 2026, 2026-Q4, 2026-11, 2026-W47, last-week, this-month, … (default: last week)')
      .option('--from <date>', 'first day of the period (YYYY-MM-DD)')
      .option('--to <date>', 'last day of the period, included (default: today)')
      .option('--as-of <date>', 'read the records as they stood at the end of that day')
      .option('--as-of-commit <rev>', 'read the records (and crm.yaml) from a git commit, branch or tag')
      .option('-b, --by <field>', sub.byHelp ?? 'split into groups by any front-matter key (owner, source, industry, a custom field, …)')
      .option('--compare [what]', 'add the previous period and the change (previous, the default)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'md', 'csv', 'json']).default('table'))
      .option('--json', 'same as --format json');
    if (sub.extra) c = sub.extra(c);
    c.addHelpText('after', `${PERIOD_HELP}\n${examples(sub.examples)}`).action(async (opts: ReportOptions & { json?: boolean }, command: Command) => {
      const compare = (opts.compare as string | boolean | undefined) === true ? 'previous' : opts.compare;
      await runReport(io, command, sub.name, { ...opts, ...(compare !== undefined ? { compare } : {}), format: opts.json ? 'json' : opts.format });
    });
  }
}
