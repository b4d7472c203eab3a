/**
 * The record index under `.crm/index/`: the parsed front matter of every
 * record file, per record type, with what is needed to know each entry is
 * still fresh (size, mtime, ctime, inode). Git-ignored and rebuildable.
 *
 * - Loading a type reads its index file (v8 serialisation), stats every file
 *   of that type and re-reads only files that are new or changed (by any
 *   tool: an editor, `git pull`, a checkout). A file whose mtime is within
 *   two seconds of the index's own write is always re-read (git's "racy"
 *   rule), so a same-size edit in the same second is never missed.
 * - Updates are appended to a small journal; the base file is rewritten only
 *   when the journal grows large, so one changed record costs one line.
 * - A missing, corrupt or other-version index is rebuilt, never trusted.
 *
 * Records from the index carry their front matter; `raw` and `body` are
 * read from disk on first access.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Data } from './frontmatter.js';
import type { Issue } from './issues.js';
import type { CrmRecord } from './record.js';
import { TYPES, type RecordType } from './schema.js';
import { readRecordFile } from './validate.js';

/** Bump when the entry shape or parsing rules change: old indexes are rebuilt. */
export const INDEX_VERSION = 5;
const RACY_MS = 2000;
const JOURNAL_LIMIT = 2000;
const BODY_IN_TEXT = 600;

interface Entry {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** Parsed front matter, or undefined when the file is not a readable record. */
  data?: Data;
  issues?: Issue[];
  /** Lowercase search text (title, emails, company, …, start of the body); kept in the .text file. */
  text?: string;
  id?: string;
}

interface IndexFile {
  version: number;
  type: RecordType;
  writtenAt: number;
  entries: Record<string, Entry>;
}

export interface TypeLoad {
  records: CrmRecord[];
  issues: Issue[];
  /** How many files were (re-)read from disk this time. */
  reread: number;
  /** Search text per record path. */
  text: Map<string, string>;
}

function indexDir(root: string): string {
  return join(root, '.crm', 'index');
}

function basePath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.bin`);
}

/** Search text lives in its own file, read only by search. */
function textPath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.text`);
}

function journalPath(root: string, type: RecordType): string {
  return join(indexDir(root), `${type}.v${INDEX_VERSION}.journal`);
}

/** Every file under a type's folder: path → stats (dot-files skipped). */
function scan(root: string, type: RecordType): Map<string, fs.Stats> {
  const out = new Map<string, fs.Stats>();
  const walk = (rel: string, depth: number) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      if (d.name.startsWith('.')) continue;
      const p = `${rel}/${d.name}`;
      if (d.isDirectory()) {
        if (depth < 4) walk(p, depth + 1);
      } else {
        try {
          const st = fs.statSync(join(root, p));
          if (st.isFile()) out.set(p, st);
        } catch {
          // vanished while scanning
        }
      }
    }
  };
  walk(TYPES[type].folder, 0);
  return out;
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

function readEntry(root: string, path: string, st: fs.Stats): Entry {
  const base = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
  let raw: string;
  try {
    raw = fs.readFileSync(join(root, path), 'utf8');
  } catch (e) {
    return { ...base, text: '', issues: [{ path, line: 1, code: 'unreadable', message: `cannot read: ${(e as Error).message}`, severity: 'error' }] };
  }
  const r = readRecordFile(path, raw);
  if (!r.record) return { ...base, text: '', issues: r.issues };
  return { ...base, data: r.record.data, id: r.record.id, text: textOf(r.record.data, r.record.body), ...(r.issues.length ? { issues: r.issues } : {}) };
}

function loadIndex(root: string, type: RecordType, withText: boolean): IndexFile | undefined {
  try {
    const buf = fs.readFileSync(basePath(root, type));
    const idx = deserialize(buf) as IndexFile;
    if (!idx || idx.version !== INDEX_VERSION || idx.type !== type || typeof idx.entries !== 'object') return undefined;
    if (withText) {
      const texts = deserialize(fs.readFileSync(textPath(root, type))) as Record<string, string>;
      for (const [p, t] of Object.entries(texts)) {
        const e = idx.entries[p];
        if (e) e.text = t;
      }
    }
    let journal = '';
    try {
      journal = fs.readFileSync(journalPath(root, type), 'utf8');
    } catch {
      // no journal yet
    }
    for (const line of journal.split('\n')) {
      if (!line) continue;
      let rec: { p?: string; e?: Entry | null; w: number };
      try {
        rec = JSON.parse(line) as typeof rec;
      } catch {
        continue; // a torn last line from a killed process: that file is simply re-read
      }
      if (rec.p !== undefined) {
        if (rec.e) idx.entries[rec.p] = rec.e;
        else delete idx.entries[rec.p];
      }
      idx.writtenAt = Math.max(idx.writtenAt, rec.w);
    }
    return idx;
  } catch {
    return undefined;
  }
}

