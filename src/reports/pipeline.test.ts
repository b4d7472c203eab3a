import { describe, expect, it } from 'vitest';
import { runReport } from './index.js';
import { median, percentile } from './stats.js';
import { AS_OF, config, h, kpiRecords, rec, w47 } from './testing.js';
import type { Values } from './types.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ago = (days: number) => new Date(NOW - days * 86_400_000).toISOString().replace('.000', '');

function opps() {
  const o = (id: string, amount: unknown, history: [string, string][], extra = {}) =>
    rec('opportunity', id, { name: id, amount, stage: history[history.length - 1]![1], created: history[0]![0], history: h(...history), ...extra });
  return [
    o('pa', 1000, [[ago(10), 'prospecting']], { owner: 'giulia' }),
    o('pb', 2000, [[ago(20), 'prospecting'], [ago(4), 'proposal']], { owner: 'marco' }),
    o('pc', 3000, [[ago(6), 'proposal']], { owner: 'giulia' }),
    o('pd', 9000, [[ago(30), 'proposal'], [ago(3), 'won']], { owner: 'giulia' }),
    o('pe', undefined, [[ago(1), 'negotiation']], { owner: 'marco' }),
    o('pf', 7000, [[ago(-1), 'prospecting']]), // created tomorrow: not there yet
    o('pg', 500, [[ago(9), 'prospecting'], [ago(2), 'proposal'], [ago(-2), 'negotiation']]), // moves later
  ];
}

describe('crm report pipeline', () => {
  it('lists open opportunities at --as-of per stage in pipeline order, with a total', () => {
    const v = runReport('pipeline', opps(), config(), { period: w47(), asOf: NOW }).envelope.groups[0]!.values;
    expect(v.stages).toEqual([
      { stage: 'prospecting', count: 1, amount: 1000, weighted_amount: 100, median_age_days: 10 },
      { stage: 'qualification', count: 0, amount: 0, weighted_amount: 0, median_age_days: null },
      // pb (4 days in proposal), pc (6), pg (2: its later move is ignored)
      { stage: 'proposal', count: 3, amount: 5500, weighted_amount: 2750, median_age_days: 4 },
      // pe has no amount: counted, adds nothing
      { stage: 'negotiation', count: 1, amount: 0, weighted_amount: 0, median_age_days: 1 },
    ]);
    expect(v.total).toEqual({ count: 5, amount: 6500, weighted_amount: 2850, median_age_days: 4 });
  });

  it('splits by owner', () => {
    const r = runReport('pipeline', opps(), config(), { period: w47(), asOf: NOW, by: 'owner' });
    expect(r.envelope.groups.map((g) => [g.group, (g.values.total as Values).count])).toEqual([
      ['giulia', 2],
      ['marco', 2],
      ['(none)', 1],
      ['(all)', 5],
    ]);
  });

  it('follows the stages of crm.yaml', () => {
    const cfg = config({ pipeline: { stages: [{ id: 'lead', probability: 0.2 }, { id: 'deal', probability: 0.6 }, { id: 'signed', closed: 'won' }, { id: 'gone', closed: 'lost' }] } });
    const records = [
      rec('opportunity', 'x', { name: 'x', amount: 100, stage: 'deal', created: ago(3) }),
      rec('opportunity', 'y', { name: 'y', amount: 100, stage: 'signed', created: ago(3) }),
    ];
    const v = runReport('pipeline', records, cfg, { period: w47(), asOf: NOW }).envelope.groups[0]!.values;
    expect((v.stages as Values[]).map((s) => [s.stage, s.count, s.weighted_amount])).toEqual([
      ['lead', 0, 0],
      ['deal', 1, 60],
    ]);
  });
});

describe('crm report cases', () => {
  const r = runReport('cases', kpiRecords(), config(), { period: w47(), asOf: AS_OF });
  const g = Object.fromEntries(r.envelope.groups.map((x) => [x.group, x.values]));

  it('groups by priority by default (no priority means normal)', () => {
    expect(r.envelope.groups.map((x) => x.group)).toEqual(['high', 'low', 'normal', 'urgent', '(all)']);
  });

  it('gives the service figures per group', () => {
    // high: c1 (resolved in 36 h, first response 2 h, CSAT 2) and c6 (new, in the backlog)
    expect(g.high).toEqual({
      opened: 2,
      resolved: 1,
      backlog: 1,
      first_response_hours_median: 2,
      resolution_hours_median: 36,
      resolution_hours_p90: 36,
      sla_breach_rate: 1,
      csat_avg: 2,
    });
    // normal: c2 (no priority; resolved in 24 h), c5 (pending), c7 (later), c8 (before)
    expect(g.normal).toMatchObject({ opened: 1, resolved: 1, backlog: 1, first_response_hours_median: 4, sla_breach_rate: 0, csat_avg: 5 });
    // all: resolution times 24, 36, 216 h → p90 is the 3rd smallest (⌈2.7⌉)
    expect(g['(all)']).toMatchObject({ opened: 4, resolved: 3, backlog: 3, resolution_hours_median: 36, resolution_hours_p90: 216, sla_breach_rate: 2 / 3, csat_avg: 3.5 });
    // urgent: c4 only opened, nothing resolved: null rates
    expect(g.urgent).toMatchObject({ opened: 1, resolved: 0, resolution_hours_median: null, resolution_hours_p90: null, sla_breach_rate: null, csat_avg: null });
  });
});

describe('crm report activity', () => {
  it('counts interactions per owner and kind, and tasks', () => {
    const r = runReport('activity', kpiRecords(), config(), { period: w47(), asOf: AS_OF });
    expect(r.envelope.groups.map((x) => x.group)).toEqual(['giulia', 'marco', '(none)', '(all)']);
    const all = r.envelope.groups[3]!.values;
    expect(all).toMatchObject({ interactions: 2, call: 1, email: 1, meeting: 0, note: 0, tasks_created: 0, tasks_done: 1, tasks_overdue: 2 });
    expect(r.envelope.groups[0]!.values).toMatchObject({ interactions: 1, call: 1, email: 0, tasks_overdue: 1 });
    expect(Object.keys(all)).toEqual(['interactions', 'call', 'email', 'meeting', 'note', 'sms', 'chat', 'social', 'visit', 'tasks_created', 'tasks_done', 'tasks_overdue']);
  });
});

describe('statistics', () => {
  it('takes the mean of the two middle values for an even count, and the nearest rank for p90', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(median([])).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.9)).toBeNull();
  });
});
