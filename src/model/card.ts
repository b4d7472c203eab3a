/**
 * The card of a record (pure): what `crm show` prints beyond the record's
 * own fields. For an account: its customer lifecycle, contacts, open
 * opportunities, open cases with their SLA, open tasks, lifetime revenue
 * and the merged timeline. Contacts, leads, opportunities and cases get the
 * parts that apply to them; every record but an interaction gets its
 * timeline.
 */
import { caseSla, isCaseOpen, type CaseSla } from './cases.js';
import type { Config } from './config.js';
import type { Data } from './frontmatter.js';
import { dueBucket, dueInstant, interactionLinks, isOpenTask, taskText, type DueBucket } from './interactions.js';
import { historyOf, recordTitle, type CrmRecord } from './record.js';
import type { RecordType } from './schema.js';
import { buildTimeline, timelineScope, type TimelineEntry } from './timeline.js';
import { instantOf } from './validate.js';

export interface CustomerInterval {
  from: string;
  /** null while still a customer. */
  to: string | null;
}

export interface Lifecycle {
  status: string | null;
  /** Start of the latest customer interval (null: never a customer). */
  customer_since: string | null;
  /** End of the latest customer interval when it has ended (null: still a customer, or never one). */
  churned_on: string | null;
  intervals: CustomerInterval[];
}

export interface CardContact {
  id: string;
  name: string;
  title?: string;
  email?: string;
  phone?: string;
}

export interface CardOpportunity {
  id: string;
  name: string;
  stage: string | null;
  amount: number | null;
  currency: string;
  expected_close: string | null;
  owner: string | null;
}

export interface CardCase {
  id: string;
  subject: string;
  status: string | null;
  priority: string;
  owner: string | null;
  sla: CaseSla;
}

export interface CardTask {
  id: string;
  subject: string;
  due: string | null;
  owner: string | null;
  bucket: DueBucket;
}

export interface Revenue {
  /** Sum of the amounts of won opportunities in crm.yaml's currency. */
  amount: number;
  currency: string;
  won: number;
  /** Won amounts in other currencies, per currency (not converted). */
  other?: Record<string, number>;
}

export interface CardData {
  type: RecordType;
  id: string;
  title: string;
  lifecycle?: Lifecycle;
  /** The account of a contact, opportunity or case. */
  account?: { id: string; name: string } | null;
  contacts?: CardContact[];
  opportunities?: CardOpportunity[];
  cases?: CardCase[];
  tasks?: CardTask[];
  lifetime_revenue?: Revenue;
  /** A case's SLA at the moment of the card. */
  sla?: CaseSla;
  timeline: TimelineEntry[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function refList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '');
  return typeof v === 'string' && v ? [v] : [];
}

/** FORMAT.md: a customer from each entry `to: customer` until the next entry to something else. */
export function customerLifecycle(account: { data: Data }): Lifecycle {
  const intervals: CustomerInterval[] = [];
  let open: string | undefined;
  for (const h of historyOf({ type: 'account', data: account.data })) {
    const at = str(h.at);
    if (!at) continue;
    if (h.to === 'customer') {
      open ??= at;
    } else if (open !== undefined) {
      intervals.push({ from: open, to: at });
      open = undefined;
    }
  }
  if (open !== undefined) intervals.push({ from: open, to: null });
  const last = intervals[intervals.length - 1];
  return {
    status: str(account.data.status) ?? null,
    customer_since: last?.from ?? null,
    churned_on: last?.to ?? null,
    intervals,
  };
}

/** An amount as [value, currency]; plain numbers are in crm.yaml's currency. */
export function moneyOf(v: unknown, currency: string): [number, string] | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return [v, currency];
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const m = v as Data;
    if (typeof m.amount === 'number' && Number.isFinite(m.amount)) return [m.amount, str(m.currency) ?? currency];
  }
  return undefined;
}

function stageKind(stage: unknown, config: Config): 'open' | 'won' | 'lost' {
  const s = config.pipeline.stages.find((x) => x.id === stage);
  return s?.closed ?? 'open';
}

/** Lifetime revenue: the amounts of won opportunities. */
export function lifetimeRevenue(opportunities: readonly CrmRecord[], config: Config): Revenue {
  let amount = 0;
  let won = 0;
  const other: Record<string, number> = {};
  for (const o of opportunities) {
    if (stageKind(o.data.stage, config) !== 'won') continue;
    won++;
    const m = moneyOf(o.data.amount, config.currency);
    if (!m) continue;
    if (m[1] === config.currency) amount += m[0];
    else other[m[1]] = (other[m[1]] ?? 0) + m[0];
  }
  return { amount, currency: config.currency, won, ...(Object.keys(other).length > 0 ? { other } : {}) };
}

