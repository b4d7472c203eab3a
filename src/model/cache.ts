/**
 * The record index under `.crm/index/`: the parsed front matter of every
 * record file, per record type, with what is needed to know each entry is
 * still fresh. Git-ignored and rebuildable; never trusted over the files.
 *
 * Per type, files tied by a generation id:
 * - `<type>.v<INDEX_VERSION>.bin`, the base: first the paths (NUL-joined, so that
 *   stat-ing can start before the rest is read), then ids, size,
 *   mtime, ctime and inode of every file (a typed array), report
 *   timestamps as numbers and histories as moments and states (what
 *   reports read, parsed once here), and the mtime, ctime and inode of
 *   every record folder;
 * - `.col.<field>`: one "lean" column (a field list shows or reports read)
 *   as JSON, read only when a command asks for that field;
 * - `.json`: every record's front matter as JSON (UTF-8 with byte offsets),
 *   read only when a command needs more than the lean columns, and decoded
 *   one record at a time;
 * - `.text`: the search text (search-text.ts), read only by search;
 * - `.journal`: lines appended for what changed since the base was written;
 *   the base is rewritten only when the journal grows large.
 *
 * Loading (loadTypes) lists again only the folders whose times changed
 * (creating, deleting or renaming a file changes them), stats every file
 * (stat-files.ts, on two threads when there are many) and re-reads the
 * files that are new or changed. A file or folder changed within two
 * seconds of the index's last check is always looked at again (git's
 * "racy" rule), so a same-size edit in the same second is never missed.
 * Without an index, a worker thread (index-worker.ts) builds part of it.
 * A missing, corrupt or other-version index is rebuilt.
 *
 * `raw` and `body` of a record are read from its file on first access.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { MessageChannel, receiveMessageOnPort, threadId, Worker } from 'node:worker_threads';
import type { Data } from './frontmatter.js';
import type { Issue } from './issues.js';
import type { CrmRecord } from './record.js';
import { TYPES, type RecordType } from './schema.js';
import { headOf, joinTexts, textOf, type Joined } from './search-text.js';
import { startNativeStats, statFiles, type StatJob } from './stat-files.js';
import { parseTimestamp } from './timestamp.js';
import { readStated } from './read-stated.js';
import { batchReader, usesNativeRead } from './read-files.js';
import { ByteColumn } from './byte-column.js';
import { processAlive } from './process-alive.js';
import { readRecordFile } from './validate.js';

/** Bump when the file shape or parsing rules change: old indexes are rebuilt. */
export const INDEX_VERSION = 17;
const RACY_MS = 2000;
const JOURNAL_LIMIT = 2000;

/** One file, as read (journal lines and fresh reads). */
interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  id?: string;
  /** Front matter as JSON; absent when the file is not a readable record. */
  json?: string;
  /** Instead of `json` while the index is first built: its number in the type's ByteColumn. */
  jsonAt?: number;
  issues?: Issue[];
  text?: string;
  /** The lean columns' values (see leanFields). */
  lean?: Record<string, unknown>;
}

/** The base file: one slot per file, column by column (the JSON column lives in its own file). */
interface Base {
  version: number;
  type: RecordType;
  /** Ties the base to its JSON and text files: a mismatch means another process rewrote one. */
  gen: string;
  writtenAt: number;
  paths: string[];
  /** '' where the file is not a readable record. */
  ids: string[];
  stats: Float64Array; // size, mtimeMs, ctimeMs, ino per slot
  issues: Record<number, Issue[]>;
  lean: LeanStore;
  /** Every folder of the type, with mtimeMs, ctimeMs, ino: an unchanged folder is not listed again. */
  dirs: string[];
  dirStats: Float64Array;
  /** Report timestamps as numbers (see Times); fields the type does not have are absent. */
  times: Record<string, Float64Array>;
  /** The history's moments and states, for reports (see History); absent for types without one. */
  history?: History;
}

/**
 * A timestamp field of every slot as epoch ms, so that reports parse no
 * timestamp text: NaN where the record has no value, -Infinity where the
 * value is not a timestamp (reports then read the value itself, and say
 * what is wrong with it).
 */
const NO_TIME = Number.NaN;
const NOT_A_TIME = Number.NEGATIVE_INFINITY;

/** Fields kept as numbers in `times`, where the type's lean fields have them. */
const TIME_FIELDS = ['created', 'at', 'done_at', 'first_response_at', 'resolved_at'];

/**
 * Every slot's `history` as reports read it: entry k of slot i is at
 * `at[k]` with state `names[to[k]]`, for k from `starts[i]` to
 * `starts[i + 1]`. A slot whose history is not a list of maps each with a
 * timestamp `at` and a `to` is marked `irregular`: reports read the field
 * itself, and say what is wrong with it.
 */
interface History {
  starts: Int32Array;
  at: Float64Array;
  to: Int32Array;
  names: string[];
  irregular: Uint8Array;
}

/**
 * The base as stored: paths and ids as NUL-joined strings (one split is far
 * cheaper than deserialising 100,000 strings). Each lean column is a file
 * of its own (`<type>.v<N>.col.<field>`), read and parsed only when a
 * command asks for that field; `lean` says which fields have one (false:
 * no record has a value).
 */
interface StoredBase extends Omit<Base, 'paths' | 'ids' | 'lean'> {
  ids: string;
  lean: Record<string, boolean>;
}

/** Lean columns read and parsed on first use. */
const NOT_LEAN = Symbol('not a lean column');
/** A column file that is missing or from another base: the field is read from the records instead. */
const UNREADABLE = Symbol('column unreadable');

class LeanStore {
  private parsed = new Map<string, unknown[] | null | typeof UNREADABLE>();

  constructor(
    private readonly root: string,
    private readonly type: RecordType,
    private readonly gen: string,
    private readonly stored: Record<string, boolean>,
  ) {}

  has(field: string): boolean {
    return field in this.stored;
  }

  /** A slot's value (undefined when empty), or NOT_LEAN when the field is not a readable column: one map lookup once parsed. */
  value(field: string, slot: number): unknown {
    let col = this.parsed.get(field);
    if (col === undefined) {
      if (!(field in this.stored)) return NOT_LEAN;
      col = this.column(field);
    }
    if (col === UNREADABLE) return NOT_LEAN;
    return col === null ? undefined : (col[slot] ?? undefined);
  }

  /** The column (null when no record has a value for it), or UNREADABLE. */
  column(field: string): unknown[] | null | typeof UNREADABLE {
    let col = this.parsed.get(field);
    if (col === undefined) {
      col = this.stored[field] ? readColumn(this.root, this.type, field, this.gen) : null;
      this.parsed.set(field, col);
    }
    return col;
  }
}

