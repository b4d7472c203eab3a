/** How field values look to people: timestamps in the CRM's time zone, money grouped. */
import { cellText, formatNumber } from './text.js';

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-22T09:30:00Z" → "2026-11-22 10:30" in Europe/Rome. Other text is returned unchanged. */
export function localTime(value: string, timeZone: string): string {
  if (!TS.test(value)) return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    }
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export function money(value: unknown, currency: string): string {
  if (typeof value === 'number') return `${formatNumber(value)} ${currency}`;
  if (value && typeof value === 'object' && typeof (value as { amount?: unknown }).amount === 'number') {
    const m = value as { amount: number; currency?: string };
    return `${formatNumber(m.amount)} ${m.currency ?? currency}`;
  }
  return cellText(value);
}

/** A value for a person: local times, grouped numbers, lists joined. */
export function displayValue(value: unknown, timeZone: string): string {
  if (typeof value === 'string') return localTime(value, timeZone);
  if (typeof value === 'number') return formatNumber(value);
  return cellText(value);
}
