import { describe, expect, it } from 'vitest';
import { runReport } from './index.js';
import { parsePeriod } from './period.js';
import { AS_OF, config, h, rec, TZ, w47 } from './testing.js';
import { endOfDay } from './time.js';
import type { Values } from './types.js';

const D = (day: number, hour = 9) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

function records() {
  const lead = (id: string, created: string, history: ReturnType<typeof h> | undefined, extra = {}) =>
    rec('lead', id, { name: id, status: history ? history[history.length - 1]!.to : 'new', created, ...(history ? { history } : {}), ...extra });
  return [
    // every step, each a known number of days after the previous one (0.5, 0.5, 1, 2)
    lead('f1', D(16), h([D(16), 'new'], [D(16, 21), 'contacted'], [D(17), 'qualified'], [D(18), 'converted']), { source: 'web', converted: { opportunity: 'f1-opp' } }),
    // jumps to converted: contacted and qualified implied at the same moment (1, 0, 0 days)
    lead('f2', D(16), h([D(16), 'new'], [D(17), 'converted']), { source: 'web' }),
    lead('f3', D(17), h([D(17), 'new'], [D(19), 'contacted'], [D(20), 'disqualified']), { source: 'event' }),
    lead('f4', D(18), h([D(18), 'new'])),
    lead('f5', D(19), undefined), // no history: `new` at created
    lead('f6', D(20), h([D(20), 'disqualified'])), // created disqualified: only the first step
    lead('f7', D(10), h([D(10), 'new'], [D(17), 'converted'])), // created before the week: not in the cohort
    rec('opportunity', 'f1-opp', { name: 'f1', stage: 'won', created: D(18), history: h([D(18), 'prospecting'], [D(20), 'won']) }),
    // f2's deal names its lead (no converted.opportunity on the lead) and is not won
    rec('opportunity', 'f2-opp', { name: 'f2', stage: 'proposal', lead: 'f2', created: D(17), history: h([D(17), 'proposal']) }),
    rec('opportunity', 'f7-opp', { name: 'f7', stage: 'won', lead: 'f7', created: D(17), history: h([D(17), 'won']) }),
  ];
}

function steps(r = runReport('funnel', records(), config(), { period: w47(), asOf: AS_OF }), group = 0): Values[] {
  return r.envelope.groups[group]!.values.steps as Values[];
}

describe('crm report funnel', () => {
  it('follows the leads created in the period through every step', () => {
    expect(steps()).toEqual([
      { step: 'new', count: 6, step_rate: null, cumulative_rate: 1, drop_off: null, median_days_from_previous: null },
      // f1, f2 (implied), f3
      { step: 'contacted', count: 3, step_rate: 0.5, cumulative_rate: 0.5, drop_off: 0.5, median_days_from_previous: 1 },
      // f1, f2; days: f1 0.5, f2 0 → median 0.25
      { step: 'qualified', count: 2, step_rate: 2 / 3, cumulative_rate: 2 / 6, drop_off: 1 - 2 / 3, median_days_from_previous: 0.25 },
      // days: f1 1, f2 0
      { step: 'converted', count: 2, step_rate: 1, cumulative_rate: 2 / 6, drop_off: 0, median_days_from_previous: 0.5 },
      // f1's deal won two days after the conversion
      { step: 'won', count: 1, step_rate: 0.5, cumulative_rate: 1 / 6, drop_off: 0.5, median_days_from_previous: 2 },
    ]);
  });

  it('counts the won step only when the deal was won by --as-of', () => {
    const s = steps(runReport('funnel', records(), config(), { period: w47(), asOf: endOfDay('2026-11-19', TZ) }));
    // as of the 19th: f5 exists, f6 does not; f3 is contacted; f1's deal is not won yet
    expect(s.map((x) => x.count)).toEqual([5, 3, 2, 2, 0]);
    expect(s[4]!.step_rate).toBe(0);
    expect(s[4]!.median_days_from_previous).toBeNull();
  });

  it('splits by source', () => {
    const r = runReport('funnel', records(), config(), { period: w47(), asOf: AS_OF, by: 'source' });
    expect(r.envelope.groups.map((g) => [g.group, (g.values.steps as Values[]).map((x) => x.count)])).toEqual([
      ['event', [1, 1, 0, 0, 0]],
      ['web', [2, 2, 2, 2, 1]],
      ['(none)', [3, 0, 0, 0, 0]],
      ['(all)', [6, 3, 2, 2, 1]],
    ]);
  });

  it('gives null rates for an empty cohort', () => {
    const s = steps(runReport('funnel', records(), config(), { period: parsePeriod('2026-W40', '2026-11-20', TZ), asOf: AS_OF }));
    expect(s.map((x) => x.count)).toEqual([0, 0, 0, 0, 0]);
    expect(s.every((x) => x.cumulative_rate === null && x.drop_off === null && x.median_days_from_previous === null)).toBe(true);
    expect(s.every((x) => x.step_rate === null)).toBe(true);
  });
});
