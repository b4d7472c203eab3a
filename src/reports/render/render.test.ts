import { describe, expect, it } from 'vitest';
import { runReport } from '../index.js';
import { AS_OF, config, kpiRecords, w47 } from '../testing.js';
import type { Envelope } from '../types.js';
import { bar } from './table.js';
import { PLAIN, render, type RenderOptions, type Styles } from './index.js';
import { visibleWidth } from './format.js';

const opts: RenderOptions = { styles: PLAIN, columns: 80, name: 'Test Srl', label: '2026-W47', asOfText: '2026-11-30 13:00' };

function env(name: Parameters<typeof runReport>[0], extra: Partial<Parameters<typeof runReport>[3]> = {}): Envelope {
  return runReport(name, kpiRecords(), config(), { period: w47(), asOf: AS_OF, ...extra }).envelope;
}

describe('table', () => {
  it('groups the KPI table into sections with units, and fits 80 columns', () => {
    const out = render(env('kpi'), 'table', opts);
    for (const s of ['SALES', 'CUSTOMERS', 'SERVICE', 'ACTIVITY']) expect(out).toMatch(new RegExp(`^${s}$`, 'm'));
    expect(out).toMatch(/Win rate +75\.0%$/m);
    expect(out).toMatch(/Revenue won +61,000 EUR$/m);
    expect(out).toMatch(/Sales cycle, median +17\.0 d$/m);
    expect(out).toMatch(/Resolution time, median +36\.0 h$/m);
    expect(out).toMatch(/Lead conversion rate +40\.0%$/m);
    for (const line of out.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(80);
    // --compare: previous value and change, still within 80 columns
    const cmp = render(env('kpi', { compare: 'previous' }), 'table', opts);
    expect(cmp).toMatch(/Leads created +5 +2 +▲ 3 \(\+150%\)$/m);
    for (const line of cmp.split('\n')) expect(visibleWidth(line), line).toBeLessThanOrEqual(80);
  });

  it('shows undefined rates as –, never NaN or 0', () => {
    const out = render(runReport('kpi', [], config(), { period: w47(), asOf: AS_OF }).envelope, 'table', opts);
    expect(out).toMatch(/Win rate +–$/m);
    expect(out).not.toContain('NaN');
  });

  it('colours changes by whether they are good news', () => {
    const marks: Styles = { ...PLAIN, good: (s) => `<good>${s}`, bad: (s) => `<bad>${s}` };
    const out = render(env('kpi', { compare: 'previous' }), 'table', { ...opts, styles: marks });
    expect(out).toMatch(/Leads created .*<good>▲ 3/);
    // more customers lost and a higher churn rate are bad news
    expect(out).toMatch(/Customers lost .*<bad>▲ 2/);
    expect(out).toMatch(/Churn rate .*<bad>▲ 50\.0 pp/);
    expect(out).toMatch(/Retention rate .*<bad>▼ 50\.0 pp/);
  });

  it('draws the funnel as bars proportional to the cumulative rate', () => {
    const out = render(env('funnel'), 'table', opts);
    const line = (step: string) => out.split('\n').find((l) => l.startsWith(`${step} `))!;
    const blocks = (l: string) => [...l].filter((c) => '█▉▊▋▌▍▎▏'.includes(c)).length;
    expect(blocks(line('new'))).toBeGreaterThan(blocks(line('won')));
    expect(line('won')).toMatch(/33\.3% +20\.0%/);
    expect(bar(0.5, 10)).toBe('█████');
    expect(bar(0.05, 10)).toBe('▌');
    expect(bar(0.0625, 10)).toBe('▋');
    expect(bar(1, 4)).toBe('████');
    for (const l of out.split('\n')) expect(visibleWidth(l), l).toBeLessThanOrEqual(80);
  });

  it('draws cohorts as a heat-map with blank cells for months not over', () => {
    const marks: Styles = { ...PLAIN, heat: (level, s) => `[${level}${s}]` };
    const e: Envelope = {
      report: 'retention',
      from: '2026-09-01',
      to: '2026-11-30',
      as_of: '2026-11-20T11:00:00+01:00',
      currency: 'EUR',
      groups: [{ group: null, values: { periods: [], cohorts: [{ cohort: '2026-09', size: 4, retention: [1, 0.5] }, { cohort: '2026-10', size: 2, retention: [1] }] } }],
    };
    const out = render(e, 'table', { ...opts, styles: marks });
    expect(out).toContain('2026-09    4 [4█ 100%] [2▒  50%]');
    expect(out).toMatch(/^2026-10 +2 \[4█ 100%\]$/m);
  });

  it('splits the KPI table into blocks when the groups do not fit', () => {
    const out = render(env('kpi', { by: 'owner', compare: 'previous' }), 'table', opts);
    expect(out).toContain('▸ giulia');
    expect(out).toContain('▸ (all)');
    for (const l of out.split('\n')) expect(visibleWidth(l), l).toBeLessThanOrEqual(80);
  });
});

describe('csv and json', () => {
  it('write rates as fractions and undefined values as empty cells / null', () => {
    const csv = render(env('kpi'), 'csv', opts).split('\r\n');
    const header = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    const at = (id: string) => row[header.indexOf(id)];
    expect(header[0]).toBe('group');
    expect(at('win_rate')).toBe('0.75');
    expect(at('revenue_won')).toBe('61000');
    const empty = render(runReport('kpi', [], config(), { period: w47(), asOf: AS_OF }).envelope, 'csv', opts).split('\r\n');
    expect(empty[1]!.split(',')[empty[0]!.split(',').indexOf('win_rate')]).toBe('');
    const json = JSON.parse(render(runReport('kpi', [], config(), { period: w47(), asOf: AS_OF }).envelope, 'json', opts));
    expect(json.groups[0].values.win_rate).toBeNull();
  });

  it('give funnel steps and pipeline stages one row each', () => {
    const f = render(env('funnel'), 'csv', opts).split('\r\n');
    expect(f[0]).toBe('group,step,count,step_rate,cumulative_rate,drop_off,median_days_from_previous');
    expect(f[1]).toBe(',new,5,,1,,');
    expect(f).toHaveLength(6);
    const p = render(env('pipeline'), 'csv', opts).split('\r\n');
    expect(p[p.length - 1]).toMatch(/^,\(total\),2,12000,7000,/);
  });

  it('add _previous and _change columns with --compare', () => {
    const csv = render(env('kpi', { compare: 'previous' }), 'csv', opts).split('\r\n');
    expect(csv[0]!.startsWith('group,leads_created,leads_created_previous,leads_created_change,')).toBe(true);
    expect(csv[1]!.startsWith(',5,2,3,')).toBe(true);
  });
});

describe('markdown', () => {
  it('gives a heading, the period and one table per section', () => {
    const md = render(env('kpi'), 'md', opts);
    expect(md.startsWith('## KPI 2026-W47\n')).toBe(true);
    expect(md).toContain('### Sales');
    expect(md).toContain('| Win rate | 75.0% |');
    expect(md).toContain('| --- | ---: |');
  });
});
