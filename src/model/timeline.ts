/**
 * Timelines (pure): one list of what happened to a record and everything
 * linked to it, newest first. It merges
 * - interactions (and tasks: created, done) linked to any record in scope,
 * - history transitions of every record in scope (the first entry, without
 *   `from`, is the record's creation), and `created` of records without a
 *   lifecycle (contacts),
 * - conversions of leads (a lead's move to `converted` is shown once, as
 *   the conversion with its links).
 *
 * Scope: an account with its contacts, opportunities, cases and the leads
 * converted into any of them; a contact with its cases, opportunities and
 * the leads converted into it; an opportunity with the lead it came from;
 * a lead, case or campaign alone.
 */
import type { Data } from './frontmatter.js';
import { interactionLinks, isTask } from './interactions.js';
import { historyOf, recordTitle, type CrmRecord } from './record.js';
import type { RecordType } from './schema.js';
import { instantOf } from './validate.js';

export type TimelineKind = 'interaction' | 'task' | 'task-done' | 'created' | 'transition' | 'conversion';

export interface TimelineEntry {
  /** The moment as written in the file. */
  at: string;
  kind: TimelineKind;
  /** The record the event belongs to. */
  record: { type: RecordType; id: string; title: string };
  /** Interactions: call, email, …; tasks: task. */
  interaction_kind?: string;
  direction?: string;
  subject?: string;
  outcome?: string;
  contacts?: string[];
  due?: string;
  /** Transitions. */
  from?: string;
  to?: string;
  note?: string;
  /** Who: the history entry's `by`, or the interaction's owner. */
  by?: string;
  /** Conversions: the records the lead became. */
  converted?: { account?: string; contact?: string; opportunity?: string };
  /** One line for people (without the record's name). */
  summary: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function key(type: string, id: string): string {
  return `${type}/${id}`;
}

function refList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return typeof v === 'string' && v ? [v] : [];
}

function convertedMap(data: Data): { at?: string; account?: string; contact?: string; opportunity?: string } | undefined {
  const c = data.converted;
  if (!c || typeof c !== 'object' || Array.isArray(c)) return undefined;
  const m = c as Data;
  const out: { at?: string; account?: string; contact?: string; opportunity?: string } = {};
  for (const k of ['at', 'account', 'contact', 'opportunity'] as const) {
    const v = str(m[k]);
    if (v) out[k] = v;
  }
  return out;
}

/** The `type/id` keys whose events make up the timeline of `target`. */
export function timelineScope(target: CrmRecord, records: readonly CrmRecord[]): Set<string> {
  const scope = new Set<string>([key(target.type, target.id)]);
  const add = (r: CrmRecord) => scope.add(key(r.type, r.id));
  if (target.type === 'account') {
    const contacts = new Set<string>();
    const opps = new Set<string>();
    for (const r of records) {
      if (r.data.account !== target.id) continue;
      if (r.type === 'contact') contacts.add(r.id);
      if (r.type === 'opportunity') opps.add(r.id);
      if (r.type === 'contact' || r.type === 'opportunity' || r.type === 'case') add(r);
    }
    for (const r of records) {
      if (r.type !== 'lead') continue;
      const c = convertedMap(r.data);
      if (!c) continue;
      if (c.account === target.id || (c.contact && contacts.has(c.contact)) || (c.opportunity && opps.has(c.opportunity))) add(r);
    }
  } else if (target.type === 'contact') {
    for (const r of records) {
      if (r.type === 'case' && r.data.contact === target.id) add(r);
      if (r.type === 'opportunity' && refList(r.data.contacts).includes(target.id)) add(r);
      if (r.type === 'lead' && convertedMap(r.data)?.contact === target.id) add(r);
    }
  } else if (target.type === 'opportunity') {
    const lead = str(target.data.lead);
    for (const r of records) {
      if (r.type !== 'lead') continue;
      if (r.id === lead || convertedMap(r.data)?.opportunity === target.id) add(r);
    }
  }
  return scope;
}

function interactionSummary(r: CrmRecord, names: (type: RecordType, id: string) => string): string {
  const d = r.data;
  const kind = str(d.kind) ?? 'interaction';
  const dir = d.direction === 'inbound' ? ' in' : d.direction === 'outbound' ? ' out' : '';
  const contacts = refList(d.contacts).map((c) => names('contact', c));
  const parts = [`${kind}${dir}`];
  if (contacts.length > 0) parts.push(`with ${contacts.join(', ')}`);
  let text = parts.join(' ');
  const subject = str(d.subject);
  if (subject) text += `: ${subject}`;
  const outcome = str(d.outcome);
  if (outcome) text += ` — ${outcome}`;
  return text;
}

interface Sortable {
  entry: TimelineEntry;
  instant: number;
  /** Order within one record: later history entries come first on ties. */
  seq: number;
}

