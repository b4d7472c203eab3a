import { describe, expect, it } from 'vitest';
import { runReport } from './index.js';
import { resolvePeriod } from './period.js';
import { config, h, rec, TZ } from './testing.js';
import type { Values } from './types.js';

const OCT_NOV = resolvePeriod({ from: '2026-10-01', to: '2026-11-30' }, '2026-11-20', TZ);
const AS_OF = Date.parse('2027-01-15T12:00:00Z');

function account(id: string, history: [string, string][], extra = {}) {
  return rec('account', id, { name: id, status: history[history.length - 1]![1], created: history[0]![0], history: h(...history), ...extra });
}

function statusRecords() {
  return [
    account('r1', [['2026-09-15T10:00:00Z', 'customer']], { industry: 'retail' }),
    account('r2', [['2026-10-05T10:00:00Z', 'customer'], ['2026-11-10T10:00:00Z', 'former']], { industry: 'retail' }),
    account('r3', [['2026-10-20T10:00:00Z', 'customer']]),
    account('r4', [['2026-11-03T10:00:00Z', 'customer'], ['2026-12-05T10:00:00Z', 'former']]),
    account('r5', [['2026-08-01T10:00:00Z', 'customer'], ['2026-10-10T10:00:00Z', 'former'], ['2026-11-15T10:00:00Z', 'customer']]),
    account('r6', [['2026-08-01T10:00:00Z', 'prospect']]),
  ];
}

describe('crm report retention --basis status', () => {
  const r = runReport('retention', statusRecords(), config(), { period: OCT_NOV, asOf: AS_OF, every: 'month', cohorts: true });
  const v = r.envelope.groups[0]!.values;

  it('gives start, new, lost, end, churn and retention per month', () => {
    expect(v.periods).toEqual([
      // S: r1, r5. N: r2, r3. L: r5 (10 Oct). E: r1, r2, r3.
      { from: '2026-10-01', to: '2026-10-31', customers_start: 2, customers_new: 2, customers_lost: 1, customers_end: 3, churn_rate: 0.5, retention_rate: 0.5 },
      // S: r1, r2, r3. N: r4, r5 (reactivated). L: r2. E: r1, r3, r4, r5.
      { from: '2026-11-01', to: '2026-11-30', customers_start: 3, customers_new: 2, customers_lost: 1, customers_end: 4, churn_rate: 1 / 3, retention_rate: 2 / 3 },
    ]);
  });

  it('gives cohorts by acquisition month, leaving out months not over by --as-of', () => {
    expect(v.cohorts).toEqual([
      // r2 and r3; end of November: r3 only; end of December: r3 only; January is not over
      { cohort: '2026-10', size: 2, retention: [1, 0.5, 0.5] },
      // r4, gone on 5 December (r5 was acquired in August, before the period)
      { cohort: '2026-11', size: 1, retention: [1, 0] },
    ]);
  });

  it('splits by quarter, and by any account field', () => {
    const q = runReport('retention', statusRecords(), config(), { period: OCT_NOV, asOf: AS_OF, every: 'quarter', by: 'industry' });
    const all = q.envelope.groups.find((g) => g.group === '(all)')!.values.periods as Values[];
    // one quarter (clipped to Oct–Nov): S r1, r5; N r2, r3, r4, r5; L r5; E r1, r3, r4, r5
    expect(all).toEqual([
      { from: '2026-10-01', to: '2026-11-30', customers_start: 2, customers_new: 4, customers_lost: 1, customers_end: 4, churn_rate: 0.5, retention_rate: 0 },
    ]);
    expect(q.envelope.groups.map((g) => g.group)).toEqual(['retail', '(none)', '(all)']);
    const retail = (q.envelope.groups[0]!.values.periods as Values[])[0]!;
    expect([retail.customers_start, retail.customers_new, retail.customers_lost, retail.customers_end]).toEqual([1, 1, 0, 1]);
  });

  it('has null rates when nobody was a customer at the start', () => {
    const e = runReport('retention', statusRecords(), config(), { period: resolvePeriod({ from: '2025-01-01', to: '2025-01-31' }, '2026-11-20', TZ), asOf: AS_OF });
    expect((e.envelope.groups[0]!.values.periods as Values[])[0]).toMatchObject({ customers_start: 0, churn_rate: null, retention_rate: null });
  });
});

describe('crm report retention --basis purchases', () => {
  const won = (id: string, account: string, at: string) =>
    rec('opportunity', id, { name: id, account, amount: 100, stage: 'won', created: at, history: h([at, 'won']) });
  const records = [
    ...['acc0', 'acc1', 'acc2', 'acc3'].map((id) => rec('account', id, { name: id, status: 'customer', created: '2026-01-01T00:00:00Z' })),
    won('w0a', 'acc0', '2026-09-10T10:00:00Z'),
    won('w0b', 'acc0', '2026-10-02T10:00:00Z'),
    won('w1a', 'acc1', '2026-10-10T10:00:00Z'),
    won('w1b', 'acc1', '2026-12-03T10:00:00Z'),
    won('w2a', 'acc2', '2026-10-20T10:00:00Z'),
    won('w2b', 'acc2', '2026-11-05T10:00:00Z'),
    won('w3a', 'acc3', '2026-11-25T10:00:00Z'),
    // a deal still open, and one without an account, change nothing
    rec('opportunity', 'open', { name: 'open', account: 'acc3', amount: 5, stage: 'proposal', created: '2026-10-01T10:00:00Z' }),
    won('orphan', '', '2026-10-05T10:00:00Z'),
  ];
  const v = runReport('retention', records, config(), { period: OCT_NOV, asOf: AS_OF, basis: 'purchases', cohorts: true }).envelope.groups[0]!.values;

  it('treats an account as a customer in the months it bought', () => {
    expect(v.periods).toEqual([
      // S (bought in Sep): acc0. N: acc1, acc2 (acc0 continues). L: none. E (bought in Oct): acc0, acc1, acc2.
      { from: '2026-10-01', to: '2026-10-31', customers_start: 1, customers_new: 2, customers_lost: 0, customers_end: 3, churn_rate: 0, retention_rate: 1 },
      // S: acc0, acc1, acc2. N: acc3. L: acc0, acc1 (no purchase in Nov). E: acc2, acc3.
      { from: '2026-11-01', to: '2026-11-30', customers_start: 3, customers_new: 1, customers_lost: 2, customers_end: 2, churn_rate: 2 / 3, retention_rate: 1 / 3 },
    ]);
  });

  it('builds cohorts from the month of the first purchase', () => {
    expect(v.cohorts).toEqual([
      // acc1, acc2 (acc0 first bought in September); Nov: acc2; Dec: acc1
      { cohort: '2026-10', size: 2, retention: [1, 0.5, 0.5] },
      { cohort: '2026-11', size: 1, retention: [1, 0] },
    ]);
  });
});
