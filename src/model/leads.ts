/**
 * Leads through their lifecycle, and conversion into a contact, an account
 * and an opportunity (pure: records in, planned file changes out).
 *
 * `planConversion` never writes: it looks for duplicates first and either
 * answers "already converted", "a decision is needed" (with the candidates),
 * or returns every file change of the conversion and a summary, which the
 * command applies as one atomic change and one commit.
 */
import { NotFoundError, UsageError } from '../errors.js';
import { assertValid, createRecord, existsIn, timestamp, transition, updateExisting, withLifecycle, type Actor } from './change.js';
import { openStages, type Config } from './config.js';
import { checkDate, requireStage, type PlanContext, type PlannedRecord } from './deals.js';
import { findDuplicates, normalizeEmail, normalizePhone, type Candidates } from './duplicates.js';
import { isEmpty, type Data } from './frontmatter.js';
import { newId } from './ids.js';
import { historyOf, type CrmRecord } from './record.js';
import type { Change } from './repo.js';
import type { RecordType } from './schema.js';

// ---------------------------------------------------------------------------
// Status transitions

/** The verbs of `crm lead VERB` and the status each one sets. */
export const LEAD_VERBS = { contact: 'contacted', qualify: 'qualified', disqualify: 'disqualified' } as const;
export type LeadVerb = keyof typeof LEAD_VERBS;

/** Statuses a lead leaves only with `--reopen`. */
export const CLOSED_LEAD_STATUSES: readonly string[] = ['disqualified', 'converted'];

export interface LeadMove {
  to: string;
  /** Why (history note; for disqualify also `disqualified_reason`). */
  reason?: string | undefined;
  note?: string | undefined;
  /** Allow leaving disqualified or converted. */
  reopen?: boolean | undefined;
}

export interface LeadPlan {
  from: string | undefined;
  to: string;
  lead: PlannedRecord;
}

export type LeadResult = { kind: 'unchanged'; message: string } | { kind: 'planned'; plan: LeadPlan };

function text(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function leadStatuses(config: Config): readonly string[] {
  return config.values.lead.status ?? LEAD_STATUS_DEFAULT;
}
const LEAD_STATUS_DEFAULT = ['new', 'contacted', 'qualified', 'disqualified', 'converted'];

export function planLeadTransition(lead: CrmRecord, move: LeadMove, ctx: PlanContext): LeadResult {
  const statuses = leadStatuses(ctx.config);
  if (!statuses.includes(move.to)) {
    throw new UsageError(`"${move.to}" is not a lead status in this CRM`, { hint: `Lead statuses: ${statuses.join(', ')}.` });
  }
  if (move.to === 'converted') {
    throw new UsageError('a lead becomes converted only by conversion', { hint: `Run \`crm lead convert ${lead.id}\`: it creates the contact, account and opportunity too.` });
  }
  const from = typeof lead.data.status === 'string' ? lead.data.status : undefined;
  if (from === move.to) {
    return { kind: 'unchanged', message: `lead ${lead.id} is already ${move.to}; nothing changed` };
  }
  if (from !== undefined && CLOSED_LEAD_STATUSES.includes(from) && !move.reopen) {
    const where =
      from === 'converted' && lead.data.converted && typeof lead.data.converted === 'object'
        ? ` (to ${Object.entries(lead.data.converted as Data)
            .filter(([k, v]) => k !== 'at' && typeof v === 'string')
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', ')})`
        : '';
    throw new UsageError(`lead ${lead.id} is ${from}${where}; it cannot become ${move.to} as it is`, {
      hint: from === 'converted'
        ? 'Work on the contact, account and opportunity instead, or pass --reopen to put the lead back in play.'
        : `Pass --reopen to put the lead back in play (crm lead ${verbOf(move.to) ?? 'reopen'} ${lead.id} --reopen).`,
    });
  }
  const reason = text(move.reason);
  const note = [reason, text(move.note)].filter(Boolean).join('; ') || undefined;
  const actor = ctx.actor;
  const data: Data = withLifecycle('lead', lead.data, move.to, actor, note);
  if (move.to === 'disqualified') {
    if (reason) data.disqualified_reason = reason;
  } else {
    delete data.disqualified_reason;
  }
  data.updated = timestamp(actor.now);
  const planned = updateExisting(lead, data);
  assertValid(planned.record, ctx.config, ctx.exists);
  return { kind: 'planned', plan: { from, to: move.to, lead: planned } };
}

function verbOf(status: string): string | undefined {
  return (Object.entries(LEAD_VERBS) as [string, string][]).find(([, s]) => s === status)?.[0];
}

/**
 * Reopen a disqualified or converted lead: back to the status it had before
 * (from its history), else `new`.
 */
export function planLeadReopen(lead: CrmRecord, note: string | undefined, ctx: PlanContext): LeadResult {
  const status = typeof lead.data.status === 'string' ? lead.data.status : undefined;
  if (status === undefined || !CLOSED_LEAD_STATUSES.includes(status)) {
    return { kind: 'unchanged', message: `lead ${lead.id} is ${status ?? 'without a status'}, not disqualified or converted; nothing to reopen` };
  }
  const statuses = leadStatuses(ctx.config);
  const history = historyOf(lead);
  let back: string | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (h.to === status) {
      if (typeof h.from === 'string' && !CLOSED_LEAD_STATUSES.includes(h.from) && statuses.includes(h.from)) back = h.from;
      break;
    }
  }
  return planLeadTransition(lead, { to: back ?? (statuses.includes('new') ? 'new' : statuses[0]!), note, reopen: true }, ctx);
}

