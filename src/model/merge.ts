/**
 * Three-way merge of record files, key by key (pure).
 *
 * Two people editing the same record on different branches should rarely
 * conflict, so a record file is merged as data rather than as lines:
 *
 * - a front-matter key changed on one side only takes that side's value;
 *   the same change on both sides is taken once;
 * - `history` merges as the union of both sides ordered by `at` (identical
 *   entries once; an entry removed on one side stays removed);
 * - `tags` and other lists of plain values (e.g. `contacts`) merge as sets:
 *   additions from both sides, removals from either side;
 * - maps (`address`, `consent`, …) merge sub-key by sub-key;
 * - `updated` takes the later of two timestamps;
 * - the Markdown body merges line by line (diff3).
 *
 * A real conflict (the same key changed to different values) is written as
 * standard git conflict markers around that key's line(s) only, so that the
 * rest of the file is merged and `crm validate` points at the exact line.
 * Files that are not records, or that cannot be parsed, get a plain line
 * merge. Both `crm sync` and `crm merge-driver` (the git merge driver) use
 * `mergeFile`.
 */
import { deepEqual, isEmpty, parseRecord, splitFile, type Data } from './frontmatter.js';
import { updateRecord } from './frontmatter-write.js';
import { classifyPath } from './layout.js';
import { fieldSpec, type RecordType } from './schema.js';
import { instantOf } from './validate.js';

// ---------------------------------------------------------------------------
// Lines: a Myers diff and a diff3 merge

/** Split text into lines that keep their line endings (`a\nb` → [`a\n`, `b`]). */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Index pairs [i, j] with a[i] === b[j] forming a longest common subsequence (Myers' O(ND) diff). */
export function commonLines(a: readonly string[], b: readonly string[]): [number, number][] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < start; i++) pairs.push([i, i]);
  for (const [i, j] of myers(a.slice(start, endA), b.slice(start, endB))) pairs.push([i + start, j + start]);
  for (let i = endA, j = endB; i < a.length; i++, j++) pairs.push([i, j]);
  return pairs;
}

const MYERS_LIMIT = 20_000;

function myers(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n + m > MYERS_LIMIT) return [];
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, off);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], n: number, m: number, off: number): [number, number][] {
  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? k + 1 : k - 1;
    const prevX = v[off + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      pairs.push([x, y]);
    }
    if (d > 0) {
      x = prevX;
      y = prevY;
    }
  }
  return pairs.reverse();
}

export type Diff3Chunk = { ok: string[] } | { conflict: { ours: string[]; base: string[]; theirs: string[] } };

function sameLines(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((l, i) => l === y[i]);
}

/** The classic diff3: stable lines (unchanged on both sides) separate chunks changed on one side, both alike, or differently (a conflict). */
export function diff3(base: readonly string[], ours: readonly string[], theirs: readonly string[]): Diff3Chunk[] {
  const toOurs = new Map(commonLines(base, ours));
  const toTheirs = new Map(commonLines(base, theirs));
  const chunks: Diff3Chunk[] = [];
  const ok = (lines: readonly string[]) => {
    if (lines.length === 0) return;
    const last = chunks[chunks.length - 1];
    if (last && 'ok' in last) last.ok.push(...lines);
    else chunks.push({ ok: [...lines] });
  };
  let io = 0;
  let ia = 0;
  let ib = 0;
  const unstable = (oEnd: number, aEnd: number, bEnd: number) => {
    const o = base.slice(io, oEnd);
    const a = ours.slice(ia, aEnd);
    const b = theirs.slice(ib, bEnd);
    if (o.length === 0 && a.length === 0 && b.length === 0) return;
    if (sameLines(a, o)) ok(b);
    else if (sameLines(b, o)) ok(a);
    else if (sameLines(a, b)) ok(a);
    else chunks.push({ conflict: { ours: a, base: o, theirs: b } });
  };
  for (let i = 0; i < base.length; i++) {
    const ja = toOurs.get(i);
    const jb = toTheirs.get(i);
    if (ja === undefined || jb === undefined) continue;
    unstable(i, ja, jb);
    ok([base[i]!]);
    io = i + 1;
    ia = ja + 1;
    ib = jb + 1;
  }
  unstable(base.length, ours.length, theirs.length);
  return chunks;
}

