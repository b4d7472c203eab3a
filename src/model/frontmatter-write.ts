/**
 * Writing front matter with the `yaml` package's Document API: a new record
 * is written in canonical key order; an existing one is patched key by key,
 * so that untouched keys, comments, quoting and the body keep their exact
 * bytes and a one-field change is a one-line diff.
 */
import { Document, isMap, isSeq, parseDocument, type Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { deepEqual, isEmpty, parseRecord, splitFile, type Data, type Split } from './frontmatter.js';
import { keyRank, type RecordType } from './schema.js';


const TO_STRING = {
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: false,
  indentSeq: true,
} as const;

/** Lists of scalars and history entries are written in flow style. */
function styleNode(key: string, node: unknown): void {
  if (isSeq(node)) {
    const items = node.items as unknown[];
    const allScalars = items.every((it) => it instanceof Scalar);
    if (allScalars) node.flow = true;
    if (key === 'history') {
      for (const it of items) if (isMap(it)) it.flow = true;
    }
  }
}

function makeNode(doc: Document, key: string, value: unknown): Node {
  const node = doc.createNode(value) as Node;
  styleNode(key, node);
  return node;
}

function stringify(doc: Document): string {
  const s = doc.toString(TO_STRING);
  return s === '{}\n' ? '' : s;
}

/** Serialise a new record: canonical key order, absent/null values left out. */
export function serializeRecord(type: RecordType, data: Data, body: string): string {
  const doc = new Document({});
  const map = doc.contents as YAMLMap;
  const keys = Object.keys(data)
    .filter((k) => !isEmpty(data[k]))
    .map((k, i) => ({ k, i, r: keyRank(type, k) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.k);
  for (const k of keys) map.items.push(new Pair(doc.createNode(k), makeNode(doc, k, data[k])));
  return `---\n${stringify(doc)}---\n${body}`;
}



/**
 * Rewrite an existing record file so that its front matter says `next`,
 * touching only the keys that changed: unchanged keys keep their bytes,
 * new keys go to their canonical place, a `history` that grew gets its new
 * entries appended. `body` replaces the body when given.
 */
export function updateRecord(type: RecordType, raw: string, next: Data, body?: string): string {
  const split = splitFile(raw);
  const prev = parseRecord(raw).data;
  const newBody = body ?? split.body;
  const changed = Object.keys({ ...prev, ...next }).filter((k) => !deepEqual(prev[k], next[k]));
  if (changed.length === 0 && newBody === split.body) return raw;
  if (changed.length === 0) return raw.slice(0, raw.length - split.body.length) + newBody;
  const spliced = spliceKeys(type, split, prev, next, changed);
  if (spliced !== undefined) {
    const head = raw.slice(0, split.start);
    const closing = raw.slice(split.start + split.yaml.length, raw.length - split.body.length);
    return head + spliced + closing + newBody;
  }
  return rewriteDocument(type, raw, split, prev, next, changed, newBody);
}

/** Lines of text, each with its line ending. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const TOP_KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*|"[^"]*"|'[^']*')[ \t]*:(?:[ \t]|\r?\n|$)/;

/** `key: value` for one key, written the way serializeRecord writes it, with `eol` line endings. */
function keyText(key: string, value: unknown, eol: string, flow?: boolean): string {
  const doc = new Document({});
  const node = makeNode(doc, key, value);
  if (flow !== undefined && (isMap(node) || isSeq(node))) node.flow = flow;
  (doc.contents as YAMLMap).items.push(new Pair(doc.createNode(key), node));
  const text = stringify(doc);
  return eol === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text;
}

/**
 * Change only the lines of the keys that changed, leaving every other byte
 * of the front matter as it was (spacing, quotes, comments, folded text).
 * Returns undefined when the layout is not plain `key: value` lines at the
 * left margin, and the caller rewrites the document instead.
 */
function spliceKeys(type: RecordType, split: Split, prev: Data, next: Data, changed: readonly string[]): string | undefined {
  const lines = linesOf(split.yaml);
  const eol = split.eol;
  // Top-level keys and the lines each one spans (up to the next key, minus trailing blank/comment lines).
  const starts: { key: string; at: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('#') || /^[ \t]*\r?\n?$/.test(line) || /^[ \t]/.test(line) || line.startsWith('- ') || line === '-\n') continue;
    const m = TOP_KEY.exec(line);
    if (!m?.[1]) return undefined; // something else at the margin: a flow map, a complex key …
    starts.push({ key: m[1].replace(/^["']|["']$/g, ''), at: i });
  }
  if (new Set(starts.map((x) => x.key)).size !== starts.length) return undefined;
  if (starts.length !== Object.keys(prev).length) return undefined;
  const spans = new Map<string, { from: number; to: number }>();
  starts.forEach((s, idx) => {
    let end = idx + 1 < starts.length ? starts[idx + 1]!.at : lines.length;
    while (end > s.at + 1 && (lines[end - 1]!.startsWith('#') || /^[ \t]*\r?\n?$/.test(lines[end - 1]!))) end--;
    spans.set(s.key, { from: s.at, to: end });
  });

  // Replacement text per line index; insertions before a line index.
  const replace = new Map<number, string>();
  const removeLines = new Set<number>();
  const insertBefore = new Map<number, { rank: number; text: string }[]>();
  const insert = (at: number, text: string, rank = Number.POSITIVE_INFINITY) => {
    const list = insertBefore.get(at) ?? [];
    list.push({ rank, text });
    list.sort((a, b) => a.rank - b.rank);
    insertBefore.set(at, list);
  };
  for (const key of changed) {
    const value = next[key];
    const span = spans.get(key);
    if (span) {
      for (let i = span.from; i < span.to; i++) removeLines.add(i);
      if (isEmpty(value)) continue;
      const old = prev[key];
      if (key === 'history' && Array.isArray(old) && Array.isArray(value) && old.length > 0 && old.length <= value.length && old.every((e, i) => deepEqual(e, value[i]))) {
        // Keep the existing entries as written; add the new ones with the same indentation.
        for (let i = span.from; i < span.to; i++) removeLines.delete(i);
        const item = lines.slice(span.from + 1, span.to).find((l) => /^[ \t]*- /.test(l));
        if (!item) return undefined;
        const indent = /^([ \t]*)- /.exec(item)![1]!;
        const added = keyText('history', value.slice(old.length), eol)
          .split(/\r?\n/)
          .slice(1)
          .filter(Boolean)
          .map((l) => `${indent}${l.replace(/^[ \t]*/, '')}${eol}`);
        let last = span.to - 1;
        if (!lines[last]!.endsWith('\n')) lines[last] = `${lines[last]}${eol}`;
        insert(last + 1, added.join(''), Number.NEGATIVE_INFINITY); // right after the last entry, before any new key
        void last;
        continue;
      }
      // A collection written in flow style on one line stays in flow style.
      const firstLine = lines[span.from]!;
      const after = firstLine.slice(firstLine.indexOf(':') + 1).trimStart();
      const wasFlow = span.to - span.from === 1 && (after.startsWith('{') || after.startsWith('[')) ? true : undefined;
      let text = keyText(key, value, eol, wasFlow);
      // Keep a trailing comment of a one-line scalar.
      const comment = /[ \t]#[^'"\n]*$/.exec(firstLine.replace(/\r?\n$/, ''));
      if (span.to - span.from === 1 && comment && !text.trimEnd().includes('\n') && typeof old !== 'object') {
        text = `${text.replace(/\r?\n$/, '')}${comment[0]}${eol}`;
      }
      replace.set(span.from, text);
    } else if (!isEmpty(value)) {
      const rank = keyRank(type, key);
      const after = starts.find((x) => keyRank(type, x.key) > rank);
      insert(after ? after.at : lines.length, keyText(key, value, eol), rank);
    }
  }
  let out = '';
  for (let i = 0; i <= lines.length; i++) {
    for (const { text: t } of insertBefore.get(i) ?? []) {
      if (out && !out.endsWith('\n')) out += eol;
      out += t;
    }
    if (i === lines.length) break;
    if (replace.has(i)) out += replace.get(i);
    else if (!removeLines.has(i)) out += lines[i];
  }
  if (out && !out.endsWith('\n')) out += eol;
  return out;
}

function rewriteDocument(type: RecordType, raw: string, split: Split, prev: Data, next: Data, changed: readonly string[], newBody: string): string {
  const doc = parseDocument(split.yaml, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new Error(`cannot edit: ${doc.errors[0]?.message ?? 'broken YAML'}`);
  if (doc.contents === null) doc.contents = new YAMLMap() as never;
  const map = doc.contents as unknown as YAMLMap;
  if (!isMap(map)) throw new Error('cannot edit: the front matter is not a map');

  for (const key of changed) {
    const value = next[key];
    const idx = map.items.findIndex((p) => keyOf(p) === key);
    if (isEmpty(value)) {
      if (idx >= 0) map.items.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const pair = map.items[idx] as Pair;
      if (key === 'history' && isSeq(pair.value) && Array.isArray(value) && Array.isArray(prev[key])) {
        const old = prev[key] as unknown[];
        if (old.length <= value.length && old.every((e, i) => deepEqual(e, value[i]))) {
          const seq = pair.value as YAMLSeq;
          for (const entry of value.slice(old.length)) {
            const n = doc.createNode(entry) as Node;
            if (isMap(n)) n.flow = true;
            seq.items.push(n);
          }
          continue;
        }
      }
      const node = makeNode(doc, key, value);
      const oldNode = pair.value;
      if (isSeq(oldNode) && isSeq(node) && oldNode.flow !== undefined) node.flow = oldNode.flow;
      if (isMap(oldNode) && isMap(node) && oldNode.flow !== undefined) node.flow = oldNode.flow;
      pair.value = node;
    } else {
      const rank = keyRank(type, key);
      let at = map.items.findIndex((p) => keyRank(type, String(keyOf(p))) > rank);
      if (at < 0) at = map.items.length;
      map.items.splice(at, 0, new Pair(doc.createNode(key), makeNode(doc, key, value)));
    }
  }
  const open = raw.charCodeAt(0) === 0xfeff ? '\ufeff---' : '---';
  let yamlText = stringify(doc);
  if (split.eol === '\r\n') yamlText = yamlText.replace(/\r?\n/g, '\r\n');
  return `${open}${split.eol}${yamlText}---${split.eol}${newBody}`;
}

function keyOf(p: unknown): unknown {
  const k = (p as Pair).key;
  return k instanceof Scalar ? k.value : k;
}