// ---------------------------------------------------------------------------
// Conversion

export interface ConversionOptions {
  /** Link to this existing account (an id that exists). */
  account?: string | undefined;
  /** Create a new account even when candidates exist. */
  newAccount?: boolean | undefined;
  contact?: string | undefined;
  newContact?: boolean | undefined;
  /** Create the opportunity (default true). */
  opportunity?: boolean | undefined;
  stage?: string | undefined;
  amount?: number | undefined;
  /** Expected close date (YYYY-MM-DD). */
  close?: string | undefined;
  /** Opportunity name. */
  name?: string | undefined;
  /** Allow converting a disqualified lead. */
  reopen?: boolean | undefined;
  note?: string | undefined;
}

export interface ConversionInput {
  lead: CrmRecord;
  records: readonly CrmRecord[];
  config: Config;
  actor: Actor;
  options: ConversionOptions;
  /** Whether an id is taken now or was ever used (ids are never reused). */
  idTaken: (type: RecordType, id: string) => boolean;
}

export interface RecordRef {
  type: RecordType;
  id: string;
  path: string;
}

export interface Difference {
  type: RecordType;
  id: string;
  field: string;
  /** The value kept (on the existing record). */
  existing: unknown;
  /** The lead's value, not written. */
  lead: unknown;
}

export interface ConversionSummary {
  lead: string;
  account: string;
  contact: string;
  opportunity: string | null;
  created: RecordRef[];
  linked: (RecordRef & { filled: string[] })[];
  differences: Difference[];
  /** Interactions of the lead that gained references. */
  interactions: RecordRef[];
  /** The lead's file. */
  changed: RecordRef[];
}

export interface ConversionLinks {
  at?: string | undefined;
  account?: string | undefined;
  contact?: string | undefined;
  opportunity?: string | undefined;
}

export type ConversionResult =
  | { kind: 'converted'; lead: string; links: ConversionLinks }
  | { kind: 'decision'; lead: string; candidates: Candidates }
  | { kind: 'plan'; changes: Change[]; summary: ConversionSummary; message: string };

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The opportunity's default name: "<Company>: new deal" (the person's name in B2C). */
export function defaultDealName(lead: Data): string {
  return `${str(lead.company) ?? str(lead.name) ?? 'New customer'}: new deal`;
}