/** A column file: the base's generation id, a newline, the values as a JSON array. */
function readColumn(root: string, type: RecordType, field: string, gen: string): unknown[] | typeof UNREADABLE {
  try {
    const text = fs.readFileSync(columnPath(root, type, field), 'utf8');
    if (!text.startsWith(gen) || text.charCodeAt(gen.length) !== 10) return UNREADABLE;
    const col = JSON.parse(text.slice(gen.length + 1)) as unknown;
    return Array.isArray(col) ? col : UNREADABLE;
  } catch {
    return UNREADABLE;
  }
}

/**
 * The JSON file: every slot's front matter as JSON (UTF-8), one after the
 * other, with each slot's byte offset; read into a Buffer and decoded one
 * slot at a time. Layout: the generation id's length (4 bytes) and the id,
 * the number of slots (4 bytes), their offsets (4 bytes each, one more
 * than the slots), the JSON bytes.
 */
interface JsonFile {
  buf: Buffer;
  offsets: Int32Array;
  /** Where the JSON bytes start in `buf`. */
  data: number;
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

function leanFields(type: RecordType): string[] {
  const known = leanCache.get(type);
  if (known) return known;
  const fields = computeLeanFields(type);
  leanCache.set(type, fields);
  return fields;
}

/** Fields reports read (src/reports/facts.ts), so that a report parses no record's whole front matter. */
const REPORT_FIELDS: Partial<Record<RecordType, readonly string[]>> = {
  interaction: ['at', 'created', 'due', 'done_at'],
  lead: ['created', 'history'],
  account: ['created', 'history'],
  opportunity: ['created', 'history', 'amount', 'closed_on'],
  case: ['created', 'history', 'first_response_at', 'resolved_at', 'satisfaction', 'priority'],
};

function computeLeanFields(type: RecordType): string[] {
  const spec = TYPES[type];
  const extra = REPORT_FIELDS[type] ?? [];
  return [...new Set([spec.title, 'name', 'subject', 'status', 'stage', 'kind', 'owner', ...spec.columns, ...extra])];
}

function indexDir(root: string): string {
  return join(root, '.crm', 'index');
}

function basePath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.bin`);
}

/** The front matter of every slot as JSON, read only when a command needs more than the lean columns. */
function jsonPath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.json`);
}

/** Search text lives in its own file (path → text), read only by search. */
function textPath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.text`);
}

function columnPath(root: string, type: RecordType, field: string): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.col.${field}`);
}