/**
 * Build the timeline of `target`, newest first. Ties (the same instant) are
 * broken by record (`type/id`), then by the order within the record (a later
 * history entry first).
 */
export function buildTimeline(target: CrmRecord, records: readonly CrmRecord[]): TimelineEntry[] {
  const byKey = new Map(records.map((r) => [key(r.type, r.id), r]));
  const names = (type: RecordType, id: string): string => {
    const r = byKey.get(key(type, id));
    return r ? recordTitle(r) : id;
  };
  const scope = target.type === 'interaction' ? new Set<string>() : timelineScope(target, records);
  const out: Sortable[] = [];
  const push = (entry: TimelineEntry, seq: number) => {
    const instant = instantOf(entry.at);
    if (instant !== undefined) out.push({ entry, instant, seq });
  };

  for (const r of records) {
    const ref = { type: r.type, id: r.id, title: recordTitle(r) };
    if (r.type === 'interaction') {
      if (!interactionLinks(r).some((k) => scope.has(k))) continue;
      const d = r.data;
      const common = {
        record: ref,
        ...(str(d.owner) ? { by: str(d.owner)! } : {}),
        ...(str(d.subject) ? { subject: str(d.subject)! } : {}),
        ...(refList(d.contacts).length > 0 ? { contacts: refList(d.contacts) } : {}),
      };
      if (isTask(r)) {
        const due = str(d.due);
        const subject = str(d.subject) ?? recordTitle(r);
        push({ at: String(d.at ?? ''), kind: 'task', interaction_kind: 'task', ...common, ...(due ? { due } : {}), summary: `task: ${subject}${due ? ` (due ${due})` : ''}` }, 0);
        const done = str(d.done_at);
        if (done) push({ at: done, kind: 'task-done', interaction_kind: 'task', ...common, summary: `task done: ${subject}` }, 1);
        continue;
      }
      push(
        {
          at: String(d.at ?? ''),
          kind: 'interaction',
          interaction_kind: str(d.kind) ?? 'interaction',
          ...common,
          ...(str(d.direction) ? { direction: str(d.direction)! } : {}),
          ...(str(d.outcome) ? { outcome: str(d.outcome)! } : {}),
          summary: interactionSummary(r, names),
        },
        0,
      );
      continue;
    }
    if (!scope.has(key(r.type, r.id))) continue;
    const converted = r.type === 'lead' ? convertedMap(r.data) : undefined;
    const history = historyOf(r);
    history.forEach((h, i) => {
      const at = str(h.at);
      const to = str(h.to);
      if (!at || !to) return;
      if (converted && to === 'converted') return; // shown as the conversion
      const by = str(h.by);
      const note = str(h.note);
      const from = str(h.from);
      if (from === undefined && i === 0) {
        push({ at, kind: 'created', record: ref, to, ...(by ? { by } : {}), ...(note ? { note } : {}), summary: `${r.type} created (${to})${note ? ` — ${note}` : ''}` }, i);
      } else {
        push(
          {
            at,
            kind: 'transition',
            record: ref,
            ...(from ? { from } : {}),
            to,
            ...(by ? { by } : {}),
            ...(note ? { note } : {}),
            summary: `${from ?? '?'} → ${to}${note ? ` — ${note}` : ''}`,
          },
          i,
        );
      }
    });
    if (history.length === 0 && str(r.data.created)) {
      const owner = str(r.data.owner);
      push({ at: str(r.data.created)!, kind: 'created', record: ref, ...(owner ? { by: owner } : {}), summary: `${r.type} created` }, 0);
    }
    if (converted) {
      const entry = history.find((h) => h.to === 'converted');
      const at = converted.at ?? str(entry?.at);
      if (at) {
        const links = (['contact', 'account', 'opportunity'] as const).filter((k) => converted[k]).map((k) => `${k} ${names(k, converted[k]!)}`);
        const by = str(entry?.by);
        push(
          {
            at,
            kind: 'conversion',
            record: ref,
            ...(entry?.from ? { from: String(entry.from) } : {}),
            to: 'converted',
            ...(by ? { by } : {}),
            converted: {
              ...(converted.account ? { account: converted.account } : {}),
              ...(converted.contact ? { contact: converted.contact } : {}),
              ...(converted.opportunity ? { opportunity: converted.opportunity } : {}),
            },
            summary: `lead converted${links.length > 0 ? ` → ${links.join(', ')}` : ''}`,
          },
          history.length,
        );
      }
    }
  }
  out.sort((a, b) => {
    if (a.instant !== b.instant) return b.instant - a.instant;
    const ka = key(a.entry.record.type, a.entry.record.id);
    const kb = key(b.entry.record.type, b.entry.record.id);
    if (ka !== kb) return ka < kb ? -1 : 1;
    return b.seq - a.seq;
  });
  return out.map((s) => s.entry);
}
