import { describe, expect, it } from 'vitest';
import { runReport } from './index.js';
import { parsePeriod } from './period.js';
import { AS_OF, config, h, kpiRecords, rec, TZ, w47 } from './testing.js';
import { endOfDay } from './time.js';
import type { Values } from './types.js';

function kpi(options: { asOf?: number; by?: string; compare?: boolean; period?: string } = {}) {
  const period = options.period ? parsePeriod(options.period, '2026-11-20', TZ) : w47();
  return runReport('kpi', kpiRecords(), config(), {
    period,
    asOf: options.asOf ?? AS_OF,
    by: options.by,
    compare: options.compare ? 'previous' : undefined,
  });
}

function values(options: Parameters<typeof kpi>[0] = {}): Values {
  return kpi(options).envelope.groups[0]!.values;
}

describe('crm report kpi, week 47 of 2026 (16–22 November, Rome)', () => {
  const v = values();

  it('counts leads created, qualified (implied stages too, once per period) and converted', () => {
    // created in the week: ann, bob, dan, fay, hal (cat was created on Sunday 15 at 23:30 Rome,
    // gus on Monday 23 at 00:30 Rome, eve on the 10th)
    expect(v.leads_created).toBe(5);
    // ann (entered), bob (jumped new → converted: passed qualified on the 20th), cat (entered on the 16th),
    // eve (entered twice, counted once); hal jumps to converted only on the 23rd; fay was disqualified
    expect(v.leads_qualified).toBe(4);
    // ann on the 19th, bob on the 20th; hal on the 23rd is outside
    expect(v.leads_converted).toBe(2);
    // of the 5 created, ann and bob converted by the end of the week
    expect(v.lead_conversion_rate).toBe(2 / 5);
  });

  it('counts opportunities, won and lost, win rate, revenue, deal size and sales cycle', () => {
    // o-ann (19th), o-open2 (17th); the bad records are left out
    expect(v.opportunities_created).toBe(2);
    // o-ann, o-big, o-won-twice (won twice in the week: counted once); o-late-won on the 23rd is outside
    expect(v.opportunities_won).toBe(3);
    expect(v.opportunities_lost).toBe(1);
    expect(v.win_rate).toBe(3 / 4);
    expect(v.revenue_won).toBe(10000 + 50000 + 1000);
    expect(v.avg_deal_size).toBe(20333.33);
    // calendar days: o-ann 19 → 21 Nov = 2; o-big 1 Oct → 16 Nov (history date, no closed_on) = 46;
    // o-won-twice 1 Nov → closed_on 18 Nov = 17
    expect(v.sales_cycle_days_median).toBe(17);
    expect(v.sales_cycle_days_mean).toBeCloseTo(65 / 3, 10);
  });

  it('values the open pipeline at the end of the week', () => {
    // open at Sunday 22 23:59:59: o-open1 8000 (negotiation), o-open2 4000 (qualification, map money),
    // o-late-won 3000 (still prospecting then)
    expect(v.pipeline_value).toBe(15000);
    expect(v.weighted_pipeline_value).toBe(8000 * 0.75 + 4000 * 0.25 + 3000 * 0.1);
  });

  it('counts customers at start and end, new (reactivations included), lost, churn and retention', () => {
    // S: acme, beta, delta, zeta (eta became a customer at the first instant: new, not at start)
    expect(v.customers_start).toBe(4);
    // N: gamma, epsilon (reactivated), zeta (lost and won back), eta
    expect(v.customers_new).toBe(4);
    // L: beta, zeta (stopped being a customer in the week, even though it came back)
    expect(v.customers_lost).toBe(2);
    // E: acme, gamma, delta, epsilon, zeta, eta
    expect(v.customers_end).toBe(6);
    expect(v.churn_rate).toBe(2 / 4);
    expect(v.retention_rate).toBe((6 - 4) / 4);
  });

  it('measures cases: opened, resolved, response and resolution times, SLA, CSAT, backlog', () => {
    // opened: c1, c2, c4, c6 (c7 on the 23rd)
    expect(v.cases_opened).toBe(4);
    // resolved: c1, c2, c3 (closed without `resolved`: passed it when closed)
    expect(v.cases_resolved).toBe(3);
    // c1 2 h, c2 4 h (no first_response_at: its first move out of `new`), c4 0.5 h; c6 has none
    expect(v.first_response_hours_median).toBe(2);
    // c1 36 h, c2 24 h (history moment), c3 216 h (history moment of `closed`)
    expect(v.resolution_hours_median).toBe(36);
    // c1 high 36 > 24 breach, c2 normal 24 ≤ 72, c3 low 216 > 168 breach
    expect(v.sla_breach_rate).toBe(2 / 3);
    expect(v.csat_avg).toBe(3.5);
    // created by the end and neither resolved nor closed then: c4 (open), c5 (pending), c6 (new)
    expect(v.backlog).toBe(3);
  });

  it('counts interactions (tasks excluded) and overdue tasks', () => {
    // i1, i2 (Sunday 23:30 Rome); i3 and i4 fall outside by an hour or a second
    expect(v.interactions).toBe(2);
    // t1 due on the 20th, not done; t4 due on the 21st, done only on the 24th.
    // t2 done in time, t3 due on the last day (not before the end), t5 created later
    expect(v.tasks_overdue).toBe(2);
  });

  it('gives every id of REPORTS.md, in order', () => {
    expect(Object.keys(v)).toEqual([
      'leads_created', 'leads_qualified', 'leads_converted', 'lead_conversion_rate',
      'opportunities_created', 'opportunities_won', 'opportunities_lost', 'win_rate', 'revenue_won', 'avg_deal_size',
      'sales_cycle_days_median', 'sales_cycle_days_mean', 'pipeline_value', 'weighted_pipeline_value',
      'customers_start', 'customers_new', 'customers_lost', 'customers_end', 'churn_rate', 'retention_rate',
      'cases_opened', 'cases_resolved', 'first_response_hours_median', 'resolution_hours_median', 'sla_breach_rate', 'csat_avg', 'backlog',
      'interactions', 'tasks_overdue',
    ]);
  });

  it('leaves records with bad dates or amounts out, and names them', () => {
    const r = kpi();
    expect(r.skipped).toEqual([
      { record: 'opportunities/o-bad', reason: '`amount` "12k" is not an amount' },
      { record: 'opportunities/o-nodate', reason: '`created` "last tuesday" is not a timestamp' },
    ]);
  });

  it('wraps the values in the JSON envelope', () => {
    const env = kpi().envelope;
    expect(Object.keys(env)).toEqual(['report', 'from', 'to', 'as_of', 'currency', 'groups']);
    expect(env).toMatchObject({ report: 'kpi', from: '2026-11-16', to: '2026-11-22', as_of: '2026-11-30T13:00:00+01:00', currency: 'EUR' });
    expect(env.groups.map((g) => g.group)).toEqual([null]);
  });
});

