/**
 * The record view as data (pure): the record's fields, the records it
 * refers to, the records that refer to it, and its timeline. Lines that name
 * another record carry its key, so `enter` can open it.
 */
import type { CrmRecord } from '../model/record.js';
import { historyOf, recordTitle, referencesOf } from '../model/record.js';
import { TYPES, orderKeys, type RecordType } from '../model/schema.js';
import { displayValue, money } from '../format/values.js';
import { amountOf, keyOf, type TuiData } from './view.js';

export interface TimelineLine {
  /** ISO timestamp or date; shown in the CRM's time zone. */
  at: string;
  text: string;
  /** The record this entry is (an interaction), opened with enter. */
  target?: string;
}

/** Supplied by the timeline model (src/model/timeline.ts) when present. */
export type TimelineSource = (record: CrmRecord, records: readonly CrmRecord[]) => TimelineLine[];

export interface ViewLine {
  text: string;
  /** Label column (field name), if any. */
  label?: string;
  /** Key of the record this line opens. */
  target?: string;
  /** Section heading. */
  heading?: boolean;
  dim?: boolean;
}

export interface RecordView {
  key: string;
  title: string;
  subtitle: string;
  lines: ViewLine[];
  /** Indexes into `lines` of the selectable ones (those with a target). */
  selectable: number[];
}

const HIDDEN = new Set(['history']);

function fieldText(r: CrmRecord, key: string, value: unknown, data: TuiData): string {
  const spec = TYPES[r.type].fields[key];
  if (spec?.kind === 'money' || key === 'amount' || key === 'budget' || key === 'cost') {
    if (amountOf(value) !== undefined) return money(value, data.config.currency);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${displayValue(v, data.config.timezone)}`)
      .join(', ');
  }
  return displayValue(value, data.config.timezone);
}

/** Records referring to `r` (contacts of an account, its opportunities, cases, interactions…). */
export function referrers(r: CrmRecord, records: readonly CrmRecord[]): CrmRecord[] {
  const out: CrmRecord[] = [];
  for (const other of records) {
    if (other === r || other.type === 'interaction') continue;
    if (referencesOf(other).some((ref) => ref.type === r.type && ref.id === r.id)) out.push(other);
  }
  return out;
}

function interactionsOf(r: CrmRecord, records: readonly CrmRecord[]): CrmRecord[] {
  return records.filter((o) => o.type === 'interaction' && referencesOf(o).some((ref) => ref.type === r.type && ref.id === r.id));
}

/** Our own small timeline (lifecycle history + linked interactions), used until the timeline model is available. */
export function basicTimeline(r: CrmRecord, records: readonly CrmRecord[]): TimelineLine[] {
  const out: TimelineLine[] = [];
  for (const h of historyOf(r)) {
    out.push({ at: String(h.at), text: `${h.from ? `${h.from} → ` : ''}${h.to}${h.by ? ` by ${h.by}` : ''}${h.note ? ` (${h.note})` : ''}` });
  }
  for (const i of interactionsOf(r, records)) {
    const kind = typeof i.data.kind === 'string' ? i.data.kind : 'interaction';
    const subject = typeof i.data.subject === 'string' ? i.data.subject : '';
    const done = kind === 'task' ? (i.data.done_at ? ' ✓' : i.data.due ? ` due ${String(i.data.due)}` : '') : '';
    out.push({ at: typeof i.data.at === 'string' ? i.data.at : '', text: `${kind}${subject ? `: ${subject}` : ''}${done}`, target: keyOf(i) });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

export function recordView(data: TuiData, key: string, timeline: TimelineSource = basicTimeline): RecordView | undefined {
  const r = data.byKey.get(key);
  if (!r) return undefined;
  const lines: ViewLine[] = [];
  const keys = orderKeys(r.type, Object.keys(r.data)).filter((k) => !HIDDEN.has(k));
  const refs = new Map(referencesOf(r).map((x) => [x.key, x]));
  for (const k of keys) {
    const v = r.data[k];
    if (v === null || v === undefined || v === '') continue;
    const ref = refs.get(k);
    if (ref) {
      const target = data.byKey.get(`${ref.type}/${ref.id}`);
      lines.push({ label: k, text: target ? `${recordTitle(target)} (${ref.id})` : `${ref.id} (missing)`, ...(target ? { target: keyOf(target) } : {}) });
      continue;
    }
    // List references (contacts: [a, b]) get one line each, each openable.
    const listRefs = referencesOf({ type: r.type, data: { [k]: v } }).filter((x) => x.key === k);
    if (listRefs.length > 1 || (listRefs.length === 1 && Array.isArray(v))) {
      for (const x of listRefs) {
        const target = data.byKey.get(`${x.type}/${x.id}`);
        lines.push({ label: k, text: target ? `${recordTitle(target)} (${x.id})` : `${x.id} (missing)`, ...(target ? { target: keyOf(target) } : {}) });
      }
      continue;
    }
    for (const [sub, x] of refs) {
      if (!sub.startsWith(`${k}.`)) continue;
      const target = data.byKey.get(`${x.type}/${x.id}`);
      lines.push({ label: sub, text: target ? `${recordTitle(target)} (${x.id})` : `${x.id} (missing)`, ...(target ? { target: keyOf(target) } : {}) });
    }
    if ([...refs.keys()].some((s) => s.startsWith(`${k}.`))) continue;
    lines.push({ label: k, text: fieldText(r, k, v, data) });
  }
  const related = referrers(r, data.records);
  if (related.length > 0) {
    lines.push({ text: `Related (${related.length})`, heading: true });
    const order: RecordType[] = ['contact', 'opportunity', 'case', 'lead', 'account', 'campaign'];
    related.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type) || recordTitle(a).localeCompare(recordTitle(b)));
    for (const o of related) {
      const state = typeof o.data.stage === 'string' ? o.data.stage : typeof o.data.status === 'string' ? o.data.status : '';
      lines.push({ label: o.type, text: `${recordTitle(o)}${state ? ` · ${state}` : ''}`, target: keyOf(o) });
    }
  }
  const entries = timeline(r, data.records);
  lines.push({ text: `Timeline (${entries.length})`, heading: true });
  if (entries.length === 0) lines.push({ text: 'nothing yet: press i to log an interaction', dim: true });
  for (const e of entries) {
    lines.push({ label: displayValue(e.at, data.config.timezone), text: e.text, ...(e.target ? { target: e.target } : {}) });
  }
  if (r.body.trim()) {
    lines.push({ text: 'Notes', heading: true });
    for (const l of r.body.trim().split('\n')) lines.push({ text: l });
  }
  const selectable: number[] = [];
  lines.forEach((l, i) => {
    if (l.target) selectable.push(i);
  });
  const state = r.data[TYPES[r.type].lifecycle ?? ''];
  return {
    key,
    title: recordTitle(r),
    subtitle: `${r.type} ${r.id}${typeof state === 'string' ? ` · ${state}` : ''} · ${r.path}`,
    lines,
    selectable,
  };
}