export interface MergeLabels {
  ours: string;
  theirs: string;
}

const DEFAULT_LABELS: MergeLabels = { ours: 'ours', theirs: 'theirs' };

export interface TextMerge {
  text: string;
  /** 1-based lines (within `text`) of each `<<<<<<<` marker. */
  conflictLines: number[];
}

/** Line merge with git-style conflict markers. */
export function mergeText(base: string, ours: string, theirs: string, labels: MergeLabels = DEFAULT_LABELS, eol = '\n'): TextMerge {
  const out: string[] = [];
  const conflictLines: number[] = [];
  const close = (lines: readonly string[]) => {
    const last = lines[lines.length - 1];
    return last !== undefined && !last.endsWith('\n') ? [...lines.slice(0, -1), last + eol] : lines;
  };
  for (const c of diff3(splitLines(base), splitLines(ours), splitLines(theirs))) {
    if ('ok' in c) {
      out.push(...c.ok);
      continue;
    }
    // A conflict after a last line without a newline: end that line first.
    const prev = out[out.length - 1];
    if (prev !== undefined && !prev.endsWith('\n')) out[out.length - 1] = prev + eol;
    conflictLines.push(out.length + 1);
    out.push(`<<<<<<< ${labels.ours}${eol}`, ...close(c.conflict.ours), `=======${eol}`, ...close(c.conflict.theirs), `>>>>>>> ${labels.theirs}${eol}`);
  }
  return { text: out.join(''), conflictLines };
}

// ---------------------------------------------------------------------------
// Values

type Merged = { value: unknown; conflict: false } | { conflict: true };

function norm(v: unknown): unknown {
  return isEmpty(v) ? undefined : v;
}

