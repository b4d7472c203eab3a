/**
 * Planning changes to records (pure): build a new record, apply field
 * assignments with history, and turn records into file changes that
 * `Repository.mutate` applies. Nothing is planned that fails validation.
 */
import { ValidationError } from '../errors.js';
import type { Config } from './config.js';
import { parseRecord, type Data } from './frontmatter.js';
import { serializeRecord, updateRecord } from './frontmatter-write.js';
import type { Issue } from './issues.js';
import { historyOf, recordPath, type CrmRecord, type HistoryEntry } from './record.js';
import type { Change } from './repo.js';
import { TYPES, type RecordType } from './schema.js';
import { checkRecord } from './validate.js';

/** ISO timestamp without milliseconds: 2026-11-22T09:30:00Z */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Set a possibly dotted key (`address.city`) in a copy of `data`; null/empty removes it. */
export function setPath(data: Data, key: string, value: unknown): Data {
  const [head, ...rest] = key.split('.');
  const out: Data = { ...data };
  if (!head) return out;
  if (rest.length === 0) {
    if (value === null || value === undefined || value === '') delete out[head];
    else out[head] = value;
    return out;
  }
  const inner = out[head];
  const base = inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Data) : {};
  const next = setPath(base, rest.join('.'), value);
  if (Object.keys(next).length === 0) delete out[head];
  else out[head] = next;
  return out;
}

export interface Actor {
  now: Date;
  /** crm.yaml handle of the user acting, if known. */
  by?: string | undefined;
}

/** A history entry for a lifecycle move. */
export function transition(from: string | undefined, to: string, actor: Actor, note?: string): HistoryEntry {
  return {
    at: timestamp(actor.now),
    ...(from !== undefined ? { from } : {}),
    to,
    ...(actor.by ? { by: actor.by } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * Move a record's status/stage to `to`, appending to its history (making the
 * implied first entry explicit when the file had none).
 */
export function withLifecycle(type: RecordType, data: Data, to: string, actor: Actor, note?: string): Data {
  const key = TYPES[type].lifecycle;
  if (!key) return data;
  const from = typeof data[key] === 'string' ? (data[key] as string) : undefined;
  const history = historyOf({ type, data });
  return { ...data, [key]: to, history: [...history, transition(from, to, actor, note)] };
}

/**
 * After a hand edit (`crm edit`): when the status/stage was changed without
 * a matching history entry, append the transition. An edit that dropped
 * the history continues the history the record had before.
 */
export function completeLifecycle(type: RecordType, before: Data, after: Data, actor: Actor): Data {
  const key = TYPES[type].lifecycle;
  const to = after[key ?? ''];
  if (!key || typeof to !== 'string') return after;
  const edited = Array.isArray(after.history) && after.history.length > 0;
  const history = historyOf({ type, data: edited ? after : before });
  const last = history[history.length - 1];
  if (!last || String(last.to) === to) return after;
  return { ...after, history: [...history, transition(String(last.to), to, actor)] };
}

/**
 * Apply `key=value` assignments to a record's data. Changing the status or
 * stage goes through history; `updated` is set to now.
 */
export function assign(type: RecordType, data: Data, assignments: readonly { key: string; value: unknown }[], actor: Actor): Data {
  let next = { ...data };
  const lifecycle = TYPES[type].lifecycle;
  for (const { key, value } of assignments) {
    if (key === 'history') continue;
    if (key === lifecycle && typeof value === 'string' && value !== next[key]) {
      next = withLifecycle(type, next, value, actor);
    } else {
      next = setPath(next, key, value);
    }
  }
  next.updated = timestamp(actor.now);
  return next;
}

/** Throw ValidationError when `record` has errors (warnings pass). */
export function assertValid(record: CrmRecord, config: Config, exists: (type: RecordType, id: string) => boolean): Issue[] {
  const issues = checkRecord(record, config, exists);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new ValidationError(
      `${record.path} would not be valid, so nothing was written:\n${errors.map((i) => `  ${i.message} [${i.code}]`).join('\n')}`,
      errors,
      { hint: 'Fix the values and run the command again.' },
    );
  }
  return issues;
}

/** A new record (not yet on disk) and the change that creates it. */
export function createRecord(type: RecordType, id: string, data: Data, body: string): { record: CrmRecord; change: Change } {
  const path = recordPath(type, id, data);
  const raw = serializeRecord(type, data, body);
  return { record: { type, id, path, data, body, raw }, change: { path, before: null, after: raw } };
}

/** The record rewritten with `data` (and `body`), touching only what changed. */
export function updateExisting(record: CrmRecord, data: Data, body?: string): { record: CrmRecord; change: Change } {
  const raw = updateRecord(record.type, record.raw, data, body);
  const parsed = parseRecord(raw);
  return {
    record: { ...record, data: parsed.data, body: parsed.body, raw },
    change: { path: record.path, before: record.raw, after: raw },
  };
}

/** A lookup answering whether a `type/id` exists among `records` (plus records about to be created). */
export function existsIn(records: readonly CrmRecord[], extra: readonly CrmRecord[] = []): (type: RecordType, id: string) => boolean {
  const set = new Set<string>();
  for (const r of records) set.add(`${r.type}/${r.id}`);
  for (const r of extra) set.add(`${r.type}/${r.id}`);
  return (type, id) => set.has(`${type}/${id}`);
}
