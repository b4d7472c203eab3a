/**
 * The record index under `.crm/index/`: the parsed front matter of every
 * record file, per record type, with what is needed to know each entry is
 * still fresh (size, mtime, ctime, inode). Git-ignored and rebuildable.
 *
 * - Loading a type reads its index file, stats every file of that type and
 *   re-reads only files that are new or changed (by any tool: an editor,
 *   `git pull`, a checkout). A file whose mtime is within two seconds of the
 *   index's own write is always re-read (git's "racy" rule), so a same-size
 *   edit in the same second is never missed.
 * - The file is columnar (v8 serialisation of typed arrays and strings):
 *   each record's front matter is kept as a JSON string and parsed only
 *   when a command reads `data`; a few "lean" columns (name, status, owner,
 *   the default list columns) answer `crm list` without parsing at all.
 *   Search text lives in a separate file, read only by search.
 * - Updates are appended to a small journal; the base file is rewritten only
 *   when the journal grows large, so one changed record costs one line.
 * - A missing, corrupt or other-version index is rebuilt, never trusted.
 *
 * `raw` and `body` of a record are read from disk on first access.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Data } from './frontmatter.js';
import type { Issue } from './issues.js';
import type { CrmRecord } from './record.js';
import { TYPES, type RecordType } from './schema.js';
import { readRecordFile } from './validate.js';

/** Bump when the file shape or parsing rules change: old indexes are rebuilt. */
export const INDEX_VERSION = 8;
const RACY_MS = 2000;
const JOURNAL_LIMIT = 2000;
const BODY_IN_TEXT = 600;

/** One file, as read (journal lines and fresh reads). */
interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  id?: string;
  /** Front matter as JSON; absent when the file is not a readable record. */
  json?: string;
  issues?: Issue[];
  text?: string;
  /** The lean columns' values (see leanFields). */
  lean?: Record<string, unknown>;
}

/** The base file: one slot per file, column by column. */
interface Base {
  version: number;
  type: RecordType;
  writtenAt: number;
  paths: string[];
  ids: (string | null)[];
  stats: Float64Array; // size, mtimeMs, ctimeMs, ino per slot
  json: string[];
  issues: Record<number, Issue[]>;
  lean: Record<string, unknown[]>;
}

export interface TypeLoad {
  records: CrmRecord[];
  issues: Issue[];
  /** How many files were (re-)read from disk this time. */
  reread: number;
  /** With `text: true`: the search text, ready to scan. */
  segments: TextSegment[];
}

/** Fields kept as columns, so that listing them needs no parsing. */
const leanCache = new Map<RecordType, string[]>();

export function leanFields(type: RecordType): string[] {
  const known = leanCache.get(type);
  if (known) return known;
  const fields = computeLeanFields(type);
  leanCache.set(type, fields);
  return fields;
}

function computeLeanFields(type: RecordType): string[] {
  const spec = TYPES[type];
  const extra = type === 'interaction' ? ['at', 'created', 'due', 'done_at'] : [];
  return [...new Set([spec.title, 'name', 'subject', 'status', 'stage', 'kind', 'owner', ...spec.columns, ...extra])];
}

function indexDir(root: string): string {
  return join(root, '.crm', 'index');
}

function basePath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.bin`);
}

/** Search text lives in its own file (path → text), read only by search. */
function textPath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.text`);
}