function initial(config: Config, type: 'account', preferred: string): string {
  const list = config.values[type].status ?? [];
  return list.length === 0 || list.includes(preferred) ? preferred : list[0]!;
}

function sameValue(field: string, a: unknown, b: unknown): boolean {
  if (field === 'email') return normalizeEmail(a) !== undefined && normalizeEmail(a) === normalizeEmail(b);
  if (field === 'phone') return normalizePhone(a) !== undefined && normalizePhone(a) === normalizePhone(b);
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Fill the empty fields of an existing record from `wanted`; never overwrite.
 * Returns the new data, the fields filled and the differing values.
 */
function fillEmpty(record: CrmRecord, wanted: Data, now: Date): { data: Data; filled: string[]; differences: Difference[] } {
  const data: Data = { ...record.data };
  const filled: string[] = [];
  const differences: Difference[] = [];
  for (const [field, value] of Object.entries(wanted)) {
    if (isEmpty(value)) continue;
    const existing = data[field];
    if (isEmpty(existing)) {
      data[field] = value;
      filled.push(field);
    } else if (!sameValue(field, existing, value)) {
      differences.push({ type: record.type, id: record.id, field, existing, lead: value });
    }
  }
  if (filled.length > 0) data.updated = timestamp(now);
  return { data, filled, differences };
}

function firstEntry(to: string, actor: Actor, note: string): Data[] {
  return [transition(undefined, to, actor, note)];
}

function resolve(records: readonly CrmRecord[], type: RecordType, id: string): CrmRecord {
  const r = records.find((x) => x.type === type && x.id === id);
  if (!r) throw new NotFoundError(`no ${type} with id "${id}"`, { hint: `List them with \`crm list ${type === 'account' ? 'accounts' : 'contacts'}\`.` });
  return r;
}

export function conversionMessage(s: Pick<ConversionSummary, 'lead' | 'contact' | 'account' | 'opportunity'>): string {
  return `crm: convert lead ${s.lead} → contact ${s.contact}, account ${s.account}, ${s.opportunity ? `opportunity ${s.opportunity}` : 'no opportunity'}`;
}

/** Plan the conversion of a lead (see the module comment). */
export function planConversion(input: ConversionInput): ConversionResult {
  const { lead, records, config, actor, options } = input;
  const L = lead.data;
  const status = str(L.status);

  if (status === 'converted') {
    const c = L.converted && typeof L.converted === 'object' && !Array.isArray(L.converted) ? (L.converted as Data) : {};
    return {
      kind: 'converted',
      lead: lead.id,
      links: { at: str(c.at), account: str(c.account), contact: str(c.contact), opportunity: str(c.opportunity) },
    };
  }
  if (status === 'disqualified' && !options.reopen) {
    throw new UsageError(`lead ${lead.id} is disqualified${str(L.disqualified_reason) ? ` (${str(L.disqualified_reason)})` : ''}; it cannot be converted as it is`, {
      hint: `Pass --reopen to convert it anyway (crm lead convert ${lead.id} --reopen).`,
    });
  }
  if (options.account && options.newAccount) throw new UsageError('--account and --new-account exclude each other', { hint: 'Link to an existing account or create a new one, not both.' });
  if (options.contact && options.newContact) throw new UsageError('--contact and --new-contact exclude each other', { hint: 'Link to an existing contact or create a new one, not both.' });

  // The opportunity's values are checked before anything else is planned.
  const withDeal = options.opportunity !== false;
  if (!withDeal) {
    const extra = (['stage', 'amount', 'close', 'name'] as const).filter((k) => options[k] !== undefined);
    if (extra.length > 0) {
      throw new UsageError(`--${extra[0]} is for the opportunity, but --no-opportunity says not to create one`, { hint: `Leave out --no-opportunity or --${extra.join(', --')}.` });
    }
  }
  let stage = openStages(config)[0]?.id;
  if (withDeal && options.stage !== undefined) {
    const s = requireStage(config, options.stage);
    if (s.closed) {
      throw new UsageError(`a new opportunity cannot start in the ${s.closed} stage ${s.id}`, {
        hint: `Convert it into an open stage (${openStages(config).map((x) => x.id).join(', ')}), then run \`crm opp ${s.closed === 'won' ? 'win' : 'lose'} ID\`.`,
      });
    }
    stage = s.id;
  }
  if (withDeal && !stage) throw new UsageError('crm.yaml\'s pipeline has no open stage for a new opportunity', { hint: 'Add an open stage under pipeline.stages.' });
  if (options.amount !== undefined && (!Number.isFinite(options.amount) || options.amount < 0)) {
    throw new UsageError(`--amount ${options.amount} is not an amount`, { hint: 'Write a number in the currency of crm.yaml, e.g. --amount 12500.' });
  }
  const close = options.close !== undefined ? checkDate(options.close, '--close') : undefined;

  // Duplicates: decide what to link before planning anything else.
  const candidates = findDuplicates(L, records);
  const linkedContact = options.contact ? resolve(records, 'contact', options.contact) : undefined;
  let linkedAccount = options.account ? resolve(records, 'account', options.account) : undefined;
  const decideContact = !linkedContact && !options.newContact;
  if (!linkedAccount && !options.newAccount && linkedContact) {
    const own = str(linkedContact.data.account);
    const a = own ? records.find((r) => r.type === 'account' && r.id === own) : undefined;
    if (a) linkedAccount = a; // the linked contact's own account
  }
  const decideAccount = !linkedAccount && !options.newAccount;
  const pending: Candidates = {
    accounts: decideAccount ? candidates.accounts : [],
    contacts: decideContact ? candidates.contacts : [],
  };
  if (pending.accounts.length > 0 || pending.contacts.length > 0) {
    return { kind: 'decision', lead: lead.id, candidates: pending };
  }

  const now = actor.now;
  const at = timestamp(now);
  const owner = str(L.owner) ?? actor.by;
  const company = str(L.company);
  const person = !company;
  const fromLead = `from lead ${lead.id}`;
  const created: RecordRef[] = [];
  const linked: (RecordRef & { filled: string[] })[] = [];
  const differences: Difference[] = [];
  const newRecords: CrmRecord[] = [];
  const planned: PlannedRecord[] = [];

  // The account: the company, or the person in B2C.
  const personFields: Data = { name: str(L.name), email: str(L.email), phone: str(L.phone) };
  const companyFields: Data = { name: company, website: str(L.website) };
  let accountId: string;
  if (linkedAccount) {
    // what the lead says about the account depends on the kind linked to
    const f = fillEmpty(linkedAccount, linkedAccount.data.kind === 'person' ? personFields : companyFields, now);
    accountId = linkedAccount.id;
    differences.push(...f.differences);
    linked.push({ type: 'account', id: accountId, path: linkedAccount.path, filled: f.filled });
    if (f.filled.length > 0) planned.push(updateExisting(linkedAccount, f.data));
  } else {
    accountId = newId(company ?? str(L.name) ?? lead.id, (id) => input.idTaken('account', id), 'account');
    const accountStatus = initial(config, 'account', 'prospect');
    const data: Data = {
      ...(person ? personFields : companyFields),
      ...(person ? { kind: 'person' } : {}),
      status: accountStatus,
      owner,
      created: at,
      history: firstEntry(accountStatus, actor, fromLead),
    };
    const p = createRecord('account', accountId, data, '');
    newRecords.push(p.record);
    planned.push(p);
    created.push({ type: 'account', id: accountId, path: p.record.path });
  }

  // The contact: the lead's person.
  const contactWanted: Data = { name: str(L.name), email: str(L.email), phone: str(L.phone), title: str(L.title), account: accountId };
  let contactId: string;
  if (linkedContact) {
    const wanted: Data = { ...contactWanted };
    if (isEmpty(linkedContact.data.tags) && Array.isArray(L.tags) && L.tags.length > 0) wanted.tags = L.tags;
    const f = fillEmpty(linkedContact, wanted, now);
    contactId = linkedContact.id;
    differences.push(...f.differences);
    linked.push({ type: 'contact', id: contactId, path: linkedContact.path, filled: f.filled });
    if (f.filled.length > 0) planned.push(updateExisting(linkedContact, f.data));
  } else {
    contactId = newId(str(L.name) ?? lead.id, (id) => input.idTaken('contact', id), 'contact');
    const data: Data = { ...contactWanted, owner, tags: Array.isArray(L.tags) ? L.tags : undefined, created: at };
    const p = createRecord('contact', contactId, data, '');
    newRecords.push(p.record);
    planned.push(p);
    created.push({ type: 'contact', id: contactId, path: p.record.path });
  }

  // The opportunity.
  let opportunityId: string | null = null;
  if (withDeal) {
    const name = str(options.name) ?? defaultDealName(L);
    opportunityId = newId(name, (id) => input.idTaken('opportunity', id), 'opportunity');
    const data: Data = {
      name,
      account: accountId,
      contacts: [contactId],
      amount: options.amount,
      stage,
      expected_close: close,
      lead: lead.id,
      source: str(L.source),
      campaign: str(L.campaign),
      owner,
      created: at,
      history: firstEntry(stage!, actor, fromLead),
    };
    const p = createRecord('opportunity', opportunityId, data, '');
    newRecords.push(p.record);
    planned.push(p);
    created.push({ type: 'opportunity', id: opportunityId, path: p.record.path });
  }

  // The lead stays, converted, pointing at what it became.
  const leadData = withLifecycle('lead', L, 'converted', actor, [fromLeadNote(accountId, contactId, opportunityId), str(options.note)].filter(Boolean).join('; '));
  leadData.converted = { at, account: accountId, contact: contactId, ...(opportunityId ? { opportunity: opportunityId } : {}) };
  delete leadData.disqualified_reason;
  leadData.updated = at;
  const leadPlan = updateExisting(lead, leadData);
  planned.push(leadPlan);

  // Its interactions gain references (not copies) to the contact and the deal.
  const interactions: RecordRef[] = [];
  for (const r of records) {
    if (r.type !== 'interaction' || r.data.lead !== lead.id) continue;
    const data: Data = { ...r.data };
    const list = Array.isArray(data.contacts) ? data.contacts.map(String) : typeof data.contacts === 'string' && data.contacts ? [data.contacts] : [];
    let changed = false;
    if (!list.includes(contactId)) {
      data.contacts = [...list, contactId];
      changed = true;
    }
    if (opportunityId && isEmpty(data.opportunity)) {
      data.opportunity = opportunityId;
      changed = true;
    }
    if (!changed) continue;
    data.updated = at;
    const p = updateExisting(r, data);
    planned.push(p);
    interactions.push({ type: 'interaction', id: r.id, path: r.path });
  }

  const exists = existsIn(records, newRecords);
  for (const p of planned) assertValid(p.record, config, exists);

  const summary: ConversionSummary = {
    lead: lead.id,
    account: accountId,
    contact: contactId,
    opportunity: opportunityId,
    created,
    linked,
    differences,
    interactions,
    changed: [{ type: 'lead', id: lead.id, path: lead.path }],
  };
  return { kind: 'plan', changes: planned.map((p) => p.change), summary, message: conversionMessage(summary) };
}

function fromLeadNote(account: string, contact: string, opportunity: string | null): string {
  return `to contact ${contact}, account ${account}${opportunity ? `, opportunity ${opportunity}` : ''}`;
}
