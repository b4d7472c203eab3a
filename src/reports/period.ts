/**
 * Report periods: `--from/--to`, `--period` (2026, 2026-Q4, 2026-11,
 * 2026-W47, 2026-11-20, last-week, this-month, …) and the default (the last
 * full ISO week before today). Pure: "today" is passed in, as a date in
 * crm.yaml's time zone.
 */
import {
  addDays,
  addMonths,
  dayNumber,
  endOfDay,
  isDate,
  isoWeek,
  isoWeekStart,
  isoWeeksInYear,
  isoWeekday,
  lastDayOfMonth,
  startOfDay,
} from './time.js';

export type PeriodUnit = 'year' | 'quarter' | 'month' | 'week' | 'day';

/** Calendar dates `from`…`to` (inclusive), and their first and last instants in the zone. */
export interface Period {
  from: string;
  to: string;
  /** First instant of `from` (epoch ms). */
  start: number;
  /** Last instant of `to` (epoch ms). */
  end: number;
  /** Set when the period is one calendar unit; `--compare previous` then steps one unit back. */
  unit?: PeriodUnit;
}

export class PeriodError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export const PERIOD_FORMS =
  'YYYY (2026), YYYY-Qn (2026-Q4), YYYY-MM (2026-11), YYYY-Www (2026-W47, ISO week), YYYY-MM-DD (one day), ' +
  'or today, yesterday, this-week, last-week, this-month, last-month, this-quarter, last-quarter, this-year, last-year';

const PERIOD_HINT = `--period takes ${PERIOD_FORMS}.`;
const DATE_HINT = 'Dates are written YYYY-MM-DD (e.g. 2026-11-16), or today / yesterday.';

