/**
 * Small hand-built record sets for the report unit tests (imported by
 * tests only). Every figure the tests expect is worked out by hand next to
 * the assertion; the comments here give the moments in Rome time.
 */
import { resolveConfig, type Config } from '../model/config.js';
import type { Data } from '../model/frontmatter.js';
import type { RecordType } from '../model/schema.js';
import type { ReportRecord } from './facts.js';
import { parsePeriod, type Period } from './period.js';

export const TZ = 'Europe/Rome';

export function config(extra: Record<string, unknown> = {}): Config {
  return resolveConfig({ name: 'Test Srl', currency: 'EUR', timezone: TZ, ...extra });
}

export function rec(type: RecordType, id: string, data: Data): ReportRecord {
  return { type, id, data };
}

/** A history list from `[at, to]` pairs. */
export function h(...entries: [string, string][]): Data[] {
  return entries.map(([at, to]) => ({ at, to }));
}

/** ISO week 47 of 2026: Monday 16 to Sunday 22 November, Rome time (UTC+1). */
export function w47(): Period {
  return parsePeriod('2026-W47', '2026-11-20', TZ);
}

/** The KPI fixture: leads, opportunities, accounts, cases and interactions around week 47. */
export function kpiRecords(): ReportRecord[] {
  const lead = (id: string, created: string, history: Data[] | undefined, extra: Data = {}) =>
    rec('lead', id, {
      name: id,
      status: history ? (history[history.length - 1]!.to as string) : 'new',
      created,
      ...(history ? { history } : {}),
      ...extra,
    });
  const opp = (id: string, created: string, amount: unknown, history: Data[] | undefined, extra: Data = {}) =>
    rec('opportunity', id, {
      name: id,
      amount,
      stage: history ? history[history.length - 1]!.to : (extra.stage ?? 'prospecting'),
      created,
      ...(history ? { history } : {}),
      ...extra,
    });
  const account = (id: string, created: string, history: Data[] | undefined, extra: Data = {}) =>
    rec('account', id, { name: id, status: history ? history[history.length - 1]!.to : (extra.status ?? 'prospect'), created, ...(history ? { history } : {}), ...extra });
  const kase = (id: string, created: string, history: Data[] | undefined, extra: Data = {}) =>
    rec('case', id, { subject: id, status: history ? history[history.length - 1]!.to : (extra.status ?? 'new'), created, ...(history ? { history } : {}), ...extra });
  const ia = (id: string, kind: string, at: string, extra: Data = {}) => rec('interaction', id, { kind, at, created: at, ...extra });

  return [
    // Leads
    lead('ann', '2026-11-16T09:00:00Z', h(['2026-11-16T09:00:00Z', 'new'], ['2026-11-17T10:00:00Z', 'contacted'], ['2026-11-18T10:00:00Z', 'qualified'], ['2026-11-19T10:00:00Z', 'converted']), { owner: 'giulia', source: 'web', converted: { opportunity: 'o-ann' } }),
    lead('bob', '2026-11-17T08:00:00Z', h(['2026-11-17T08:00:00Z', 'new'], ['2026-11-20T08:00:00Z', 'converted']), { owner: 'marco', source: 'referral' }),
    lead('cat', '2026-11-15T22:30:00Z', h(['2026-11-15T22:30:00Z', 'new'], ['2026-11-16T10:00:00Z', 'qualified']), { source: 'web' }), // created Sun 15 23:30 Rome
    lead('dan', '2026-11-18T12:00:00Z', undefined), // no history: one entry `new` at created
    lead('eve', '2026-11-10T09:00:00Z', h(['2026-11-10T09:00:00Z', 'new'], ['2026-11-12T09:00:00Z', 'contacted'], ['2026-11-16T08:00:00Z', 'qualified'], ['2026-11-17T08:00:00Z', 'contacted'], ['2026-11-18T08:00:00Z', 'qualified'])),
    lead('fay', '2026-11-19T09:00:00Z', h(['2026-11-19T09:00:00Z', 'new'], ['2026-11-20T09:00:00Z', 'disqualified']), { owner: 'giulia' }),
    lead('gus', '2026-11-22T23:30:00Z', h(['2026-11-22T23:30:00Z', 'new'])), // Mon 23 00:30 Rome: after the week
    lead('hal', '2026-11-21T10:00:00Z', h(['2026-11-21T10:00:00Z', 'new'], ['2026-11-21T12:00:00Z', 'contacted'], ['2026-11-23T10:00:00Z', 'converted']), { owner: 'marco' }),

    // Opportunities (default pipeline: prospecting .1, qualification .25, proposal .5, negotiation .75, won, lost)
    opp('o-ann', '2026-11-19T10:00:00Z', 10000, h(['2026-11-19T10:00:00Z', 'prospecting'], ['2026-11-21T10:00:00Z', 'won']), { closed_on: '2026-11-21', lead: 'ann', owner: 'giulia' }),
    opp('o-big', '2026-10-01T08:00:00Z', 50000, h(['2026-10-01T08:00:00Z', 'prospecting'], ['2026-10-15T08:00:00Z', 'proposal'], ['2026-11-16T07:00:00Z', 'won']), { owner: 'marco' }),
    opp('o-lost', '2026-09-01T08:00:00Z', 20000, h(['2026-09-01T08:00:00Z', 'prospecting'], ['2026-11-18T09:00:00Z', 'lost']), { closed_on: '2026-11-18' }),
    opp('o-open1', '2026-11-02T09:00:00Z', 8000, h(['2026-11-02T09:00:00Z', 'prospecting'], ['2026-11-10T09:00:00Z', 'negotiation'])),
    opp('o-open2', '2026-11-17T09:00:00Z', { amount: 4000, currency: 'EUR' }, undefined, { stage: 'qualification' }),
    opp('o-late-won', '2026-11-05T09:00:00Z', 3000, h(['2026-11-05T09:00:00Z', 'prospecting'], ['2026-11-23T09:00:00Z', 'won'])),
    opp('o-bad', '2026-11-17T09:00:00Z', '12k', undefined),
    opp('o-nodate', 'last tuesday', 500, undefined),
    opp('o-won-twice', '2026-11-01T09:00:00Z', 1000, h(['2026-11-01T09:00:00Z', 'prospecting'], ['2026-11-17T09:00:00Z', 'won'], ['2026-11-17T10:00:00Z', 'negotiation'], ['2026-11-18T09:00:00Z', 'won']), { closed_on: '2026-11-18' }),

    // Accounts
    account('acme', '2026-01-10T09:00:00Z', h(['2026-01-10T09:00:00Z', 'prospect'], ['2026-02-01T09:00:00Z', 'customer']), { industry: 'retail' }),
    account('beta', '2026-03-01T09:00:00Z', h(['2026-03-01T09:00:00Z', 'prospect'], ['2026-04-01T09:00:00Z', 'customer'], ['2026-11-18T09:00:00Z', 'former'])),
    account('gamma', '2026-11-16T10:00:00Z', h(['2026-11-16T10:00:00Z', 'prospect'], ['2026-11-17T10:00:00Z', 'customer'])),
    account('delta', '2026-05-01T09:00:00Z', undefined, { status: 'customer' }),
    account('epsilon', '2026-02-01T09:00:00Z', h(['2026-02-01T09:00:00Z', 'customer'], ['2026-10-01T09:00:00Z', 'former'], ['2026-11-20T10:00:00Z', 'customer'])),
    account('zeta', '2026-06-01T09:00:00Z', h(['2026-06-01T09:00:00Z', 'customer'], ['2026-11-17T09:00:00Z', 'former'], ['2026-11-19T09:00:00Z', 'customer'])),
    account('eta', '2026-06-01T09:00:00Z', h(['2026-06-01T09:00:00Z', 'prospect'], ['2026-11-15T23:00:00Z', 'customer'])), // exactly the first instant of the week
    account('theta', '2026-06-01T09:00:00Z', undefined),

    // Cases (SLA resolution targets: urgent 8 h, high 24 h, normal 72 h, low 168 h)
    kase('c1', '2026-11-16T08:00:00Z', h(['2026-11-16T08:00:00Z', 'new'], ['2026-11-16T10:00:00Z', 'open'], ['2026-11-17T20:00:00Z', 'resolved']), { priority: 'high', first_response_at: '2026-11-16T10:00:00Z', resolved_at: '2026-11-17T20:00:00Z', satisfaction: 2, owner: 'giulia' }),
    kase('c2', '2026-11-17T08:00:00Z', h(['2026-11-17T08:00:00Z', 'new'], ['2026-11-17T12:00:00Z', 'open'], ['2026-11-18T08:00:00Z', 'resolved']), { satisfaction: 5 }),
    kase('c3', '2026-11-10T08:00:00Z', h(['2026-11-10T08:00:00Z', 'new'], ['2026-11-10T09:00:00Z', 'open'], ['2026-11-19T08:00:00Z', 'closed']), { priority: 'low', first_response_at: '2026-11-10T09:00:00Z' }),
    kase('c4', '2026-11-20T08:00:00Z', h(['2026-11-20T08:00:00Z', 'new'], ['2026-11-20T08:30:00Z', 'open']), { priority: 'urgent', first_response_at: '2026-11-20T08:30:00Z' }),
    kase('c5', '2026-11-01T08:00:00Z', h(['2026-11-01T08:00:00Z', 'new'], ['2026-11-02T08:00:00Z', 'open'], ['2026-11-03T08:00:00Z', 'pending']), { priority: 'normal' }),
    kase('c6', '2026-11-21T08:00:00Z', undefined, { priority: 'high' }),
    kase('c7', '2026-11-23T08:00:00Z', undefined, { priority: 'normal' }),
    kase('c8', '2026-11-05T08:00:00Z', h(['2026-11-05T08:00:00Z', 'new'], ['2026-11-06T08:00:00Z', 'resolved']), { priority: 'normal' }),

    // Interactions and tasks
    ia('i1', 'call', '2026-11-16T09:00:00Z', { owner: 'giulia' }),
    ia('i2', 'email', '2026-11-22T22:30:00Z', { owner: 'marco' }), // Sun 22 23:30 Rome: inside
    ia('i3', 'meeting', '2026-11-22T23:30:00Z', { owner: 'marco' }), // Mon 23 00:30 Rome: after
    ia('i4', 'note', '2026-11-15T22:59:59Z'), // Sun 15 23:59:59 Rome: before
    ia('t1', 'task', '2026-11-10T09:00:00Z', { due: '2026-11-20', owner: 'giulia' }),
    ia('t2', 'task', '2026-11-10T09:00:00Z', { due: '2026-11-18', done_at: '2026-11-19T09:00:00Z' }),
    ia('t3', 'task', '2026-11-10T09:00:00Z', { due: '2026-11-22' }),
    ia('t4', 'task', '2026-11-10T09:00:00Z', { due: '2026-11-21T10:00:00Z', done_at: '2026-11-24T10:00:00Z' }),
    ia('t5', 'task', '2026-11-25T09:00:00Z', { due: '2026-11-01' }),
  ];
}

/** Late enough that nothing in the fixtures is after it. */
export const AS_OF = Date.parse('2026-11-30T12:00:00Z');
