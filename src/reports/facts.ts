/**
 * Records → facts: the fields reports need, parsed once (moments as epoch
 * ms, money as numbers in the CRM's currency), as the records stood at the
 * as-of moment. A record whose dates or amounts cannot be read is left out
 * and listed in `skipped` so the caller can say so; nothing is dropped
 * silently. Pure: only `type`, `id` and `data` of a record are read.
 */
import type { Config } from '../model/config.js';
import type { Data } from '../model/frontmatter.js';
import type { RecordType } from '../model/schema.js';
import { endOfDay, isDate, parseTimestamp, startOfDay } from './time.js';

/** What reports read of a record (a CrmRecord fits). */
export interface ReportRecord {
  type: RecordType;
  id: string;
  data: Data;
}

/** One transition: the record entered `to` at `at`. */
export interface Entry {
  at: number;
  to: string;
}

export interface BaseFact {
  type: RecordType;
  id: string;
  data: Data;
  created: number;
}

export interface LeadFact extends BaseFact {
  entries: Entry[];
}

export interface OpportunityFact extends BaseFact {
  entries: Entry[];
  /** In the CRM's currency; undefined when the record has none. */
  amount: number | undefined;
  /** `closed_on` (a date), unless after the as-of moment. */
  closedOn: string | undefined;
}

export interface AccountFact extends BaseFact {
  entries: Entry[];
}

export interface CaseFact extends BaseFact {
  entries: Entry[];
  priority: string;
  firstResponseAt: number | undefined;
  resolvedAt: number | undefined;
  satisfaction: number | undefined;
}

export interface InteractionFact extends BaseFact {
  kind: string;
  at: number;
  /** For tasks: the moment after which an undone task is overdue. */
  dueBy: number | undefined;
  doneAt: number | undefined;
}

export interface Skipped {
  /** `folder/id`, e.g. `opportunities/big-deal`. */
  record: string;
  reason: string;
}

export interface Facts {
  leads: LeadFact[];
  opportunities: OpportunityFact[];
  accounts: AccountFact[];
  cases: CaseFact[];
  interactions: InteractionFact[];
  skipped: Skipped[];
}

const FOLDER: Record<RecordType, string> = {
  account: 'accounts',
  contact: 'contacts',
  lead: 'leads',
  opportunity: 'opportunities',
  case: 'cases',
  campaign: 'campaigns',
  interaction: 'interactions',
};

export function recordName(type: RecordType, id: string): string {
  return `${FOLDER[type]}/${id}`;
}

class Bad extends Error {}

function empty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

function moment(data: Data, key: string, required: boolean): number | undefined {
  const v = data[key];
  if (empty(v)) {
    if (required) throw new Bad(`no \`${key}\``);
    return undefined;
  }
  const t = parseTimestamp(v);
  if (t === undefined) throw new Bad(`\`${key}\` ${show(v)} is not a timestamp`);
  return t;
}

/** Money in the CRM's currency: a number, or `{amount, currency}` in that currency. */
export function readMoney(v: unknown, key: string, currency: string): number | undefined {
  if (empty(v)) return undefined;
  let n: unknown = v;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const m = v as Data;
    if (!empty(m.currency) && m.currency !== currency) {
      throw new Bad(`\`${key}\` is in ${String(m.currency)}, not ${currency} (reports do not convert currencies)`);
    }
    n = m.amount;
    if (empty(n)) return undefined;
  }
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Bad(`\`${key}\` ${show(n)} is not an amount`);
  if (n < 0) throw new Bad(`\`${key}\` ${n} is negative`);
  return n;
}

/** The lifecycle as entries, oldest first; without history, one entry at `created`. */
function entries(data: Data, key: 'status' | 'stage', created: number, asOf: number): Entry[] {
  const h = data.history;
  let out: Entry[];
  if (Array.isArray(h) && h.length > 0) {
    out = h.map((e, i) => {
      if (!e || typeof e !== 'object') throw new Bad(`history entry ${i + 1} is not a map`);
      const entry = e as Data;
      const at = parseTimestamp(entry.at);
      if (at === undefined) throw new Bad(`history entry ${i + 1}: \`at\` ${show(entry.at)} is not a timestamp`);
      if (typeof entry.to !== 'string' || !entry.to) throw new Bad(`history entry ${i + 1} has no \`to\``);
      return { at, to: entry.to };
    });
    // Oldest first (FORMAT.md); a hand-edited list out of order is read in time order.
    let ordered = true;
    for (let i = 1; i < out.length && ordered; i++) if (out[i]!.at < out[i - 1]!.at) ordered = false;
    if (!ordered) out = out.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
  } else {
    const current = data[key];
    out = typeof current === 'string' && current ? [{ at: created, to: current }] : [];
  }
  // In time order: only a tail can be after the as-of moment (usually none is).
  let keep = out.length;
  while (keep > 0 && out[keep - 1]!.at > asOf) keep--;
  return keep === out.length ? out : out.slice(0, keep);
}

/**
 * A fact's `data` is its record's, parsed only if a report reads it (e.g.
 * to group by a field). The getter lives on the prototype, so that making
 * 100,000 facts costs no closures and keeps their shapes alike.
 */
class Fact {
  constructor(
    private readonly record: ReportRecord,
    readonly type: RecordType,
    readonly id: string,
    readonly created: number,
  ) {}

  get data(): Data {
    return this.record.data;
  }
}

function withData<T extends object>(r: ReportRecord, created: number, rest: T): T & BaseFact {
  return Object.assign(new Fact(r, r.type, r.id, created), rest) as T & BaseFact;
}