function journalPath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.journal`);
}

interface Scan {
  /** Repository-relative paths in sorted order. */
  paths: string[];
  /** size, mtimeMs, ctimeMs, ino per path. */
  stats: Float64Array;
}

/** Every file under a type's folder with its stats, sorted (dot-files skipped). */
function scan(root: string, type: RecordType): Scan {
  const paths: string[] = [];
  let stats = new Float64Array(4096);
  const walk = (rel: string, depth: number) => {
    let names: string[];
    try {
      names = fs.readdirSync(`${root}/${rel}`);
    } catch {
      return;
    }
    names.sort();
    for (const name of names) {
      if (name.charCodeAt(0) === 46) continue; // '.'
      const p = `${rel}/${name}`;
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(`${root}/${p}`, { throwIfNoEntry: false });
      } catch {
        st = undefined;
      }
      if (!st) continue;
      if (st.isDirectory()) {
        if (depth < 4) walk(p, depth + 1);
      } else if (st.isFile()) {
        const i = paths.length;
        if ((i + 1) * 4 > stats.length) {
          const grown = new Float64Array(stats.length * 2);
          grown.set(stats);
          stats = grown;
        }
        stats[i * 4] = st.size;
        stats[i * 4 + 1] = st.mtimeMs;
        stats[i * 4 + 2] = st.ctimeMs;
        stats[i * 4 + 3] = st.ino;
        paths.push(p);
      }
    }
  };
  walk(TYPES[type].folder, 0);
  return { paths, stats };
}

export function textOf(data: Data, body: string): string {
  // Same layout as search.ts searchTextOf: seven fields, tags, then the body.
  const parts: string[] = [];
  for (const k of ['name', 'subject', 'email', 'company', 'phone', 'website', 'title']) {
    const v = data[k];
    parts.push(typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  }
  parts.push(Array.isArray(data.tags) ? data.tags.join(' ') : '');
  parts.push(body.length > BODY_IN_TEXT ? body.slice(0, BODY_IN_TEXT) : body);
  return parts.join('\n').toLowerCase();
}

function readEntry(root: string, type: RecordType, path: string, st: Float64Array, i: number): Entry {
  const base = { size: st[i * 4]!, mtimeMs: st[i * 4 + 1]!, ctimeMs: st[i * 4 + 2]!, ino: st[i * 4 + 3]! };
  let raw: string;
  try {
    raw = fs.readFileSync(join(root, path), 'utf8');
  } catch (e) {
    return { ...base, text: '', issues: [{ path, line: 1, code: 'unreadable', message: `cannot read: ${(e as Error).message}`, severity: 'error' }] };
  }
  const r = readRecordFile(path, raw);
  if (!r.record) return { ...base, text: '', issues: r.issues };
  const data = r.record.data;
  return { ...base, json: JSON.stringify(data), lean: leanOf(type, data), id: r.record.id, text: textOf(data, r.record.body), ...(r.issues.length ? { issues: r.issues } : {}) };
}


function leanOf(type: RecordType, data: Data): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of leanFields(type)) {
    const v = data[f];
    if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v))) out[f] = v;
    else if (v && typeof v === 'object' && typeof (v as { amount?: unknown }).amount === 'number') out[f] = v;
  }
  return out;
}

function readBase(root: string, type: RecordType): Base | undefined {
  try {
    const b = deserialize(fs.readFileSync(basePath(root, type))) as Base;
    if (!b || b.version !== INDEX_VERSION || b.type !== type || !Array.isArray(b.paths) || !(b.stats instanceof Float64Array)) return undefined;
    if (b.stats.length !== b.paths.length * 4 || b.json.length !== b.paths.length) return undefined;
    return b;
  } catch {
    return undefined;
  }
}

/** Journal lines after the base: path → entry (null: removed), and the latest verification time. */
function readJournal(root: string, type: RecordType): { entries: Map<string, Entry | null>; writtenAt: number } {
  const entries = new Map<string, Entry | null>();
  let writtenAt = 0;
  let text = '';
  try {
    text = fs.readFileSync(journalPath(root, type), 'utf8');
  } catch {
    return { entries, writtenAt };
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    let rec: { p?: string; e?: Entry | null; w: number };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      continue; // a torn last line from a killed process: that file is simply re-read
    }
    if (rec.p !== undefined) entries.set(rec.p, rec.e ?? null);
    writtenAt = Math.max(writtenAt, rec.w);
  }
  return { entries, writtenAt };
}

/** The search text of every base slot, joined (NUL-separated) so that search can scan it as one string. */
export interface TextSegment {
  joined: string;
  /** Offset of each slot's text in `joined`. */
  starts: Int32Array;
  /** The record of each slot, or undefined where the slot is stale (its file changed). */
  records: (CrmRecord | undefined)[];
}

interface TextFile {
  paths: string[];
  joined: string;
  starts: Int32Array;
}

function readTextFile(root: string, type: RecordType): TextFile | undefined {
  try {
    const t = deserialize(fs.readFileSync(textPath(root, type))) as TextFile;
    if (!Array.isArray(t.paths) || typeof t.joined !== 'string' || !(t.starts instanceof Int32Array) || t.starts.length !== t.paths.length) return undefined;
    return t;
  } catch {
    return undefined;
  }
}

function textAt(t: TextFile, i: number): string {
  const end = i + 1 < t.starts.length ? t.starts[i + 1]! - 1 : t.joined.length;
  return t.joined.slice(t.starts[i]!, end);
}

/** Search text per path, from the text file. */
function readTexts(root: string, type: RecordType): Record<string, string> {
  const t = readTextFile(root, type);
  const out: Record<string, string> = {};
  if (t) t.paths.forEach((p, i) => (out[p] = textAt(t, i)));
  return out;
}

function writeBase(root: string, type: RecordType, slots: { path: string; e: Entry }[], texts: Record<string, string>, writtenAt: number): void {
  const dir = indexDir(root);
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(`${type}.v`) && !name.startsWith(`${type}.v${INDEX_VERSION}.`)) fs.rmSync(join(dir, name), { force: true });
  }
  const n = slots.length;
  const base: Base = { version: INDEX_VERSION, type, writtenAt, paths: [], ids: [], stats: new Float64Array(n * 4), json: [], issues: {}, lean: {} };
  const fields = leanFields(type);
  for (const f of fields) base.lean[f] = new Array<unknown>(n).fill(null);
  slots.forEach(({ path, e }, i) => {
    base.paths.push(path);
    base.ids.push(e.id ?? null);
    base.stats.set([e.size, e.mtimeMs, e.ctimeMs, e.ino], i * 4);
    base.json.push(e.json ?? '');
    if (e.issues?.length) base.issues[i] = e.issues;
    if (e.json) {
      const lean = e.lean ?? leanOf(type, JSON.parse(e.json) as Data);
      for (const f of fields) if (lean[f] !== undefined) base.lean[f]![i] = lean[f];
    }
  });
  const tmpText = join(dir, `${type}.${process.pid}.text.tmp`);
  const list = slots.map(({ path }) => (texts[path] ?? '').replace(/\u0000/g, ' '));
  const starts = new Int32Array(list.length);
  let at = 0;
  list.forEach((t, i) => {
    starts[i] = at;
    at += t.length + 1;
  });
  const file: TextFile = { paths: slots.map((x) => x.path), joined: list.join('\u0000'), starts };
  fs.writeFileSync(tmpText, serialize(file));
  fs.renameSync(tmpText, textPath(root, type));
  const tmp = join(dir, `${type}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, serialize(base));
  fs.renameSync(tmp, basePath(root, type));
  fs.rmSync(journalPath(root, type), { force: true });
}

