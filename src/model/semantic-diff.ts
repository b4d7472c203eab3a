/**
 * What a change means for the CRM (pure): records added, removed and
 * changed between two sets of records, with the fields that changed (old →
 * new), stage and status moves, and lead conversions. Used by `crm diff`
 * (review), `crm sync` (what came in) and anything else that compares two
 * snapshots of a repository.
 */
import { deepEqual, isEmpty } from './frontmatter.js';
import type { Issue } from './issues.js';
import { recordTitle, type CrmRecord } from './record.js';
import { RECORD_TYPES, TYPES, type RecordType } from './schema.js';

export interface FieldChange {
  key: string;
  /** undefined when the key was absent (or empty). */
  before: unknown;
  after: unknown;
}

export interface Move {
  key: 'stage' | 'status';
  from?: string;
  to: string;
}

export interface Conversion {
  lead: string;
  account?: string;
  contact?: string;
  opportunity?: string;
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unreadable';

export interface RecordChange {
  change: ChangeKind;
  type: RecordType;
  id: string;
  path: string;
  title: string;
  /** Changed keys in file order (`history` and `updated` are left out: moves and the commit say it). */
  fields: FieldChange[];
  /** The stage or status moved. */
  move?: Move;
  /** A lead was converted. */
  conversion?: Conversion;
  /** The Markdown notes changed. */
  body: boolean;
  /** Why an `unreadable` file could not be read. */
  problem?: string;
}

export interface KindCounts {
  added: number;
  changed: number;
  removed: number;
  unreadable: number;
}

export interface SemanticDiff {
  changes: RecordChange[];
  counts: KindCounts;
  /** Counts per record type, only for types with changes. */
  byType: Partial<Record<RecordType, KindCounts>>;
}

export interface Snapshot {
  records: readonly CrmRecord[];
  issues: readonly Issue[];
}

const QUIET_KEYS = new Set(['history', 'updated']);

function norm(v: unknown): unknown {
  return isEmpty(v) ? undefined : v;
}

function keyOf(r: { type: RecordType; id: string }): string {
  return `${r.type}/${r.id}`;
}

function fieldChanges(before: CrmRecord, after: CrmRecord): FieldChange[] {
  const keys = [...Object.keys(before.data), ...Object.keys(after.data).filter((k) => !(k in before.data))];
  const out: FieldChange[] = [];
  for (const key of keys) {
    if (QUIET_KEYS.has(key)) continue;
    const b = norm(before.data[key]);
    const a = norm(after.data[key]);
    if (!deepEqual(b, a)) out.push({ key, before: b, after: a });
  }
  // Show keys in the order the new file has them.
  const order = Object.keys(after.data);
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return out.sort((x, y) => rank(x.key) - rank(y.key));
}

function moveOf(type: RecordType, before: CrmRecord | undefined, after: CrmRecord): Move | undefined {
  const key = TYPES[type].lifecycle;
  if (!key) return undefined;
  const from = before ? norm(before.data[key]) : undefined;
  const to = norm(after.data[key]);
  if (typeof to !== 'string' || !before || deepEqual(from, to)) return undefined;
  return { key, ...(typeof from === 'string' ? { from } : {}), to };
}

function conversionOf(before: CrmRecord | undefined, after: CrmRecord): Conversion | undefined {
  if (after.type !== 'lead') return undefined;
  const c = after.data.converted;
  if (!c || typeof c !== 'object' || Array.isArray(c)) return undefined;
  if (before && deepEqual(norm(before.data.converted), c)) return undefined;
  const m = c as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const account = str(m.account);
  const contact = str(m.contact);
  const opportunity = str(m.opportunity);
  return { lead: after.id, ...(account ? { account } : {}), ...(contact ? { contact } : {}), ...(opportunity ? { opportunity } : {}) };
}

/** Compare two snapshots record by record (matched by type and id, so a moved interaction is a change, not a removal). */
export function semanticDiff(before: Snapshot, after: Snapshot): SemanticDiff {
  const old = new Map<string, CrmRecord>();
  for (const r of before.records) if (!old.has(keyOf(r))) old.set(keyOf(r), r);
  const now = new Map<string, CrmRecord>();
  for (const r of after.records) if (!now.has(keyOf(r))) now.set(keyOf(r), r);
  const unreadableNow = new Map<string, Issue>();
  const readPaths = new Set(after.records.map((r) => r.path));
  for (const i of after.issues) if (i.severity === 'error' && !readPaths.has(i.path) && !unreadableNow.has(i.path)) unreadableNow.set(i.path, i);
  const unreadableBefore = new Set(before.issues.filter((i) => i.severity === 'error').map((i) => i.path));

  const changes: RecordChange[] = [];
  for (const [key, b] of old) {
    const a = now.get(key);
    if (!a) {
      const issue = unreadableNow.get(b.path);
      if (issue) {
        changes.push({ change: 'unreadable', type: b.type, id: b.id, path: b.path, title: recordTitle(b), fields: [], body: false, problem: `line ${issue.line}: ${issue.message}` });
        unreadableNow.delete(b.path);
      } else {
        changes.push({ change: 'removed', type: b.type, id: b.id, path: b.path, title: recordTitle(b), fields: [], body: false });
      }
      continue;
    }
    if (a.raw === b.raw && a.path === b.path) continue;
    const fields = fieldChanges(b, a);
    const body = a.body !== b.body;
    const move = moveOf(a.type, b, a);
    const conversion = conversionOf(b, a);
    const historyChanged = !deepEqual(b.data.history, a.data.history);
    if (fields.length === 0 && !body && !move && !conversion && !historyChanged && a.path === b.path) continue;
    if (historyChanged && !move) fields.push({ key: 'history', before: Array.isArray(b.data.history) ? b.data.history.length : 0, after: Array.isArray(a.data.history) ? a.data.history.length : 0 });
    if (a.path !== b.path) fields.unshift({ key: 'path', before: b.path, after: a.path });
    changes.push({
      change: 'changed',
      type: a.type,
      id: a.id,
      path: a.path,
      title: recordTitle(a),
      fields,
      ...(move ? { move } : {}),
      ...(conversion ? { conversion } : {}),
      body,
    });
  }
  for (const [key, a] of now) {
    if (old.has(key)) continue;
    const conversion = conversionOf(undefined, a);
    changes.push({ change: 'added', type: a.type, id: a.id, path: a.path, title: recordTitle(a), fields: [], body: false, ...(conversion ? { conversion } : {}) });
  }
  for (const [path, issue] of unreadableNow) {
    if (unreadableBefore.has(path)) continue;
    const type = RECORD_TYPES.find((t) => path.startsWith(`${TYPES[t].folder}/`));
    if (!type) continue;
    const id = (path.split('/').pop() ?? path).replace(/\.md$/, '');
    changes.push({ change: 'unreadable', type, id, path, title: id, fields: [], body: false, problem: `line ${issue.line}: ${issue.message}` });
  }

  const kindOrder: Record<ChangeKind, number> = { added: 0, changed: 1, removed: 2, unreadable: 3 };
  changes.sort(
    (x, y) => kindOrder[x.change] - kindOrder[y.change] || RECORD_TYPES.indexOf(x.type) - RECORD_TYPES.indexOf(y.type) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0),
  );
  const counts: KindCounts = { added: 0, changed: 0, removed: 0, unreadable: 0 };
  const byType: Partial<Record<RecordType, KindCounts>> = {};
  for (const c of changes) {
    counts[c.change]++;
    const t = (byType[c.type] ??= { added: 0, changed: 0, removed: 0, unreadable: 0 });
    t[c.change]++;
  }
  return { changes, counts, byType };
}

