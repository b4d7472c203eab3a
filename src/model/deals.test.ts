import { describe, expect, it } from 'vitest';
import { CrmError, ExitCode } from '../errors.js';
import { createRecord } from './change.js';
import { resolveConfig } from './config.js';
import { parseRecord, type Data } from './frontmatter.js';
import { contextOf, momentOn, planAccountLifecycle, planDealMove, startOfDayIn, todayIn, type DealMove } from './deals.js';
import type { CrmRecord } from './record.js';
import type { RecordType } from './schema.js';

const T = '2026-10-01T09:00:00Z';
const NOW = new Date('2026-11-20T10:00:00Z');
const config = resolveConfig({ timezone: 'Europe/Rome', users: [{ handle: 'giulia' }] });
const actor = { now: NOW, by: 'giulia' };

function rec(type: RecordType, id: string, data: Data): CrmRecord {
  return createRecord(type, id, { created: T, ...data }, '').record;
}
const acme = (status = 'prospect', extra: Data = {}) => rec('account', 'acme', { name: 'Acme', status, ...extra });
const deal = (stage: string, extra: Data = {}) => rec('opportunity', 'erp', { name: 'ERP', account: 'acme', stage, amount: 10000, ...extra });

function move(opp: CrmRecord, m: DealMove, records: CrmRecord[] = [opp, acme()]) {
  return planDealMove(opp, m, contextOf(records, config, actor));
}
function data(raw: string | null | undefined): Data {
  return parseRecord(raw!).data;
}
function usage(fn: () => unknown): CrmError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CrmError);
    expect((e as CrmError).exitCode).toBe(ExitCode.usage);
    return e as CrmError;
  }
  throw new Error('expected a usage error');
}

