/**
 * A fast reader for the plain front matter crm writes (and most people
 * write): `key: value` lines, flow lists `[a, b]`, flow maps `{at: …, to: …}`,
 * one level of block lists and block maps. Values resolve as in the YAML 1.2
 * core schema, exactly like js-yaml's CORE_SCHEMA for this subset.
 *
 * Anything outside the subset (comments, anchors, block scalars, escapes,
 * deeper nesting, unusual numbers) returns undefined, and the caller uses
 * js-yaml. This only makes loading a large repository fast; it never decides
 * what a file means on its own.
 */

type Value = unknown;
const FAIL = Symbol('fail');
type Result = Value | typeof FAIL;

/** Words with a meaning in the core schema (null, booleans). */
const KEYWORD = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const INT = /^[-+]?(?:0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$/;
/** Things whose meaning in the core schema this reader does not decide. */
const NUMBERISH = /^[-+.]?[0-9]|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$|^\.[0-9]/;

/**
 * Where the `:` after a key is, or -1: a key line is a key of letters,
 * digits, `_` and `-` starting with a letter or `_`, then `:` at the end or
 * before a space (/^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/). By character
 * codes: no match object per line.
 */
function keyEnd(line: string): number {
  const c0 = line.charCodeAt(0);
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95)) return -1;
  for (let i = 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 58 /* : */) return i + 1 === line.length || line.charCodeAt(i + 1) === 32 ? i : -1;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return -1;
  }
  return -1;
}

/** What follows `key: ` (undefined after a bare `key:`); FAIL where that pattern's `.*` would not match (U+2028, U+2029). */
function keyRest(line: string, colon: number): string | undefined | typeof FAIL {
  if (colon + 1 === line.length) return undefined;
  const rest = line.slice(colon + 2);
  return rest.includes('\u2028') || rest.includes('\u2029') ? FAIL : rest;
}

/** How many spaces a line starts with. */
function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** `dddd-dd-dd` or `dddd-dd-ddTdd:dd:ddZ`, the dates and timestamps crm writes (text in the core schema). */
function plainMoment(t: string): boolean {
  if (t.length !== 10 && t.length !== 20) return false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    const want = i === 4 || i === 7 ? 45 : i === 10 ? 84 : i === 13 || i === 16 ? 58 : i === 19 ? 90 : -1;
    if (want === -1 ? c < 48 || c > 57 : c !== want) return false;
  }
  return true;
}

/** A plain scalar that starts with a letter and holds none of the characters that could change its meaning. */
function plainWord(t: string, flow: boolean): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 58 /* : */) {
      if (i + 1 === t.length || t.charCodeAt(i + 1) === 32) return false;
    } else if (c === 35 /* # */) {
      if (t.charCodeAt(i - 1) === 32) return false;
    } else if (c === 9) return false;
    else if (flow && (c === 44 || c === 91 || c === 93 || c === 123 || c === 125)) return false; // , [ ] { }
  }
  return true;
}

function scalar(text: string, flow: boolean): Result {
  const t = text.trim();
  const c0 = t.charCodeAt(0);
  // Most values are words that start with a letter: neither numbers, nor quoted, nor keywords of the core schema.
  if (((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122)) && (t.length > 5 || !KEYWORD.has(t))) {
    return plainWord(t, flow) ? t : FAIL;
  }
  if (c0 >= 48 && c0 <= 57 && plainMoment(t)) return t;
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (t === 'true' || t === 'True' || t === 'TRUE') return true;
  if (t === 'false' || t === 'False' || t === 'FALSE') return false;
  if (t.startsWith('"')) {
    if (t.length < 2 || !t.endsWith('"') || t.slice(1, -1).includes('"') || t.includes('\\')) return FAIL;
    return t.slice(1, -1);
  }
  if (t.startsWith("'")) {
    if (t.length < 2 || !t.endsWith("'")) return FAIL;
    const inner = t.slice(1, -1);
    if (/'(?!')/.test(inner.replace(/''/g, ''))) return FAIL;
    return inner.replace(/''/g, "'");
  }
  if (INT.test(t)) {
    const n = Number(t);
    return Number.isSafeInteger(n) ? n : FAIL;
  }
  if (FLOAT.test(t)) return Number(t);
  if (NUMBERISH.test(t)) {
    // dates and timestamps are text in the core schema; other number-like forms are left to js-yaml
    if (/^\d{4}-\d{2}-\d{2}(?:[Tt ][0-9:.]+(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/.test(t)) return t;
    if (/^\+?[0-9][0-9 ()-]*[0-9]$/.test(t) && /[ ()-]/.test(t) && !/^[0-9]+-[0-9]+$/.test(t)) return t; // phone numbers
    return FAIL;
  }
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(t) && !/^-[A-Za-z]/.test(t)) return FAIL;
  if (t.includes(': ') || t.includes(' #') || t.endsWith(':') || /\t/.test(t)) return FAIL;
  if (flow && /[,[\]{}]/.test(t)) return FAIL;
  return t;
}

