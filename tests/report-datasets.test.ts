/**
 * The reports on real data nobody here wrote: the Maven B2B pipeline and the
 * Olist marketing funnel, converted into CRM repositories on disk, read back
 * like any repository, and checked against figures computed here straight
 * from the CSV files (with their own minimal parsing, not the converter's).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../src/import/datasets/index.js';
import { loadConfig, loadRecords } from '../src/model/repo.js';
import type { Config } from '../src/model/config.js';
import type { CrmRecord } from '../src/model/record.js';
import { runReport } from '../src/reports/index.js';
import { parsePeriod, resolvePeriod } from '../src/reports/period.js';
import { endOfDay } from '../src/reports/time.js';
import type { Values } from '../src/reports/types.js';
import { cleanup, crm, tempDir } from './helpers.js';

const DATASETS = join(import.meta.dirname, '..', '..', 'shared', 'datasets');
const MAVEN = join(DATASETS, 'maven_crm_sales');
const OLIST = join(DATASETS, 'olist_marketing_funnel');

function lines(file: string): string[][] {
  return readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
}

function days(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

afterAll(cleanup);

describe('Maven B2B sales pipeline', () => {
  let dir: string;
  let records: CrmRecord[];
  let config: Config;
  // opportunity_id, sales_agent, product, account, deal_stage, engage_date, close_date, close_value
  const deals = lines(join(MAVEN, 'sales_pipeline.csv'));
  const office = new Map(lines(join(MAVEN, 'sales_teams.csv')).map(([agent, , region]) => [agent!, region!]));

  beforeAll(() => {
    dir = tempDir('crm-maven-');
    importDataset('maven', MAVEN, dir);
    const loaded = loadRecords(dir);
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    records = loaded.records;
    config = loadConfig(dir);
  }, 180_000);

  /** Figures straight from the CSV for deals closed between two dates (inclusive). */
  function expected(from: string, to: string, keep: (d: string[]) => boolean = () => true) {
    const closed = deals.filter((d) => d[6] && d[6] >= from && d[6] <= to && keep(d));
    const won = closed.filter((d) => d[4] === 'Won');
    const lost = closed.filter((d) => d[4] === 'Lost');
    const cycles = won.map((d) => days(d[5]!, d[6]!));
    return {
      won: won.length,
      lost: lost.length,
      winRate: won.length / (won.length + lost.length),
      revenue: won.reduce((a, d) => a + Number(d[7]), 0),
      cycleMedian: median(cycles),
      cycleMean: cycles.reduce((a, b) => a + b, 0) / cycles.length,
    };
  }

  const kpi = (period: string, by?: string) =>
    runReport('kpi', records, config, { period: parsePeriod(period, '2018-01-15', 'UTC'), asOf: endOfDay('2018-01-15', 'UTC'), by });

  it('agrees on win rate, won revenue and sales cycle, quarter by quarter', () => {
    for (const [period, from, to] of [
      ['2017-Q1', '2017-01-01', '2017-03-31'],
      ['2017-Q2', '2017-04-01', '2017-06-30'],
      ['2017-Q3', '2017-07-01', '2017-09-30'],
      ['2017-Q4', '2017-10-01', '2017-12-31'],
      ['2017', '2017-01-01', '2017-12-31'],
    ] as const) {
      const e = expected(from, to);
      const v = kpi(period).envelope.groups[0]!.values;
      expect(v.opportunities_won, period).toBe(e.won);
      expect(v.opportunities_lost, period).toBe(e.lost);
      expect(v.win_rate as number, period).toBeCloseTo(e.winRate, 12);
      expect(v.revenue_won, period).toBe(e.revenue);
      expect(v.sales_cycle_days_median, period).toBe(e.cycleMedian);
      expect(v.sales_cycle_days_mean as number, period).toBeCloseTo(e.cycleMean, 9);
    }
  });

  it('agrees per regional office (a custom field of each deal)', () => {
    const r = kpi('2017-Q3', 'regional_office');
    const groups = r.envelope.groups.map((g) => g.group);
    // accounts have no regional office: their customer figures are in (none), with no deals
    expect(groups).toEqual(['Central', 'East', 'West', '(none)', '(all)']);
    expect(r.envelope.groups[3]!.values).toMatchObject({ opportunities_won: 0, customers_end: 85 });
    for (const g of r.envelope.groups.slice(0, 3)) {
      const e = expected('2017-07-01', '2017-09-30', (d) => office.get(d[1]!) === g.group);
      expect(g.values.win_rate as number, g.group!).toBeCloseTo(e.winRate, 12);
      expect(g.values.revenue_won, g.group!).toBe(e.revenue);
    }
  });

  it('counts the open pipeline at the end of the data', () => {
    const v = runReport('pipeline', records, config, { period: parsePeriod('2017', '2018-01-15', 'UTC'), asOf: endOfDay('2017-12-31', 'UTC') }).envelope.groups[0]!.values;
    const stages = v.stages as Values[];
    expect(stages.map((s) => [s.stage, s.count])).toEqual([
      ['prospecting', deals.filter((d) => d[4] === 'Prospecting').length],
      ['engaging', deals.filter((d) => d[4] === 'Engaging').length],
    ]);
    expect((v.total as Values).count).toBe(2089);
  });

  it('gives the same figures through the built binary', () => {
    const r = crm(dir, ['report', 'kpi', '--period', '2017-Q3', '--as-of', '2018-01-15', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    const e = expected('2017-07-01', '2017-09-30');
    expect(json).toMatchObject({ report: 'kpi', from: '2017-07-01', to: '2017-09-30', as_of: '2018-01-15T23:59:59+00:00', currency: 'USD' });
    expect(json.groups[0].values.revenue_won).toBe(e.revenue);
    expect(json.groups[0].values.win_rate).toBeCloseTo(e.winRate, 12);
  });
});

