import { describe, expect, it } from 'vitest';
import { runReport } from './index.js';
import { parsePeriod } from './period.js';
import { config, h, rec, TZ } from './testing.js';
import type { Values } from './types.js';

const AS_OF = Date.parse('2027-02-01T12:00:00Z');

function account(id: string, history: [string, string][]) {
  return rec('account', id, { name: id, status: history[history.length - 1]![1], created: history[0]![0], history: h(...history) });
}
function won(id: string, acc: string, at: string, amount: number) {
  return rec('opportunity', id, { name: id, account: acc, amount, stage: 'won', created: at, history: h([at, 'won']) });
}

describe('crm report ltv', () => {
  it('gives historical revenue per customer and the predicted CLV', () => {
    const records = [
      account('a1', [['2025-06-01T10:00:00Z', 'customer']]),
      account('a2', [['2026-03-01T10:00:00Z', 'customer'], ['2026-09-01T10:00:00Z', 'former']]),
      account('a3', [['2025-01-01T10:00:00Z', 'customer'], ['2026-05-01T10:00:00Z', 'former']]),
      account('a4', [['2025-01-01T10:00:00Z', 'prospect']]),
      won('w1', 'a1', '2025-07-01T10:00:00Z', 1000),
      won('w2', 'a1', '2026-04-01T10:00:00Z', 2000),
      won('w3', 'a2', '2026-03-01T10:00:00Z', 3000),
      won('w4', 'a3', '2025-02-01T10:00:00Z', 500),
      rec('opportunity', 'open', { name: 'open', account: 'a1', amount: 9999, stage: 'proposal', created: '2026-05-01T10:00:00Z' }),
    ];
    const v = runReport('ltv', records, config(), { period: parsePeriod('2026', '2026-11-20', TZ), asOf: AS_OF, margin: 0.3 }).envelope.groups[0]!.values;
    expect(v).toEqual({
      customers: 3, // a1, a2, a3 bought by the end of 2026
      revenue: 6500,
      revenue_per_customer: 2166.67,
      revenue_in_period: 5000, // w2 + w3
      avg_customers: 1.5, // (S = a1, a3) and (E = a1): (2 + 1) / 2
      yearly_revenue_per_customer: 3333.33, // 5000 / 1.5 over one year
      churn_rate: 0.5, // a3 of a1, a3
      yearly_churn_rate: 0.5,
      margin: 0.3,
      clv: 2000, // 3333.33 × 0.3 / 0.5
    });
  });
});

describe('crm report rfm', () => {
  it('scores recency, frequency and monetary value by quintile, ties broken by id', () => {
    const records = [
      ...['b1', 'b2', 'b3', 'b4', 'b5'].map((id) => account(id, [['2026-01-01T10:00:00Z', 'customer']])),
      won('o1', 'b1', '2026-12-20T10:00:00Z', 1000),
      won('o2', 'b1', '2026-12-01T10:00:00Z', 500),
      won('o3', 'b2', '2026-10-05T10:00:00Z', 5000),
      won('o4', 'b3', '2026-11-15T10:00:00Z', 200),
      won('o5', 'b4', '2026-12-30T10:00:00Z', 300),
      won('o6', 'b4', '2026-11-01T10:00:00Z', 300),
      won('o7', 'b4', '2026-10-01T10:00:00Z', 300),
      won('o8', 'b5', '2026-12-20T10:00:00Z', 1000),
      won('old', 'b2', '2026-09-30T10:00:00Z', 7777), // before the quarter
    ];
    const rows = runReport('rfm', records, config(), { period: parsePeriod('2026-Q4', '2026-11-20', TZ), asOf: AS_OF }).envelope.groups[0]!.values.accounts as Values[];
    expect(rows).toEqual([
      { account: 'b4', recency_days: 1, frequency: 3, monetary: 900, r: 5, f: 5, m: 2, score: '552' },
      { account: 'b5', recency_days: 11, frequency: 1, monetary: 1000, r: 4, f: 3, m: 3, score: '433' },
      { account: 'b1', recency_days: 11, frequency: 2, monetary: 1500, r: 3, f: 4, m: 4, score: '344' },
      { account: 'b3', recency_days: 46, frequency: 1, monetary: 200, r: 2, f: 2, m: 1, score: '221' },
      { account: 'b2', recency_days: 87, frequency: 1, monetary: 5000, r: 1, f: 1, m: 5, score: '115' },
    ]);
  });
});
