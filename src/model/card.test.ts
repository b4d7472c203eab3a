import { describe, expect, it } from 'vitest';
import { buildCard, customerLifecycle, lifetimeRevenue } from './card.js';
import { resolveConfig } from './config.js';
import type { Data } from './frontmatter.js';
import type { CrmRecord } from './record.js';
import type { RecordType } from './schema.js';

function rec(type: RecordType, id: string, data: Data): CrmRecord {
  return { type, id, path: `${type}/${id}.md`, data, body: '', raw: '' };
}

const config = resolveConfig({ timezone: 'Europe/Rome', currency: 'EUR' });
const NOW = new Date('2026-11-20T10:00:00Z');

const account = rec('account', 'acme', {
  name: 'Acme Srl',
  status: 'customer',
  created: '2025-01-10T10:00:00Z',
  history: [
    { at: '2025-01-10T10:00:00Z', to: 'prospect' },
    { at: '2025-02-01T10:00:00Z', from: 'prospect', to: 'customer' },
    { at: '2025-09-01T10:00:00Z', from: 'customer', to: 'former', note: 'budget cut' },
    { at: '2026-03-01T10:00:00Z', from: 'former', to: 'customer' },
  ],
});
const records: CrmRecord[] = [
  account,
  rec('contact', 'zoe', { name: 'Zoe Verdi', account: 'acme', title: 'CFO', email: 'zoe@acme.example', created: '2025-01-10T10:00:00Z' }),
  rec('contact', 'anna', { name: 'Anna Neri', account: 'acme', created: '2025-01-10T10:00:00Z' }),
  rec('contact', 'elsewhere', { name: 'Elsewhere', account: 'globex', created: '2025-01-10T10:00:00Z' }),
  rec('opportunity', 'won-1', { name: 'First', account: 'acme', stage: 'won', amount: 10000, created: '2025-01-15T10:00:00Z' }),
  rec('opportunity', 'won-2', { name: 'Second', account: 'acme', stage: 'won', amount: { amount: 2500.5, currency: 'EUR' }, created: '2026-03-01T10:00:00Z' }),
  rec('opportunity', 'won-usd', { name: 'US', account: 'acme', stage: 'won', amount: { amount: 700, currency: 'USD' }, created: '2026-03-01T10:00:00Z' }),
  rec('opportunity', 'lost', { name: 'Lost', account: 'acme', stage: 'lost', amount: 99999, created: '2026-03-01T10:00:00Z' }),
  rec('opportunity', 'open-late', { name: 'Renewal', account: 'acme', stage: 'proposal', amount: 5000, expected_close: '2026-12-15', created: '2026-10-01T10:00:00Z' }),
  rec('opportunity', 'open-soon', { name: 'Upsell', account: 'acme', stage: 'negotiation', expected_close: '2026-11-27', contacts: ['zoe'], created: '2026-10-01T10:00:00Z' }),
  rec('case', 'urgent', { subject: 'Down', account: 'acme', priority: 'urgent', status: 'new', created: '2026-11-20T08:00:00Z' }),
  rec('case', 'normal', { subject: 'Question', account: 'acme', contact: 'zoe', priority: 'normal', status: 'open', first_response_at: '2026-11-19T09:00:00Z', created: '2026-11-19T08:00:00Z' }),
  rec('case', 'done', { subject: 'Old', account: 'acme', status: 'closed', resolved_at: '2026-01-02T08:00:00Z', created: '2026-01-01T08:00:00Z' }),
  rec('interaction', '2026-11-18-task-send-offer', { kind: 'task', at: '2026-11-18T08:00:00Z', subject: 'Send offer', due: '2026-11-19', opportunity: 'open-late', owner: 'giulia' }),
  rec('interaction', '2026-11-18-task-visit', { kind: 'task', at: '2026-11-18T08:00:00Z', subject: 'Visit', due: '2026-11-30', contacts: ['zoe'] }),
  rec('interaction', '2026-11-01-task-done', { kind: 'task', at: '2026-11-01T08:00:00Z', subject: 'Done one', account: 'acme', done_at: '2026-11-02T08:00:00Z' }),
  rec('interaction', '2026-11-18-task-globex', { kind: 'task', at: '2026-11-18T08:00:00Z', subject: 'Other', contacts: ['elsewhere'] }),
];