/** Interactions are most facts: a class of their own keeps making them cheap. */
class Interaction extends Fact implements InteractionFact {
  constructor(
    r: ReportRecord,
    created: number,
    readonly kind: string,
    readonly at: number,
    readonly dueBy: number | undefined,
    readonly doneAt: number | undefined,
  ) {
    super(r, r.type, r.id, created);
  }
}

/** The fields each type's facts read: through the index's columns when the record has them. */
const READS: Partial<Record<RecordType, readonly string[]>> = {
  lead: ['created', 'history', 'status'],
  account: ['created', 'history', 'status'],
  opportunity: ['created', 'history', 'stage', 'amount', 'closed_on'],
  case: ['created', 'history', 'status', 'first_response_at', 'resolved_at', 'satisfaction', 'priority'],
};

/** Every field facts read, of any type (what a report asks the index to prepare). */
export const FACT_FIELDS: readonly string[] = [...new Set([...Object.values(READS).flat(), 'at', 'created', 'kind', 'due', 'done_at'])];

function fieldsOf(r: ReportRecord): Data {
  const f = (r as { field?: (k: string) => unknown }).field;
  const keys = READS[r.type];
  if (!f || !keys) return r.data;
  const d: Data = {};
  for (const k of keys) d[k] = f.call(r, k);
  return d;
}

/** A field's value for an optional moment, ignored when after the as-of moment. */
function until(t: number | undefined, asOf: number): number | undefined {
  return t !== undefined && t <= asOf ? t : undefined;
}

/**
 * Read the records of the given types as of `asOf` (epoch ms): records
 * created after it are left out, and so are history entries and time fields
 * after it.
 */
export function prepare(records: readonly ReportRecord[], config: Config, asOf: number, types?: readonly RecordType[]): Facts {
  const want = new Set<RecordType>(types ?? ['lead', 'opportunity', 'account', 'case', 'interaction']);
  const facts: Facts = { leads: [], opportunities: [], accounts: [], cases: [], interactions: [], skipped: [] };
  const tz = config.timezone;
  for (const r of records) {
    if (!want.has(r.type)) continue;
    try {
      if (r.type === 'interaction') {
        // Interactions are most of a repository: read the few fields needed through the
        // index's columns when there are some, and parse the rest only if a group needs it.
        const f = (r as { field?: (k: string) => unknown }).field;
        const d: Data = f ? { at: f.call(r, 'at'), created: f.call(r, 'created'), kind: f.call(r, 'kind'), due: f.call(r, 'due'), done_at: f.call(r, 'done_at') } : r.data;
        const at = moment(d, 'at', true)!;
        const created = moment(d, 'created', false) ?? at;
        if (at > asOf || created > asOf) continue;
        const kind = typeof d.kind === 'string' && d.kind ? d.kind : 'other';
        let dueBy: number | undefined;
        if (!empty(d.due)) {
          if (isDate(d.due)) dueBy = endOfDay(d.due, tz);
          else {
            dueBy = parseTimestamp(d.due);
            if (dueBy === undefined) throw new Bad(`\`due\` ${show(d.due)} is not a date or timestamp`);
          }
        }
        facts.interactions.push(new Interaction(r, created, kind, at, dueBy, until(moment(d, 'done_at', false), asOf)));
        continue;
      }
      const d = fieldsOf(r);
      const created = moment(d, 'created', true)!;
      if (created > asOf) continue;
      switch (r.type) {
        case 'lead':
          facts.leads.push(withData(r, created, { entries: entries(d, 'status', created, asOf) }));
          break;
        case 'account':
          facts.accounts.push(withData(r, created, { entries: entries(d, 'status', created, asOf) }));
          break;
        case 'opportunity': {
          const amount = readMoney(d.amount, 'amount', config.currency);
          let closedOn: string | undefined;
          if (!empty(d.closed_on)) {
            if (!isDate(d.closed_on)) throw new Bad(`\`closed_on\` ${show(d.closed_on)} is not a date`);
            closedOn = d.closed_on;
          }
          const e = entries(d, 'stage', created, asOf);
          if (closedOn !== undefined && startOfDay(closedOn, tz) > asOf) closedOn = undefined;
          facts.opportunities.push(withData(r, created, { entries: e, amount, closedOn }));
          break;
        }
        case 'case': {
          const first = moment(d, 'first_response_at', false);
          const resolved = moment(d, 'resolved_at', false);
          if (first !== undefined && first < created) throw new Bad('`first_response_at` is before `created`');
          if (resolved !== undefined && resolved < created) throw new Bad('`resolved_at` is before `created`');
          let satisfaction: number | undefined;
          if (!empty(d.satisfaction)) {
            if (typeof d.satisfaction !== 'number' || !Number.isFinite(d.satisfaction)) {
              throw new Bad(`\`satisfaction\` ${show(d.satisfaction)} is not a number`);
            }
            satisfaction = d.satisfaction;
          }
          const priority = typeof d.priority === 'string' && d.priority ? d.priority : 'normal';
          facts.cases.push(
            withData(r, created, {
              entries: entries(d, 'status', created, asOf),
              priority,
              firstResponseAt: until(first, asOf),
              resolvedAt: until(resolved, asOf),
              satisfaction,
            }),
          );
          break;
        }
        default:
          break;
      }
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      facts.skipped.push({ record: recordName(r.type, r.id), reason: e.message });
    }
  }
  return facts;
}
