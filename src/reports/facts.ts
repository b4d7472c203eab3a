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

/** What the index offers besides `field` (cache.ts IndexedRecord): timestamps and history already parsed. */
interface Indexed {
  field?: (k: string) => unknown;
  time?: (k: string) => number | null | undefined;
  entries?: () => Entry[] | undefined;
}

/** A record's field value: through the index's columns when it has them, else its data (no closure per record). */
function get(r: ReportRecord, key: string): unknown {
  const f = (r as Indexed).field;
  return f ? f.call(r, key) : r.data[key];
}

/** A timestamp field as epoch ms: from the index when it has it parsed, else read from the value. */
function moment(r: ReportRecord, key: string, required: boolean): number | undefined {
  const t = (r as Indexed).time?.call(r, key);
  if (typeof t === 'number') return t;
  if (t === null) {
    if (required) throw new Bad(`no \`${key}\``);
    return undefined;
  }
  const v = get(r, key);
  if (empty(v)) {
    if (required) throw new Bad(`no \`${key}\``);
    return undefined;
  }
  const parsed = parseTimestamp(v);
  if (parsed === undefined) throw new Bad(`\`${key}\` ${show(v)} is not a timestamp`);
  return parsed;
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
function entries(r: ReportRecord, key: 'status' | 'stage', created: number, asOf: number): Entry[] {
  let out = (r as Indexed).entries?.call(r);
  if (out === undefined) {
    const h = get(r, 'history');
    out = [];
    if (Array.isArray(h)) {
      out = h.map((e, i) => {
        if (!e || typeof e !== 'object') throw new Bad(`history entry ${i + 1} is not a map`);
        const entry = e as Data;
        const at = parseTimestamp(entry.at);
        if (at === undefined) throw new Bad(`history entry ${i + 1}: \`at\` ${show(entry.at)} is not a timestamp`);
        if (typeof entry.to !== 'string' || !entry.to) throw new Bad(`history entry ${i + 1} has no \`to\``);
        return { at, to: entry.to };
      });
    }
  }
  if (out.length > 0) {
    // Oldest first (FORMAT.md); a hand-edited list out of order is read in time order.
    let ordered = true;
    for (let i = 1; i < out.length && ordered; i++) if (out[i]!.at < out[i - 1]!.at) ordered = false;
    if (!ordered) out = out.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
  } else {
    const current = get(r, key);
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

/**
 * Interactions are most facts. Their moments live in one Float64Array per
 * preparation (four per fact: created, at, due, done; NaN when absent)
 * rather than in fields, where V8 would box each number in an object of its
 * own: 100,000 interactions would be 300,000 more objects for the garbage
 * collector to copy.
 */
class Interaction implements InteractionFact {
  constructor(
    private readonly record: ReportRecord,
    private readonly moments: Float64Array,
    private readonly slot: number,
    readonly kind: string,
  ) {}

  get type(): RecordType {
    return this.record.type;
  }

  get id(): string {
    return this.record.id;
  }

  get data(): Data {
    return this.record.data;
  }

  get created(): number {
    return this.moments[this.slot * 4]!;
  }

  get at(): number {
    return this.moments[this.slot * 4 + 1]!;
  }

  get dueBy(): number | undefined {
    const t = this.moments[this.slot * 4 + 2]!;
    return Number.isNaN(t) ? undefined : t;
  }

  get doneAt(): number | undefined {
    const t = this.moments[this.slot * 4 + 3]!;
    return Number.isNaN(t) ? undefined : t;
  }
}

/** Every field facts read, of any type (what a report asks the index to prepare). */
// Timestamps and history are not among them: the index keeps those parsed (IndexedRecord time, entries).
export const FACT_FIELDS: readonly string[] = ['status', 'stage', 'amount', 'closed_on', 'satisfaction', 'priority', 'kind', 'due'];

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
  // Interactions' moments, four per fact (see Interaction): room for every record, off the heap.
  const moments = new Float64Array(want.has('interaction') ? records.length * 4 : 0);
  // An indexed loop: `for…of` allocates a step object per record until V8 optimises the loop.
  for (let n = 0; n < records.length; n++) {
    const r = records[n]!;
    if (!want.has(r.type)) continue;
    try {
      if (r.type === 'interaction') {
        // Interactions are most of a repository: the few fields needed come through the
        // index's columns when there are some; the rest is parsed only if a group needs it.
        const at = moment(r, 'at', true)!;
        const created = moment(r, 'created', false) ?? at;
        if (at > asOf || created > asOf) continue;
        const k = get(r, 'kind');
        const kind = typeof k === 'string' && k ? k : 'other';
        let dueBy: number | undefined;
        const due = get(r, 'due');
        if (!empty(due)) {
          if (isDate(due)) dueBy = endOfDay(due, tz);
          else {
            dueBy = parseTimestamp(due);
            if (dueBy === undefined) throw new Bad(`\`due\` ${show(due)} is not a date or timestamp`);
          }
        }
        const slot = facts.interactions.length;
        moments[slot * 4] = created;
        moments[slot * 4 + 1] = at;
        moments[slot * 4 + 2] = dueBy ?? NaN;
        moments[slot * 4 + 3] = until(moment(r, 'done_at', false), asOf) ?? NaN;
        facts.interactions.push(new Interaction(r, moments, slot, kind));
        continue;
      }
      if (!(r.type === 'lead' || r.type === 'account' || r.type === 'opportunity' || r.type === 'case')) continue;
      const created = moment(r, 'created', true)!;
      if (created > asOf) continue;
      switch (r.type) {
        case 'lead':
          facts.leads.push(withData(r, created, { entries: entries(r, 'status', created, asOf) }));
          break;
        case 'account':
          facts.accounts.push(withData(r, created, { entries: entries(r, 'status', created, asOf) }));
          break;
        case 'opportunity': {
          const amount = readMoney(get(r, 'amount'), 'amount', config.currency);
          let closedOn: string | undefined;
          const closed = get(r, 'closed_on');
          if (!empty(closed)) {
            if (!isDate(closed)) throw new Bad(`\`closed_on\` ${show(closed)} is not a date`);
            closedOn = closed;
          }
          const e = entries(r, 'stage', created, asOf);
          if (closedOn !== undefined && startOfDay(closedOn, tz) > asOf) closedOn = undefined;
          facts.opportunities.push(withData(r, created, { entries: e, amount, closedOn }));
          break;
        }
        case 'case': {
          const first = moment(r, 'first_response_at', false);
          const resolved = moment(r, 'resolved_at', false);
          if (first !== undefined && first < created) throw new Bad('`first_response_at` is before `created`');
          if (resolved !== undefined && resolved < created) throw new Bad('`resolved_at` is before `created`');
          let satisfaction: number | undefined;
          const sat = get(r, 'satisfaction');
          if (!empty(sat)) {
            if (typeof sat !== 'number' || !Number.isFinite(sat)) throw new Bad(`\`satisfaction\` ${show(sat)} is not a number`);
            satisfaction = sat;
          }
          const p = get(r, 'priority');
          const priority = typeof p === 'string' && p ? p : 'normal';
          facts.cases.push(
            withData(r, created, {
              entries: entries(r, 'status', created, asOf),
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
