/**
 * Time helpers for the generator. Times are epoch milliseconds rounded to
 * whole seconds; "office hours" are weekdays 07:00–16:30 UTC, that is
 * 08:00–17:30 in Rome in winter and 09:00–18:30 in summer.
 */
import type { Random } from './random.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const OPEN = 7 * 60; // minutes after midnight UTC
const CLOSE = 16 * 60 + 30;

/** `YYYY-MM-DDTHH:MM:SSZ` */
export function ts(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19)}Z`;
}

/** `YYYY-MM-DD` (UTC; office hours fall on the same calendar day in Rome). */
export function day(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function floorSecond(t: number): number {
  return Math.floor(t / SECOND) * SECOND;
}

/** Italian public holidays (month-day), plus Easter Monday computed per year. */
const HOLIDAYS = new Set(['01-01', '01-06', '04-25', '05-01', '06-02', '08-15', '11-01', '12-08', '12-25', '12-26']);
const easterMondays = new Map<number, string>();

/** Easter Monday of `year` as MM-DD (anonymous Gregorian algorithm). */
export function easterMondayOf(year: number): string {
  let v = easterMondays.get(year);
  if (v) return v;
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  const monday = new Date(Date.UTC(year, month - 1, dayOfMonth + 1));
  v = monday.toISOString().slice(5, 10);
  easterMondays.set(year, v);
  return v;
}

const workingDays = new Map<number, boolean>();

/** A working day in Italy: Monday to Friday and not a public holiday. */
function isWeekday(dayStart: number): boolean {
  let v = workingDays.get(dayStart);
  if (v === undefined) {
    v = computeWeekday(dayStart);
    workingDays.set(dayStart, v);
  }
  return v;
}

function computeWeekday(dayStart: number): boolean {
  const date = new Date(dayStart);
  const d = date.getUTCDay();
  if (d < 1 || d > 5) return false;
  const md = date.toISOString().slice(5, 10);
  return !HOLIDAYS.has(md) && md !== easterMondayOf(date.getUTCFullYear());
}

export function isOfficeTime(t: number): boolean {
  const start = Math.floor(t / DAY) * DAY;
  const minute = (t - start) / MINUTE;
  return isWeekday(start) && minute >= OPEN && minute < CLOSE;
}

/** `t` if it is in office hours, else a moment early in the next working day. */
export function officeForward(t: number, rng: Random): number {
  t = floorSecond(t);
  if (isOfficeTime(t)) return t;
  let start = Math.floor(t / DAY) * DAY;
  const minute = (t - start) / MINUTE;
  if (!(isWeekday(start) && minute < OPEN)) start += DAY;
  while (!isWeekday(start)) start += DAY;
  // Mornings are busier than afternoons.
  const minutes = rng.chance(0.6) ? rng.int(0, 240) : rng.int(0, CLOSE - OPEN - 1);
  return start + OPEN * MINUTE + minutes * MINUTE + rng.int(0, 59) * SECOND;
}

/** `t` if it is in office hours, else a moment late in the previous working day. */
export function officeBackward(t: number, rng: Random): number {
  t = floorSecond(t);
  if (isOfficeTime(t)) return t;
  let start = Math.floor(t / DAY) * DAY;
  const minute = (t - start) / MINUTE;
  if (!(isWeekday(start) && minute >= CLOSE)) start -= DAY;
  while (!isWeekday(start)) start -= DAY;
  return start + OPEN * MINUTE + rng.int(0, CLOSE - OPEN - 1) * MINUTE + rng.int(0, 59) * SECOND;
}

/**
 * A moment in [a, b], in office hours when the window allows it. `a` and `b`
 * are whole seconds.
 */
export function between(rng: Random, a: number, b: number): number {
  if (b <= a) return a;
  let t = a;
  for (let k = 0; k < 6; k++) {
    t = floorSecond(a + rng.next() * (b - a));
    const f = officeForward(t, rng);
    if (f >= a && f <= b) return f;
    const g = officeBackward(t, rng);
    if (g >= a && g <= b) return g;
  }
  return t;
}

/**
 * A moment in [a, b] drawn with a linear trend: density grows from 1 at `a`
 * to `growth` at `b` (a growing business creates more records lately).
 */
export function trendBetween(rng: Random, a: number, b: number, growth = 1.6): number {
  if (b <= a) return a;
  const u = rng.next();
  // Inverse CDF of density proportional to 1 + (growth - 1) x on [0, 1].
  const k = growth - 1;
  const x = k === 0 ? u : (-1 + Math.sqrt(1 + k * (2 + k) * u)) / k;
  const t = floorSecond(a + x * (b - a));
  return between(rng, Math.max(a, t - 4 * DAY), Math.min(b, t + 4 * DAY));
}

/** The next office-hours moment at least `minDays` and at most `maxDays` after `t`. */
export function later(rng: Random, t: number, minDays: number, maxDays: number): number {
  const raw = floorSecond(t + rng.float(minDays, maxDays) * DAY);
  const next = officeForward(raw, rng);
  return next > t ? next : t + rng.int(5, 90) * MINUTE;
}

/** `months` calendar months before `t` (UTC), same time of day. */
export function monthsBefore(t: number, months: number): number {
  const d = new Date(t);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}