describe('--as-of', () => {
  it('ignores history entries and records created after the moment', () => {
    // end of Wednesday 18 November in Rome
    const v = values({ asOf: endOfDay('2026-11-18', TZ) });
    // ann converted on the 19th and bob on the 20th: not yet. hal's later conversion is ignored too.
    expect(v.leads_converted).toBe(0);
    expect(v.lead_conversion_rate).toBe(0);
    // fay (19th) and hal (21st) do not exist yet
    expect(v.leads_created).toBe(3);
    // ann (18th), cat, eve; bob's jump on the 20th is not known yet
    expect(v.leads_qualified).toBe(3);
    // o-big (16th) and o-won-twice (won again on the 18th at 10:00 Rome); o-ann does not exist yet
    expect(v.opportunities_won).toBe(2);
    expect(v.revenue_won).toBe(51000);
    // acme, gamma, delta, eta; beta left on the 18th, epsilon and zeta come back only later
    expect(v.customers_end).toBe(4);
    expect(v.customers_lost).toBe(2);
    // c4 (20th) and c6 (21st) do not exist; c3 is still open; c1 and c2 are resolved
    expect(v.cases_opened).toBe(2);
    expect(v.backlog).toBe(2);
    // t2 was done on the 19th, which is not known as of the 18th: with t1 and t4 it is overdue
    // at the end of the week
    expect(v.tasks_overdue).toBe(3);
  });

  it('shows the as-of moment with its offset', () => {
    expect(kpi({ asOf: endOfDay('2026-11-22', TZ) }).envelope.as_of).toBe('2026-11-22T23:59:59+01:00');
  });
});

describe('empty periods', () => {
  it('give zero counts and null rates, never NaN', () => {
    const v = values({ period: '2020-W10' });
    expect(v.leads_created).toBe(0);
    expect(v.revenue_won).toBe(0);
    for (const id of ['lead_conversion_rate', 'win_rate', 'avg_deal_size', 'sales_cycle_days_median', 'sales_cycle_days_mean', 'churn_rate', 'retention_rate', 'first_response_hours_median', 'resolution_hours_median', 'sla_breach_rate', 'csat_avg']) {
      expect(v[id], id).toBeNull();
    }
    expect(JSON.stringify(v)).not.toContain('NaN');
  });
});

