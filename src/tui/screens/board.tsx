/**
 * The boards: pipeline (columns per open stage), leads (by status) and
 * cases (by status, most urgent SLA first). Each column has a header with
 * the count, total and weighted total; cards show name, account, amount,
 * owner and days in stage. Columns that do not fit scroll sideways.
 */
import { formatNumber } from '../../format/text.js';
import { compact, fit, seg, type Line, Lines } from '../lines.js';
import { visibleColumns, type State, type VisibleColumn } from '../state.js';
import { columnTotals, type BoardId, type Card } from '../view.js';

const MIN_COLUMN = 18;
const CARD_ROWS = 4; // three lines and a gap

const EMPTY: Record<BoardId, string> = {
  pipeline: 'No open opportunities. Add one with `crm opp add NAME --account ID --amount N`.',
  leads: 'No open leads. Add one with `crm lead add NAME --company COMPANY`.',
  cases: 'No open cases. Add one with `crm case add SUBJECT --account ID`.',
};

function cardLines(board: BoardId, c: Card, selected: boolean, w: number): Line[] {
  const inv = selected ? { inverse: true } : {};
  const marker = selected ? '▸ ' : '  ';
  const days = c.days !== undefined ? `${c.days}d` : '';
  let parts: string[];
  if (board === 'pipeline') parts = [c.amount !== undefined ? compact(c.amount) : '–', c.owner ?? '–', days];
  else if (board === 'leads') parts = [...(c.extra ? [c.extra] : []), c.owner ?? '–', days];
  else parts = [...(c.extra ? [c.extra] : []), c.owner ?? ''];
  const third = parts.filter(Boolean).join(' ');
  const alert = c.alert ? '! ' : '  ';
  return [
    [seg(fit(marker + c.title, w), { bold: true, ...inv })],
    [seg(fit(`  ${c.sub || '–'}`, w), { ...inv, ...(selected ? {} : { dim: true }) })],
    [seg(fit(alert + third, w), { ...inv, ...(c.alert ? { color: 'red' as const } : {}) })],
  ];
}

function headerLines(s: State, board: BoardId, col: VisibleColumn, selected: boolean, w: number, above: number, below: number): Line[] {
  const title = `${col.title} ${col.keys.length}`;
  let second = '';
  if (board === 'pipeline') {
    const t = columnTotals(s.data, col, col.keys);
    second = w >= 24 ? `Σ ${formatNumber(t.total)} · w ${compact(t.weighted)}` : `${compact(t.total)} · w ${compact(t.weighted)}`;
  } else if (board === 'cases') {
    const breached = col.keys.filter((k) => s.data.cards.get(k)?.alert).length;
    second = breached > 0 ? `${breached} breached` : '';
  }
  const arrows = `${above > 0 ? ` ↑${above}` : ''}${below > 0 ? ` ↓${below}` : ''}`;
  const rule = arrows ? `${'─'.repeat(Math.max(0, w - arrows.length - 1))}${arrows} ` : '─'.repeat(w);
  return [
    [seg(fit(title, w), { bold: true, ...(selected ? { color: 'cyan' as const, underline: false } : {}) })],
    [seg(fit(second, w), board === 'cases' && second ? { color: 'red' } : { dim: true })],
    [seg(fit(rule, w), { dim: true })],
  ];
}

function summaryLine(s: State, board: BoardId, hiddenLeft: number, hiddenRight: number, w: number): Line {
  const b = s.data.boards[board];
  const cur = s.data.config.currency;
  const parts = b.summary.map((x) => `${x.label} ${x.count}${x.amount !== undefined ? ` · ${formatNumber(x.amount)} ${cur}` : ''}`);
  const f = s.boards[board];
  const filters = [f.owner !== undefined ? `owner: ${f.owner || 'unassigned'}` : '', f.text ? `/${f.text}` : ''].filter(Boolean).join('  ');
  const left = `${hiddenLeft > 0 ? `‹ ${hiddenLeft} more  ` : ''}${parts.join('   ')}`;
  const right = `${filters}${hiddenRight > 0 ? `  ${hiddenRight} more ›` : ''}`;
  // the filters and the hidden columns matter more than the totals: the totals give way
  const room = Math.max(0, w - right.length - 1);
  return [seg(fit(left, room), { dim: true }), seg(' '), seg(right, filters ? { color: 'yellow' } : { dim: true })];
}

export function boardLines(s: State, board: BoardId, w: number, h: number): Line[] {
  const cols = visibleColumns(s, board);
  const sel = s.boards[board];
  if (cols.length === 0 || h < 5) return [[seg('No columns: check pipeline.stages in crm.yaml.', { dim: true })]];
  const fitCount = Math.max(1, Math.floor((w + 1) / (MIN_COLUMN + 1)));
  const k = Math.min(cols.length, fitCount);
  let first = 0;
  if (cols.length > k) first = Math.max(0, Math.min(cols.length - k, sel.col - Math.floor((k - 1) / 2)));
  const shown = cols.slice(first, first + k);
  const base = Math.floor((w - (k - 1)) / k);
  const widths = shown.map((_, i) => (i === k - 1 ? w - (k - 1) - base * (k - 1) : base));
  const bodyH = h - 4;
  const perColumn = Math.max(1, Math.floor((bodyH + 1) / CARD_ROWS));
  const blocks: Line[][] = shown.map((col, i) => {
    const index = first + i;
    const colW = widths[i]!;
    const selectedCol = index === sel.col;
    const row = selectedCol ? sel.row : 0;
    const start = Math.max(0, Math.min(row - perColumn + 1, col.keys.length - perColumn));
    const top = Math.max(0, selectedCol ? start : 0);
    const visible = col.keys.slice(top, top + perColumn);
    const lines = headerLines(s, board, col, selectedCol, colW, top, Math.max(0, col.keys.length - top - visible.length));
    visible.forEach((key, j) => {
      const card = s.data.cards.get(key);
      if (!card) return;
      if (j > 0) lines.push([]);
      lines.push(...cardLines(board, card, selectedCol && key === sel.key, colW));
    });
    return lines;
  });
  const out: Line[] = [];
  for (let r = 0; r < h - 1; r++) {
    const line: Line = [];
    blocks.forEach((b, j) => {
      if (j > 0) line.push(seg('│', { dim: true }));
      const l = b[r];
      line.push(...(l && l.length > 0 ? l : [seg(' '.repeat(widths[j]!))]));
    });
    out.push(line);
  }
  const total = cols.reduce((n, c) => n + c.keys.length, 0);
  if (total === 0) {
    const f = s.boards[board];
    const msg = f.text || f.owner !== undefined ? 'Nothing matches the filters (esc clears them).' : EMPTY[board];
    out[Math.min(out.length - 1, 5)] = [seg(fit(`  ${msg}`, w), { dim: true })];
  }
  out.push(summaryLine(s, board, first, cols.length - first - k, w));
  return out;
}

export function BoardScreen({ state, board, width, height }: { state: State; board: BoardId; width: number; height: number }) {
  return <Lines lines={boardLines(state, board, width, height)} />;
}