function appendJournal(root: string, type: RecordType, changes: { p: string; e: Entry | null }[], now: number): void {
  fs.mkdirSync(indexDir(root), { recursive: true });
  // With no changes, one marker line records that every entry was verified now.
  const lines = changes.length > 0 ? changes.map((c) => JSON.stringify({ ...c, w: now })).join('\n') : JSON.stringify({ w: now });
  fs.appendFileSync(journalPath(root, type), `${lines}\n`);
}

function journalLength(root: string, type: RecordType): number {
  try {
    return fs.statSync(journalPath(root, type)).size;
  } catch {
    return 0;
  }
}

/**
 * A record read through the index: `data` is parsed from its JSON on first
 * use, `raw` and `body` are read from the file on first use, and `field`
 * answers lean columns without parsing. Getters live on the prototype, so
 * making 100,000 of these is cheap.
 */
class IndexedRecord implements CrmRecord {
  private parsed: Data | undefined;
  private rawText: string | undefined;
  private bodyText: string | undefined;

  constructor(
    private readonly root: string,
    readonly type: RecordType,
    readonly id: string,
    readonly path: string,
    private json: string,
    private readonly lean: LeanColumns | undefined,
    private readonly slot: number,
    private readonly text: string | TextFile | undefined,
  ) {}

  /** Search text: the record's own, or its slot in the type's text file (sliced on demand). */
  get searchText(): string | undefined {
    if (this.text === undefined || typeof this.text === 'string') return this.text;
    return textAt(this.text, this.slot);
  }

