/**
 * The record view as data (pure): the record's fields, then its customer
 * card (src/model/card.ts: contacts, open deals, open cases with SLA, open
 * tasks, revenue) and its timeline. Lines that name another record carry
 * its key, so `enter` can open it.
 */
import { buildCard } from '../model/card.js';
import { slaLines } from '../model/cases.js';
import type { CrmRecord } from '../model/record.js';
import { recordTitle, referencesOf } from '../model/record.js';
import { TYPES, orderKeys } from '../model/schema.js';
import { displayValue, money } from '../format/values.js';
import { formatNumber } from '../format/text.js';
import { amountOf, type TuiData } from './view.js';

export interface ViewLine {
  text: string;
  /** Label column (field name, date), if any. */
  label?: string;
  /** Key of the record this line opens. */
  target?: string;
  /** Section heading. */
  heading?: boolean;
  dim?: boolean;
  alert?: boolean;
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
  if (spec?.kind === 'money' && amountOf(value) !== undefined) return money(value, data.config.currency);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}: ${displayValue(v, data.config.timezone)}`)
      .join(', ');
  }
  return displayValue(value, data.config.timezone);
}

function refLine(data: TuiData, label: string, type: string, id: string): ViewLine {
  const target = data.byKey.get(`${type}/${id}`);
  return target ? { label, text: `${recordTitle(target)} (${id})`, target: `${type}/${id}` } : { label, text: `${id} (missing)`, dim: true };
}

function fieldLines(r: CrmRecord, data: TuiData): ViewLine[] {
  const lines: ViewLine[] = [];
  const refs = referencesOf(r);
  for (const k of orderKeys(r.type, Object.keys(r.data))) {
    if (HIDDEN.has(k)) continue;
    const v = r.data[k];
    if (v === null || v === undefined || v === '') continue;
    const own = refs.filter((x) => x.key === k || x.key.startsWith(`${k}.`));
    if (own.length > 0) {
      for (const x of own) lines.push(refLine(data, x.key, x.type, x.id));
      // a map with references (lead.converted) keeps its other keys on one line
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const rest = Object.entries(v as Record<string, unknown>).filter(([sub]) => !own.some((x) => x.key === `${k}.${sub}`));
        if (rest.length > 0) lines.push({ label: k, text: rest.map(([sub, x]) => `${sub}: ${displayValue(x, data.config.timezone)}`).join(', ') });
      }
      continue;
    }
    lines.push({ label: k, text: fieldText(r, k, v, data) });
  }
  return lines;
}

function amountText(amount: number | null, currency: string): string {
  return amount === null ? '' : `${formatNumber(amount)} ${currency}`;
}

export function recordView(data: TuiData, key: string): RecordView | undefined {
  const r = data.byKey.get(key);
  if (!r) return undefined;
  const tz = data.config.timezone;
  const lines: ViewLine[] = fieldLines(r, data);
  const card = buildCard(r, data.records, data.config, data.now);
  const section = (title: string, body: ViewLine[]) => {
    if (body.length === 0) return;
    lines.push({ text: title, heading: true }, ...body);
  };
  if (card.sla) {
    section(
      'SLA',
      slaLines(card.sla).map((l) => ({ label: l.clock, text: `${l.status} (target ${l.target}, due ${displayValue(l.due, tz)})`, alert: l.status.includes('overdue') })),
    );
  }
  if (card.lifecycle?.customer_since) {
    section('Customer', [{ label: 'since', text: `${card.lifecycle.customer_since}${card.lifecycle.churned_on ? `, churned ${card.lifecycle.churned_on}` : ''}` }]);
  }
  if (card.contacts && r.type !== 'opportunity' && r.type !== 'case') {
    section(`Contacts (${card.contacts.length})`, card.contacts.map((c) => ({ label: 'contact', text: [c.name, c.title, c.email].filter(Boolean).join(' · '), target: `contact/${c.id}` })));
  }
  if (card.opportunities) {
    section(
      `Open opportunities (${card.opportunities.length})`,
      card.opportunities.map((o) => ({ label: o.stage ?? '', text: [o.name, amountText(o.amount, o.currency), o.expected_close ? `close ${o.expected_close}` : ''].filter(Boolean).join(' · '), target: `opportunity/${o.id}` })),
    );
  }
  if (card.cases) {
    section(
      `Open cases (${card.cases.length})`,
      card.cases.map((c) => ({ label: c.status ?? '', text: `${c.subject} · ${c.priority}`, target: `case/${c.id}`, alert: c.sla.state === 'breached' })),
    );
  }
  if (card.tasks) {
    section(
      `Open tasks (${card.tasks.length})`,
      card.tasks.map((t) => ({ label: t.due ? displayValue(t.due, tz) : 'no due date', text: `${t.subject}${t.owner ? ` · ${t.owner}` : ''}`, target: `interaction/${t.id}`, alert: t.bucket === 'overdue' })),
    );
  }
  if (card.lifetime_revenue && card.lifetime_revenue.won > 0) {
    section('Revenue', [{ label: 'lifetime', text: `${formatNumber(card.lifetime_revenue.amount)} ${card.lifetime_revenue.currency} from ${card.lifetime_revenue.won} won` }]);
  }
  if (r.type !== 'interaction') {
    lines.push({ text: `Timeline (${card.timeline.length})`, heading: true });
    if (card.timeline.length === 0) lines.push({ text: 'nothing yet: press i to log an interaction', dim: true });
    for (const e of card.timeline) {
      const own = e.record.type === r.type && e.record.id === r.id;
      const text = own || e.record.type === 'interaction' ? e.summary : `${e.record.title}: ${e.summary}`;
      const opens = !own || e.record.type === 'interaction';
      lines.push({ label: displayValue(e.at, tz), text, ...(opens ? { target: `${e.record.type}/${e.record.id}` } : {}) });
    }
  }
  if (r.body.trim()) {
    lines.push({ text: 'Notes', heading: true });
    for (const l of r.body.trim().split('\n')) lines.push({ text: l });
  }
  const selectable: number[] = [];
  lines.forEach((l, i) => {
    if (l.target) selectable.push(i);
  });
  const state = TYPES[r.type].lifecycle ? r.data[TYPES[r.type].lifecycle!] : undefined;
  return {
    key,
    title: recordTitle(r),
    subtitle: `${r.type} · ${typeof state === 'string' ? `${state} · ` : ''}${r.path}`,
    lines,
    selectable,
  };
}
