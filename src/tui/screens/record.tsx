/**
 * The record view: title, fields, the customer card and the timeline.
 * j/k move between the lines that name another record; enter opens it.
 */
import { fit, seg, type Line, Lines } from '../lines.js';
import { currentRecordView, type RecordScreen, type State } from '../state.js';

const LABEL = 18;

export function recordLines(s: State, screen: RecordScreen, w: number, h: number): Line[] {
  const view = currentRecordView(s, screen.key);
  if (!view) return [[seg(`${screen.key} no longer exists.`, { dim: true })]];
  const out: Line[] = [];
  const depth = s.stack.length > 1 ? `${'‹ '.repeat(s.stack.length - 1)}` : '';
  out.push([seg(depth, { dim: true }), seg(view.title, { bold: true, color: 'cyan' }), seg(`  ${view.subtitle}`, { dim: true })]);
  const selectedLine = view.selectable[screen.item];
  const bodyH = h - 1;
  let top = 0;
  if (selectedLine !== undefined && selectedLine >= bodyH - 1) top = Math.min(selectedLine - bodyH + 2, Math.max(0, view.lines.length - bodyH));
  const labelW = Math.min(LABEL, Math.max(8, Math.floor(w / 4)));
  view.lines.slice(top, top + bodyH).forEach((l, i) => {
    const index = top + i;
    if (l.heading) {
      out.push([seg(fit(l.text, w), { bold: true, underline: true })]);
      return;
    }
    const selected = index === selectedLine;
    const marker = selected ? '▸ ' : l.target ? '› ' : '  ';
    const label = l.label !== undefined ? fit(l.label, labelW) + ' ' : '';
    const style = selected ? { inverse: true } : l.alert ? { color: 'red' as const } : l.dim ? { dim: true } : l.target ? { color: 'blue' as const } : {};
    out.push([seg(marker, selected ? { inverse: true } : { dim: true }), seg(label, selected ? { inverse: true } : { dim: true }), seg(fit((l.alert ? '! ' : '') + l.text, Math.max(0, w - 2 - label.length)), style)]);
  });
  return out;
}

export function RecordScreenView({ state, screen, width, height }: { state: State; screen: RecordScreen; width: number; height: number }) {
  return <Lines lines={recordLines(state, screen, width, height)} />;
}