describe('customer lifecycle', () => {
  it('finds the customer intervals and the current one', () => {
    const l = customerLifecycle(account);
    expect(l.intervals).toEqual([
      { from: '2025-02-01T10:00:00Z', to: '2025-09-01T10:00:00Z' },
      { from: '2026-03-01T10:00:00Z', to: null },
    ]);
    expect(l.customer_since).toBe('2026-03-01T10:00:00Z');
    expect(l.churned_on).toBeNull();
  });
  it('reports the churn of a former customer', () => {
    const former = { data: { ...account.data, status: 'former', history: (account.data.history as Data[]).slice(0, 3) } };
    expect(customerLifecycle(former)).toMatchObject({ status: 'former', customer_since: '2025-02-01T10:00:00Z', churned_on: '2025-09-01T10:00:00Z' });
  });
  it('a prospect was never a customer', () => {
    expect(customerLifecycle({ data: { status: 'prospect', created: '2026-01-01T00:00:00Z' } })).toMatchObject({ customer_since: null, churned_on: null, intervals: [] });
  });
});

describe('buildCard', () => {
  it('builds the account card', () => {
    const card = buildCard(account, records, config, NOW);
    expect(card.contacts?.map((c) => c.id)).toEqual(['anna', 'zoe']);
    expect(card.contacts?.[1]).toEqual({ id: 'zoe', name: 'Zoe Verdi', title: 'CFO', email: 'zoe@acme.example' });
    expect(card.opportunities?.map((o) => [o.id, o.stage, o.amount])).toEqual([
      ['open-soon', 'negotiation', null],
      ['open-late', 'proposal', 5000],
    ]);
    expect(card.cases?.map((c) => [c.id, c.sla.state])).toEqual([
      ['urgent', 'breached'],
      ['normal', 'on-track'],
    ]);
    expect(card.tasks?.map((t) => [t.id, t.bucket])).toEqual([
      ['2026-11-18-task-send-offer', 'overdue'],
      ['2026-11-18-task-visit', 'later'],
    ]);
    expect(card.lifetime_revenue).toEqual({ amount: 12500.5, currency: 'EUR', won: 3, other: { USD: 700 } });
    expect(card.lifecycle?.customer_since).toBe('2026-03-01T10:00:00Z');
    expect(card.timeline[0]).toMatchObject({ kind: 'created', record: { type: 'case', id: 'urgent' } });
    expect(card.sla).toBeUndefined();
  });

  it('builds contact, opportunity and case cards', () => {
    const zoe = buildCard(records.find((r) => r.id === 'zoe')!, records, config, NOW);
    expect(zoe.account).toEqual({ id: 'acme', name: 'Acme Srl' });
    expect(zoe.opportunities?.map((o) => o.id)).toEqual(['open-soon']);
    expect(zoe.cases?.map((c) => c.id)).toEqual(['normal']);
    expect(zoe.tasks?.map((t) => t.id)).toEqual(['2026-11-18-task-visit']);
    const kase = buildCard(records.find((r) => r.id === 'normal')!, records, config, NOW);
    expect(kase.sla?.next).toMatchObject({ clock: 'resolution', hours_left: 46 });
    expect(kase.contacts?.map((c) => c.id)).toEqual(['zoe']);
    const opp = buildCard(records.find((r) => r.id === 'open-late')!, records, config, NOW);
    expect(opp.tasks?.map((t) => t.id)).toEqual(['2026-11-18-task-send-offer']);
    expect(opp.account?.name).toBe('Acme Srl');
  });

  it('lifetime revenue counts won stages from crm.yaml only', () => {
    const custom = resolveConfig({ currency: 'EUR', pipeline: { stages: ['open', { id: 'signed', closed: 'won' }, { id: 'won', closed: 'lost' }] } });
    const opps = records.filter((r) => r.type === 'opportunity');
    expect(lifetimeRevenue(opps, custom)).toEqual({ amount: 0, currency: 'EUR', won: 0 });
  });
});