export function makePeriod(from: string, to: string, tz: string, unit?: PeriodUnit): Period {
  return { from, to, start: startOfDay(from, tz), end: endOfDay(to, tz), ...(unit ? { unit } : {}) };
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

function unitPeriod(unit: PeriodUnit, anyDay: string, tz: string): Period {
  switch (unit) {
    case 'day':
      return makePeriod(anyDay, anyDay, tz, unit);
    case 'week': {
      const monday = addDays(anyDay, 1 - isoWeekday(anyDay));
      return makePeriod(monday, addDays(monday, 6), tz, unit);
    }
    case 'month': {
      const first = `${anyDay.slice(0, 7)}-01`;
      return makePeriod(first, lastDayOfMonth(first), tz, unit);
    }
    case 'quarter': {
      const m = Number(anyDay.slice(5, 7));
      const first = `${anyDay.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
      return makePeriod(first, addDays(addMonths(first, 3), -1), tz, unit);
    }
    case 'year': {
      const y = anyDay.slice(0, 4);
      return makePeriod(`${y}-01-01`, `${y}-12-31`, tz, unit);
    }
  }
}

/** The period one unit (or, for a free range, one length) before `p`. */
export function previousPeriod(p: Period, tz: string): Period {
  if (p.unit) return unitPeriod(p.unit, addDays(p.from, -1), tz);
  const days = dayNumber(p.to) - dayNumber(p.from) + 1;
  return makePeriod(addDays(p.from, -days), addDays(p.from, -1), tz);
}

/** A date option (`--from`, `--to`, `--as-of`): YYYY-MM-DD, today or yesterday. */
export function parseDateOption(text: string, today: string, option: string): string {
  const t = text.trim().toLowerCase();
  if (t === 'today') return today;
  if (t === 'yesterday') return addDays(today, -1);
  if (isDate(t)) return t;
  throw new PeriodError(`${option} "${text}" is not a date`, DATE_HINT);
}

/** Parse a `--period` value relative to `today` (a date in the report's zone). */
export function parsePeriod(text: string, today: string, tz: string): Period {
  const t = text.trim().toLowerCase();
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(t))) return unitPeriod('year', `${m[1]}-01-01`, tz);
  if ((m = /^(\d{4})-q([1-4])$/.exec(t))) {
    return unitPeriod('quarter', `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`, tz);
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(t))) {
    if (!isDate(`${m[1]}-${m[2]}-01`)) throw new PeriodError(`--period "${text}": there is no month ${m[2]}`, PERIOD_HINT);
    return unitPeriod('month', `${m[1]}-${m[2]}-01`, tz);
  }
  if ((m = /^(\d{4})-w(\d{1,2})$/.exec(t))) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (week < 1 || week > isoWeeksInYear(year)) {
      throw new PeriodError(`--period "${text}": ISO year ${year} has weeks 1 to ${isoWeeksInYear(year)}`, PERIOD_HINT);
    }
    return unitPeriod('week', isoWeekStart(year, week), tz);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) {
    if (!isDate(t)) throw new PeriodError(`--period "${text}" is not a real date`, PERIOD_HINT);
    return unitPeriod('day', t, tz);
  }
  switch (t) {
    case 'today':
      return unitPeriod('day', today, tz);
    case 'yesterday':
      return unitPeriod('day', addDays(today, -1), tz);
  }
  m = /^(this|last)-(week|month|quarter|year)$/.exec(t);
  if (m) {
    const unit = m[2] as PeriodUnit;
    const current = unitPeriod(unit, today, tz);
    return m[1] === 'this' ? current : previousPeriod(current, tz);
  }
  throw new PeriodError(`--period "${text}" is not a period`, PERIOD_HINT);
}

/** The default period: the last full ISO week (Monday to Sunday) before today. */
export function defaultPeriod(today: string, tz: string): Period {
  return previousPeriod(unitPeriod('week', today, tz), tz);
}

export interface PeriodOptions {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Resolve the period options of a report command. */
export function resolvePeriod(o: PeriodOptions, today: string, tz: string): Period {
  if (o.period !== undefined && (o.from !== undefined || o.to !== undefined)) {
    throw new PeriodError('--period cannot be combined with --from/--to', 'Use either --period P or --from DATE [--to DATE].');
  }
  if (o.period !== undefined) return parsePeriod(o.period, today, tz);
  if (o.to !== undefined && o.from === undefined) {
    throw new PeriodError('--to needs --from', 'Give both: --from 2026-11-01 --to 2026-11-30 (--to defaults to today).');
  }
  if (o.from !== undefined) {
    const from = parseDateOption(o.from, today, '--from');
    const to = o.to !== undefined ? parseDateOption(o.to, today, '--to') : today;
    if (to < from) throw new PeriodError(`--to ${to} is before --from ${from}`, 'The period runs from --from to --to, both inclusive.');
    return makePeriod(from, to, tz);
  }
  return defaultPeriod(today, tz);
}

/** Split a period into calendar months, quarters or years (the first and last clipped to it). */
export function splitPeriod(p: Period, every: 'month' | 'quarter' | 'year', tz: string): Period[] {
  const out: Period[] = [];
  let cursor = p.from;
  while (cursor <= p.to) {
    const unit = unitPeriod(every, cursor, tz);
    const to = unit.to < p.to ? unit.to : p.to;
    const whole = cursor === unit.from && to === unit.to;
    out.push(makePeriod(cursor, to, tz, whole ? every : undefined));
    cursor = addDays(to, 1);
  }
  return out;
}

/** A short name for a period: 2026-W47, 2026-11, 2026-Q4, 2026, or from…to. */
export function periodLabel(p: Period): string {
  switch (p.unit) {
    case 'year':
      return p.from.slice(0, 4);
    case 'quarter':
      return `${p.from.slice(0, 4)}-Q${(Number(p.from.slice(5, 7)) + 2) / 3}`;
    case 'month':
      return p.from.slice(0, 7);
    case 'week': {
      const w = isoWeek(p.from);
      return `${pad4(w.year)}-W${String(w.week).padStart(2, '0')}`;
    }
    case 'day':
      return p.from;
    default:
      return `${p.from} – ${p.to}`;
  }
}
