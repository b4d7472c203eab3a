/**
 * What the TUI shows, computed from the records (pure): the three boards
 * (columns of cards, column totals, folded summaries), the record lists and
 * lookups by `type/id`. Built once per load; the reducer navigates it.
 */
import type { Config } from '../model/config.js';
import { historyOf, recordTitle, type CrmRecord } from '../model/record.js';
import { TYPES, type RecordType } from '../model/schema.js';
import { instantOf } from '../model/validate.js';
import { caseSla, formatDuration, isCaseOpen, timeToNext } from '../model/cases.js';

export type BoardId = 'pipeline' | 'leads' | 'cases';
export const BOARDS: readonly BoardId[] = ['pipeline', 'leads', 'cases'];

/** How urgent a case is against its SLA (from the cases model when present). */
export interface SlaInfo {
  /** Smaller is more urgent (e.g. milliseconds until the next target). */
  urgency: number;
  breached: boolean;
  /** Short text for the card: "due 3h", "breached 5h". */
  label: string;
}

export interface Card {
  key: string;
  type: RecordType;
  id: string;
  title: string;
  /** Account name (opportunities, cases) or company (leads). */
  sub: string;
  amount?: number;
  owner?: string;
  /** Whole days since the record entered its current stage / status. */
  days?: number;
  /** Short extra text: priority, SLA, source, score. */
  extra?: string;
  /** Marks a card that needs attention (an SLA breach). */
  alert?: boolean;
  /** Lowercase text the board's `/` filter matches against. */
  search: string;
}

export interface Column {
  id: string;
  title: string;
  keys: string[];
  /** Stage probability (pipeline only). */
  probability?: number;
}

export interface Summary {
  label: string;
  count: number;
  amount?: number;
}

export interface Board {
  id: BoardId;
  /** Every value of the lifecycle in order (columns and folded ones): moves go along this. */
  order: string[];
  columns: Column[];
  summary: Summary[];
  owners: string[];
}

export interface TuiData {
  config: Config;
  now: Date;
  records: CrmRecord[];
  byKey: Map<string, CrmRecord>;
  cards: Map<string, Card>;
  boards: Record<BoardId, Board>;
  /** Files that could not be read as records. */
  skipped: number;
}

export interface BuildOptions {
  config: Config;
  now: Date;
  skipped?: number;
}

/** A case's SLA for its card: the next running clock (src/model/cases.ts). */
export function slaInfo(r: CrmRecord, config: Config, now: Date): SlaInfo | undefined {
  if (!isCaseOpen(r.data)) return undefined;
  const sla = caseSla(r.data, config, now);
  if (sla.state === 'none') return undefined;
  const next = sla.next;
  // "due 4h" / "late 1d": the next running clock, to its largest unit (the record view has the details)
  const label = next ? `${next.breached ? 'late' : 'due'} ${formatDuration(next.hours_left * 3_600_000).split(' ')[0]}` : '';
  return { urgency: timeToNext(sla), breached: sla.state === 'breached', label };
}

const DAY = 86_400_000;

export function amountOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v && typeof v === 'object' && typeof (v as { amount?: unknown }).amount === 'number') return (v as { amount: number }).amount;
  return undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** Whole days since the last history entry (the current stage / status). */
export function daysInStage(r: CrmRecord, now: Date): number | undefined {
  const h = historyOf(r);
  const last = h[h.length - 1];
  const at = last ? instantOf(last.at) : instantOf(r.data.created);
  if (at === undefined) return undefined;
  return Math.max(0, Math.floor((now.getTime() - at) / DAY));
}

export function keyOf(r: { type: RecordType; id: string }): string {
  return `${r.type}/${r.id}`;
}

function titleOf(byKey: Map<string, CrmRecord>, type: RecordType, id: unknown): string {
  if (typeof id !== 'string' || !id) return '';
  const r = byKey.get(`${type}/${id}`);
  return r ? recordTitle(r) : id;
}