function plural(n: number, type: RecordType): string {
  return `${n} ${n === 1 ? type : TYPES[type].folder}`;
}

/** "2 leads added, 1 opportunity changed, 1 contact removed" — or "no record changes". */
export function describeCounts(diff: SemanticDiff): string {
  const parts: string[] = [];
  for (const kind of ['added', 'changed', 'removed', 'unreadable'] as const) {
    for (const type of RECORD_TYPES) {
      const n = diff.byType[type]?.[kind] ?? 0;
      if (n > 0) parts.push(`${plural(n, type)} ${kind === 'unreadable' ? 'unreadable' : kind}`);
    }
  }
  return parts.length > 0 ? parts.join(', ') : 'no record changes';
}

/** "1 added, 2 changed, 0 removed" with moves and conversions when there are any. */
export function totals(diff: SemanticDiff): string {
  const { added, changed, removed, unreadable } = diff.counts;
  const parts = [`${added} added`, `${changed} changed`, `${removed} removed`];
  if (unreadable > 0) parts.push(`${unreadable} unreadable`);
  const moves = diff.changes.filter((c) => c.move).length;
  const conversions = diff.changes.filter((c) => c.conversion).length;
  if (moves > 0) parts.push(`${moves} stage/status move${moves === 1 ? '' : 's'}`);
  if (conversions > 0) parts.push(`${conversions} conversion${conversions === 1 ? '' : 's'}`);
  return parts.join(', ');
}