describe('Olist marketing funnel', () => {
  let dir: string;
  let records: CrmRecord[];
  let config: Config;
  // mql_id, first_contact_date, landing_page_id, origin
  const leads = lines(join(OLIST, 'olist_marketing_qualified_leads_dataset.csv'));
  const firstContact = new Map(leads.map((l) => [l[0]!, l[1]!]));
  // mql_id and the local date of won_date (the first columns, before any quoted field)
  const wonDate = new Map(
    readFileSync(join(OLIST, 'olist_closed_deals_dataset.csv'), 'utf8')
      .split(/\r?\n/)
      .map((l) => /^([0-9a-f]{32}),[0-9a-f]{32},[0-9a-f]{32},[0-9a-f]{32},(\d{4}-\d\d-\d\d) \d\d:\d\d:\d\d,/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
  /** The date a lead converted (a deal won before the first contact counts at the first contact). */
  const convertedOn = (id: string) => {
    const w = wonDate.get(id);
    if (!w) return undefined;
    const c = firstContact.get(id)!;
    return w < c ? c : w;
  };

  beforeAll(() => {
    expect(wonDate.size).toBe(842);
    dir = tempDir('crm-olist-');
    importDataset('olist', OLIST, dir);
    const loaded = loadRecords(dir);
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    records = loaded.records;
    config = loadConfig(dir);
  }, 180_000);

  it('agrees on funnel conversion by source over the whole data', () => {
    const period = resolvePeriod({ from: '2017-06-01', to: '2018-05-31' }, '2019-01-01', config.timezone);
    const r = runReport('funnel', records, config, { period, asOf: endOfDay('2019-01-01', config.timezone), by: 'source' });
    const origins = [...new Set(leads.map((l) => l[3] || '(none)'))];
    expect(r.envelope.groups).toHaveLength(origins.length + 1);
    for (const g of r.envelope.groups) {
      const cohort = leads.filter((l) => g.group === '(all)' || (l[3] || '(none)') === g.group);
      const converted = cohort.filter((l) => wonDate.has(l[0]!)).length;
      const steps = g.values.steps as Values[];
      expect(steps.map((s) => s.count), g.group!).toEqual([cohort.length, converted, converted, converted, converted]);
      expect(steps[3]!.cumulative_rate as number, g.group!).toBeCloseTo(converted / cohort.length, 12);
    }
  });

  it('agrees on leads created, converted and the conversion rate, month by month (São Paulo time)', () => {
    for (const month of ['2017-12', '2018-01', '2018-02', '2018-03', '2018-04', '2018-05']) {
      const last = endOfMonth(month);
      const created = leads.filter((l) => l[1]!.startsWith(month));
      const convertedIn = leads.filter((l) => convertedOn(l[0]!)?.startsWith(month)).length;
      const convertedByEnd = created.filter((l) => (convertedOn(l[0]!) ?? '9999') <= last).length;
      const v = runReport('kpi', records, config, { period: parsePeriod(month, '2019-01-01', config.timezone), asOf: endOfDay('2019-01-01', config.timezone) }).envelope.groups[0]!.values;
      expect(v.leads_created, month).toBe(created.length);
      expect(v.leads_converted, month).toBe(convertedIn);
      expect(v.opportunities_won, month).toBe(convertedIn);
      expect(v.lead_conversion_rate as number, month).toBeCloseTo(convertedByEnd / created.length, 12);
    }
  });

  it('gives the same funnel through the built binary', () => {
    const r = crm(dir, ['report', 'funnel', '--from', '2017-06-01', '--to', '2018-05-31', '--by', 'source', '--format', 'csv']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\r\n').map((l) => l.split(','));
    const paid = rows.find((x) => x[0] === 'paid_search' && x[1] === 'converted')!;
    const cohort = leads.filter((l) => l[3] === 'paid_search');
    const converted = cohort.filter((l) => wonDate.has(l[0]!)).length;
    expect(Number(paid[2])).toBe(converted);
    expect(Number(paid[4])).toBeCloseTo(converted / cohort.length, 12);
  });
});

function endOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