function card(r: CrmRecord, byKey: Map<string, CrmRecord>, now: Date, extra?: string, alert?: boolean): Card {
  const sub = r.type === 'lead' ? str(r.data.company) : titleOf(byKey, 'account', r.data.account);
  const title = recordTitle(r);
  const owner = str(r.data.owner) || undefined;
  const amount = amountOf(r.data.amount);
  const days = daysInStage(r, now);
  return {
    key: keyOf(r),
    type: r.type,
    id: r.id,
    title,
    sub,
    ...(amount !== undefined ? { amount } : {}),
    ...(owner ? { owner } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(extra ? { extra } : {}),
    ...(alert ? { alert } : {}),
    search: [title, sub, owner ?? '', r.id, extra ?? ''].join(' ').toLowerCase(),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function capital(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1).replace(/[-_]/g, ' ') : s;
}

function sortedOwners(cards: Iterable<Card>): string[] {
  const set = new Set<string>();
  for (const c of cards) if (c.owner) set.add(c.owner);
  return [...set].sort();
}

const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

function pipelineBoard(opps: CrmRecord[], o: BuildOptions, byKey: Map<string, CrmRecord>, cards: Map<string, Card>): Board {
  const stages = o.config.pipeline.stages;
  const openStages = stages.filter((s) => !s.closed);
  const columns: Column[] = openStages.map((s) => ({ id: s.id, title: capital(s.id), keys: [], probability: s.probability }));
  const byStage = new Map(columns.map((c) => [c.id, c]));
  const closed = new Map<string, Summary>();
  for (const s of stages) if (s.closed) closed.set(s.id, { label: s.id, count: 0, amount: 0 });
  const open: CrmRecord[] = [];
  for (const r of opps) {
    const stage = str(r.data.stage);
    if (byStage.has(stage)) open.push(r);
    else if (closed.has(stage)) {
      const s = closed.get(stage)!;
      s.count++;
      s.amount = (s.amount ?? 0) + (amountOf(r.data.amount) ?? 0);
    }
  }
  // soonest expected close first, then by name
  const closeOf = (r: CrmRecord) => str(r.data.expected_close) || '9999';
  const sorted = open.map((r) => ({ r, close: closeOf(r), title: recordTitle(r) })).sort((a, b) => (a.close < b.close ? -1 : a.close > b.close ? 1 : collator.compare(a.title, b.title)));
  const own: Card[] = [];
  for (const { r } of sorted) {
    const c = card(r, byKey, o.now, str(r.data.expected_close) ? `close ${str(r.data.expected_close)}` : undefined);
    cards.set(c.key, c);
    byStage.get(str(r.data.stage))!.keys.push(c.key);
    own.push(c);
  }
  return { id: 'pipeline', order: stages.map((s) => s.id), columns, summary: [...closed.values()], owners: sortedOwners(own) };
}

const TERMINAL_LEAD = new Set(['disqualified', 'converted']);

function leadsBoard(leads: CrmRecord[], o: BuildOptions, byKey: Map<string, CrmRecord>, cards: Map<string, Card>): Board {
  const statuses = [...(o.config.values.lead.status ?? ['new', 'contacted', 'qualified', 'disqualified', 'converted'])];
  const columns: Column[] = statuses.filter((s) => !TERMINAL_LEAD.has(s)).map((s) => ({ id: s, title: capital(s), keys: [] }));
  const byStatus = new Map(columns.map((c) => [c.id, c]));
  const folded = new Map<string, Summary>(statuses.filter((s) => TERMINAL_LEAD.has(s)).map((s) => [s, { label: s, count: 0 }]));
  const score = (r: CrmRecord) => (typeof r.data.score === 'number' ? r.data.score : -1);
  const open: CrmRecord[] = [];
  for (const r of leads) {
    const status = str(r.data.status);
    if (byStatus.has(status)) open.push(r);
    else {
      const f = folded.get(status);
      if (f) f.count++;
    }
  }
  // highest score first, then the oldest
  const sorted = open.sort((a, b) => score(b) - score(a) || cmp(str(a.data.created), str(b.data.created)) || cmp(a.id, b.id));
  const own: Card[] = [];
  for (const r of sorted) {
    const bits = [typeof r.data.score === 'number' ? `${r.data.score}pt` : '', str(r.data.source)].filter(Boolean);
    const c = card(r, byKey, o.now, bits.join(' ') || undefined);
    cards.set(c.key, c);
    byStatus.get(str(r.data.status))!.keys.push(c.key);
    own.push(c);
  }
  return { id: 'leads', order: statuses, columns, summary: [...folded.values()], owners: sortedOwners(own) };
}

function casesBoard(cases: CrmRecord[], o: BuildOptions, byKey: Map<string, CrmRecord>, cards: Map<string, Card>): Board {
  const statuses = [...(o.config.values.case.status ?? ['new', 'open', 'pending', 'resolved', 'closed'])];
  const columns: Column[] = statuses.filter((s) => s !== 'closed').map((s) => ({ id: s, title: capital(s), keys: [] }));
  const byStatus = new Map(columns.map((c) => [c.id, c]));
  const closed: Summary = { label: 'closed', count: 0 };
  const open: CrmRecord[] = [];
  for (const r of cases) {
    if (byStatus.has(str(r.data.status))) open.push(r);
    else if (str(r.data.status) === 'closed') closed.count++;
  }
  const info = new Map<string, SlaInfo | undefined>();
  for (const r of open) info.set(r.id, slaInfo(r, o.config, o.now));
  const urgency = (r: CrmRecord) => info.get(r.id)?.urgency ?? Number.POSITIVE_INFINITY;
  const prio = (r: CrmRecord) => PRIORITY_RANK[str(r.data.priority) || 'normal'] ?? 2;
  // the most urgent SLA first, then priority, then the oldest
  const sorted = open.sort((a, b) => {
    const ua = urgency(a);
    const ub = urgency(b);
    if (ua !== ub) return ua < ub ? -1 : 1;
    return prio(a) - prio(b) || cmp(str(a.data.created), str(b.data.created)) || cmp(a.id, b.id);
  });
  const own: Card[] = [];
  for (const r of sorted) {
    const sla = info.get(r.id);
    const priority = str(r.data.priority) || 'normal';
    const extra = [priority, sla?.label ?? ''].filter(Boolean).join(' ');
    const c = card(r, byKey, o.now, extra, sla?.breached);
    cards.set(c.key, c);
    byStatus.get(str(r.data.status))!.keys.push(c.key);
    own.push(c);
  }
  return { id: 'cases', order: statuses, columns, summary: [closed], owners: sortedOwners(own) };
}

/** Everything the screens show, from the loaded records. */
export function buildData(records: CrmRecord[], o: BuildOptions): TuiData {
  const byKey = new Map<string, CrmRecord>();
  for (const r of records) byKey.set(keyOf(r), r);
  const cards = new Map<string, Card>();
  const byType = new Map<RecordType, CrmRecord[]>();
  for (const r of records) {
    const l = byType.get(r.type);
    if (l) l.push(r);
    else byType.set(r.type, [r]);
  }
  const of = (t: RecordType) => byType.get(t) ?? [];
  const boards = {
    pipeline: pipelineBoard(of('opportunity'), o, byKey, cards),
    leads: leadsBoard(of('lead'), o, byKey, cards),
    cases: casesBoard(of('case'), o, byKey, cards),
  };
  return { config: o.config, now: o.now, records, byKey, cards, boards, skipped: o.skipped ?? 0 };
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const listCache = new WeakMap<TuiData, Map<RecordType, { keys: string[]; owners: string[] }>>();

function list(data: TuiData, type: RecordType): { keys: string[]; owners: string[] } {
  let m = listCache.get(data);
  if (!m) {
    m = new Map();
    listCache.set(data, m);
  }
  let l = m.get(type);
  if (!l) {
    const rs = data.records.filter((r) => r.type === type);
    if (type === 'interaction') rs.sort((a, b) => str(b.data.at).localeCompare(str(a.data.at)) || a.id.localeCompare(b.id));
    else {
      const titles = new Map(rs.map((r) => [r, recordTitle(r)]));
      rs.sort((a, b) => collator.compare(titles.get(a)!, titles.get(b)!) || a.id.localeCompare(b.id));
    }
    l = { keys: rs.map(keyOf), owners: [...new Set(rs.map((r) => str(r.data.owner)).filter(Boolean))].sort() };
    m.set(type, l);
  }
  return l;
}

/** Keys of the records of a type in title order (interactions: newest first); computed when first asked. */
export function listKeys(data: TuiData, type: RecordType): string[] {
  return list(data, type).keys;
}

/** Owners seen among the records of a type (for the lists' owner filter). */
export function listOwners(data: TuiData, type: RecordType): string[] {
  return list(data, type).owners;
}

/** Count, total amount and weighted total (amount × stage probability) of a column's cards. */
export function columnTotals(data: TuiData, column: Column, keys: readonly string[] = column.keys): { count: number; total: number; weighted: number } {
  let total = 0;
  for (const k of keys) total += data.cards.get(k)?.amount ?? 0;
  return { count: keys.length, total, weighted: total * (column.probability ?? 0) };
}

/** The list columns of a record type (TYPES[type].columns). */
export function listColumns(type: RecordType): readonly string[] {
  return TYPES[type].columns;
}