  get data(): Data {
    if (this.parsed === undefined) {
      this.parsed = JSON.parse(this.json) as Data;
      this.json = ''; // the parsed data replaces the text: memory stays flat
    }
    return this.parsed;
  }

  set data(v: Data) {
    this.parsed = v;
  }

  private read(): void {
    if (this.rawText !== undefined) return;
    this.rawText = fs.readFileSync(join(this.root, this.path), 'utf8');
    this.bodyText = readRecordFile(this.path, this.rawText).record?.body ?? '';
  }

  get raw(): string {
    this.read();
    return this.rawText as string;
  }

  get body(): string {
    this.read();
    return this.bodyText as string;
  }

  field(name: string): unknown {
    if (this.parsed === undefined && this.lean) {
      if (this.slot < 0) {
        if (this.lean.fields.has(name)) return this.lean.values?.[name];
      } else {
        const col = this.lean.columns[name];
        if (col) return col[this.slot] ?? undefined;
      }
    }
    return this.data[name];
  }
}

/** Lean values: columns of the base file (by slot), or one entry's own values (slot -1). */
interface LeanColumns {
  columns: Record<string, unknown[]>;
  fields: Set<string>;
  values?: Record<string, unknown>;
}

/**
 * Records of one type through the index, refreshing it for whatever changed
 * on disk. `text: true` also loads the search text; `write: false` (a
 * read-only file system) skips updating the index.
 */