describe('days in the time zone', () => {
  it('today and the start of a day follow crm.yaml\'s zone, across DST', () => {
    expect(todayIn(new Date('2026-11-20T23:30:00Z'), 'Europe/Rome')).toBe('2026-11-21');
    expect(todayIn(new Date('2026-11-20T23:30:00Z'), 'UTC')).toBe('2026-11-20');
    expect(startOfDayIn('2026-11-20', 'Europe/Rome').toISOString()).toBe('2026-11-19T23:00:00.000Z');
    expect(startOfDayIn('2026-07-01', 'Europe/Rome').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDayIn('2026-03-29', 'Europe/Rome').toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('a past --on is that day\'s start, or the last change when that is later the same day; future is refused', () => {
    expect(momentOn(undefined, NOW, 'Europe/Rome', T)).toBe(NOW);
    expect(momentOn('2026-11-20', NOW, 'Europe/Rome', T)).toBe(NOW);
    expect(momentOn('2026-11-15', NOW, 'Europe/Rome', T).toISOString()).toBe('2026-11-14T23:00:00.000Z');
    expect(momentOn('2026-11-15', NOW, 'Europe/Rome', '2026-11-15T08:00:00Z').toISOString()).toBe('2026-11-15T08:00:00.000Z');
    usage(() => momentOn('2026-11-21', NOW, 'Europe/Rome', T));
    usage(() => momentOn('2026-11-15', NOW, 'Europe/Rome', '2026-11-17T08:00:00Z'));
  });
});

describe('stage moves', () => {
  it('moves forward and backward, recording each move', () => {
    const r = move(deal('proposal'), { to: 'qualification', note: 'scope changed' });
    if (r.kind !== 'planned') throw new Error(r.kind);
    const d = data(r.plan.opportunity.change.after);
    expect(d.stage).toBe('qualification');
    expect((d.history as Data[]).at(-1)).toEqual({ at: '2026-11-20T10:00:00Z', from: 'proposal', to: 'qualification', by: 'giulia', note: 'scope changed' });
    expect(r.plan.changes).toHaveLength(1);
  });

  it('an unknown stage lists the configured ones; the same stage changes nothing', () => {
    expect(usage(() => move(deal('proposal'), { to: 'signed' })).hint).toContain('prospecting, qualification, proposal, negotiation, won (won), lost (lost)');
    expect(move(deal('proposal'), { to: 'proposal' }).kind).toBe('unchanged');
  });

  it('winning sets closed_on (in the zone), the amount, and makes the account a customer in the same plan', () => {
    const late = new Date('2026-11-20T23:30:00Z'); // already the 21st in Rome
    const opp = deal('negotiation');
    const r = planDealMove(opp, { to: 'won', amount: 12500 }, contextOf([opp, acme('prospect')], config, { now: late, by: 'giulia' }));
    if (r.kind !== 'planned') throw new Error(r.kind);
    const d = data(r.plan.opportunity.change.after);
    expect(d).toMatchObject({ stage: 'won', closed_on: '2026-11-21', amount: 12500 });
    expect(r.plan.account?.record.id).toBe('acme');
    const a = data(r.plan.account!.change.after);
    expect(a.status).toBe('customer');
    expect((a.history as Data[]).at(-1)).toEqual({ at: '2026-11-20T23:30:00Z', from: 'prospect', to: 'customer', by: 'giulia', note: 'won erp' });
    expect(r.plan.changes.map((c) => c.path)).toEqual(['opportunities/erp.md', 'accounts/acme.md']);
  });

  it('winning for an account that is already a customer leaves the account alone; a former customer comes back', () => {
    const r = move(deal('proposal'), { to: 'won' }, [deal('proposal'), acme('customer')]);
    expect(r.kind === 'planned' && r.plan.account).toBeUndefined();
    const back = move(deal('proposal'), { to: 'won' }, [deal('proposal'), acme('former', { churn_reason: 'price' })]);
    if (back.kind !== 'planned') throw new Error(back.kind);
    const a = data(back.plan.account!.change.after);
    expect(a.status).toBe('customer');
    expect(a.churn_reason).toBeUndefined();
  });

  it('winning on a past day records that day and the account becomes a customer then', () => {
    const r = move(deal('proposal'), { to: 'won', on: '2026-11-16' });
    if (r.kind !== 'planned') throw new Error(r.kind);
    const d = data(r.plan.opportunity.change.after);
    expect(d.closed_on).toBe('2026-11-16');
    expect((d.history as Data[]).at(-1)!.at).toBe('2026-11-15T23:00:00Z');
    expect((data(r.plan.account!.change.after).history as Data[]).at(-1)!.at).toBe('2026-11-15T23:00:00Z');
    expect(d.updated).toBe('2026-11-20T10:00:00Z');
  });

  it('losing needs a reason and sets lost_reason and closed_on', () => {
    usage(() => move(deal('proposal'), { to: 'lost' }));
    const r = move(deal('proposal'), { to: 'lost', reason: 'price' });
    if (r.kind !== 'planned') throw new Error(r.kind);
    const d = data(r.plan.opportunity.change.after);
    expect(d).toMatchObject({ stage: 'lost', closed_on: '2026-11-20', lost_reason: 'price' });
    expect((d.history as Data[]).at(-1)!.note).toBe('price');
    expect(r.plan.account).toBeUndefined();
  });

  it('winning a lost deal, losing a won one, or reopening needs --reopen', () => {
    const lost = deal('lost', { closed_on: '2026-11-01', lost_reason: 'price' });
    expect(usage(() => move(lost, { to: 'won' })).hint).toContain('--reopen');
    const won = deal('won', { closed_on: '2026-11-01' });
    usage(() => move(won, { to: 'lost', reason: 'x' }));
    usage(() => move(won, { to: 'proposal' }));

    const r = move(lost, { to: 'won', reopen: true });
    if (r.kind !== 'planned') throw new Error(r.kind);
    expect(data(r.plan.opportunity.change.after)).toMatchObject({ stage: 'won', closed_on: '2026-11-20' });
    expect(data(r.plan.opportunity.change.after).lost_reason).toBeUndefined();

    const open = move(lost, { to: 'negotiation', reopen: true });
    if (open.kind !== 'planned') throw new Error(open.kind);
    const d = data(open.plan.opportunity.change.after);
    expect(d.stage).toBe('negotiation');
    expect(d.closed_on).toBeUndefined();
    expect(d.lost_reason).toBeUndefined();
    expect(open.plan.reopened).toBe(true);
  });

  it('--on is refused for an open stage, and a bad amount is refused', () => {
    usage(() => move(deal('proposal'), { to: 'negotiation', on: '2026-11-19' }));
    usage(() => move(deal('proposal'), { to: 'won', amount: Number.NaN }));
  });

  it('an amount written as {amount, currency} keeps its currency', () => {
    const r = move(deal('proposal', { amount: { amount: 100, currency: 'USD' } }), { to: 'won', amount: 250 });
    expect(r.kind === 'planned' && data(r.plan.opportunity.change.after).amount).toEqual({ amount: 250, currency: 'USD' });
  });
});

describe('account lifecycle', () => {
  const ctx = (records: CrmRecord[]) => contextOf(records, config, actor);

  it('churn: customer → former with churn_reason; refused for a prospect; needs a reason', () => {
    const a = acme('customer');
    const r = planAccountLifecycle(a, 'churn', { reason: 'moved to a competitor' }, ctx([a]));
    if (r.kind !== 'planned') throw new Error(r.kind);
    const d = data(r.plan.account.change.after);
    expect(d).toMatchObject({ status: 'former', churn_reason: 'moved to a competitor' });
    expect((d.history as Data[]).at(-1)).toEqual({ at: '2026-11-20T10:00:00Z', from: 'customer', to: 'former', by: 'giulia', note: 'moved to a competitor' });
    usage(() => planAccountLifecycle(acme('prospect'), 'churn', { reason: 'x' }, ctx([])));
    usage(() => planAccountLifecycle(a, 'churn', {}, ctx([a])));
    expect(planAccountLifecycle(acme('former'), 'churn', { reason: 'x' }, ctx([])).kind).toBe('unchanged');
  });

  it('reactivate: former → customer, churn_reason cleared; refused for a prospect', () => {
    const a = acme('former', { churn_reason: 'price' });
    const r = planAccountLifecycle(a, 'reactivate', {}, ctx([a]));
    if (r.kind !== 'planned') throw new Error(r.kind);
    const d = data(r.plan.account.change.after);
    expect(d.status).toBe('customer');
    expect(d.churn_reason).toBeUndefined();
    usage(() => planAccountLifecycle(acme('prospect'), 'reactivate', {}, ctx([])));
    expect(planAccountLifecycle(acme('customer'), 'reactivate', {}, ctx([])).kind).toBe('unchanged');
  });

  it('churn can be backdated with --on', () => {
    const a = acme('customer');
    const r = planAccountLifecycle(a, 'churn', { reason: 'x', on: '2026-10-31' }, ctx([a]));
    expect(r.kind === 'planned' && (data(r.plan.account.change.after).history as Data[]).at(-1)!.at).toBe('2026-10-30T23:00:00Z');
  });
});

describe('notes', () => {
  it('a note on an open move is kept; a lost reason given also as the note is written once', () => {
    const r = move(deal('proposal'), { to: 'qualification', note: 'scope', reason: 'scope' });
    expect(r.kind === 'planned' && (data(r.plan.opportunity.change.after).history as Data[]).at(-1)!.note).toBe('scope');
    const lost = move(deal('proposal'), { to: 'lost', note: 'price', reason: 'price' });
    expect(lost.kind === 'planned' && (data(lost.plan.opportunity.change.after).history as Data[]).at(-1)!.note).toBe('price');
    const both = move(deal('proposal'), { to: 'lost', note: 'they said so', reason: 'price' });
    expect(both.kind === 'planned' && (data(both.plan.opportunity.change.after).history as Data[]).at(-1)!.note).toBe('price; they said so');
  });
});