/** Split the inside of a flow collection at top-level commas (quotes respected, no nesting). */
function flowItems(inner: string): string[] | typeof FAIL {
  const s = inner.trim();
  if (s === '') return [];
  const parts: string[] = [];
  let quote = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) {
        if (quote === "'" && s[i + 1] === "'") i++;
        else quote = '';
      }
      continue;
    }
    if ((c === '"' || c === "'") && /(^|[\s,:])$/.test(s.slice(from, i).trimEnd().slice(-1) || ' ')) quote = c;
    else if (c === '[' || c === ']' || c === '{' || c === '}') return FAIL;
    else if (c === ',') {
      parts.push(s.slice(from, i));
      from = i + 1;
    }
  }
  if (quote) return FAIL;
  parts.push(s.slice(from));
  if (parts.some((p) => p.trim() === '')) return FAIL;
  return parts;
}

function flowValue(text: string): Result {
  const t = text.trim();
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) return FAIL;
    const items = flowItems(t.slice(1, -1));
    if (items === FAIL) return FAIL;
    const out: Value[] = [];
    for (const it of items) {
      const v = scalar(it, true);
      if (v === FAIL) return FAIL;
      out.push(v);
    }
    return out;
  }
  if (t.startsWith('{')) {
    if (!t.endsWith('}')) return FAIL;
    const items = flowItems(t.slice(1, -1));
    if (items === FAIL) return FAIL;
    const out: Record<string, Value> = {};
    for (const raw of items) {
      const it = raw.trimStart();
      const colon = keyEnd(it);
      if (colon < 0) return FAIL;
      const key = it.slice(0, colon);
      const rest = keyRest(it, colon);
      if (rest === FAIL || key in out) return FAIL;
      const v = scalar(rest ?? '', true);
      if (v === FAIL) return FAIL;
      out[key] = v;
    }
    return out;
  }
  return scalar(t, false);
}

/** The front matter as data, or undefined when it is not in the plain subset. */
export function parsePlainYaml(text: string): Record<string, unknown> | undefined {
  if (text.includes('#') && /(^|\s)#/.test(text)) return undefined;
  if (text.includes('\r') || text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const out: Record<string, unknown> = {};
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line === '') {
      i++;
      continue;
    }
    const colon = keyEnd(line);
    if (colon < 0) return undefined;
    const key = line.slice(0, colon);
    const rest = keyRest(line, colon);
    if (rest === FAIL || key in out || key === '__proto__') return undefined;
    i++;
    if (rest !== undefined && rest.trim() !== '') {
      const v = flowValue(rest);
      if (v === FAIL) return undefined;
      out[key] = v;
      continue;
    }
    // A block under the key: a list (`  - …` or `- …`) or a map (`  sub: …`), one level deep.
    const block: string[] = [];
    while (i < lines.length && (lines[i]!.startsWith(' ') || lines[i]!.startsWith('- ') || lines[i] === '-')) {
      block.push(lines[i]!);
      i++;
    }
    if (block.length === 0) {
      out[key] = null;
      continue;
    }
    const indent = indentOf(block[0]!);
    if (block.some((l) => indentOf(l) !== indent)) return undefined;
    const body = block.map((l) => l.slice(indent));
    if (body.every((l) => l.startsWith('- ') || l === '-')) {
      const list: Value[] = [];
      for (const l of body) {
        const v = flowValue(l.slice(2));
        if (v === FAIL) return undefined;
        list.push(v);
      }
      out[key] = list;
    } else if (indent > 0) {
      const map: Record<string, Value> = {};
      for (const l of body) {
        const colon = keyEnd(l);
        if (colon < 0) return undefined;
        const sub = l.slice(0, colon);
        const rest = keyRest(l, colon);
        if (rest === FAIL || rest === undefined || sub in map || rest.trim() === '') return undefined;
        const v = flowValue(rest);
        if (v === FAIL) return undefined;
        map[sub] = v;
      }
      out[key] = map;
    } else {
      return undefined;
    }
  }
  return out;
}