describe('--by', () => {
  it('splits every figure by the records own value, with (none) and (all)', () => {
    const r = kpi({ by: 'owner' });
    expect(r.envelope.groups.map((g) => g.group)).toEqual(['giulia', 'marco', '(none)', '(all)']);
    const g = Object.fromEntries(r.envelope.groups.map((x) => [x.group, x.values]));
    // leads created: giulia ann, fay; marco bob, hal; (none) dan
    expect([g.giulia!.leads_created, g.marco!.leads_created, g['(none)']!.leads_created, g['(all)']!.leads_created]).toEqual([2, 2, 1, 5]);
    // won: giulia o-ann 10000; marco o-big 50000; (none) o-won-twice 1000
    expect([g.giulia!.revenue_won, g.marco!.revenue_won, g['(none)']!.revenue_won]).toEqual([10000, 50000, 1000]);
    // interactions: giulia i1, marco i2
    expect([g.giulia!.interactions, g.marco!.interactions, g['(none)']!.interactions]).toEqual([1, 1, 0]);
    // (all) equals the report without --by
    expect(g['(all)']).toEqual(values());
    expect(r.warnings).toEqual([]);
  });

  it('groups by custom fields and puts records without a value in (none)', () => {
    const records = [
      rec('lead', 'a', { name: 'a', status: 'new', created: '2026-11-17T09:00:00Z', region: 'north' }),
      rec('lead', 'b', { name: 'b', status: 'new', created: '2026-11-17T09:00:00Z', region: 'South' }),
      rec('lead', 'c', { name: 'c', status: 'new', created: '2026-11-17T09:00:00Z', region: 'north' }),
      rec('lead', 'd', { name: 'd', status: 'new', created: '2026-11-17T09:00:00Z', region: '' }),
      rec('lead', 'e', { name: 'e', status: 'new', created: '2026-11-17T09:00:00Z', tags: ['eu', 'vip'] }),
    ];
    const r = runReport('kpi', records, config(), { period: w47(), asOf: AS_OF, by: 'region' });
    expect(r.envelope.groups.map((g) => [g.group, g.values.leads_created])).toEqual([
      ['north', 2],
      ['South', 1],
      ['(none)', 2],
      ['(all)', 5],
    ]);
    // a list puts a record in each of its groups
    const t = runReport('kpi', records, config(), { period: w47(), asOf: AS_OF, by: 'tags' });
    expect(t.envelope.groups.map((g) => [g.group, g.values.leads_created])).toEqual([
      ['eu', 1],
      ['vip', 1],
      ['(none)', 4],
      ['(all)', 5],
    ]);
  });

  it('warns when no record has the field, and gives one (none) group', () => {
    const r = kpi({ by: 'favourite_colour' });
    expect(r.envelope.groups.map((g) => g.group)).toEqual(['(none)', '(all)']);
    expect(r.envelope.groups[0]!.values).toEqual(r.envelope.groups[1]!.values);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('"favourite_colour"');
    expect(r.warnings[0]).toContain('(none)');
  });
});

describe('--compare previous', () => {
  it('adds the previous week and the change for each id', () => {
    const r = kpi({ compare: true });
    expect(r.envelope.compare).toEqual({ from: '2026-11-09', to: '2026-11-15' });
    const g = r.envelope.groups[0]!;
    // week 46 (9–15 Nov): eve (10th) and cat (Sunday 15 at 23:30 Rome)
    expect(g.previous!.leads_created).toBe(2);
    expect(g.change!.leads_created).toBe(3);
    // nothing won in week 46: win rate undefined, so no change
    expect(g.previous!.win_rate).toBeNull();
    expect(g.change!.win_rate).toBeNull();
    expect(Object.keys(g.change!)).toEqual(Object.keys(g.values));
  });
});

describe('implied stages', () => {
  it('count a jump as passing the stages between, at the moment of the jump, but never disqualified', () => {
    const records = [
      // straight to qualified on creation: passed new and contacted then
      rec('lead', 'q', { name: 'q', status: 'qualified', created: '2026-11-17T09:00:00Z' }),
      // disqualified, later re-opened straight to converted: passes qualified at the conversion
      rec('lead', 'r', {
        name: 'r',
        status: 'converted',
        created: '2026-11-01T09:00:00Z',
        history: h(['2026-11-01T09:00:00Z', 'new'], ['2026-11-02T09:00:00Z', 'contacted'], ['2026-11-03T09:00:00Z', 'disqualified'], ['2026-11-18T09:00:00Z', 'converted']),
      }),
      // qualified before the week, converted in it: qualified is not counted again
      rec('lead', 's', {
        name: 's',
        status: 'converted',
        created: '2026-11-01T09:00:00Z',
        history: h(['2026-11-01T09:00:00Z', 'new'], ['2026-11-05T09:00:00Z', 'qualified'], ['2026-11-18T09:00:00Z', 'converted']),
      }),
    ];
    const v = runReport('kpi', records, config(), { period: w47(), asOf: AS_OF }).envelope.groups[0]!.values;
    expect(v.leads_qualified).toBe(2); // q and r
    expect(v.leads_converted).toBe(2); // r and s
  });
});
