import { describe, expect, it } from 'vitest';
import { CrmError } from '../errors.js';
import {
  caseSla,
  compareUrgency,
  formatDuration,
  parseDuration,
  parseSatisfaction,
  planAssign,
  planCaseAction,
  slaSummary,
  withFirstResponse,
  type CaseAction,
} from './cases.js';
import { resolveConfig } from './config.js';
import type { Data } from './frontmatter.js';

const config = resolveConfig({ timezone: 'Europe/Rome', users: [{ handle: 'giulia' }, { handle: 'marco' }] });
const CREATED = '2026-11-16T08:00:00Z';
const T0 = Date.parse(CREATED);
const H = 3_600_000;
const at = (hours: number) => new Date(T0 + hours * H);
const ts = (hours: number) => at(hours).toISOString().replace(/\.\d{3}Z$/, 'Z');
const actor = { now: at(100), by: 'giulia' };

function kase(extra: Data = {}): Data {
  return { subject: 'Broken invoice', priority: 'normal', status: 'new', created: CREATED, history: [{ at: CREATED, to: 'new' }], ...extra };
}

describe('SLA clocks for every priority (crm.yaml defaults)', () => {
  const targets: Record<string, [number, number]> = { urgent: [1, 8], high: [4, 24], normal: [8, 72], low: [24, 168] };
  for (const [priority, [first, resolution]] of Object.entries(targets)) {
    it(`${priority}: met exactly at the target, missed a minute later`, () => {
      const ok = caseSla(kase({ priority, status: 'resolved', first_response_at: ts(first), resolved_at: ts(resolution) }), config, at(1000));
      expect(ok.first_response?.state).toBe('met');
      expect(ok.resolution?.state).toBe('met');
      expect(ok.state).toBe('met');
      expect(ok.next).toBeNull();
      const late = caseSla(kase({ priority, status: 'resolved', first_response_at: ts(first), resolved_at: ts(resolution + 1 / 60) }), config, at(1000));
      expect(late.resolution?.state).toBe('missed');
      expect(late.state).toBe('missed');
      expect(slaSummary(late)).toContain('resolution missed by 1m');
    });

    it(`${priority}: running, due soon, then breached while nobody answers`, () => {
      const running = caseSla(kase({ priority }), config, at(first * 0.5));
      expect(running.state).toBe('on-track');
      expect(running.next).toMatchObject({ clock: 'first_response', breached: false, hours_left: first * 0.5 });
      expect(running.first_response?.due_at).toBe(ts(first));
      expect(running.resolution?.due_at).toBe(ts(resolution));
      const soon = caseSla(kase({ priority }), config, at(first * 0.8));
      expect(soon.state).toBe('due-soon');
      expect(soon.first_response?.due_soon).toBe(true);
      const breached = caseSla(kase({ priority }), config, at(first + 2));
      expect(breached.state).toBe('breached');
      expect(breached.first_response?.state).toBe('breached');
      expect(breached.next).toMatchObject({ clock: 'first_response', breached: true, hours_left: -2 });
      expect(slaSummary(breached)).toBe('first response 2h overdue');
    });

    it(`${priority}: after the first response the resolution clock is next`, () => {
      const s = caseSla(kase({ priority, status: 'open', first_response_at: ts(first / 2) }), config, at(resolution - 1));
      expect(s.first_response?.state).toBe('met');
      expect(s.next).toMatchObject({ clock: 'resolution', hours_left: 1 });
      expect(slaSummary(s)).toBe('resolution 1h left');
    });
  }

  it('reads targets from crm.yaml', () => {
    const custom = resolveConfig({ cases: { sla: { urgent: { first_response: 2, resolution: 4 } } } });
    const s = caseSla(kase({ priority: 'urgent' }), custom, at(1));
    expect(s.target).toEqual({ first_response: 2, resolution: 4 });
    expect(s.state).toBe('on-track');
    expect(caseSla(kase({ priority: 'urgent' }), custom, at(1.5)).state).toBe('due-soon');
    expect(caseSla(kase({ priority: 'urgent' }), config, at(1.5)).state).toBe('breached');
  });

  it('a missing priority means normal; a priority without a target has no SLA', () => {
    const d = kase();
    delete d.priority;
    expect(caseSla(d, config, at(1)).target).toEqual({ first_response: 8, resolution: 72 });
    const none = caseSla(kase({ priority: 'vip' }), config, at(1));
    expect(none.state).toBe('none');
    expect(none.first_response).toBeNull();
    expect(slaSummary(none)).toBe('no SLA for priority vip');
  });

  it('falls back to the history when first_response_at / resolved_at are missing', () => {
    const d = kase({
      status: 'resolved',
      history: [
        { at: CREATED, to: 'new' },
        { at: ts(3), from: 'new', to: 'open' },
        { at: ts(80), from: 'open', to: 'resolved' },
      ],
    });
    const s = caseSla(d, config, at(200));
    expect(s.first_response?.done_at).toBe(ts(3));
    expect(s.first_response?.state).toBe('met');
    expect(s.resolution?.done_at).toBe(ts(80));
    expect(s.resolution?.state).toBe('missed');
  });

  it('does not pause while pending', () => {
    const d = kase({ status: 'pending', first_response_at: ts(1), history: [{ at: CREATED, to: 'new' }, { at: ts(1), from: 'new', to: 'pending' }] });
    expect(caseSla(d, config, at(73)).state).toBe('breached');
  });

  it('sorts by urgency: most overdue first, done cases last', () => {
    const list = [
      { id: 'done', sla: caseSla(kase({ status: 'closed', resolved_at: ts(2), first_response_at: ts(1) }), config, at(10)) },
      { id: 'later', sla: caseSla(kase({ priority: 'low' }), config, at(10)) },
      { id: 'late', sla: caseSla(kase({ priority: 'urgent' }), config, at(10)) },
      { id: 'answered', sla: caseSla(kase({ priority: 'normal', first_response_at: ts(1), status: 'open' }), config, at(10)) },
    ];
    // late: 9h overdue; later: first response in 14h; answered: resolution in 62h
    expect(list.sort(compareUrgency).map((x) => x.id)).toEqual(['late', 'later', 'answered', 'done']);
  });
});