function contactOf(r: CrmRecord): CardContact {
  const d = r.data;
  return {
    id: r.id,
    name: recordTitle(r),
    ...(str(d.title) ? { title: str(d.title)! } : {}),
    ...(str(d.email) ? { email: str(d.email)! } : {}),
    ...(str(d.phone) ? { phone: str(d.phone)! } : {}),
  };
}

function opportunityOf(r: CrmRecord, config: Config): CardOpportunity {
  const m = moneyOf(r.data.amount, config.currency);
  return {
    id: r.id,
    name: recordTitle(r),
    stage: str(r.data.stage) ?? null,
    amount: m ? m[0] : null,
    currency: m ? m[1] : config.currency,
    expected_close: str(r.data.expected_close) ?? null,
    owner: str(r.data.owner) ?? null,
  };
}

function caseOf(r: CrmRecord, config: Config, now: Date): CardCase {
  const sla = caseSla(r.data, config, now);
  return {
    id: r.id,
    subject: recordTitle(r),
    status: str(r.data.status) ?? null,
    priority: sla.priority,
    owner: str(r.data.owner) ?? null,
    sla,
  };
}

function byCloseDate(a: CardOpportunity, b: CardOpportunity): number {
  const x = a.expected_close ?? '9999';
  const y = b.expected_close ?? '9999';
  return x < y ? -1 : x > y ? 1 : a.id.localeCompare(b.id);
}

/** Build the card of `record` as of `now`. */
export function buildCard(record: CrmRecord, records: readonly CrmRecord[], config: Config, now: Date): CardData {
  const tz = config.timezone;
  const byKey = new Map(records.map((r) => [`${r.type}/${r.id}`, r]));
  const card: CardData = { type: record.type, id: record.id, title: recordTitle(record), timeline: [] };
  const accountRef = (id: unknown) => {
    const a = typeof id === 'string' ? byKey.get(`account/${id}`) : undefined;
    return a ? { id: a.id, name: recordTitle(a) } : typeof id === 'string' && id ? { id, name: id } : null;
  };
  const openOpps = (rs: CrmRecord[]) => rs.filter((o) => stageKind(o.data.stage, config) === 'open').map((o) => opportunityOf(o, config)).sort(byCloseDate);
  const openCases = (rs: CrmRecord[]) =>
    rs
      .filter((c) => isCaseOpen(c.data))
      .map((c) => caseOf(c, config, now))
      .sort((a, b) => (a.sla.next?.hours_left ?? Infinity) - (b.sla.next?.hours_left ?? Infinity) || a.id.localeCompare(b.id));

  if (record.type === 'account') {
    const mine = (type: RecordType) => records.filter((r) => r.type === type && r.data.account === record.id);
    const opps = mine('opportunity');
    card.lifecycle = customerLifecycle(record);
    card.contacts = mine('contact').map(contactOf).sort((a, b) => a.name.localeCompare(b.name));
    card.opportunities = openOpps(opps);
    card.cases = openCases(mine('case'));
    card.lifetime_revenue = lifetimeRevenue(opps, config);
  } else if (record.type === 'contact') {
    card.account = accountRef(record.data.account);
    card.opportunities = openOpps(records.filter((r) => r.type === 'opportunity' && refList(r.data.contacts).includes(record.id)));
    card.cases = openCases(records.filter((r) => r.type === 'case' && r.data.contact === record.id));
  } else if (record.type === 'opportunity') {
    card.account = accountRef(record.data.account);
    card.contacts = refList(record.data.contacts).map((id) => {
      const c = byKey.get(`contact/${id}`);
      return c ? contactOf(c) : { id, name: id };
    });
  } else if (record.type === 'case') {
    card.account = accountRef(record.data.account);
    const c = str(record.data.contact) ? byKey.get(`contact/${str(record.data.contact)!}`) : undefined;
    card.contacts = c ? [contactOf(c)] : str(record.data.contact) ? [{ id: str(record.data.contact)!, name: str(record.data.contact)! }] : [];
    card.sla = caseSla(record.data, config, now);
  }

  if (record.type !== 'interaction') {
    const scope = timelineScope(record, records);
    card.tasks = records
      .filter((r) => isOpenTask(r) && interactionLinks(r).some((k) => scope.has(k)))
      .sort((a, b) => dueInstant(a.data.due, tz) - dueInstant(b.data.due, tz) || (instantOf(a.data.at) ?? 0) - (instantOf(b.data.at) ?? 0) || a.id.localeCompare(b.id))
      .map((t) => ({
        id: t.id,
        subject: taskText(t),
        due: str(t.data.due) ?? null,
        owner: str(t.data.owner) ?? null,
        bucket: dueBucket(t.data.due, now, tz),
      }));
    card.timeline = buildTimeline(record, records);
  }
  return card;
}
