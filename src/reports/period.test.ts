import { describe, expect, it } from 'vitest';
import { defaultPeriod, parseDateOption, parsePeriod, PeriodError, periodLabel, previousPeriod, resolvePeriod, splitPeriod } from './period.js';
import { endOfDay, formatMoment, isoWeek, localDate, parseTimestamp, startOfDay } from './time.js';

const TZ = 'Europe/Rome';
const TODAY = '2026-11-20'; // a Friday in ISO week 47

const range = (text: string, today = TODAY) => {
  const p = parsePeriod(text, today, TZ);
  return `${p.from}..${p.to}`;
};

describe('time zone arithmetic', () => {
  it('starts and ends days in the zone, across daylight-saving changes', () => {
    expect(new Date(startOfDay('2026-11-16', TZ)).toISOString()).toBe('2026-11-15T23:00:00.000Z');
    expect(new Date(endOfDay('2026-11-22', TZ)).toISOString()).toBe('2026-11-22T22:59:59.999Z');
    // Summer time starts on 2026-03-29 in Rome: that day has 23 hours.
    expect(endOfDay('2026-03-29', TZ) + 1 - startOfDay('2026-03-29', TZ)).toBe(23 * 3_600_000);
    expect(new Date(startOfDay('2026-07-01', TZ)).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // São Paulo once skipped midnight (2018-11-04 began at 01:00).
    expect(new Date(startOfDay('2018-11-04', 'America/Sao_Paulo')).toISOString()).toBe('2018-11-04T03:00:00.000Z');
    expect(startOfDay('2026-11-16', 'UTC')).toBe(Date.parse('2026-11-16T00:00:00Z'));
  });

  it('formats a moment with its offset, and reads local dates', () => {
    expect(formatMoment(endOfDay('2026-11-22', TZ), TZ)).toBe('2026-11-22T23:59:59+01:00');
    expect(formatMoment(Date.parse('2026-07-01T10:00:00Z'), TZ)).toBe('2026-07-01T12:00:00+02:00');
    expect(formatMoment(Date.parse('2026-07-01T10:00:00Z'), 'America/New_York')).toBe('2026-07-01T06:00:00-04:00');
    expect(localDate(Date.parse('2026-11-15T23:30:00Z'), TZ)).toBe('2026-11-16');
  });

  it('changes the offset at the very second daylight saving starts and ends (offsets are cached by day)', () => {
    // Rome: +01:00 until 2026-03-29T01:00:00Z, +02:00 until 2026-10-25T01:00:00Z.
    expect(formatMoment(Date.parse('2026-03-29T00:59:59Z'), TZ)).toBe('2026-03-29T01:59:59+01:00');
    expect(formatMoment(Date.parse('2026-03-29T01:00:00Z'), TZ)).toBe('2026-03-29T03:00:00+02:00');
    expect(formatMoment(Date.parse('2026-03-29T12:00:00Z'), TZ)).toBe('2026-03-29T14:00:00+02:00');
    expect(formatMoment(Date.parse('2026-10-25T00:59:59Z'), TZ)).toBe('2026-10-25T02:59:59+02:00');
    expect(formatMoment(Date.parse('2026-10-25T01:00:00Z'), TZ)).toBe('2026-10-25T02:00:00+01:00');
    expect(localDate(Date.parse('2026-03-28T23:30:00Z'), TZ)).toBe('2026-03-29');
    expect(localDate(Date.parse('2026-10-24T22:30:00Z'), TZ)).toBe('2026-10-25');
    expect(localDate(Date.parse('2026-10-25T22:30:00Z'), TZ)).toBe('2026-10-25');
    expect(localDate(Date.parse('2026-10-25T23:30:00Z'), TZ)).toBe('2026-10-26');
  });

  it('reads timestamps strictly: offsets required, real dates only, bare dates are midnight UTC', () => {
    expect(parseTimestamp('2026-11-22')).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(parseTimestamp('2026-11-22T09:30:00+01:00')).toBe(Date.parse('2026-11-22T08:30:00Z'));
    expect(parseTimestamp('2026-11-22 09:30Z')).toBe(Date.parse('2026-11-22T09:30:00Z'));
    expect(parseTimestamp('2026-02-30')).toBeUndefined();
    expect(parseTimestamp('2026-11-22T09:30:00')).toBeUndefined();
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp(20261122)).toBeUndefined();
  });

  it('knows ISO weeks', () => {
    expect(isoWeek('2026-11-20')).toEqual({ year: 2026, week: 47 });
    expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1 });
  });
});