export function loadType(root: string, type: RecordType, options: { write?: boolean; text?: boolean } = {}): TypeLoad {
  const started = Date.now();
  const files = scan(root, type);
  const base = readBase(root, type);
  const journal = base ? readJournal(root, type) : { entries: new Map<string, Entry | null>(), writtenAt: 0 };
  const writtenAt = Math.max(base?.writtenAt ?? 0, journal.writtenAt);
  const textFile = options.text && base ? readTextFile(root, type) : undefined;
  const textAligned = textFile !== undefined && textFile.paths.length === base!.paths.length;
  const bs = base?.stats;
  const bp = base?.paths ?? [];

  // What each file is now (aligned with files.paths): a base slot (trusted), a journal entry, or a fresh read.
  // Both path lists are sorted, so they are walked side by side.
  const n = files.paths.length;
  const current: (number | Entry)[] = new Array(n);
  const changed: { p: string; e: Entry | null }[] = [];
  const st = files.stats;
  const racyBefore = writtenAt - RACY_MS;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const path = files.paths[i]!;
    while (k < bp.length && bp[k]! < path) {
      if (!journal.entries.has(bp[k]!)) changed.push({ p: bp[k]!, e: null });
      k++;
    }
    const slot = k < bp.length && bp[k] === path ? k++ : -1;
    const j = journal.entries.get(path);
    const o = i * 4;
    let fresh = false;
    if (st[o + 1]! < racyBefore) {
      if (j) fresh = j.size === st[o] && j.mtimeMs === st[o + 1] && j.ctimeMs === st[o + 2] && j.ino === st[o + 3];
      else if (j === undefined && slot >= 0) {
        const b = slot * 4;
        fresh = bs![b] === st[o] && bs![b + 1] === st[o + 1] && bs![b + 2] === st[o + 2] && bs![b + 3] === st[o + 3];
      }
    }
    if (fresh) {
      current[i] = j ?? slot;
      continue;
    }
    const next = readEntry(root, type, path, st, i);
    current[i] = next;
    const prev = j ?? (slot >= 0 && j === undefined ? { json: base!.json[slot] || undefined, size: bs![slot * 4], mtimeMs: bs![slot * 4 + 1] } : undefined);
    // A "racy" file re-read with the same content and stats needs no journal line.
    if (prev && prev.json === next.json && prev.size === next.size && prev.mtimeMs === next.mtimeMs) continue;
    changed.push({ p: path, e: next });
  }
  for (; k < bp.length; k++) if (!journal.entries.has(bp[k]!)) changed.push({ p: bp[k]!, e: null });
  const onDisk = new Set(journal.entries.size > 0 ? files.paths : []);
  for (const [p, e] of journal.entries) if (e !== null && !onDisk.has(p)) changed.push({ p, e: null });

  const entryAt = (v: number | Entry): Entry => {
    if (typeof v !== 'number') return v;
    const o = v * 4;
    const id = base!.ids[v];
    const issues = base!.issues[v];
    return {
      size: base!.stats[o]!,
      mtimeMs: base!.stats[o + 1]!,
      ctimeMs: base!.stats[o + 2]!,
      ino: base!.stats[o + 3]!,
      ...(id ? { id } : {}),
      ...(base!.json[v] ? { json: base!.json[v] } : {}),
      ...(issues ? { issues } : {}),
    };
  };

  if (options.write !== false && (!base || changed.length > 0 || writtenAt < started - RACY_MS)) {
    try {
      if (!base || changed.length > JOURNAL_LIMIT || journalLength(root, type) > 4_000_000) {
        const all = base ? readTexts(root, type) : {};
        const slots = files.paths.map((path, i) => ({ path, e: entryAt(current[i]!) }));
        const outTexts: Record<string, string> = {};
        for (const { path, e } of slots) {
          outTexts[path] = e.text ?? all[path] ?? (e.json ? textFromFile(root, path, e.json) : '');
        }
        writeBase(root, type, slots, outTexts, started);
      } else {
        appendJournal(root, type, changed, started);
      }
    } catch {
      // the index is an optimisation: a read-only or full disk must not stop a read
    }
  }

  const records: CrmRecord[] = [];
  const issues: Issue[] = [];
  const leanSet = new Set(leanFields(type));
  const leanCols: LeanColumns | undefined = base ? { columns: base.lean, fields: leanSet } : undefined;
  const segmentRecords: (CrmRecord | undefined)[] | undefined = textAligned ? new Array(base!.paths.length) : undefined;
  const extra: { text: string; record: CrmRecord }[] = [];
  for (let i = 0; i < n; i++) {
    const path = files.paths[i]!;
    const v = current[i]!;
    if (typeof v === 'number') {
      const is = base!.issues[v];
      if (is) issues.push(...is);
      const id = base!.ids[v];
      const json = base!.json[v];
      if (!id || !json) continue;
      const rec = new IndexedRecord(root, type, id, path, json, leanCols, v, textAligned ? textFile : undefined);
      records.push(rec);
      if (segmentRecords) segmentRecords[v] = rec;
    } else {
      if (v.issues) issues.push(...v.issues);
      if (!v.id || !v.json) continue;
      const text = options.text ? (v.text ?? textFromFile(root, path, v.json)) : undefined;
      const rec = new IndexedRecord(root, type, v.id, path, v.json, v.lean ? { columns: {}, fields: leanSet, values: v.lean } : undefined, -1, text);
      records.push(rec);
      if (text !== undefined) extra.push({ text, record: rec });
    }
  }
  const segments: TextSegment[] = [];
  if (options.text) {
    if (segmentRecords) segments.push({ joined: textFile!.joined, starts: textFile!.starts, records: segmentRecords });
    else {
      // No aligned text file (first build, or rebuilt without it): every record's text from the file.
      const have = new Set(extra.map((x) => x.record));
      for (const r of records) if (!have.has(r)) extra.push({ text: textFromFile(root, r.path, JSON.stringify(r.data)), record: r });
    }
    if (extra.length > 0) {
      const starts = new Int32Array(extra.length);
      let at = 0;
      extra.forEach((x, i) => {
        starts[i] = at;
        at += x.text.length + 1;
      });
      segments.push({ joined: extra.map((x) => x.text.replace(/\u0000/g, ' ')).join('\u0000'), starts, records: extra.map((x) => x.record) });
    }
  }
  return { records, issues, reread: changed.length, segments };
}

function textFromFile(root: string, path: string, json: string): string {
  try {
    const raw = fs.readFileSync(join(root, path), 'utf8');
    return textOf(JSON.parse(json) as Data, readRecordFile(path, raw).record?.body ?? '');
  } catch {
    return '';
  }
}

/** Forget the index (it is rebuilt on the next read). */
export function dropIndex(root: string): void {
  fs.rmSync(indexDir(root), { recursive: true, force: true });
}
