/**
 * Calendar arithmetic for reports: dates as `YYYY-MM-DD` strings, moments as
 * epoch milliseconds, and the conversion between the two in `crm.yaml`'s
 * time zone (through Intl, so daylight-saving changes are honoured). Pure.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export { daysInMonth, isDate, parseTimestamp } from '../model/timestamp.js';
import { daysInMonth, isDate } from '../model/timestamp.js';

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  return Math.round(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS);
}

export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return dateOfDayNumber(dayNumber(date) + n);
}

/** First day of the month `n` months after the month of `date`. */
export function addMonths(date: string, n: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${String(Math.floor(idx / 12)).padStart(4, '0')}-${String((idx % 12) + 1).padStart(2, '0')}-01`;
}

export function monthKey(date: string): string {
  return date.slice(0, 7);
}

export function lastDayOfMonth(date: string): string {
  return addDays(addMonths(date, 1), -1);
}

/** ISO weekday, Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  const d = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The Monday of ISO week `week` of ISO year `year`. */
export function isoWeekStart(year: number, week: number): string {
  const jan4 = `${String(year).padStart(4, '0')}-01-04`;
  const monday1 = addDays(jan4, 1 - isoWeekday(jan4));
  return addDays(monday1, (week - 1) * 7);
}

/** ISO year and week of a date. */
export function isoWeek(date: string): { year: number; week: number } {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((dayNumber(thursday) - dayNumber(isoWeekStart(year, 1))) / 7) + 1;
  return { year, week };
}

/** 52 or 53. */
export function isoWeeksInYear(year: number): number {
  return isoWeek(`${String(year).padStart(4, '0')}-12-28`).week;
}

// ---------------------------------------------------------------------------
// Time zones

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, f);
  }
  return f;
}

/** Whether Intl knows the time zone (crm.yaml may name one it does not). */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the formatter prints for ordinary dates: `11/23/2026, 06:52:53`. */
const FORMATTED = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

function parts(t: number, tz: string): Parts {
  const f = formatter(tz);
  // Reading the formatted text is three times quicker than formatToParts (reports ask for
  // hundreds of days); anything else it may print is read part by part.
  const m = FORMATTED.exec(f.format(new Date(t)));
  if (m) return { year: Number(m[3]), month: Number(m[1]), day: Number(m[2]), hour: Number(m[4]) % 24, minute: Number(m[5]), second: Number(m[6]) };
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(new Date(t))) {
    if (x.type !== 'literal') p[x.type] = Number(x.value);
  }
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

function exactOffset(t: number, tz: string): number {
  const p = parts(t, tz);
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return local - Math.floor(t / 1000) * 1000;
}

/** Offsets per zone and UTC day (null: the offset changes that day). */
const dayOffsets = new Map<string, Map<number, number | null>>();
/** Offsets per zone and UTC hour, where the offset is the same all hour long. */
const hourOffsets = new Map<string, Map<number, number>>();

/** Offset of the zone from UTC at moment t, in ms (Rome in winter: +3,600,000). */
export function offsetMs(t: number, tz: string): number {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 0;
  // Most days have one offset all day long: one lookup per day, by the hour only on days that change.
  let days = dayOffsets.get(tz);
  if (!days) dayOffsets.set(tz, (days = new Map()));
  const day = Math.floor(t / DAY_MS);
  const whole = days.get(day);
  if (whole !== undefined && whole !== null) return whole;
  if (whole === undefined) {
    const a = exactOffset(day * DAY_MS, tz);
    const b = exactOffset(day * DAY_MS + DAY_MS - 1000, tz);
    if (days.size > 100_000) days.clear();
    days.set(day, a === b ? a : null);
    if (a === b) return a;
  }
  let cache = hourOffsets.get(tz);
  if (!cache) hourOffsets.set(tz, (cache = new Map()));
  const hour = Math.floor(t / HOUR_MS);
  const known = cache.get(hour);
  if (known !== undefined) return known;
  const a = exactOffset(hour * HOUR_MS, tz);
  const b = exactOffset(hour * HOUR_MS + HOUR_MS - 1000, tz);
  if (a !== b) return exactOffset(t, tz); // a daylight-saving change within this hour
  if (cache.size > 100_000) cache.clear();
  cache.set(hour, a);
  return a;
}

/** The calendar date of moment t in the zone. */
export function localDate(t: number, tz: string): string {
  const day = Math.floor((t + offsetMs(t, tz)) / DAY_MS);
  let date = dateOfDay.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dateOfDay.size > 100_000) dateOfDay.clear();
    dateOfDay.set(day, date);
  }
  return date;
}

const dateOfDay = new Map<number, string>();

const starts = new Map<string, number>();

/** The first instant of a calendar day in the zone (01:00 where midnight does not exist). */
export function startOfDay(date: string, tz: string): number {
  const key = `${tz}|${date}`;
  const cached = starts.get(key);
  if (cached !== undefined) return cached;
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  let t = utcMidnight - offsetMs(utcMidnight, tz);
  t = utcMidnight - offsetMs(t, tz);
  if (localDate(t, tz) !== date || localDate(t - 1, tz) === date) {
    // Midnight falls in a daylight-saving gap or repeats: search for the first instant.
    let lo = utcMidnight - 16 * HOUR_MS;
    let hi = utcMidnight + 16 * HOUR_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (localDate(mid, tz) >= date) hi = mid;
      else lo = mid;
    }
    t = hi;
  }
  starts.set(key, t);
  return t;
}

/** The last instant (ms) of a calendar day in the zone. */
export function endOfDay(date: string, tz: string): number {
  const key = `${tz}|${date}`;
  let end = ends.get(key);
  if (end === undefined) {
    end = startOfDay(addDays(date, 1), tz) - 1;
    if (ends.size > 100_000) ends.clear();
    ends.set(key, end);
  }
  return end;
}

const ends = new Map<string, number>();

/** `2026-11-22T23:59:59+01:00`: moment t in the zone, to the second, with its offset. */
export function formatMoment(t: number, tz: string): string {
  const off = offsetMs(t, tz);
  const local = new Date(Math.floor(t / 1000) * 1000 + off).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