describe('--period', () => {
  it('accepts years, quarters, months, ISO weeks and days', () => {
    expect(range('2026')).toBe('2026-01-01..2026-12-31');
    expect(range('2026-Q4')).toBe('2026-10-01..2026-12-31');
    expect(range('2026-q1')).toBe('2026-01-01..2026-03-31');
    expect(range('2026-11')).toBe('2026-11-01..2026-11-30');
    expect(range('2028-02')).toBe('2028-02-01..2028-02-29');
    expect(range('2026-W47')).toBe('2026-11-16..2026-11-22');
    expect(range('2026-W53')).toBe('2026-12-28..2027-01-03');
    expect(range('2025-W01')).toBe('2024-12-30..2025-01-05');
    expect(range('2026-11-20')).toBe('2026-11-20..2026-11-20');
  });

  it('accepts relative names, counted from today in the zone', () => {
    expect(range('today')).toBe('2026-11-20..2026-11-20');
    expect(range('yesterday')).toBe('2026-11-19..2026-11-19');
    expect(range('this-week')).toBe('2026-11-16..2026-11-22');
    expect(range('last-week')).toBe('2026-11-09..2026-11-15');
    expect(range('this-month')).toBe('2026-11-01..2026-11-30');
    expect(range('last-month')).toBe('2026-10-01..2026-10-31');
    expect(range('this-quarter')).toBe('2026-10-01..2026-12-31');
    expect(range('last-quarter')).toBe('2026-07-01..2026-09-30');
    expect(range('this-year')).toBe('2026-01-01..2026-12-31');
    expect(range('last-year')).toBe('2025-01-01..2025-12-31');
    expect(range('last-month', '2026-01-15')).toBe('2025-12-01..2025-12-31');
    expect(range('last-week', '2026-11-16')).toBe('2026-11-09..2026-11-15');
  });

  it('runs from the first instant of the first day to the last instant of the last', () => {
    const p = parsePeriod('2026-W47', TODAY, TZ);
    expect(p.start).toBe(Date.parse('2026-11-15T23:00:00Z'));
    expect(p.end).toBe(Date.parse('2026-11-22T22:59:59.999Z'));
  });

  it('rejects malformed periods, saying which forms are accepted', () => {
    for (const bad of ['2026-W54', '2026-13', '2026-Q5', 'last-decade', '26', '2026-02-30', '']) {
      try {
        parsePeriod(bad, TODAY, TZ);
        expect.unreachable(`"${bad}" was accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(PeriodError);
        expect((e as PeriodError).hint).toContain('2026-W47');
      }
    }
    expect(() => parsePeriod('2027-W53', TODAY, TZ)).toThrow(/weeks 1 to 52/);
  });

  it('defaults to the last full ISO week before today', () => {
    const p = defaultPeriod(TODAY, TZ);
    expect([p.from, p.to]).toEqual(['2026-11-09', '2026-11-15']);
    expect(periodLabel(p)).toBe('2026-W46');
    // On a Monday the week that just ended is the last full one.
    expect(defaultPeriod('2026-11-23', TZ).from).toBe('2026-11-16');
    // On a Sunday the current week is not over yet.
    expect(defaultPeriod('2026-11-22', TZ).from).toBe('2026-11-09');
  });

  it('resolves --from/--to (inclusive) and rejects bad combinations', () => {
    const p = resolvePeriod({ from: '2026-11-01', to: '2026-11-10' }, TODAY, TZ);
    expect([p.from, p.to]).toEqual(['2026-11-01', '2026-11-10']);
    expect(p.end).toBe(Date.parse('2026-11-10T22:59:59.999Z'));
    expect(resolvePeriod({ from: '2026-11-01' }, TODAY, TZ).to).toBe(TODAY);
    expect(() => resolvePeriod({ to: '2026-11-10' }, TODAY, TZ)).toThrow(/--to needs --from/);
    expect(() => resolvePeriod({ from: '2026-11-10', to: '2026-11-01' }, TODAY, TZ)).toThrow(/before/);
    expect(() => resolvePeriod({ from: '2026-11-31' }, TODAY, TZ)).toThrow(/not a date/);
    expect(() => resolvePeriod({ period: '2026', from: '2026-01-01' }, TODAY, TZ)).toThrow(/cannot be combined/);
    expect(parseDateOption('yesterday', TODAY, '--as-of')).toBe('2026-11-19');
  });

  it('steps back one calendar unit, or one length for a free range', () => {
    const prev = (text: string) => {
      const p = previousPeriod(parsePeriod(text, TODAY, TZ), TZ);
      return `${p.from}..${p.to}`;
    };
    expect(prev('2026-W47')).toBe('2026-11-09..2026-11-15');
    expect(prev('2026-03')).toBe('2026-02-01..2026-02-28');
    expect(prev('2026-Q1')).toBe('2025-10-01..2025-12-31');
    expect(prev('2026')).toBe('2025-01-01..2025-12-31');
    expect(prev('today')).toBe('2026-11-19..2026-11-19');
    const free = previousPeriod(resolvePeriod({ from: '2026-11-01', to: '2026-11-10' }, TODAY, TZ), TZ);
    expect(`${free.from}..${free.to}`).toBe('2026-10-22..2026-10-31');
  });

  it('splits a period into clipped months, quarters and years', () => {
    const p = resolvePeriod({ from: '2026-01-15', to: '2026-04-10' }, TODAY, TZ);
    expect(splitPeriod(p, 'month', TZ).map((x) => `${x.from}..${x.to}`)).toEqual([
      '2026-01-15..2026-01-31',
      '2026-02-01..2026-02-28',
      '2026-03-01..2026-03-31',
      '2026-04-01..2026-04-10',
    ]);
    expect(splitPeriod(p, 'quarter', TZ).map((x) => `${x.from}..${x.to}`)).toEqual(['2026-01-15..2026-03-31', '2026-04-01..2026-04-10']);
    expect(splitPeriod(parsePeriod('2026', TODAY, TZ), 'year', TZ)).toHaveLength(1);
  });
});