function writeBase(root: string, idx: IndexFile): void {
  const dir = indexDir(root);
  fs.mkdirSync(dir, { recursive: true });
  // Files of other index versions are dead weight.
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(`${idx.type}.v`) && !name.startsWith(`${idx.type}.v${INDEX_VERSION}.`)) fs.rmSync(join(dir, name), { force: true });
  }
  const texts: Record<string, string> = {};
  const entries: Record<string, Entry> = {};
  for (const [p, e] of Object.entries(idx.entries)) {
    const { text, ...rest } = e;
    entries[p] = rest;
    texts[p] = text ?? '';
  }
  const tmpText = join(dir, `${idx.type}.${process.pid}.text.tmp`);
  fs.writeFileSync(tmpText, serialize(texts));
  fs.renameSync(tmpText, textPath(root, idx.type));
  const tmp = join(dir, `${idx.type}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, serialize({ ...idx, entries }));
  fs.renameSync(tmp, basePath(root, idx.type));
  fs.rmSync(journalPath(root, idx.type), { force: true });
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

function makeRecord(root: string, type: RecordType, path: string, id: string, data: Data, text: string | undefined): CrmRecord {
  let raw: string | undefined;
  let body: string | undefined;
  const read = () => {
    if (raw === undefined) {
      raw = fs.readFileSync(join(root, path), 'utf8');
      const r = readRecordFile(path, raw);
      body = r.record?.body ?? '';
    }
  };
  const rec = { type, id, path, data } as CrmRecord;
  Object.defineProperty(rec, 'raw', { enumerable: true, get: () => (read(), raw as string) });
  Object.defineProperty(rec, 'body', { enumerable: true, get: () => (read(), body as string) });
  if (text !== undefined) Object.defineProperty(rec, 'searchText', { enumerable: false, value: text });
  return rec;
}

/**
 * Records of one type through the index, refreshing it for whatever changed
 * on disk. `write: false` (read-only file systems) skips updating the index.
 */
export function loadType(root: string, type: RecordType, options: { write?: boolean; text?: boolean } = {}): TypeLoad {
  const started = Date.now();
  const files = scan(root, type);
  const withText = options.text === true;
  let idx = loadIndex(root, type, withText);
  const fresh = !idx;
  idx ??= { version: INDEX_VERSION, type, writtenAt: 0, entries: {} };
  const changed: { p: string; e: Entry | null }[] = [];
  for (const [path, st] of files) {
    const e = idx.entries[path];
    const same =
      e !== undefined &&
      e.size === st.size &&
      e.mtimeMs === st.mtimeMs &&
      e.ctimeMs === st.ctimeMs &&
      e.ino === st.ino &&
      st.mtimeMs < idx.writtenAt - RACY_MS;
    if (same) continue;
    const next = readEntry(root, path, st);
    // An unchanged entry re-read only because it is "racy" is not journalled again.
    if (e && sameContent(e, next)) {
      // Re-read only because it was "racy": refresh its stats, keep its text.
      idx.entries[path] = { ...next, ...(e.text !== undefined ? { text: e.text } : {}) };
      continue;
    }
    idx.entries[path] = next;
    changed.push({ p: path, e: next });
  }
  for (const path of Object.keys(idx.entries)) {
    if (!files.has(path)) {
      delete idx.entries[path];
      changed.push({ p: path, e: null });
    }
  }
  if (options.write !== false && (fresh || changed.length > 0 || idx.writtenAt < started - RACY_MS)) {
    try {
      idx.writtenAt = started;
      if (fresh || changed.length > JOURNAL_LIMIT || journalLength(root, type) > 4_000_000) {
        if (!fresh && !withText) fillText(root, idx);
        writeBase(root, idx);
      }
      else appendJournal(root, type, changed, started);
    } catch {
      // the index is an optimisation: a read-only or full disk must not stop a read
    }
  }
  const records: CrmRecord[] = [];
  const issues: Issue[] = [];
  const text = new Map<string, string>();
  for (const path of [...files.keys()].sort()) {
    const e = idx.entries[path];
    if (!e) continue;
    if (e.issues) issues.push(...e.issues);
    if (e.data && e.id) {
      records.push(makeRecord(root, type, path, e.id, e.data, e.text));
      if (e.text !== undefined) text.set(path, e.text);
    }
  }
  return { records, issues, reread: changed.length, text };
}

function sameContent(a: Entry, b: Entry): boolean {
  return a.id === b.id && JSON.stringify(a.data) === JSON.stringify(b.data) && JSON.stringify(a.issues) === JSON.stringify(b.issues);
}

/** Before rewriting the base without having read the search text, take it from the text file. */
function fillText(root: string, idx: IndexFile): void {
  let texts: Record<string, string> = {};
  try {
    texts = deserialize(fs.readFileSync(textPath(root, idx.type))) as Record<string, string>;
  } catch {
    // lost: texts are recomputed from the files below
  }
  for (const [p, e] of Object.entries(idx.entries)) {
    if (e.text !== undefined) continue;
    const t = texts[p];
    if (t !== undefined) e.text = t;
    else if (e.data) {
      try {
        const raw = fs.readFileSync(join(root, p), 'utf8');
        e.text = textOf(e.data, readRecordFile(p, raw).record?.body ?? '');
      } catch {
        e.text = '';
      }
    }
  }
}

/** Forget the index (e.g. `crm index --rebuild`). */
export function dropIndex(root: string): void {
  fs.rmSync(indexDir(root), { recursive: true, force: true });
}
