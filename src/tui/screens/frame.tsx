/**
 * What surrounds every screen: the tab bar, the status line and the footer
 * of key hints; and what can cover a screen: the `?` keymap (generated from
 * the keymap data), forms, and the duplicate picker.
 */
import { helpFor, hintsFor, keyLabel, type Binding, type ScreenKind } from '../keymap.js';
import { fit, seg, sideBySide, width as textWidth, type Line } from '../lines.js';
import { TABS, TAB_TITLES, type FormState, type Modal, type State } from '../state.js';

export function tabLine(s: State, title: string, w: number): Line {
  const line: Line = [];
  TABS.forEach((t, i) => {
    const active = t === s.tab;
    line.push(seg(` ${i + 1} ${TAB_TITLES[t]} `, active ? { inverse: true, bold: true } : { dim: true }));
  });
  const used = line.reduce((n, x) => n + textWidth(x.text), 0);
  const right = ` ${title}`;
  if (used + textWidth(right) < w) line.push(seg(' '.repeat(w - used - textWidth(right))), seg(right, { bold: true, color: 'cyan' }));
  return line;
}

export function statusLine(s: State, w: number): Line {
  const m = s.modal;
  if (m?.kind === 'filter') {
    return [seg('/', { bold: true, color: 'yellow' }), seg(`${m.text}▏`), seg('  enter keep · esc cancel · ctrl+u clear', { dim: true })];
  }
  if (s.pending) return [seg(fit(`⋯ ${s.status?.text ?? 'working…'}`, w), { color: 'yellow' })];
  if (m?.kind === 'help') return [seg(fit('any key closes this help', w), { dim: true })];
  const st = s.status;
  if (!st) {
    const skipped = s.data.skipped > 0 ? `${s.data.skipped} file${s.data.skipped === 1 ? '' : 's'} could not be read: run crm validate` : '';
    return [seg(fit(skipped, w), { color: 'yellow' })];
  }
  const mark = st.tone === 'error' ? '✗ ' : st.tone === 'ok' ? '✓ ' : '';
  return [seg(fit(mark + st.text, w), st.tone === 'error' ? { color: 'red', bold: true } : st.tone === 'ok' ? { color: 'green' } : {})];
}

export function footerLine(screen: ScreenKind, w: number, recordType?: string): Line {
  const hints = hintsFor(screen, recordType);
  const tail = hints.filter((h) => h.hint === 'help' || h.hint === 'quit');
  const head = hints.filter((h) => h.hint !== 'help' && h.hint !== 'quit');
  const render = (hs: typeof hints) => hs.map((h) => `${h.key} ${h.hint}`).join('  ');
  const right = render(tail);
  const parts: string[] = [];
  for (const h of head) {
    const next = [...parts, `${h.key} ${h.hint}`].join('  ');
    if (textWidth(next) + 2 + textWidth(right) > w) break;
    parts.push(`${h.key} ${h.hint}`);
  }
  const left = parts.join('  ');
  return [seg(left, { dim: true }), seg(' '.repeat(Math.max(1, w - textWidth(left) - textWidth(right)))), seg(right, { dim: true })];
}

function bindingLines(title: string, bindings: Binding[], w: number): Line[] {
  const keyW = Math.max(...bindings.map((b) => b.keys.map(keyLabel).join(' ').length)) + 2;
  const out: Line[] = [[seg(fit(title, w), { bold: true, underline: true })]];
  for (const b of bindings) {
    out.push([seg(fit(b.keys.map(keyLabel).join(' '), keyW), { color: 'cyan', bold: true }), seg(fit(b.help, w - keyW))]);
  }
  return out;
}

export function helpLines(screen: ScreenKind, w: number, h: number, recordType?: string): Line[] {
  const { local, global } = helpFor(screen, recordType);
  const name = screen === 'record' ? `the ${recordType ?? 'record'} view` : `the ${screen} screen`;
  if (w < 80) return [...bindingLines(`Keys on ${name}`, local, w), [], ...bindingLines('Everywhere', global, w)].slice(0, h);
  const lw = Math.floor(w / 2) - 1;
  const rw = w - lw - 1;
  // What does not fit on the left continues on the right, under the global keys.
  const fitsLeft = Math.max(1, h - 1);
  const left = bindingLines(`Keys on ${name}`, local.slice(0, fitsLeft), lw);
  const rest = local.slice(fitsLeft);
  const right = [...bindingLines('Everywhere', global, rw), ...(rest.length > 0 ? [[], ...bindingLines('More keys here', rest, rw)] : [])];
  return sideBySide([left, right], [lw, rw], Math.min(h, Math.max(left.length, right.length)), seg(' '));
}

function formLines(f: FormState, w: number): Line[] {
  const labelW = Math.max(...f.fields.map((x) => x.label.length)) + 2;
  const out: Line[] = [[seg(fit(f.title, w), { bold: true, color: 'cyan' })], []];
  f.fields.forEach((field, i) => {
    const focused = i === f.focus;
    const marker = focused ? '▸ ' : '  ';
    let value: string;
    if (field.options) value = `‹ ${field.value || '(none)'} ›`;
    else value = field.value + (focused ? '▏' : '') || (field.placeholder ? '' : '');
    const placeholder = !field.value && !field.options && field.placeholder ? field.placeholder : '';
    out.push([
      seg(marker, focused ? { color: 'cyan', bold: true } : {}),
      seg(fit(`${field.label}${field.required ? '*' : ''}`, labelW), { bold: focused }),
      seg(value, focused ? { underline: true } : {}),
      seg(placeholder ? ` ${placeholder}` : '', { dim: true }),
    ]);
  });
  out.push([]);
  if (f.error) out.push([seg(`✗ ${f.error}`, { color: 'red', bold: true })]);
  out.push([seg('tab/↓ next field · ←/→ choose · enter save · esc cancel', { dim: true })]);
  return out;
}

function pickLines(m: Extract<Modal, { kind: 'pick' }>, w: number): Line[] {
  const out: Line[] = [[seg(fit(m.title, w), { bold: true, color: 'cyan' })], []];
  m.options.forEach((o, i) => {
    const selected = i === m.index;
    out.push([seg(fit(`${selected ? '▸ ' : '  '}${o.label}`, w), selected ? { inverse: true } : {})]);
  });
  out.push([], [seg('↑/↓ choose · enter confirm · esc cancel (nothing is written)', { dim: true })]);
  return out;
}

/** The modal drawn over the screen's body, if it covers it (help, form, picker). */
export function modalLines(s: State, screen: ScreenKind, w: number, h: number): Line[] | undefined {
  const m = s.modal;
  if (!m || m.kind === 'filter') return undefined;
  const top = s.stack[s.stack.length - 1];
  if (m.kind === 'help') return helpLines(screen, w, h, top?.key.slice(0, top.key.indexOf('/')));
  if (m.kind === 'form') return formLines(m.form, w);
  return pickLines(m, w);
}
