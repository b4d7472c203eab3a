/**
 * The record types of FORMAT.md as data: folders, fields and their kinds,
 * required keys, default enumerations and the canonical key order used when
 * writing. Everything else (validation, serialisation, listing) reads this.
 */

export const RECORD_TYPES = [
  'account',
  'contact',
  'lead',
  'opportunity',
  'case',
  'campaign',
  'interaction',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export type FieldKind =
  | 'string'
  | 'text'
  | 'number'
  | 'date'
  | 'timestamp'
  | 'date-or-timestamp'
  | 'money'
  | 'boolean'
  | 'list'
  | 'map'
  | 'history'
  | { ref: RecordType }
  | { refs: RecordType };

export interface FieldSpec {
  kind: FieldKind;
  /** Default allowed values; a list under the type's key in crm.yaml replaces them. */
  values?: readonly string[];
  required?: boolean;
  /** Sub-fields of a map, checked like top-level fields. */
  fields?: Record<string, FieldSpec>;
  /** Inclusive numeric range. */
  range?: readonly [number, number];
}

export interface TypeSpec {
  type: RecordType;
  /** Folder under the repository root (also the plural name users type). */
  folder: string;
  /** The key that names a record in lists and references (name or subject). */
  title: string;
  /** The lifecycle key whose changes are kept in `history`, if any. */
  lifecycle?: 'status' | 'stage';
  fields: Record<string, FieldSpec>;
  /** Columns shown by `crm list` by default. */
  columns: readonly string[];
}

const address: FieldSpec = {
  kind: 'map',
  fields: {
    street: { kind: 'string' },
    city: { kind: 'string' },
    postcode: { kind: 'string' },
    region: { kind: 'string' },
    country: { kind: 'string' },
  },
};

/** Keys every record may have (FORMAT.md), written after the type's own keys. */
export const COMMON_FIELDS: Record<string, FieldSpec> = {
  owner: { kind: 'string' },
  tags: { kind: 'list' },
  created: { kind: 'timestamp', required: true },
  updated: { kind: 'timestamp' },
  history: { kind: 'history' },
};

export const TYPES: Record<RecordType, TypeSpec> = {
  account: {
    type: 'account',
    folder: 'accounts',
    title: 'name',
    lifecycle: 'status',
    fields: {
      name: { kind: 'string', required: true },
      kind: { kind: 'string', values: ['company', 'person'] },
      status: { kind: 'string', values: ['prospect', 'customer', 'former'] },
      industry: { kind: 'string' },
      website: { kind: 'string' },
      email: { kind: 'string' },
      phone: { kind: 'string' },
      address,
      employees: { kind: 'number' },
      annual_revenue: { kind: 'money' },
      parent: { kind: { ref: 'account' } },
      churn_reason: { kind: 'text' },
    },
    columns: ['name', 'status', 'industry', 'owner'],
  },
  contact: {
    type: 'contact',
    folder: 'contacts',
    title: 'name',
    fields: {
      name: { kind: 'string', required: true },
      email: { kind: 'string' },
      phone: { kind: 'string' },
      title: { kind: 'string' },
      account: { kind: { ref: 'account' } },
      consent: {
        kind: 'map',
        fields: {
          marketing: { kind: 'boolean' },
          at: { kind: 'timestamp' },
          source: { kind: 'string' },
        },
      },
      address,
      birthday: { kind: 'date' },
    },
    columns: ['name', 'account', 'email', 'title'],
  },
  lead: {
    type: 'lead',
    folder: 'leads',
    title: 'name',
    lifecycle: 'status',
    fields: {
      name: { kind: 'string', required: true },
      company: { kind: 'string' },
      title: { kind: 'string' },
      email: { kind: 'string' },
      phone: { kind: 'string' },
      source: {
        kind: 'string',
        values: ['web', 'referral', 'campaign', 'event', 'cold-call', 'social', 'partner', 'other'],
      },
      campaign: { kind: { ref: 'campaign' } },
      status: {
        kind: 'string',
        required: true,
        values: ['new', 'contacted', 'qualified', 'disqualified', 'converted'],
      },
      score: { kind: 'number' },
      disqualified_reason: { kind: 'text' },
      converted: {
        kind: 'map',
        fields: {
          at: { kind: 'timestamp' },
          account: { kind: { ref: 'account' } },
          contact: { kind: { ref: 'contact' } },
          opportunity: { kind: { ref: 'opportunity' } },
        },
      },
    },
    columns: ['name', 'company', 'status', 'source', 'owner'],
  },
  opportunity: {
    type: 'opportunity',
    folder: 'opportunities',
    title: 'name',
    lifecycle: 'stage',
    fields: {
      name: { kind: 'string', required: true },
      account: { kind: { ref: 'account' } },
      contacts: { kind: { refs: 'contact' } },
      amount: { kind: 'money' },
      stage: { kind: 'string', required: true },
      expected_close: { kind: 'date' },
      closed_on: { kind: 'date' },
      lost_reason: { kind: 'text' },
      lead: { kind: { ref: 'lead' } },
      source: { kind: 'string' },
      campaign: { kind: { ref: 'campaign' } },
    },
    columns: ['name', 'account', 'stage', 'amount', 'expected_close', 'owner'],
  },
  case: {
    type: 'case',
    folder: 'cases',
    title: 'subject',
    lifecycle: 'status',
    fields: {
      subject: { kind: 'string', required: true },
      account: { kind: { ref: 'account' } },
      contact: { kind: { ref: 'contact' } },
      priority: { kind: 'string', values: ['low', 'normal', 'high', 'urgent'] },
      status: {
        kind: 'string',
        required: true,
        values: ['new', 'open', 'pending', 'resolved', 'closed'],
      },
      channel: {
        kind: 'string',
        values: ['email', 'phone', 'web', 'chat', 'social', 'visit', 'other'],
      },
      first_response_at: { kind: 'timestamp' },
      resolved_at: { kind: 'timestamp' },
      satisfaction: { kind: 'number', range: [1, 5] },
    },
    columns: ['subject', 'account', 'priority', 'status', 'owner'],
  },
  campaign: {
    type: 'campaign',
    folder: 'campaigns',
    title: 'name',
    lifecycle: 'status',
    fields: {
      name: { kind: 'string', required: true },
      status: { kind: 'string', values: ['planned', 'active', 'completed', 'cancelled'] },
      channel: { kind: 'string' },
      start: { kind: 'date' },
      end: { kind: 'date' },
      budget: { kind: 'money' },
      cost: { kind: 'money' },
      segment: { kind: 'text' },
      template: { kind: 'string' },
    },
    columns: ['name', 'status', 'channel', 'start', 'end'],
  },
  interaction: {
    type: 'interaction',
    folder: 'interactions',
    title: 'subject',
    fields: {
      kind: {
        kind: 'string',
        required: true,
        values: ['call', 'email', 'meeting', 'note', 'sms', 'chat', 'social', 'visit', 'task'],
      },
      at: { kind: 'timestamp', required: true },
      direction: { kind: 'string', values: ['inbound', 'outbound'] },
      subject: { kind: 'string' },
      account: { kind: { ref: 'account' } },
      contacts: { kind: { refs: 'contact' } },
      lead: { kind: { ref: 'lead' } },
      opportunity: { kind: { ref: 'opportunity' } },
      case: { kind: { ref: 'case' } },
      campaign: { kind: { ref: 'campaign' } },
      outcome: { kind: 'text' },
      due: { kind: 'date-or-timestamp' },
      done_at: { kind: 'timestamp' },
    },
    columns: ['at', 'kind', 'subject', 'account', 'owner'],
  },
};

/** Folder name → type. */
export const TYPE_BY_FOLDER: Record<string, RecordType> = Object.fromEntries(
  RECORD_TYPES.map((t) => [TYPES[t].folder, t]),
) as Record<string, RecordType>;

/** Words a user may type for a record type: singular, plural, and `opp`. */
const TYPE_ALIASES: Record<string, RecordType> = {
  opp: 'opportunity',
  opps: 'opportunity',
  deal: 'opportunity',
  deals: 'opportunity',
  company: 'account',
  companies: 'account',
  person: 'contact',
  people: 'contact',
  ticket: 'case',
  tickets: 'case',
  task: 'interaction',
  tasks: 'interaction',
  activity: 'interaction',
  activities: 'interaction',
};

export function parseTypeName(word: string): RecordType | undefined {
  const w = word.toLowerCase();
  if ((RECORD_TYPES as readonly string[]).includes(w)) return w as RecordType;
  if (TYPE_BY_FOLDER[w]) return TYPE_BY_FOLDER[w];
  return TYPE_ALIASES[w];
}

/** The spec of a key for a type: its own field, a common field, or undefined (custom). */
export function fieldSpec(type: RecordType, key: string): FieldSpec | undefined {
  return TYPES[type].fields[key] ?? COMMON_FIELDS[key];
}

/**
 * Canonical key order for writing a new record or inserting a new key:
 * the type's keys in FORMAT.md order, then owner, tags, custom keys,
 * created, updated, and history last (it grows).
 */
export function keyRank(type: RecordType, key: string): number {
  const own = Object.keys(TYPES[type].fields);
  const i = own.indexOf(key);
  if (i >= 0) return i;
  const tail: Record<string, number> = {
    owner: 1000,
    tags: 1001,
    created: 3000,
    updated: 3001,
    history: 4000,
  };
  return tail[key] ?? 2000; // custom fields sit between tags and created
}

export function orderKeys(type: RecordType, keys: readonly string[]): string[] {
  return keys
    .map((k, i) => ({ k, i, r: keyRank(type, k) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.k);
}