function isPlainMap(v: unknown): v is Data {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalarList(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

function listOrNone(v: unknown, test: (x: unknown) => boolean): boolean {
  return v === undefined || test(v);
}

/** Keys whose lists are sets: `tags`, plain lists and lists of references. */
function isSetKey(type: RecordType, key: string): boolean {
  const kind = fieldSpec(type, key)?.kind;
  return key === 'tags' || kind === 'list' || (typeof kind === 'object' && 'refs' in kind);
}

/**
 * Three-way set merge of lists: items added on either side, minus items of
 * the base that either side removed; ours' order first, then theirs'
 * additions. Identical items appear once.
 */
export function mergeSet(base: readonly unknown[], ours: readonly unknown[], theirs: readonly unknown[]): unknown[] {
  const has = (list: readonly unknown[], x: unknown) => list.some((y) => deepEqual(x, y));
  const removed = base.filter((x) => !has(ours, x) || !has(theirs, x));
  const out: unknown[] = [];
  for (const x of [...ours, ...theirs]) if (!has(out, x) && !has(removed, x)) out.push(x);
  return out;
}

/** History entries of both sides ordered by `at` (stable; an entry with an unreadable `at` stays after its predecessor). */
export function mergeHistory(base: readonly unknown[], ours: readonly unknown[], theirs: readonly unknown[]): unknown[] {
  const merged = mergeSet(base, ours, theirs);
  let previous = Number.NEGATIVE_INFINITY;
  const timed = merged.map((entry, i) => {
    const at = isPlainMap(entry) ? instantOf(entry.at) : undefined;
    if (at !== undefined) previous = at;
    return { entry, i, t: at ?? previous };
  });
  timed.sort((x, y) => x.t - y.t || x.i - y.i);
  return timed.map((x) => x.entry);
}

function mergeValue(type: RecordType, key: string, topLevel: boolean, b0: unknown, o0: unknown, t0: unknown): Merged {
  const b = norm(b0);
  const o = norm(o0);
  const t = norm(t0);
  if (deepEqual(o, t)) return { value: o, conflict: false };
  if (deepEqual(o, b)) return { value: t, conflict: false };
  if (deepEqual(t, b)) return { value: o, conflict: false };
  if (topLevel && key === 'history') {
    const lists = [b, o, t].every((v) => listOrNone(v, Array.isArray));
    if (lists) return { value: norm(mergeHistory((b ?? []) as unknown[], (o ?? []) as unknown[], (t ?? []) as unknown[])), conflict: false };
  }
  if (topLevel && key === 'updated') {
    const to = instantOf(o);
    const tt = instantOf(t);
    if (to !== undefined && tt !== undefined) return { value: tt > to ? t : o, conflict: false };
  }
  if (topLevel && isSetKey(type, key) && [b, o, t].every((v) => listOrNone(v, isScalarList))) {
    return { value: norm(mergeSet((b ?? []) as unknown[], (o ?? []) as unknown[], (t ?? []) as unknown[])), conflict: false };
  }
  if (isPlainMap(o) && isPlainMap(t) && (b === undefined || isPlainMap(b))) {
    const sub = mergeMaps(type, false, b ?? {}, o, t);
    if (sub.conflicts.length === 0) return { value: norm(sub.data), conflict: false };
  }
  return { conflict: true };
}

function mergeMaps(type: RecordType, topLevel: boolean, base: Data, ours: Data, theirs: Data): { data: Data; conflicts: string[] } {
  const keys = [...Object.keys(ours), ...Object.keys(theirs).filter((k) => !(k in ours))];
  for (const k of Object.keys(base)) if (!keys.includes(k)) keys.push(k);
  const data: Data = {};
  const conflicts: string[] = [];
  for (const key of keys) {
    const m = mergeValue(type, key, topLevel, base[key], ours[key], theirs[key]);
    if (m.conflict) conflicts.push(key);
    else if (m.value !== undefined) data[key] = m.value;
  }
  return { data, conflicts };
}

/** Merge front-matter data key by key; `conflicts` lists the top-level keys changed differently on both sides. */
export function mergeData(type: RecordType, base: Data, ours: Data, theirs: Data): { data: Data; conflicts: string[] } {
  return mergeMaps(type, true, base, ours, theirs);
}

// ---------------------------------------------------------------------------
// Files

export interface MergeConflict {
  /** The front-matter key, `(body)` for the Markdown body, or `(file)` for a line merge of the whole file. */
  key: string;
  /** 1-based line of the `<<<<<<<` marker in the merged text. */
  line: number;
}

export interface FileMerge {
  text: string;
  clean: boolean;
  conflicts: MergeConflict[];
}

export interface MergeInput {
  /** The common ancestor, or null when both sides added the file. */
  base: string | null;
  ours: string;
  theirs: string;
  /** Path of the file (repository-relative); decides whether it is a record. */
  path: string;
  labels?: MergeLabels;
}

/** The record type of a path, also when the CRM lives in a subfolder of the git repository. */
export function recordTypeOfPath(path: string): RecordType | undefined {
  const parts = path.split('/');
  for (let i = 0; i < parts.length - 1; i++) {
    const c = classifyPath(parts.slice(i).join('/'));
    if (c.kind === 'record') return c.type;
  }
  return undefined;
}

function lineMerge(input: MergeInput, labels: MergeLabels): FileMerge {
  const m = mergeText(input.base ?? '', input.ours, input.theirs, labels, input.ours.includes('\r\n') ? '\r\n' : '\n');
  return { text: m.text, clean: m.conflictLines.length === 0, conflicts: m.conflictLines.map((line) => ({ key: '(file)', line })) };
}

const TOP_KEY = /^(["']?)([^\s#'"\-][^:]*?|[^:]+?)\1[ \t]*:(?:[ \t]|$)/;

function keyOfLine(line: string): string | undefined {
  if (/^[\s#]/.test(line) || /^-(\s|$)/.test(line) || line.startsWith('---')) return undefined;
  const m = TOP_KEY.exec(line.replace(/\r?\n$/, ''));
  return m?.[2];
}

/** [start, end) of a top-level key's lines (the key line, its indented or list continuation lines). */
function keyRange(lines: readonly string[], key: string): [number, number] | undefined {
  const start = lines.findIndex((l) => keyOfLine(l) === key);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length) {
    const l = lines[end]!;
    if (/^[ \t]/.test(l) || /^-(\s|$)/.test(l) || l.trim() === '') end++;
    else break;
  }
  while (end > start + 1 && lines[end - 1]!.trim() === '') end--;
  return [start, end];
}

function yamlLines(raw: string): string[] {
  return splitLines(splitFile(raw).yaml);
}

function recordMerge(type: RecordType, input: MergeInput, labels: MergeLabels): FileMerge {
  const base = input.base === null ? { data: {}, body: '' } : parseRecord(input.base);
  const ours = parseRecord(input.ours);
  const theirs = parseRecord(input.theirs);
  const eol = ours.split.eol;
  const merged = mergeData(type, base.data, ours.data, theirs.data);
  const body = mergeText(base.body, ours.body, theirs.body, labels, eol);

  // Write the merged data over ours (minimal diff); a conflicted key keeps
  // ours' value (theirs' when ours removed it) until markers replace it.
  const render: Data = { ...merged.data };
  for (const key of merged.conflicts) render[key] = norm(ours.data[key]) ?? theirs.data[key];
  const written = updateRecord(type, input.ours, render, body.text);
  const split = splitFile(written);
  const bom = written.charCodeAt(0) === 0xfeff ? 1 : 0;
  const openLength = bom + (/^---[ \t]*\r?\n/.exec(written.slice(bom))?.[0].length ?? 0);
  const opening = written.slice(0, openLength);
  const lines = splitLines(split.yaml);
  const closing = written.slice(opening.length + split.yaml.length, written.length - split.body.length);

  const oursLines = yamlLines(input.ours);
  const theirsLines = yamlLines(input.theirs);
  const block = (from: string[], key: string, present: boolean): string[] => {
    if (!present) return [];
    const r = keyRange(from, key);
    if (!r) throw new Error(`cannot find the lines of "${key}"`); // fall back to a line merge
    const out = from.slice(r[0], r[1]);
    const last = out[out.length - 1];
    if (last !== undefined && !last.endsWith('\n')) out[out.length - 1] = last + eol;
    return out;
  };
  const ranges = merged.conflicts
    .map((key) => ({ key, range: keyRange(lines, key) }))
    .filter((x): x is { key: string; range: [number, number] } => x.range !== undefined)
    .sort((x, y) => x.range[0] - y.range[0]);
  // Every conflict must be marked: otherwise fall back to a line merge rather than drop a value.
  if (ranges.length !== merged.conflicts.length) throw new Error('a conflicting key has no line of its own');
  const firstYamlLine = splitLines(opening).length + 1;
  const out: string[] = [];
  const conflicts: MergeConflict[] = [];
  let at = 0;
  for (const { key, range } of ranges) {
    out.push(...lines.slice(at, range[0]));
    conflicts.push({ key, line: firstYamlLine + out.length });
    out.push(
      `<<<<<<< ${labels.ours}${eol}`,
      ...block(oursLines, key, norm(ours.data[key]) !== undefined),
      `=======${eol}`,
      ...block(theirsLines, key, norm(theirs.data[key]) !== undefined),
      `>>>>>>> ${labels.theirs}${eol}`,
    );
    at = range[1];
  }
  out.push(...lines.slice(at));
  const front = `${opening}${out.join('')}${closing}`;
  const bodyStart = splitLines(front).length + 1;
  for (const line of body.conflictLines) conflicts.push({ key: '(body)', line: bodyStart + line - 1 });
  return { text: front + split.body, clean: conflicts.length === 0, conflicts };
}

/**
 * Merge one file three ways. Records merge key by key (see the top of this
 * file); other files, and records that cannot be parsed on some side, merge
 * line by line.
 */
export function mergeFile(input: MergeInput): FileMerge {
  const labels = input.labels ?? DEFAULT_LABELS;
  if (input.ours === input.theirs) return { text: input.ours, clean: true, conflicts: [] };
  if (input.base !== null && input.ours === input.base) return { text: input.theirs, clean: true, conflicts: [] };
  if (input.base !== null && input.theirs === input.base) return { text: input.ours, clean: true, conflicts: [] };
  const type = recordTypeOfPath(input.path);
  if (type) {
    try {
      return recordMerge(type, input, labels);
    } catch {
      // a side is not a readable record (broken YAML, markers): merge lines
    }
  }
  return lineMerge(input, labels);
}
