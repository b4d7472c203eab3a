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

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
/** Words with a meaning in the core schema (null, booleans). */
const KEYWORD = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const INT = /^[-+]?(?:0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:0|[1-9][0-9]*)\.[0-9]+$/;
/** Things whose meaning in the core schema this reader does not decide. */
const NUMBERISH = /^[-+.]?[0-9]|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$|^\.[0-9]/;

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
    for (const it of items) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/.exec(it);
      if (!m?.[1] || m[1] in out) return FAIL;
      const v = scalar(m[2] ?? '', true);
      if (v === FAIL) return FAIL;
      out[m[1]] = v;
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
    const m = KEY.exec(line);
    if (!m?.[1] || m[1] in out || m[1] === '__proto__') return undefined;
    const key = m[1];
    const rest = m[2];
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
    const indent = /^( *)/.exec(block[0]!)![1]!.length;
    if (block.some((l) => /^( *)/.exec(l)![1]!.length !== indent)) return undefined;
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
        const sm = KEY.exec(l);
        if (!sm?.[1] || sm[1] in map || sm[2] === undefined || sm[2].trim() === '') return undefined;
        const v = flowValue(sm[2]);
        if (v === FAIL) return undefined;
        map[sm[1]] = v;
      }
      out[key] = map;
    } else {
      return undefined;
    }
  }
  return out;
}