function journalPath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.journal`);
}

/** What the base and journal say the type's folders were when last looked at. */
interface Journal {
  entries: Map<string, Entry | null>;
  /** Paths whose latest line added them (they are not in the base). */
  added: Set<string>;
  dirs: Map<string, number[] | null>;
  writtenAt: number;
}

/** A type between opening its index and stat-ing its files (see loadTypes); plain data, so a worker can be handed it. */
export interface Opened {
  type: RecordType;
  started: number;
  base: Base | undefined;
  journal: Journal;
  writtenAt: number;
  /** Files to stat, sorted; the very array `base.paths` when nothing was added or removed. */
  paths: string[];
  /** Folders now, with their stats (mtimeMs, ctimeMs, ino). */
  dirsNow: string[];
  dirStatsNow: number[];
  /** Folder stats that differ from what the index knew (to record). */
  dirChanges: { d: string; s: number[] | null }[];
}

function sameDir(known: number[] | undefined, st: fs.Stats): boolean {
  return known !== undefined && known[0] === st.mtimeMs && known[1] === st.ctimeMs && known[2] === st.ino;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Read a type's index and find its files. A folder whose stats are what
 * the index recorded (and not within the racy window) has the same entries
 * as then: creating, deleting or renaming an entry changes its folder's
 * mtime and ctime. Only changed folders are listed again.
 */
function openType(root: string, type: RecordType, pre?: { file: BaseFile | undefined; paths?: string[]; started: number }): Opened {
  // When its files began to be stat-ed: what the index records as checked then.
  const started = pre?.started ?? Date.now();
  const base = readBase(root, type, pre ? pre.file : readBaseFile(root, type), pre?.paths);
  const journal = base ? readJournal(root, type) : { entries: new Map<string, Entry | null>(), added: new Set<string>(), dirs: new Map<string, number[] | null>(), writtenAt: 0 };
  const writtenAt = Math.max(base?.writtenAt ?? 0, journal.writtenAt);
  const racyBefore = writtenAt - RACY_MS;

  const known = new Map<string, number[]>();
  if (base) base.dirs.forEach((d, i) => known.set(d, [base.dirStats[i * 3]!, base.dirStats[i * 3 + 1]!, base.dirStats[i * 3 + 2]!]));
  for (const [d, s] of journal.dirs) {
    if (s) known.set(d, s);
    else known.delete(d);
  }
  const children = new Map<string, string[]>();
  for (const d of known.keys()) {
    const p = parentOf(d);
    const list = children.get(p);
    if (list) list.push(d);
    else children.set(p, [d]);
  }

  const dirsNow: string[] = [];
  const dirStatsNow: number[] = [];
  const dirChanges: { d: string; s: number[] | null }[] = [];
  const relisted = new Map<string, string[]>();
  const walk = (rel: string, depth: number) => {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(`${root}/${rel}`, { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    if (!st || !st.isDirectory()) return;
    const stats = [st.mtimeMs, st.ctimeMs, st.ino];
    dirsNow.push(rel);
    dirStatsNow.push(...stats);
    const before = known.get(rel);
    if (!sameDir(before, st)) dirChanges.push({ d: rel, s: stats });
    let subdirs: string[];
    if (base && sameDir(before, st) && st.mtimeMs < racyBefore) {
      subdirs = children.get(rel) ?? [];
    } else {
      const files: string[] = [];
      subdirs = [];
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(`${root}/${rel}`, { withFileTypes: true });
      } catch {
        entries = [];
      }
      for (const e of entries) {
        if (e.name.charCodeAt(0) === 46) continue; // '.'
        const p = `${rel}/${e.name}`;
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        if (e.isSymbolicLink() || (!isDir && !isFile)) {
          // A link (or a file system that does not say): follow it, as reading would.
          try {
            const t = fs.statSync(`${root}/${p}`, { throwIfNoEntry: false });
            isDir = t?.isDirectory() ?? false;
            isFile = t?.isFile() ?? false;
          } catch {
            isDir = isFile = false;
          }
        }
        if (isDir) {
          if (depth < 4) subdirs.push(p);
        } else if (isFile) files.push(p);
      }
      // In order here, so that the paths of all folders usually come out in order (checked below).
      files.sort();
      subdirs.sort();
      relisted.set(rel, files);
    }
    for (const sd of subdirs) walk(sd, depth + 1);
  };
  walk(TYPES[type].folder, 0);
  const now = new Set(dirsNow);
  for (const d of known.keys()) if (!now.has(d)) dirChanges.push({ d, s: null });

  let paths: string[];
  let membershipChanged = journal.added.size > 0;
  if (!membershipChanged) for (const e of journal.entries.values()) if (e === null) membershipChanged = true;
  if (base && relisted.size === 0 && dirChanges.length === 0 && !membershipChanged) {
    paths = base.paths;
  } else {
    // Files of unchanged folders as the index knew them, plus what changed folders hold now.
    const out: string[] = [];
    const keep = (p: string) => {
      const dir = parentOf(p);
      return now.has(dir) && !relisted.has(dir);
    };
    for (const p of base?.paths ?? []) if (journal.entries.get(p) !== null && keep(p)) out.push(p);
    for (const p of journal.added) if (journal.entries.get(p) && keep(p)) out.push(p);
    for (const files of relisted.values()) for (const p of files) out.push(p);
    // Sorted and without repeats; folders listed in order usually give that already (one pass to check).
    let ordered = true;
    for (let i = 1; i < out.length && ordered; i++) ordered = out[i - 1]! < out[i]!;
    if (!ordered) out.sort();
    paths = ordered ? out : out.filter((p, i) => i === 0 || out[i - 1] !== p);
  }
  return { type, started, base, journal, writtenAt, paths, dirsNow, dirStatsNow, dirChanges };
}


function readEntry(root: string, type: RecordType, path: string, st: Float64Array, i: number, text?: string): Entry {
  const base = { size: st[i * 4]!, mtimeMs: st[i * 4 + 1]!, ctimeMs: st[i * 4 + 2]!, ino: st[i * 4 + 3]! };
  let raw: string;
  try {
    raw = text ?? readStated(`${root}/${path}`, base.size);
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
    if (v !== undefined && v !== null) out[f] = detach(v);
  }
  return out;
}

/**
 * A value with strings of its own. Values parsed from a file can be slices
 * of the file's whole text (V8 shares the characters), so keeping a few
 * lean values would keep every file's text alive until the index is
 * written: at 100,000 files, most of a first build's memory and garbage
 * collection. A string joined to another and sliced back is a copy.
 */
function detach(v: unknown): unknown {
  if (typeof v === 'string') return v.length < 13 ? v : (' ' + v).slice(1);
  if (Array.isArray(v)) return v.map(detach);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = detach((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * A base file as read, before its main part is deserialised. The paths
 * come first, on their own (a 4-byte length, then NUL-joined UTF-8), so
 * that the files can be stat-ed while the rest is being read.
 */
interface BaseFile {
  paths: string;
  buf: Buffer;
  /** Where the serialised rest starts. */
  rest: number;
}

function readBaseFile(root: string, type: RecordType): BaseFile | undefined {
  try {
    const buf = fs.readFileSync(basePath(root, type));
    if (buf.length < 4) return undefined;
    const len = buf.readUInt32LE(0);
    if (4 + len > buf.length) return undefined;
    return { paths: buf.toString('utf8', 4, 4 + len), buf, rest: 4 + len };
  } catch {
    return undefined;
  }
}

const NUL = Buffer.from([0]);

function splitPaths(joined: string): string[] {
  return joined === '' ? [] : joined.split('\u0000');
}

function readBase(root: string, type: RecordType, file: BaseFile | undefined, split?: string[]): Base | undefined {
  if (!file) return undefined;
  try {
    const s = deserialize(file.buf.subarray(file.rest)) as StoredBase;
    if (!s || s.version !== INDEX_VERSION || s.type !== type || typeof s.gen !== 'string' || typeof s.ids !== 'string') return undefined;
    if (!(s.stats instanceof Float64Array) || !s.lean || typeof s.lean !== 'object' || !s.issues) return undefined;
    if (!Array.isArray(s.dirs) || !(s.dirStats instanceof Float64Array) || s.dirStats.length !== s.dirs.length * 3) return undefined;
    if (!s.times || typeof s.times !== 'object') return undefined;
    for (const t of Object.values(s.times)) if (!(t instanceof Float64Array)) return undefined;
    const h = s.history;
    if (h !== undefined && !(h.starts instanceof Int32Array && h.at instanceof Float64Array && h.to instanceof Int32Array && Array.isArray(h.names) && h.irregular instanceof Uint8Array)) return undefined;
    const paths = split ?? splitPaths(file.paths);
    // One file that is not a record has id '': split by the number of paths, not by the text.
    const ids = paths.length === 0 ? [] : s.ids.split('\u0000');
    if (s.stats.length !== paths.length * 4 || ids.length !== paths.length) return undefined;
    for (const t of Object.values(s.times)) if (t.length !== paths.length) return undefined;
    if (h && (h.starts.length !== paths.length + 1 || h.irregular.length !== paths.length || h.at.length !== h.to.length || h.starts[paths.length] !== h.at.length)) return undefined;
    for (const v of Object.values(s.lean)) if (typeof v !== 'boolean') return undefined;
    return { ...s, paths, ids, lean: new LeanStore(root, type, s.gen, s.lean) };
  } catch {
    return undefined;
  }
}

/** Journal lines after the base: path → entry (null: removed), folder stats, and the latest verification time. */
function readJournal(root: string, type: RecordType): Journal {
  const entries = new Map<string, Entry | null>();
  const added = new Set<string>();
  const dirs = new Map<string, number[] | null>();
  let writtenAt = 0;
  let text = '';
  try {
    text = fs.readFileSync(journalPath(root, type), 'utf8');
  } catch {
    return { entries, added, dirs, writtenAt };
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    let rec: { p?: string; e?: Entry | null; a?: 1; d?: string; s?: number[] | null; w: number };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      continue; // a torn last line from a killed process: that file or folder is simply looked at again
    }
    if (rec.p !== undefined) {
      entries.set(rec.p, rec.e ?? null);
      if (rec.a && rec.e) added.add(rec.p);
      else added.delete(rec.p);
    }
    if (rec.d !== undefined) dirs.set(rec.d, Array.isArray(rec.s) && rec.s.length === 3 ? rec.s : null);
    writtenAt = Math.max(writtenAt, rec.w);
  }
  return { entries, added, dirs, writtenAt };
}

/** The search text of every base slot, joined (NUL-separated) so that search can scan it as one string. */
export interface TextSegment {
  joined: string;
  /** Offset of each slot's text in `joined`. */
  starts: Int32Array;
  /** The record of each slot, or undefined where the slot is stale (its file changed). */
  records: (CrmRecord | undefined)[];
  /** The same slots' fields only (the text before the notes), for typo-tolerant matching. */
  heads?: Joined;
}


/** The search text of every slot of a base (the same `gen`), in slot order. */
interface TextFile {
  gen: string;
  joined: string;
  starts: Int32Array;
  heads: Joined;
}



function readTextFile(root: string, type: RecordType, gen?: string): TextFile | undefined {
  try {
    const t = deserialize(fs.readFileSync(textPath(root, type))) as TextFile;
    if (typeof t.gen !== 'string' || typeof t.joined !== 'string' || !(t.starts instanceof Int32Array)) return undefined;
    if (!t.heads || typeof t.heads.joined !== 'string' || !(t.heads.starts instanceof Int32Array) || t.heads.starts.length !== t.starts.length) return undefined;
    if (gen !== undefined && t.gen !== gen) return undefined;
    return t;
  } catch {
    return undefined;
  }
}

function textAt(t: TextFile, i: number): string {
  const end = i + 1 < t.starts.length ? t.starts[i + 1]! - 1 : t.joined.length;
  return t.joined.slice(t.starts[i]!, end);
}

/** Search text per path of the base, from its text file. */
function readTexts(root: string, base: Base): Map<string, string> {
  const t = readTextFile(root, base.type, base.gen);
  const out = new Map<string, string>();
  if (t && base.paths.length === t.starts.length) base.paths.forEach((p, i) => out.set(p, textAt(t, i)));
  return out;
}

/**
 * The JSON column of a base, read when a record's full front matter is
 * first needed: one string (a copy, not 100,000 strings to build), from
 * which a slot's JSON is sliced.
 */
class JsonColumn {
  private file: JsonFile | null | undefined;

  constructor(
    private readonly root: string,
    private readonly type: RecordType,
    private readonly gen: string,
  ) {}

  private load(): JsonFile | null {
    if (this.file === undefined) {
      this.file = null;
      try {
        const buf = fs.readFileSync(jsonPath(this.root, this.type));
        const genLength = buf.readUInt32LE(0);
        if (buf.toString('utf8', 4, 4 + genLength) === this.gen) {
          const count = buf.readUInt32LE(4 + genLength);
          const at = 8 + genLength;
          const offsets = new Int32Array(count + 1);
          for (let i = 0; i <= count; i++) offsets[i] = buf.readInt32LE(at + i * 4);
          const data = at + (count + 1) * 4;
          if (offsets[count]! + data === buf.length) this.file = { buf, offsets, data };
        }
      } catch {
        this.file = null;
      }
    }
    return this.file;
  }

  /** The slot's JSON, or undefined if the file is gone or from another base. */
  take(slot: number): string | undefined {
    const f = this.load();
    if (!f || slot < 0 || slot + 1 >= f.offsets.length) return undefined;
    return f.buf.toString('utf8', f.data + f.offsets[slot]!, f.data + f.offsets[slot + 1]!) || undefined;
  }

  /** Every slot's JSON, for rewriting the base ('' where unknown). */
  all(): string[] {
    const f = this.load();
    if (!f) return [];
    const out: string[] = [];
    for (let i = 0; i + 1 < f.offsets.length; i++) out.push(this.take(i) ?? '');
    return out;
  }
}

function timeValue(v: unknown): number {
  if (v === undefined || v === null || v === '') return NO_TIME;
  return parseTimestamp(v) ?? NOT_A_TIME;
}

function historyOf(column: unknown[]): History {
  const n = column.length;
  const starts = new Int32Array(n + 1);
  const irregular = new Uint8Array(n);
  const at: number[] = [];
  const to: number[] = [];
  const names: string[] = [];
  const code = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    starts[i] = at.length;
    const h = column[i];
    if (h === undefined || h === null) continue;
    if (!Array.isArray(h)) {
      irregular[i] = 1;
      continue;
    }
    const from = at.length;
    for (const e of h) {
      const entry = e as Record<string, unknown> | null;
      const t = entry && typeof entry === 'object' && !Array.isArray(entry) ? parseTimestamp(entry.at) : undefined;
      const state = entry && typeof entry === 'object' ? entry.to : undefined;
      if (t === undefined || typeof state !== 'string' || !state) {
        irregular[i] = 1;
        at.length = from;
        to.length = from;
        break;
      }
      let c = code.get(state);
      if (c === undefined) {
        c = names.length;
        names.push(state);
        code.set(state, c);
      }
      at.push(t);
      to.push(c);
    }
  }
  starts[n] = at.length;
  return { starts, at: Float64Array.from(at), to: Int32Array.from(to), names, irregular };
}

function writeBase(
  root: string,
  type: RecordType,
  slots: { path: string; e: Entry }[],
  /** Search text of each slot. */
  texts: string[],
  writtenAt: number,
  dirs: { dirs: string[]; stats: number[] },
  /** Where entries with `jsonAt` have their JSON. */
  built?: ByteColumn,
): void {
  const dir = indexDir(root);
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(`${type}.v`)) continue;
    // Another version's files, and what a process killed while writing left behind.
    const writer = /\.(\d+)-\d+\.tmp$/.exec(name);
    const stale = writer ? !processAlive(Number(writer[1])) : !name.startsWith(`${type}.v${INDEX_VERSION}.`);
    if (stale) fs.rmSync(join(dir, name), { force: true });
  }
  const gen = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const n = slots.length;
  const paths: string[] = [];
  const ids: string[] = [];
  const stats = new Float64Array(n * 4);
  const issues: Record<number, Issue[]> = {};
  const json: string[] = [];
  const fields = leanFields(type);
  const columns: Record<string, unknown[]> = {};
  const used = new Set<string>();
  for (const f of fields) columns[f] = new Array<unknown>(n).fill(null);
  slots.forEach(({ path, e }, i) => {
    paths.push(path);
    ids.push(e.id ?? '');
    stats[i * 4] = e.size;
    stats[i * 4 + 1] = e.mtimeMs;
    stats[i * 4 + 2] = e.ctimeMs;
    stats[i * 4 + 3] = e.ino;
    json.push(e.json ?? '');
    if (e.issues?.length) issues[i] = e.issues;
    if (e.json || (e.jsonAt !== undefined && built)) {
      const lean = e.lean ?? leanOf(type, JSON.parse(e.json ?? built!.take(e.jsonAt!)) as Data);
      for (const f of fields) {
        if (lean[f] !== undefined) {
          columns[f]![i] = lean[f];
          used.add(f);
        }
      }
    }
  });
  const lean: Record<string, boolean> = {};
  // History is kept for reports as numbers (below); anything else reading it parses the record's JSON.
  for (const f of fields) if (f !== 'history') lean[f] = used.has(f);
  const times: Record<string, Float64Array> = {};
  for (const f of TIME_FIELDS) {
    const col = columns[f];
    if (!col) continue;
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = timeValue(col[i]);
    times[f] = t;
  }
  const history = columns.history && REPORT_FIELDS[type]?.includes('history') ? historyOf(columns.history) : undefined;
  const base: StoredBase = {
    version: INDEX_VERSION,
    type,
    gen,
    writtenAt,
    ids: ids.join('\u0000'),
    stats,
    issues,
    lean,
    dirs: dirs.dirs,
    dirStats: Float64Array.from(dirs.stats),
    times,
    ...(history ? { history } : {}),
  };
  const list = texts.map((t) => (t.includes('\u0000') ? t.replace(/\u0000/g, ' ') : t));
  const joinedPaths = paths.join('\u0000');
  const text: TextFile = { gen, ...joinTexts(list), heads: joinTexts(list.map(headOf)) };
  // The JSON and text files first, the base last: a reader holding the old base sees another `gen` and reads files instead.
  const put = (path: string, value: unknown, prefix?: string) => {
    const tmp = `${path}.${process.pid}-${threadId}.tmp`; // one per thread: the index worker writes too
    const body = serialize(value);
    if (prefix === undefined) fs.writeFileSync(tmp, body);
    else {
      // The base: its paths first, so that stat-ing can start before the rest is deserialised.
      const head = Buffer.from(prefix, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(head.length, 0);
      fs.writeFileSync(tmp, Buffer.concat([len, head, body]));
    }
    fs.renameSync(tmp, path);
  };
  // The JSON file (see JsonFile): each slot's bytes copied from where they are, no joined string.
  const genBytes = Buffer.from(gen, 'utf8');
  const sizes = slots.map(({ e }, i) => (e.jsonAt !== undefined && built ? built.size(e.jsonAt) : Buffer.byteLength(json[i]!, 'utf8')));
  const head = 8 + genBytes.length + (n + 1) * 4;
  const out = Buffer.allocUnsafe(head + sizes.reduce((a, b) => a + b, 0));
  out.writeUInt32LE(genBytes.length, 0);
  genBytes.copy(out, 4);
  out.writeUInt32LE(n, 4 + genBytes.length);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    out.writeInt32LE(offset, 8 + genBytes.length + i * 4);
    const e = slots[i]!.e;
    if (e.jsonAt !== undefined && built) built.copyTo(e.jsonAt, out, head + offset);
    else out.write(json[i]!, head + offset, 'utf8');
    offset += sizes[i]!;
  }
  out.writeInt32LE(offset, 8 + genBytes.length + n * 4);
  const jsonFile = jsonPath(root, type);
  const jsonTmp = `${jsonFile}.${process.pid}-${threadId}.tmp`;
  fs.writeFileSync(jsonTmp, out);
  fs.renameSync(jsonTmp, jsonFile);
  for (const f of fields) {
    if (!lean[f]) continue;
    const path = columnPath(root, type, f);
    const tmp = `${path}.${process.pid}-${threadId}.tmp`;
    fs.writeFileSync(tmp, `${gen}\n${JSON.stringify(columns[f])}`);
    fs.renameSync(tmp, path);
  }
  put(textPath(root, type), text);
  put(basePath(root, type), base, joinedPaths);
  fs.rmSync(journalPath(root, type), { force: true });
}

type JournalLine = { p: string; e: Entry | null; a?: 1 } | { d: string; s: number[] | null };

function appendJournal(root: string, type: RecordType, changes: JournalLine[], now: number): void {
  fs.mkdirSync(indexDir(root), { recursive: true });
  // With no changes, one marker line records that every entry was verified now.
  // Folder lines come after the file lines they account for: a torn write loses the folder line, and the folder is listed again.
  const ordered = [...changes.filter((c) => 'p' in c), ...changes.filter((c) => 'd' in c)];
  const lines = ordered.length > 0 ? ordered.map((c) => JSON.stringify({ ...c, w: now })).join('\n') : JSON.stringify({ w: now });
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
  /** The file's text and body, once read. */
  private file: { raw: string; body: string } | undefined;

  /** An own property (not a getter), so that `{ ...record }` keeps it. */
  readonly type: RecordType;

  constructor(
    /** What the records of one base (or one fresh read) share. */
    private readonly src: Source,
    readonly id: string,
    readonly path: string,
    private readonly slot: number,
    /** Front matter as JSON (a fresh read), or its number in the source's ByteColumn; base records take theirs from the source's column. */
    private json: string | number | undefined,
  ) {
    this.type = src.type;
  }

  /** Search text: the record's own, or its slot in the type's text file (sliced on demand). */
  get searchText(): string | undefined {
    const text = this.src.text;
    if (text === undefined || typeof text === 'string') return text;
    return textAt(text, this.slot);
  }

  get data(): Data {
    if (this.parsed === undefined) {
      const own = this.json;
      const json = typeof own === 'number' ? this.src.built?.take(own) : (own ?? this.src.column?.take(this.slot));
      this.json = undefined; // the parsed data replaces the text: memory stays flat
      if (json) this.parsed = JSON.parse(json) as Data;
      else {
        // The JSON column was rewritten by another process meanwhile: read the file itself.
        this.parsed = readRecordFile(this.path, this.raw).record?.data ?? {};
      }
    }
    return this.parsed;
  }

  set data(v: Data) {
    this.parsed = v;
  }

  private read(): { raw: string; body: string } {
    if (!this.file) {
      const raw = fs.readFileSync(join(this.src.root, this.path), 'utf8');
      this.file = { raw, body: readRecordFile(this.path, raw).record?.body ?? '' };
    }
    return this.file;
  }

  get raw(): string {
    return this.read().raw;
  }

  get body(): string {
    return this.read().body;
  }

  /**
   * A report timestamp as epoch ms without parsing it: null when the record
   * has no value; undefined when the index cannot say (read the field).
   */
  time(name: string): number | null | undefined {
    const col = this.parsed === undefined && this.slot >= 0 ? this.src.times?.[name] : undefined;
    if (!col) return undefined;
    const t = col[this.slot]!;
    return t === NOT_A_TIME ? undefined : Number.isNaN(t) ? null : t;
  }

  /** The history's moments and states, oldest first as written; undefined when the index cannot say (read the field). */
  entries(): { at: number; to: string }[] | undefined {
    const h = this.parsed === undefined && this.slot >= 0 ? this.src.history : undefined;
    if (!h || h.irregular[this.slot]) return undefined;
    const out: { at: number; to: string }[] = [];
    for (let k = h.starts[this.slot]!, end = h.starts[this.slot + 1]!; k < end; k++) {
      const to = h.names[h.to[k]!];
      if (to === undefined) return undefined;
      out.push({ at: h.at[k]!, to });
    }
    return out;
  }

  field(name: string): unknown {
    const lean = this.src.lean;
    if (this.parsed === undefined && lean) {
      if (this.slot < 0) {
        if (lean.fields.has(name)) return lean.values?.[name];
      } else if (lean.store) {
        const v = lean.store.value(name, this.slot);
        if (v !== NOT_LEAN) return v;
      }
    }
    return this.data[name];
  }
}

/** What records of one base share (or a freshly read record has of its own). */
interface Source {
  root: string;
  type: RecordType;
  /** Where a record being indexed for the first time has its JSON (its number in place of the text). */
  built?: ByteColumn;
  /** The base's report timestamps and history (records of the base only). */
  times?: Record<string, Float64Array>;
  history?: History;
  column?: JsonColumn;
  lean?: LeanColumns;
  text?: string | TextFile;
}

/** Lean values: columns of the base file (by slot), or one entry's own values (slot -1). */
interface LeanColumns {
  store?: LeanStore;
  fields: Set<string>;
  values?: Record<string, unknown>;
}

export interface LoadOptions {
  /** false: never update the index (a read-only file system). */
  write?: boolean;
  /** Also load the search text. */
  text?: boolean;
  /** Use this thread only (inside the index worker). */
  single?: boolean;
  /** Lean columns to parse while the files are stat-ed (the fields the caller reads of every record). */
  columns?: readonly string[];
  /** The types already opened by the thread that started the index worker (their folders listed). */
  opened?: Opened[];
  /** Told how many files are about to be indexed when there is no index yet for many of them. */
  onBuild?: (files: number) => void;
  /** Receives each type's paths and their stats (the index worker passes them back). */
  onStats?: (type: RecordType, paths: string[], stats: Float64Array) => void;
  /** false: only bring the index up to date, make no records (the index worker: the other thread reads them from the index). */
  records?: boolean;
}

/**
 * Records of several types through the index, refreshing it for whatever
 * changed on disk. The files of all the types are stat-ed in one go (two
 * threads when there are many).
 */
export function loadTypes(root: string, types: readonly RecordType[], options: LoadOptions = {}): TypeLoad[] {
  mark('load');
  const started = Date.now();
  // Each base file starts with its paths: with an index for every type, the native module's
  // helper thread starts stat-ing them while this thread reads the rest of the index.
  const files = new Map<RecordType, BaseFile | undefined>();
  if (!options.opened) for (const t of types) files.set(t, readBaseFile(root, t));
  const early = options.single || options.opened || [...files.values()].some((f) => !f) ? undefined : earlyStats(root, files);
  const opened = types.map(
    (t) => options.opened?.find((o) => o.type === t) ?? openType(root, t, { file: files.get(t), started, ...(early ? { paths: early.paths.get(t)! } : {}) }),
  );
  mark('opened');
  if (options.onBuild && !options.single) {
    const files = opened.reduce((n, o) => n + (o.base ? 0 : o.paths.length), 0);
    if (files >= BUILD_NOTICE_MIN) options.onBuild(files);
  }
  const built = options.single ? undefined : buildInWorker(root, opened);
  const here = built ? opened.filter((o) => !built.types.includes(o.type)) : opened;
  const loads = new Map<RecordType, TypeLoad>();
  // Parsing the columns the caller will read does not need the stats: it runs while another thread stats.
  const during = () => {
    for (const o of here) for (const f of options.columns ?? []) if (o.base?.lean.has(f)) o.base.lean.column(f);
    mark('columns');
  };
  let statsOf: (o: Opened) => Float64Array;
  const byReader = (o: Opened) => !o.base && o.paths.length > 0 && usesNativeRead();
  if (early && !built) {
    during();
    const stats = early.job.finish();
    statsOf = (o) => early.statsFor(o, stats);
  } else {
    early?.job.finish();
    // A type without an index is read whole: the native read stats each file as it opens it (no pass of its own).
    const statted = here.filter((o) => !byReader(o));
    const all: string[] = [];
    for (const o of statted) for (const p of o.paths) all.push(p);
    // While the index worker runs, both cores are busy: stat on this thread only.
    const stats = statFiles(root, statted.length === 1 ? statted[0]!.paths : all, options.single || built ? { workerMin: Infinity, during } : { during });
    const offset = new Map<RecordType, number>();
    let n = 0;
    for (const o of statted) {
      offset.set(o.type, n);
      n += o.paths.length;
    }
    statsOf = (o) => {
      const from = offset.get(o.type);
      return from === undefined ? new Float64Array(o.paths.length * 4) : stats.subarray(from * 4, (from + o.paths.length) * 4);
    };
  }
  mark('stat');
  for (const o of here) {
    const st = statsOf(o);
    loads.set(o.type, finishType(root, o, st, options, byReader(o)));
    // After finishType: the stats of a type read whole are taken as its files are read.
    options.onStats?.(o.type, o.paths, st);
  }
  if (built) {
    // The worker's types now have a fresh index (or, if it failed, are built here as usual).
    const seen = built.wait();
    for (const type of built.types) {
      const o = openType(root, type);
      const known = seen.get(type);
      // The worker's own stats of these files are what its index recorded: no need to stat them again.
      const st = known && known.paths === o.paths.join('\u0000') ? known.stats : statFiles(root, o.paths, { workerMin: Infinity });
      loads.set(type, finishType(root, o, st, options));
    }
  }
  mark('loaded');
  return types.map((t) => loads.get(t)!);
}

/**
 * Stat-ing started from the paths at the head of each base file, before
 * the rest of the index is read (native module only: its helper thread
 * costs nothing to start). A type whose folders changed since (files added
 * or removed) has other paths: its stats are taken from the job where the
 * path is the same, and its new paths are stat-ed when asked.
 */
function earlyStats(root: string, files: Map<RecordType, BaseFile | undefined>): { job: StatJob; paths: Map<RecordType, string[]>; statsFor(o: Opened, stats: Float64Array): Float64Array } | undefined {
  const paths = new Map<RecordType, string[]>();
  const offset = new Map<RecordType, number>();
  const bytes: Buffer[] = [];
  let count = 0;
  for (const [t, f] of files) {
    const list = splitPaths(f!.paths);
    paths.set(t, list);
    offset.set(t, count);
    count += list.length;
    if (list.length > 0) bytes.push(...(bytes.length > 0 ? [NUL] : []), f!.buf.subarray(4, f!.rest));
  }
  // The paths' bytes as the files have them: the native module needs no string conversion.
  const job = startNativeStats(root, Buffer.concat(bytes), count);
  if (!job) return undefined;
  return {
    job,
    paths,
    statsFor(o, stats) {
      const from = offset.get(o.type)!;
      const known = paths.get(o.type)!;
      if (o.paths === known) return stats.subarray(from * 4, (from + known.length) * 4);
      const slot = new Map<string, number>();
      known.forEach((p, i) => slot.set(p, from + i));
      const out = new Float64Array(o.paths.length * 4);
      const missing: number[] = [];
      o.paths.forEach((p, i) => {
        const j = slot.get(p);
        if (j === undefined) missing.push(i);
        else out.set(stats.subarray(j * 4, j * 4 + 4), i * 4);
      });
      if (missing.length > 0) {
        const fresh = statFiles(root, missing.map((i) => o.paths[i]!), { workerMin: Infinity });
        missing.forEach((i, k) => out.set(fresh.subarray(k * 4, k * 4 + 4), i * 4));
      }
      return out;
    },
  };
}

/** What the last loads did, for CRM_DEBUG_TIMING (read by the bench and tests). */
export const loadStats = { workerBuilt: [] as RecordType[], phases: [] as string[] };

/** Marks a moment of loading (ms since the process started), for CRM_DEBUG_TIMING. */
function mark(name: string): void {
  // Only when asked: a long-running board loads again and again.
  if (process.env.CRM_DEBUG_TIMING) loadStats.phases.push(`${name}@${Math.round(performance.now())}`);
}

/** From this many files without an index, the caller is told (building takes a few seconds at 100,000). */
const BUILD_NOTICE_MIN = 3000;

/** Below this many files without an index, building it on one thread is quicker than starting a worker. */
const BUILD_WORKER_MIN = 3000;

/**
 * Building the index for the first time is mostly reading and parsing
 * files. When two or more types have no index and there are many files, a
 * worker thread builds the index of some types (about half the files) while
 * this thread builds the others.
 */
function buildInWorker(root: string, opened: Opened[]): { types: RecordType[]; wait(): Map<RecordType, WorkerStats> } | undefined {
  const cold = opened.filter((o) => !o.base && o.paths.length > 0);
  const total = cold.reduce((n, o) => n + o.paths.length, 0);
  if (cold.length < 2 || total < BUILD_WORKER_MIN || process.env.CRM_NO_WORKERS) return undefined;
  const script = workerScript();
  if (!script) return undefined;
  // Largest first, each to the lighter side; the worker takes the side with the largest type.
  const sides: { types: RecordType[]; n: number }[] = [{ types: [], n: 0 }, { types: [], n: 0 }];
  for (const o of [...cold].sort((a, b) => b.paths.length - a.paths.length)) {
    const side = sides[0]!.n <= sides[1]!.n ? sides[0]! : sides[1]!;
    side.types.push(o.type);
    side.n += o.paths.length;
  }
  const types = sides[0]!.types;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    const handed = cold.filter((o) => types.includes(o.type));
    const worker = new Worker(script, { workerData: { root, types, opened: handed, flag: flag.buffer, port: port2 }, transferList: [port2] });
    worker.unref();
    return {
      types,
      wait() {
        Atomics.wait(flag, 0, 0, 120_000);
        const seen = new Map<RecordType, WorkerStats>();
        if (Atomics.load(flag, 0) === 1) {
          loadStats.workerBuilt.push(...types);
          const msg = receiveMessageOnPort(port1)?.message as { type: RecordType; paths: string; stats: Float64Array }[] | undefined;
          for (const m of msg ?? []) if (m && typeof m.paths === 'string' && m.stats instanceof Float64Array) seen.set(m.type, m);
        }
        port1.close();
        void worker.terminate();
        return seen;
      },
    };
  } catch {
    port1.close();
    return undefined;
  }
}

/** What the index worker stat-ed for a type: its paths (NUL-joined) and their stats. */
interface WorkerStats {
  paths: string;
  stats: Float64Array;
}

/** The bundled worker entry (dist/index-worker.js), next to or above the code that runs; none when running from sources. */
function workerScript(): URL | undefined {
  for (const rel of ['./index-worker.js', '../index-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === 'file:' && fs.existsSync(url)) return url;
  }
  return undefined;
}

/** The slot of each journal line's path in sorted `paths` (lines for other paths are not there). */
function journalSlots(paths: readonly string[], journal: Journal): Map<number, Entry | null> {
  const out = new Map<number, Entry | null>();
  for (const [p, e] of journal.entries) {
    let lo = 0;
    let hi = paths.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const q = paths[mid]!;
      if (q === p) {
        out.set(mid, e);
        break;
      }
      if (q < p) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return out;
}

/**
 * Comparisons of stat values kept in Float64Arrays. Small functions on
 * purpose: V8 optimises them after a few calls, and then reads the doubles
 * without boxing each one (the loop calling them runs once per file,
 * mostly before it is optimised itself).
 */
function sameStat(a: Float64Array, ai: number, b: Float64Array, bi: number): boolean {
  return a[ai] === b[bi] && a[ai + 1] === b[bi + 1] && a[ai + 2] === b[bi + 2] && a[ai + 3] === b[bi + 3];
}

function before(a: Float64Array, i: number, t: number): boolean {
  return a[i]! < t;
}

function finishType(root: string, o: Opened, st: Float64Array, options: LoadOptions, statByReader = false): TypeLoad {
  const { type, base, journal, writtenAt, started } = o;
  const textFile = options.text && base ? readTextFile(root, type, base.gen) : undefined;
  const column = base ? new JsonColumn(root, type, base.gen) : undefined;
  const bs = base?.stats;
  const sameAsBase = base !== undefined && o.paths === base.paths;
  let slotOf: Map<string, number> | undefined;
  if (base && !sameAsBase) {
    slotOf = new Map();
    base.paths.forEach((p, i) => slotOf!.set(p, i));
  }

  // What each file is now (aligned with o.paths): a base slot (trusted), a journal entry, or a fresh read.
  const n = o.paths.length;
  const built = base ? undefined : new ByteColumn();
  const current: (number | Entry | null)[] = new Array(n);
  const changed: JournalLine[] = [];
  const racyBefore = writtenAt - RACY_MS;
  // With the base's own paths (sorted), journal lines are found by slot: no string lookup per file.
  const journalAt = sameAsBase ? journalSlots(base.paths, journal) : undefined;
  // A first build reads every file: in batches, where the native module can.
  const reader = base ? undefined : batchReader(root, o.paths, st, { stat: statByReader });
  for (let i = 0; i < n; i++) {
    reader?.load(i);
    const path = o.paths[i]!;
    const off = i * 4;
    const slot = sameAsBase ? i : (slotOf?.get(path) ?? -1);
    const j = journalAt ? (journalAt.size === 0 ? undefined : journalAt.get(i)) : journal.entries.get(path);
    if (st[off]! < 0) {
      // Gone (or no longer a file) between listing and stat-ing it.
      current[i] = null;
      if (j !== null && (j !== undefined || slot >= 0)) changed.push({ p: path, e: null });
      continue;
    }
    let fresh = false;
    if (before(st, off + 1, racyBefore)) {
      if (j) fresh = j.size === st[off] && j.mtimeMs === st[off + 1] && j.ctimeMs === st[off + 2] && j.ino === st[off + 3];
      else if (j === undefined && slot >= 0) fresh = sameStat(bs!, slot * 4, st, off);
    }
    if (fresh) {
      current[i] = j ?? slot;
      continue;
    }
    const next = readEntry(root, type, path, st, i, reader?.text(i));
    if (built && next.json !== undefined) {
      // A first build holds every record until the index is written: its JSON waits off the heap.
      next.jsonAt = built.push(next.json);
      next.json = undefined;
    }
    current[i] = next;
    // A "racy" file re-read with the same content and stats as its journal line needs no new line.
    if (j && j.json === next.json && j.size === next.size && j.mtimeMs === next.mtimeMs && j.ctimeMs === next.ctimeMs && j.ino === next.ino) continue;
    changed.push(slot < 0 ? { p: path, e: next, a: 1 } : { p: path, e: next });
  }
  if (!sameAsBase) {
    // Files the index knew that are no longer listed.
    const listed = new Set(o.paths);
    for (const p of base?.paths ?? []) if (!listed.has(p) && journal.entries.get(p) !== null) changed.push({ p, e: null });
    for (const p of journal.added) if (!listed.has(p) && journal.entries.get(p)) changed.push({ p, e: null });
  }
  for (const d of o.dirChanges) changed.push(d);

  const entryAt = (v: number | Entry, json: string[]): Entry => {
    if (typeof v !== 'number') return v;
    const off = v * 4;
    const id = base!.ids[v];
    const issues = base!.issues[v];
    return {
      size: base!.stats[off]!,
      mtimeMs: base!.stats[off + 1]!,
      ctimeMs: base!.stats[off + 2]!,
      ino: base!.stats[off + 3]!,
      ...(id ? { id } : {}),
      ...(json[v] ? { json: json[v] } : {}),
      ...(issues ? { issues } : {}),
    };
  };

  if (options.write !== false && (!base || changed.length > 0 || writtenAt < started - RACY_MS)) {
    try {
      if (!base || changed.length > JOURNAL_LIMIT || journalLength(root, type) > 4_000_000) {
        const known = base ? readTexts(root, base) : undefined;
        const json = column ? column.all() : [];
        const slots: { path: string; e: Entry }[] = [];
        const texts: string[] = [];
        for (let i = 0; i < n; i++) {
          const v = current[i];
          if (v === null || v === undefined) continue;
          const path = o.paths[i]!;
          const e = entryAt(v, json);
          slots.push({ path, e });
          texts.push(e.text ?? known?.get(path) ?? (e.json ? textFromFile(root, path, e.json) : ''));
        }
        writeBase(root, type, slots, texts, started, { dirs: o.dirsNow, stats: o.dirStatsNow }, built);
      } else {
        appendJournal(root, type, changed, started);
      }
    } catch {
      // the index is an optimisation: a read-only or full disk must not stop a read
    }
  }

  const records: CrmRecord[] = [];
  const issues: Issue[] = [];
  if (options.records === false) return { records, issues, reread: changed.length, segments: [] };
  const baseIssues = base !== undefined && Object.keys(base.issues).length > 0;
  const leanSet = new Set(leanFields(type));
  const shared: Source = {
    root,
    type,
    ...(column ? { column } : {}),
    ...(base ? { lean: { store: base.lean, fields: leanSet }, times: base.times } : {}),
    ...(base?.history ? { history: base.history } : {}),
    ...(textFile ? { text: textFile } : {}),
  };
  const segmentRecords: (CrmRecord | undefined)[] | undefined = textFile ? new Array(base!.paths.length) : undefined;
  const extra: { text: string; record: CrmRecord }[] = [];
  for (let i = 0; i < n; i++) {
    const path = o.paths[i]!;
    const v = current[i];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') {
      const is = baseIssues ? base!.issues[v] : undefined;
      if (is) issues.push(...is);
      const id = base!.ids[v];
      if (!id) continue;
      const rec = new IndexedRecord(shared, id, path, v, undefined);
      records.push(rec);
      if (segmentRecords) segmentRecords[v] = rec;
    } else {
      if (v.issues) issues.push(...v.issues);
      const json = v.json ?? (v.jsonAt !== undefined ? v.jsonAt : undefined);
      if (!v.id || json === undefined) continue;
      const text = options.text ? (v.text ?? textFromFile(root, path, v.json ?? built!.take(v.jsonAt!))) : undefined;
      const own: Source = {
        root,
        type,
        ...(v.lean ? { lean: { fields: leanSet, values: v.lean } } : {}),
        ...(text !== undefined ? { text } : {}),
        ...(typeof json === 'number' ? { built } : {}),
      };
      const rec = new IndexedRecord(own, v.id, path, -1, json);
      records.push(rec);
      if (text !== undefined) extra.push({ text, record: rec });
    }
  }
  const segments: TextSegment[] = [];
  if (options.text) {
    if (segmentRecords) segments.push({ joined: textFile!.joined, starts: textFile!.starts, records: segmentRecords, heads: textFile!.heads });
    else {
      // No matching text file (first build, or rebuilt meanwhile): every record's text from the file.
      const have = new Set(extra.map((x) => x.record));
      for (const r of records) if (!have.has(r)) extra.push({ text: textFromFile(root, r.path, JSON.stringify(r.data)), record: r });
    }
    if (extra.length > 0) {
      const texts = extra.map((x) => x.text.replace(/\u0000/g, ' '));
      segments.push({ ...joinTexts(texts), records: extra.map((x) => x.record), heads: joinTexts(texts.map(headOf)) });
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
