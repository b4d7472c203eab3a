/**
 * Lists of any record type: a row of type tabs, the filter and sort line,
 * and a table of the type's default columns, fitted to the width.
 */
import { displayValue, money } from '../../format/values.js';
import { cellText } from '../../format/text.js';
import type { CrmRecord } from '../../model/record.js';
import { recordTitle } from '../../model/record.js';
import { RECORD_TYPES, TYPES, fieldSpec } from '../../model/schema.js';
import { fit, seg, width as textWidth, type Line, Lines } from '../lines.js';
import { listRows, listSorts, type State } from '../state.js';
import { listColumns, listKeys } from '../view.js';

function cell(r: CrmRecord, field: string, s: State): string {
  const v = r.data[field];
  if (field === TYPES[r.type].title) return recordTitle(r);
  if (v === undefined || v === null || v === '') return '';
  const spec = fieldSpec(r.type, field);
  if (spec && typeof spec.kind === 'object' && 'ref' in spec.kind && typeof v === 'string') {
    const target = s.data.byKey.get(`${spec.kind.ref}/${v}`);
    return target ? recordTitle(target) : v;
  }
  if (spec?.kind === 'money') return money(v, s.data.config.currency);
  if (typeof v === 'string' || typeof v === 'number') return displayValue(v, s.data.config.timezone);
  return cellText(v);
}

/** Column widths that fit `w`: natural widths, the widest shrunk first (not below 6). */
function widths(headers: string[], rows: string[][], w: number): number[] {
  const gap = 2;
  const ws = headers.map((h, i) => Math.max(textWidth(h), ...rows.map((r) => textWidth(r[i] ?? ''))));
  const budget = w - 2 - gap * (headers.length - 1);
  let total = ws.reduce((a, b) => a + b, 0);
  while (total > budget) {
    let wi = 0;
    for (let i = 1; i < ws.length; i++) if (ws[i]! > ws[wi]!) wi = i;
    if (ws[wi]! <= 6) break;
    ws[wi]!--;
    total--;
  }
  if (total < budget) ws[0]! += budget - total; // the title column takes the rest
  return ws;
}

export function listLines(s: State, w: number, h: number): Line[] {
  const l = s.list;
  const out: Line[] = [];
  const tabs: Line = [];
  for (const t of RECORD_TYPES) {
    const label = ` ${TYPES[t].folder} `;
    tabs.push(seg(label, t === l.type ? { inverse: true, bold: true } : { dim: true }));
  }
  out.push(tabs);
  const rows = listRows(s);
  const sort = l.query ? 'relevance' : (listSorts(l.type)[l.sort]?.label ?? 'name');
  const all = listKeys(s.data, l.type).length;
  const filterText = l.query ? `filter: ${l.query}` : 'filter: (/ to type)';
  const owner = l.owner !== undefined ? `  owner: ${l.owner || 'unassigned'}` : '';
  out.push([seg(filterText, l.query ? { color: 'yellow' } : { dim: true }), seg(owner, { color: 'yellow' }), seg(`  sort: ${sort}  ${rows.length} of ${all}`, { dim: true })]);
  const fields = [...listColumns(l.type)];
  const bodyH = h - 3;
  const top = Math.max(0, Math.min(l.row - bodyH + 1, rows.length - bodyH));
  const start = Math.max(0, top);
  const visible = rows.slice(start, start + bodyH);
  const cells = visible.map((k) => {
    const r = s.data.byKey.get(k)!;
    return fields.map((f) => cell(r, f, s));
  });
  const ws = widths(fields, cells, w);
  out.push([seg(`  ${fields.map((f, i) => fit(f, ws[i]!)).join('  ')}`, { bold: true, underline: true })]);
  visible.forEach((k, i) => {
    const selected = k === l.key;
    const text = `${selected ? '▸ ' : '  '}${cells[i]!.map((c, j) => fit(c, ws[j]!)).join('  ')}`;
    out.push([seg(fit(text, w), selected ? { inverse: true } : {})]);
  });
  if (rows.length === 0) {
    out.push([seg(l.query || l.owner !== undefined ? '  Nothing matches (esc clears the filter).' : `  No ${TYPES[l.type].folder} yet.`, { dim: true })]);
  }
  return out;
}

export function ListScreen({ state, width, height }: { state: State; width: number; height: number }) {
  return <Lines lines={listLines(state, width, height)} />;
}
