/**
 * Plain-text output helpers: aligned tables for terminals, tab-separated
 * rows for pipes, CSV, and value formatting. No colour decisions here beyond
 * what the caller passes.
 */

export type Align = 'left' | 'right';

const ANSI = /\u001b\[[0-9;]*m/g;

/** Display width of a string: code points (good enough for Latin scripts), colour codes not counted. */
export function width(s: string): number {
  const visible = s.includes('\u001b') ? s.replace(ANSI, '') : s;
  let n = 0;
  for (const _ of visible) n++;
  return n;
}

/** At most `max` columns wide, with … when cut (a coloured cell that must be cut loses its colour). */
export function truncate(s: string, max: number): string {
  if (max <= 0) return '';
  if (width(s) <= max) return s;
  const chars = [...s.replace(ANSI, '')];
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function pad(s: string, w: number, align: Align): string {
  const gap = Math.max(0, w - width(s));
  return align === 'right' ? ' '.repeat(gap) + s : s + ' '.repeat(gap);
}

export interface TableOptions {
  align?: readonly Align[];
  /** Total width to fit; the widest columns are truncated with … */
  maxWidth?: number;
  /** Style the header row (e.g. bold); identity by default. */
  header?: (s: string) => string;
  gap?: number;
}

/** An aligned table with a header row; columns shrink (widest first) to fit maxWidth. */
export function alignedTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const gap = options.gap ?? 2;
  const clean = rows.map((r) => r.map((c) => c.replace(/[\t\r\n]+/g, ' ')));
  const widths = headers.map((h, i) => Math.max(width(h), ...clean.map((r) => width(r[i] ?? ''))));
  if (options.maxWidth) {
    // Shrink in proportion to width, so long columns stay longer; short ones (≤ 10) keep their width.
    const budget = options.maxWidth - gap * (headers.length - 1);
    const total = widths.reduce((a, b) => a + b, 0);
    if (total > budget) {
      const fixed = widths.reduce((a, w) => a + (w <= 10 ? w : 0), 0);
      const flexible = total - fixed;
      const room = Math.max(0, budget - fixed);
      for (let i = 0; i < widths.length; i++) {
        if (widths[i]! > 10) widths[i] = Math.max(10, Math.floor((widths[i]! * room) / flexible));
      }
      // Still too wide (many columns): take from the widest, one at a time.
      let sum = widths.reduce((a, b) => a + b, 0);
      while (sum > budget) {
        let wi = 0;
        for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[wi]!) wi = i;
        if (widths[wi]! <= 4) break;
        widths[wi]!--;
        sum--;
      }
    }
  }
  const style = options.header ?? ((s: string) => s);
  const line = (cells: readonly string[], isHeader: boolean) =>
    cells
      .map((c, i) => {
        const w = widths[i]!;
        const text = pad(truncate(c, w), w, options.align?.[i] ?? 'left');
        return isHeader ? style(text) : text;
      })
      .join(' '.repeat(gap))
      .replace(/\s+$/, '');
  return [line(headers, true), ...clean.map((r) => line(r, false))].join('\n');
}

/** Tab-separated rows, no header, tabs and newlines inside cells replaced by spaces. */
export function tsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map((c) => c.replace(/[\t\r\n]+/g, ' ')).join('\t')).join('\n');
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with a header row. */
export function csv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
}

/** A value as text for a table cell: lists joined by ", ", maps as key=value, money with its amount. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(cellText).join(', ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.amount === 'number') return `${o.amount}${typeof o.currency === 'string' ? ` ${o.currency}` : ''}`;
    return Object.entries(o)
      .filter(([, x]) => x !== undefined && x !== null && x !== '')
      .map(([k, x]) => `${k}=${cellText(x)}`)
      .join(' ');
  }
  return String(v);
}

/** 12500 → "12,500"; 1234.5 → "1,234.50". */
export function formatNumber(n: number): string {
  const fixed = Number.isInteger(n) ? n.toString() : n.toFixed(2);
  const [int, frac] = fixed.split('.');
  const grouped = (int ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}