describe('durations', () => {
  it('parses and formats', () => {
    expect(parseDuration('4h')).toBe(4 * H);
    expect(parseDuration('2d')).toBe(48 * H);
    expect(parseDuration('1d12h')).toBe(36 * H);
    expect(parseDuration('30m')).toBe(H / 2);
    expect(parseDuration('3')).toBe(3 * H);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
    expect(() => parseDuration('4hx')).toThrow(CrmError);
    expect(formatDuration(42 * 60_000)).toBe('42m');
    expect(formatDuration(-(3 * H + 20 * 60_000))).toBe('3h 20m');
    expect(formatDuration(50 * H)).toBe('2d 2h');
    expect(formatDuration(10_000)).toBe('<1m');
  });
});

describe('case transitions', () => {
  const cases: [string, CaseAction, string | Error][] = [
    ['new', 'pending', 'pending'],
    ['open', 'pending', 'pending'],
    ['resolved', 'pending', new Error('cannot wait')],
    ['new', 'resolve', 'resolved'],
    ['pending', 'resolve', 'resolved'],
    ['closed', 'resolve', new Error('closed case cannot be resolved')],
    ['open', 'close', 'closed'],
    ['resolved', 'close', 'closed'],
    ['resolved', 'reopen', 'open'],
    ['closed', 'reopen', 'open'],
    ['open', 'reopen', new Error('only resolved or closed')],
  ];
  for (const [from, action, expected] of cases) {
    it(`${action} from ${from} → ${expected instanceof Error ? 'refused' : expected}`, () => {
      const d = kase({ status: from, history: [{ at: CREATED, to: from }], ...(from === 'resolved' || from === 'closed' ? { resolved_at: ts(5) } : {}) });
      if (expected instanceof Error) {
        let err: unknown;
        try {
          planCaseAction('c1', d, action, config, actor);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(CrmError);
        expect((err as CrmError).exitCode).toBe(2);
        expect((err as CrmError).message).toContain(expected.message);
        return;
      }
      const p = planCaseAction('c1', d, action, config, actor, { note: 'why' });
      expect(p.changed).toBe(true);
      expect(p.data.status).toBe(expected);
      const h = p.data.history as Data[];
      expect(h[h.length - 1]).toEqual({ at: ts(100), from, to: expected, by: 'giulia', note: 'why' });
      expect(p.data.updated).toBe(ts(100));
    });
  }

  it('resolve sets resolved_at and satisfaction; reopen removes resolved_at; close keeps an earlier resolution', () => {
    const resolved = planCaseAction('c1', kase({ status: 'open' }), 'resolve', config, actor, { satisfaction: 4 }).data;
    expect(resolved.resolved_at).toBe(ts(100));
    expect(resolved.satisfaction).toBe(4);
    const closed = planCaseAction('c1', resolved, 'close', config, { ...actor, now: at(120) }).data;
    expect(closed.resolved_at).toBe(ts(100));
    const reopened = planCaseAction('c1', closed, 'reopen', config, actor).data;
    expect(reopened.resolved_at).toBeUndefined();
    expect(reopened.status).toBe('open');
    const direct = planCaseAction('c1', kase({ status: 'open' }), 'close', config, actor).data;
    expect(direct.resolved_at).toBe(ts(100));
  });

  it('asking for the current status changes nothing; a new satisfaction is still recorded', () => {
    const d = kase({ status: 'resolved', resolved_at: ts(5) });
    expect(planCaseAction('c1', d, 'resolve', config, actor)).toMatchObject({ changed: false, summary: 'already resolved' });
    const rated = planCaseAction('c1', d, 'resolve', config, actor, { satisfaction: 2 });
    expect(rated.changed).toBe(true);
    expect(rated.data.satisfaction).toBe(2);
    expect(rated.data.history).toEqual(d.history);
  });

  it('refuses a status crm.yaml does not allow', () => {
    const custom = resolveConfig({ cases: { status: ['new', 'open', 'resolved', 'closed'] } });
    expect(() => planCaseAction('c1', kase(), 'pending', custom, actor)).toThrow(/not one of the case statuses/);
  });

  it('satisfaction is 1 to 5', () => {
    expect(parseSatisfaction('5')).toBe(5);
    expect(() => parseSatisfaction('6')).toThrow(/1 to 5/);
    expect(() => parseSatisfaction('4.5')).toThrow(/1 to 5/);
  });
});

describe('first response and assignment', () => {
  it('sets first_response_at once, moves new to open, and an earlier response wins', () => {
    const p = withFirstResponse('c1', kase(), ts(2), actor);
    expect(p.changed).toBe(true);
    expect(p.data.first_response_at).toBe(ts(2));
    expect(p.data.status).toBe('open');
    const again = withFirstResponse('c1', p.data, ts(3), actor);
    expect(again.changed).toBe(false);
    const earlier = withFirstResponse('c1', p.data, ts(1), actor);
    expect(earlier.data.first_response_at).toBe(ts(1));
    expect((earlier.data.history as Data[]).length).toBe(2);
  });

  it('a pending case stays pending unless responding explicitly', () => {
    const d = kase({ status: 'pending', first_response_at: ts(1) });
    expect(withFirstResponse('c1', d, ts(5), actor).changed).toBe(false);
    expect(withFirstResponse('c1', d, ts(5), actor, { reopenPending: true }).data.status).toBe('open');
  });

  it('assigns to known users only', () => {
    expect(planAssign(kase(), 'marco', config, actor).data.owner).toBe('marco');
    expect(planAssign(kase({ owner: 'marco' }), 'marco', config, actor).changed).toBe(false);
    expect(() => planAssign(kase(), 'nobody', config, actor)).toThrow(/not a user/);
  });
});
