/**
 * Screens are drawn as lines of styled segments, each line exactly as wide
 * as the terminal (padded or truncated with …), so that Ink never wraps and
 * a frame replaces the previous one line for line (no flicker). Styles are
 * attributes and the basic ANSI colours, readable on dark and light
 * terminals; with NO_COLOR they all disappear and the markers (▸, !) remain.
 */
import { Text } from 'ink';
import { memo } from 'react';
import { truncate, width as textWidth } from '../format/text.js';

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan';

export interface Segment {
  text: string;
  color?: Color;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

export type Line = Segment[];

export function seg(text: string, style: Omit<Segment, 'text'> = {}): Segment {
  return { text, ...style };
}

export { textWidth as width };

/** `s` cut to `w` columns (with …) and padded with spaces to exactly `w`. */
export function fit(s: string, w: number, align: 'left' | 'right' = 'left'): string {
  if (w <= 0) return '';
  const clean = s.replace(/[\t\r\n]+/g, ' ');
  const t = truncate(clean, w);
  const gap = w - textWidth(t);
  return align === 'right' ? ' '.repeat(gap) + t : t + ' '.repeat(gap);
}

export function lineWidth(line: Line): number {
  return line.reduce((n, s) => n + textWidth(s.text), 0);
}

/** Cut or pad a line of segments to exactly `w` columns. */
export function fitLine(line: Line, w: number): Line {
  const out: Line = [];
  let used = 0;
  for (const s of line) {
    if (used >= w) break;
    const sw = textWidth(s.text);
    if (used + sw <= w) {
      out.push(s);
      used += sw;
    } else {
      out.push({ ...s, text: truncate(s.text, w - used) });
      used = w;
    }
  }
  if (used < w) out.push({ text: ' '.repeat(w - used) });
  return out;
}

/** Exactly `h` lines: cut, or padded with blank lines. */
export function fitHeight(lines: Line[], h: number, w: number): Line[] {
  const out = lines.slice(0, Math.max(0, h)).map((l) => fitLine(l, w));
  while (out.length < h) out.push([{ text: ' '.repeat(w) }]);
  return out;
}

/** Put blocks of lines side by side (each block already `widths[i]` wide), with a separator. */
export function sideBySide(blocks: Line[][], widths: number[], height: number, separator: Segment = { text: '│', dim: true }): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < height; i++) {
    const line: Line = [];
    blocks.forEach((b, j) => {
      if (j > 0) line.push(separator);
      line.push(...fitLine(b[i] ?? [], widths[j]!));
    });
    out.push(line);
  }
  return out;
}

/** 1234567 → "1.2M", 30000 → "30k", 950 → "950". */
export function compact(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (a >= 1e6) return `${sign}${(a / 1e6).toFixed(a >= 1e7 ? 0 : 1).replace(/\.0$/, '')}M`;
  if (a >= 1e3) return `${sign}${(a / 1e3).toFixed(a >= 1e4 ? 0 : 1).replace(/\.0$/, '')}k`;
  return `${sign}${Math.round(a)}`;
}

export function plain(lines: readonly Line[]): string {
  return lines.map((l) => l.map((s) => s.text).join('').replace(/\s+$/, '')).join('\n');
}

const SegmentText = ({ s }: { s: Segment }) => (
  <Text {...(s.color ? { color: s.color } : {})} bold={Boolean(s.bold)} dimColor={Boolean(s.dim)} inverse={Boolean(s.inverse)} underline={Boolean(s.underline)}>
    {s.text}
  </Text>
);

/** One terminal line; memoised so that unchanged lines cost nothing to re-render. */
export const LineView = memo(
  function LineView({ line }: { line: Line }) {
    return (
      <Text wrap="truncate">
        {line.map((s, i) => (
          <SegmentText key={i} s={s} />
        ))}
      </Text>
    );
  },
  (a, b) => a.line.length === b.line.length && a.line.every((s, i) => sameSegment(s, b.line[i]!)),
);

function sameSegment(a: Segment, b: Segment): boolean {
  return a.text === b.text && a.color === b.color && a.bold === b.bold && a.dim === b.dim && a.inverse === b.inverse && a.underline === b.underline;
}

export function Lines({ lines }: { lines: readonly Line[] }) {
  return (
    <>
      {lines.map((l, i) => (
        <LineView key={i} line={l} />
      ))}
    </>
  );
}
