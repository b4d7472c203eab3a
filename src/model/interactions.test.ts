import { describe, expect, it } from 'vitest';
import { CrmError } from '../errors.js';
import { resolveConfig } from './config.js';
import type { Data } from './frontmatter.js';
import {
  buildAgenda,
  dueBucket,
  interactionId,
  isFuture,
  linksFor,
  localDate,
  parseDirection,
  parseDue,
  parseKind,
  parseMoment,
  zonedInstant,
} from './interactions.js';
import type { CrmRecord } from './record.js';
import type { RecordType } from './schema.js';

const ROME = 'Europe/Rome';
// Friday 20 November 2026, 11:00 in Rome
const NOW = new Date('2026-11-20T10:00:00Z');

function rec(type: RecordType, id: string, data: Data): CrmRecord {
  return { type, id, path: `${type}s/${id}.md`, data, body: '', raw: '' };
}

describe('time zones', () => {
  it('converts local wall time to UTC in winter and summer', () => {
    expect(new Date(zonedInstant({ year: 2026, month: 11, day: 20, hour: 9, minute: 30, second: 0 }, ROME)).toISOString()).toBe('2026-11-20T08:30:00.000Z');
    expect(new Date(zonedInstant({ year: 2026, month: 7, day: 1, hour: 9, minute: 30, second: 0 }, ROME)).toISOString()).toBe('2026-07-01T07:30:00.000Z');
    // 02:30 on the spring-forward night does not exist: the moment after the gap
    const gap = zonedInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, ROME);
    expect(new Date(gap).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('gives the local date of an instant', () => {
    expect(localDate(Date.parse('2026-11-30T23:30:00Z'), ROME)).toBe('2026-12-01');
    expect(localDate(Date.parse('2026-11-30T23:30:00Z'), 'UTC')).toBe('2026-11-30');
  });
});

describe('parseMoment (--at)', () => {
  const p = (text: string, tz = ROME) => parseMoment(text, tz, NOW);
  it('keeps explicit offsets, written in UTC', () => {
    expect(p('2026-11-19T15:00:00Z').value).toBe('2026-11-19T15:00:00Z');
    expect(p('2026-11-19T15:00+02:00').value).toBe('2026-11-19T13:00:00Z');
  });
  it('reads times without an offset as local time of crm.yaml', () => {
    expect(p('2026-11-19 15:00').value).toBe('2026-11-19T14:00:00Z');
    expect(p('2026-11-19T15:00').value).toBe('2026-11-19T14:00:00Z');
    expect(p('2026-11-19 15:00', 'UTC').value).toBe('2026-11-19T15:00:00Z');
    expect(p('2026-07-19 15:00').value).toBe('2026-07-19T13:00:00Z');
  });
  it('reads words, clock times and relative times', () => {
    expect(p('yesterday 16:00').value).toBe('2026-11-19T15:00:00Z');
    expect(p('today 9:15').value).toBe('2026-11-20T08:15:00Z');
    expect(p('9:15').value).toBe('2026-11-20T08:15:00Z');
    expect(p('-2h').value).toBe('2026-11-20T08:00:00Z');
    expect(p('-30m').value).toBe('2026-11-20T09:30:00Z');
  });
  it('keeps a bare date as a date', () => {
    expect(p('2026-11-18')).toMatchObject({ value: '2026-11-18', dateOnly: true });
    expect(p('yesterday')).toMatchObject({ value: '2026-11-19', dateOnly: true });
  });
  it('refuses nonsense with a usage error', () => {
    for (const bad of ['next week', '2026-02-30', '2026-11-19 25:00', '2026-13-01T10:00:00Z']) {
      let err: unknown;
      try {
        p(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(CrmError);
      expect((err as CrmError).exitCode).toBe(2);
    }
  });
  it('knows what is in the future', () => {
    expect(isFuture(p('2026-11-20 11:30'), NOW, ROME)).toBe(true);
    expect(isFuture(p('2026-11-20 10:59'), NOW, ROME)).toBe(false);
    expect(isFuture(p('2026-11-20'), NOW, ROME)).toBe(false);
    expect(isFuture(p('2026-11-21'), NOW, ROME)).toBe(true);
  });
});

describe('parseDue, kinds, directions', () => {
  it('reads due dates', () => {
    expect(parseDue('+3d', ROME, NOW).value).toBe('2026-11-23');
    expect(parseDue('+1w', ROME, NOW).value).toBe('2026-11-27');
    expect(parseDue('tomorrow', ROME, NOW).value).toBe('2026-11-21');
    expect(parseDue('friday', ROME, NOW).value).toBe('2026-11-27');
    expect(parseDue('mon', ROME, NOW).value).toBe('2026-11-23');
    expect(parseDue('2026-11-25 17:00', ROME, NOW).value).toBe('2026-11-25T16:00:00Z');
    expect(() => parseDue('someday', ROME, NOW)).toThrow(/--due "someday"/);
  });
  it('reads kinds and directions', () => {
    expect(parseKind('Call')).toBe('call');
    expect(() => parseKind('task')).toThrow(/crm task add/);
    expect(() => parseKind('fax')).toThrow(/not a kind/);
    expect(parseDirection('in')).toBe('inbound');
    expect(parseDirection('outbound')).toBe('outbound');
    expect(() => parseDirection('sideways')).toThrow(/in or out/);
  });
});

describe('links and ids', () => {
  const jane = rec('contact', 'jane-roe', { name: 'Jane Roe', account: 'acme' });
  const bob = rec('contact', 'bob', { name: 'Bob' });
  it('takes the account from a contact when none is given', () => {
    expect(linksFor([bob, jane], [])).toEqual({ contacts: ['bob', 'jane-roe'], account: 'acme' });
    const other = rec('account', 'other', { name: 'Other' });
    expect(linksFor([jane], [other])).toEqual({ contacts: ['jane-roe'], account: 'other' });
  });
  it('takes the account from an opportunity or case when no contact has one', () => {
    const opp = rec('opportunity', 'deal', { name: 'Deal', account: 'globex' });
    expect(linksFor([bob], [opp])).toEqual({ contacts: ['bob'], opportunity: 'deal', account: 'globex' });
  });
  it('treats a contact in --about like --with, and refuses two of a kind', () => {
    expect(linksFor([], [jane]).contacts).toEqual(['jane-roe']);
    const a = rec('case', 'a', { subject: 'A' });
    const b = rec('case', 'b', { subject: 'B' });
    expect(() => linksFor([], [a, b])).toThrow(/about one case/);
  });
  it('makes unique ids across all months', () => {
    const taken = new Set(['2026-11-20-call-jane-roe', '2026-11-20-call-jane-roe-2']);
    expect(interactionId('2026-11-20T10:00:00Z', 'call', 'Jane Roe', (id) => taken.has(id))).toBe('2026-11-20-call-jane-roe-3');
    expect(interactionId('2026-11-20T10:00:00Z', 'note', undefined, () => false)).toBe('2026-11-20-note');
    expect(interactionId('2026-11-20', 'email', 'Offer: ERP & CRM!', () => false)).toBe('2026-11-20-email-offer-erp-and-crm');
  });
});

describe('due buckets and the agenda', () => {
  it('puts due values in buckets around Friday 2026-11-20', () => {
    expect(dueBucket('2026-11-19', NOW, ROME)).toBe('overdue');
    expect(dueBucket('2026-11-20T09:00:00Z', NOW, ROME)).toBe('overdue');
    expect(dueBucket('2026-11-20', NOW, ROME)).toBe('today');
    expect(dueBucket('2026-11-20T15:00:00Z', NOW, ROME)).toBe('today');
    expect(dueBucket('2026-11-22', NOW, ROME)).toBe('this_week');
    expect(dueBucket('2026-11-23', NOW, ROME)).toBe('later');
    expect(dueBucket(undefined, NOW, ROME)).toBe('later');
  });

  it('groups tasks per owner, lists urgent cases and deals closing this week', () => {
    const config = resolveConfig({ timezone: ROME });
    const task = (id: string, owner: string | undefined, due: string | undefined, done?: string) =>
      rec('interaction', id, { kind: 'task', at: '2026-11-10T09:00:00Z', subject: id, ...(owner ? { owner } : {}), ...(due ? { due } : {}), ...(done ? { done_at: done } : {}) });
    const records = [
      task('t-late', 'giulia', '2026-11-18'),
      task('t-today', 'giulia', '2026-11-20'),
      task('t-week', 'marco', '2026-11-21'),
      task('t-later', 'giulia', undefined),
      task('t-done', 'giulia', '2026-11-18', '2026-11-19T10:00:00Z'),
      task('t-nobody', undefined, '2026-11-19'),
      rec('case', 'burning', { subject: 'Burning', priority: 'urgent', status: 'new', created: '2026-11-20T07:00:00Z', owner: 'giulia' }),
      rec('case', 'calm', { subject: 'Calm', priority: 'low', status: 'open', first_response_at: '2026-11-20T08:00:00Z', created: '2026-11-20T07:00:00Z', owner: 'giulia' }),
      rec('case', 'tomorrow', { subject: 'Soon', priority: 'normal', status: 'open', first_response_at: '2026-11-18T10:00:00Z', created: '2026-11-18T09:00:00Z', owner: 'marco' }),
      rec('opportunity', 'closing', { name: 'Closing', stage: 'proposal', amount: 1000, expected_close: '2026-11-16', owner: 'marco' }),
      rec('opportunity', 'next-week', { name: 'Next', stage: 'proposal', expected_close: '2026-11-23', owner: 'marco' }),
      rec('opportunity', 'won', { name: 'Won', stage: 'won', expected_close: '2026-11-20', owner: 'marco' }),
    ];
    const agenda = buildAgenda(records, config, NOW);
    expect(agenda).toMatchObject({ today: '2026-11-20', week_start: '2026-11-16', week_end: '2026-11-22' });
    expect(agenda.owners.map((o) => o.owner)).toEqual(['giulia', 'marco', null]);
    const [giulia, marco, nobody] = agenda.owners;
    expect(giulia?.tasks.overdue.map((t) => t.id)).toEqual(['t-late']);
    expect(giulia?.tasks.today.map((t) => t.id)).toEqual(['t-today']);
    expect(giulia?.tasks.later.map((t) => t.id)).toEqual(['t-later']);
    expect(giulia?.cases.map((c) => c.id)).toEqual(['burning']);
    expect(marco?.tasks.this_week.map((t) => t.id)).toEqual(['t-week']);
    expect(marco?.cases.map((c) => c.id)).toEqual(['tomorrow']);
    expect(marco?.opportunities.map((o) => o.id)).toEqual(['closing']);
    expect(nobody?.tasks.overdue.map((t) => t.id)).toEqual(['t-nobody']);
    const mine = buildAgenda(records, config, NOW, { owner: 'marco' });
    expect(mine.owners.map((o) => o.owner)).toEqual(['marco']);
  });
});
