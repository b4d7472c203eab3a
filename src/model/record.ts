/**
 * A loaded record, its path in the repository, and the small helpers every
 * layer needs (title, reference keys, lifecycle value).
 */
import type { Data } from './frontmatter.js';
import { TYPES, type RecordType, fieldSpec } from './schema.js';

export interface CrmRecord {
  type: RecordType;
  id: string;
  /** Repository-relative POSIX path, e.g. `leads/jane-roe.md`. */
  path: string;
  data: Data;
  body: string;
  /** The file's exact text as read (what `before` of a change must match). */
  raw: string;
  /** Lowercase text that search looks in (set by the index; computed when absent). */
  searchText?: string;
  /**
   * One top-level field, answered from the index's columns when it can be
   * (no parsing of the whole front matter); records read from files lack it.
   */
  field?: (name: string) => unknown;
}

/** A top-level field of a record, through the index's columns when available. */
export function fieldOf(r: CrmRecord, name: string): unknown {
  return r.field ? r.field(name) : r.data[name];
}

/** Path of a record; interactions go under the year/month of their `at`. */
export function recordPath(type: RecordType, id: string, data?: Data): string {
  const folder = TYPES[type].folder;
  if (type === 'interaction') {
    const at = typeof data?.at === 'string' ? data.at : '';
    const m = /^(\d{4})-(\d{2})/.exec(at);
    const yyyy = m?.[1] ?? '0000';
    const mm = m?.[2] ?? '00';
    return `${folder}/${yyyy}/${mm}/${id}.md`;
  }
  return `${folder}/${id}.md`;
}

/** What a person calls a record: its name or subject, else its id. */
export function recordTitle(r: { type: RecordType; id: string; data: Data; field?: (name: string) => unknown }): string {
  const get = (k: string) => (r.field ? r.field(k) : r.data[k]);
  const t = get(TYPES[r.type].title);
  if (typeof t === 'string' && t.trim()) return t;
  if (r.type === 'interaction') {
    const k = get('kind');
    const a = get('at');
    const kind = typeof k === 'string' ? k : 'interaction';
    const at = typeof a === 'string' ? a.slice(0, 10) : '';
    return `${kind} ${at}`.trim();
  }
  return r.id;
}

/** `type/id` — the unambiguous way to name a record. */
export function recordKey(r: { type: RecordType; id: string }): string {
  return `${r.type}/${r.id}`;
}

/** Every reference a record makes: key, target type and id. */
export function referencesOf(r: { type: RecordType; data: Data }): { key: string; type: RecordType; id: string }[] {
  const out: { key: string; type: RecordType; id: string }[] = [];
  for (const [key, value] of Object.entries(r.data)) {
    const spec = fieldSpec(r.type, key);
    if (!spec) continue;
    const kind = spec.kind;
    if (typeof kind === 'object' && 'ref' in kind) {
      if (typeof value === 'string' && value) out.push({ key, type: kind.ref, id: value });
    } else if (typeof kind === 'object' && 'refs' in kind) {
      if (Array.isArray(value)) {
        for (const v of value) if (typeof v === 'string' && v) out.push({ key, type: kind.refs, id: v });
      } else if (typeof value === 'string' && value) {
        out.push({ key, type: kind.refs, id: value });
      }
    } else if (spec.kind === 'map' && spec.fields && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, subSpec] of Object.entries(spec.fields)) {
        const v = (value as Data)[sub];
        const k = subSpec.kind;
        if (typeof k === 'object' && 'ref' in k && typeof v === 'string' && v) {
          out.push({ key: `${key}.${sub}`, type: k.ref, id: v });
        }
      }
    }
  }
  return out;
}

export interface HistoryEntry {
  at: string;
  to: string;
  from?: string;
  by?: string;
  note?: string;
  [k: string]: unknown;
}

/** The lifecycle history, or the implied one-entry history (FORMAT.md). */
export function historyOf(r: { type: RecordType; data: Data }): HistoryEntry[] {
  const key = TYPES[r.type].lifecycle;
  if (!key) return [];
  const h = r.data.history;
  if (Array.isArray(h) && h.length > 0) return h as HistoryEntry[];
  const current = r.data[key];
  const created = r.data.created;
  if (typeof current === 'string' && typeof created === 'string') return [{ at: created, to: current }];
  return [];
}
