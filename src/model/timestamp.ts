/**
 * Dates and timestamps as FORMAT.md writes them, read without a time zone:
 * `YYYY-MM-DD` dates and ISO 8601 timestamps with `Z` or an offset, as
 * epoch ms. Pure. Reports (src/reports/time.ts) and the record index (which
 * keeps report timestamps as numbers) read them the same way.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isDate(s: unknown): s is string {
  return typeof s === 'string' && validDate(s);
}

export function validDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[month - 1]!;
}

/** Two ASCII digits at `i` as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The common form `YYYY-MM-DDTHH:MM:SSZ`, parsed without regular expressions (reports read many). */
function fastUtc(s: string): number | undefined {
  if (s.length !== 20 || s.charCodeAt(10) !== 84 || s.charCodeAt(19) !== 90 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const hi = two(s, 0);
  const lo = two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const sec = two(s, 17);
  if (hi < 0 || lo < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const y = hi * 100 + lo;
  if (d > daysInMonth(y, mo)) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, sec);
}

/**
 * A timestamp value as epoch ms: ISO 8601 with `Z` or an offset, or a bare
 * date meaning midnight UTC (FORMAT.md). Undefined when it is neither.
 */
export function parseTimestamp(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const fast = fastUtc(s);
  if (fast !== undefined) return fast;
  if (validDate(s)) return Date.parse(`${s}T00:00:00Z`);
  const m = TIMESTAMP_RE.exec(s);
  if (!m) return undefined;
  if (!validDate(`${m[1]}-${m[2]}-${m[3]}`)) return undefined;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return undefined;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return undefined;
  const t = Date.parse(s.replace(' ', 'T').replace('t', 'T').replace(/z$/, 'Z'));
  return Number.isNaN(t) ? undefined : t;
}

