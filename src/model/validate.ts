/**
 * Validity (FORMAT.md "Validity") as a list of pure checks that turn text and
 * records into `Issue` data, in the style of beancount's ops/validation.py.
 * Nothing here touches the file system or throws for bad data: one bad file
 * never stops the others from being read.
 *
 * Field checks are table-driven: each FieldSpec kind of schema.ts maps to a
 * checker, so a new field in the schema is validated without new code here.
 */
import type { Config } from './config.js';
import { FrontMatterError, isEmpty, keyLines, parseRecord, splitFile, type Data } from './frontmatter.js';
import type { Issue } from './issues.js';
import { classifyPath } from './layout.js';
import { referencesOf, type CrmRecord } from './record.js';
import { COMMON_FIELDS, TYPES, fieldSpec, type FieldKind, type FieldSpec, type RecordType } from './schema.js';

// ---------------------------------------------------------------------------
// Values: dates and timestamps

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function realDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(y), month);
}

/** Why `v` is not a `YYYY-MM-DD` date, or undefined when it is one. */
export function dateProblem(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'is not a date';
  const m = DATE_RE.exec(v);
  if (!m) return TIMESTAMP_RE.test(v) ? 'is a timestamp, not a date' : 'is not a date';
  if (!realDate(m[1] ?? '', m[2] ?? '', m[3] ?? '')) return 'is not a real calendar date';
  return undefined;
}

/** Why `v` is not a timestamp (ISO 8601 with Z or an offset, or a bare date), or undefined. */
export function timestampProblem(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'is not a real instant' : undefined;
  if (typeof v !== 'string') return 'is not a timestamp';
  if (DATE_RE.test(v)) return dateProblem(v);
  const m = TIMESTAMP_RE.exec(v);
  if (!m) {
    return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)
      ? 'has no time zone (add Z for UTC or an offset such as +01:00)'
      : 'is not a timestamp';
  }
  const [, y, mo, d, hh, mi, ss, oh, om] = m;
  if (!realDate(y ?? '', mo ?? '', d ?? '')) return 'is not a real calendar date';
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? 0) > 59) return 'is not a real time of day';
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return 'has an impossible offset';
  return undefined;
}

/** Milliseconds since the epoch of a valid timestamp or date (midnight UTC), else undefined. */
export function instantOf(v: unknown): number | undefined {
  if (timestampProblem(v) !== undefined) return undefined;
  if (v instanceof Date) return v.getTime();
  const s = String(v);
  const t = Date.parse(DATE_RE.test(s) ? `${s}T00:00:00Z` : s.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : t;
}

// ---------------------------------------------------------------------------
// Field checkers, one per FieldSpec kind

/** A problem found in one value; turned into an Issue once its line is known. */
interface Finding {
  code: string;
  message: string;
  severity?: 'error' | 'warning';
  /** Sub-key of a map field, so the issue points at its own line. */
  sub?: string;
  /** Index of a history entry, so the issue points at its own line. */
  entry?: number;
}

interface FieldContext {
  type: RecordType;
  config: Config;
  /** The text written for a (dotted) key in the file, when it can be found. */
  literal: (name: string) => string | undefined;
}

type Checker = (value: unknown, name: string, spec: FieldSpec, ctx: FieldContext) => Finding[];
type KindName = Exclude<FieldKind, object> | 'ref' | 'refs';

function kindName(kind: FieldKind): KindName {
  if (typeof kind === 'string') return kind;
  return 'ref' in kind ? 'ref' : 'refs';
}

function isMapValue(v: unknown): v is Data {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (isMapValue(v)) return 'a map';
  return String(v);
}

function leaf(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

const scalar: Checker = (v, name, _spec, ctx) => {
  if (Array.isArray(v) || isMapValue(v)) {
    return [
      {
        code: 'bad-type',
        message: `${name} must be a single value, not ${show(v)}; write it on one line as "${leaf(name)}: …" (keep extra data in a custom key)`,
      },
    ];
  }
  const lit = ctx.literal(name);
  if (typeof v === 'number' && lit !== undefined && /^[+-]?0\d/.test(lit)) {
    return [
      {
        code: 'bad-type',
        severity: 'warning',
        message: `${name} ${lit} is read as the number ${v} and loses its leading zero; quote it: ${leaf(name)}: "${lit}"`,
      },
    ];
  }
  return [];
};

const number: Checker = (v, name, spec) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    return [
      {
        code: 'bad-number',
        message: `${name} ${show(v)} is not a number; write plain digits, e.g. ${leaf(name)}: ${spec.range ? spec.range[1] : 1250} (no units or thousands separators)`,
      },
    ];
  }
  if (spec.range && (v < spec.range[0] || v > spec.range[1])) {
    return [
      {
        code: 'bad-number',
        message: `${name} ${v} is out of range; use a number from ${spec.range[0]} to ${spec.range[1]}`,
      },
    ];
  }
  return [];
};

const date: Checker = (v, name) => {
  const p = dateProblem(v);
  return p ? [{ code: 'bad-date', message: `${name} ${show(v)} ${p}; write a date as YYYY-MM-DD, e.g. 2026-11-22` }] : [];
};

const timestamp: Checker = (v, name) => {
  const p = timestampProblem(v);
  return p
    ? [
        {
          code: 'bad-timestamp',
          message: `${name} ${show(v)} ${p}; write ISO 8601 with Z or an offset, e.g. 2026-11-22T09:30:00Z, or a date 2026-11-22`,
        },
      ]
    : [];
};

const money: Checker = (v, name) => {
  const how = `write a number in crm.yaml's currency, e.g. ${leaf(name)}: 12500, or {amount: 12500, currency: USD}`;
  if (typeof v === 'number') {
    return Number.isFinite(v) ? [] : [{ code: 'bad-number', message: `${name} ${v} is not an amount; ${how}` }];
  }
  if (isMapValue(v)) {
    const out: Finding[] = [];
    if (typeof v.amount !== 'number' || !Number.isFinite(v.amount)) {
      out.push({ code: 'bad-number', message: `${name}.amount ${v.amount === undefined ? 'is missing' : `${show(v.amount)} is not a number`}; ${how}` });
    }
    if (!isEmpty(v.currency) && typeof v.currency !== 'string') {
      out.push({ code: 'bad-number', message: `${name}.currency ${show(v.currency)} is not a currency code; write e.g. currency: EUR` });
    }
    return out;
  }
  return [{ code: 'bad-number', message: `${name} ${show(v)} is not an amount; ${how}` }];
};

const boolean: Checker = (v, name) =>
  typeof v === 'boolean' ? [] : [{ code: 'bad-type', message: `${name} ${show(v)} must be true or false; write ${leaf(name)}: true or ${leaf(name)}: false` }];

const list: Checker = (v, name) => {
  if (!Array.isArray(v)) {
    const example = typeof v === 'string' || typeof v === 'number' ? String(v) : 'a, b';
    return [{ code: 'bad-type', message: `${name} must be a list, not ${show(v)}; write ${leaf(name)}: [${example}]` }];
  }
  return v.flatMap((item, i): Finding[] =>
    typeof item === 'string'
      ? []
      : [
          {
            code: 'bad-type',
            message: `${name} item ${i + 1} (${show(item)}) is not text; ${name} must be a list of words, e.g. ${leaf(name)}: [vip, "${isMapValue(item) || Array.isArray(item) ? 'eu' : String(item)}"]`,
          },
        ],
  );
};

const ref: Checker = (v, name, spec) => {
  const target = typeof spec.kind === 'object' && 'ref' in spec.kind ? spec.kind.ref : 'record';
  if (typeof v === 'string') return [];
  const fix = typeof v === 'number' || typeof v === 'boolean' ? `quote it: ${leaf(name)}: "${String(v)}"` : `write ${leaf(name)}: <id>`;
  return [{ code: 'bad-type', message: `${name} must be the id of a ${target}, not ${show(v)}; ${fix}` }];
};

const refs: Checker = (v, name, spec) => {
  const target = typeof spec.kind === 'object' && 'refs' in spec.kind ? spec.kind.refs : 'record';
  if (!Array.isArray(v)) {
    const example = typeof v === 'string' ? v : `<${target} id>`;
    return [{ code: 'bad-type', message: `${name} must be a list of ${target} ids, not ${show(v)}; write ${leaf(name)}: [${example}]` }];
  }
  return v.flatMap((item, i): Finding[] =>
    typeof item === 'string'
      ? []
      : [{ code: 'bad-type', message: `${name} item ${i + 1} (${show(item)}) is not a ${target} id; write the ids as words, quoting numbers: "${String(item)}"` }],
  );
};

const map: Checker = (v, name, spec, ctx) => {
  if (!isMapValue(v)) {
    const keys = Object.keys(spec.fields ?? {}).slice(0, 3).join(', ');
    return [{ code: 'bad-type', message: `${name} must be a map, not ${show(v)}; write its parts as keys under it (${keys}, …)` }];
  }
  const out: Finding[] = [];
  for (const [sub, subSpec] of Object.entries(spec.fields ?? {})) {
    const value = v[sub];
    if (isEmpty(value)) {
      if (subSpec.required) out.push({ code: 'bad-map-value', sub, message: `${name}.${sub} is required; add "${sub}: …" under ${name}` });
      continue;
    }
    for (const f of checkValue(value, `${name}.${sub}`, subSpec, ctx)) {
      out.push({ ...f, code: 'bad-map-value', sub });
    }
  }
  return out;
};

const history: Checker = (v, name, _spec, ctx) => {
  const shape = `- {at: 2026-11-22T09:30:00Z, from: …, to: …, by: …}`;
  if (!Array.isArray(v)) {
    return [{ code: 'bad-history', message: `${name} must be a list of transitions, oldest first, one per line like ${shape}` }];
  }
  const out: Finding[] = [];
  const handles = ctx.config.users.map((u) => u.handle);
  let previous: { at: number; index: number } | undefined;
  v.forEach((entry: unknown, i) => {
    const n = i + 1;
    if (!isMapValue(entry)) {
      out.push({ code: 'bad-history', entry: i, message: `${name} entry ${n} is not a map; write it as ${shape}` });
      return;
    }
    if (isEmpty(entry.to)) {
      out.push({ code: 'bad-history', entry: i, message: `${name} entry ${n} has no "to"; add the status or stage it moved to, e.g. {…, to: qualified}` });
    } else if (typeof entry.to !== 'string' && typeof entry.to !== 'number') {
      out.push({ code: 'bad-history', entry: i, message: `${name} entry ${n} has "to" ${show(entry.to)}; write the status or stage it moved to as one word` });
    }
    if (isEmpty(entry.at)) {
      out.push({ code: 'bad-history', entry: i, message: `${name} entry ${n} has no "at"; add when it happened, e.g. {at: 2026-11-22T09:30:00Z, …}` });
    } else {
      const p = timestampProblem(entry.at);
      if (p) {
        out.push({
          code: 'bad-history',
          entry: i,
          message: `${name} entry ${n}: at ${show(entry.at)} ${p}; write ISO 8601 with Z or an offset, e.g. 2026-11-22T09:30:00Z`,
        });
      }
    }
    if (handles.length > 0 && !isEmpty(entry.by) && !handles.includes(String(entry.by))) {
      out.push({
        code: 'bad-value',
        severity: 'warning',
        entry: i,
        message: `${name} entry ${n}: by ${show(entry.by)} is not a user in crm.yaml (${listValues(handles)}); fix the handle or add the user under users in crm.yaml`,
      });
    }
    const at = instantOf(entry.at);
    if (at !== undefined) {
      if (previous && at < previous.at) {
        out.push({
          code: 'bad-history',
          severity: 'warning',
          entry: i,
          message: `${name} entry ${n} (at ${String(entry.at)}) is earlier than entry ${previous.index + 1}; entries must be oldest first: reorder them`,
        });
      }
      if (!previous || at >= previous.at) previous = { at, index: i };
    }
  });
  return out;
};

/** FieldSpec kind → checker. */
const CHECKERS: Record<KindName, Checker> = {
  string: scalar,
  text: scalar,
  number,
  date,
  timestamp,
  'date-or-timestamp': timestamp,
  money,
  boolean,
  list,
  map,
  history,
  ref,
  refs,
};

function checkValue(value: unknown, name: string, spec: FieldSpec, ctx: FieldContext): Finding[] {
  return CHECKERS[kindName(spec.kind)](value, name, spec, ctx);
}

// ---------------------------------------------------------------------------
// Enumerations: crm.yaml values, pipeline stages, user handles

interface Allowed {
  values: readonly string[];
  /** What the values are, for the message: `a pipeline stage`, `one of`. */
  what: string;
  /** What to do when the value is right and the list is wrong. */
  fix: string;
  severity: 'error' | 'warning';
}

function listValues(values: readonly string[]): string {
  return values.length <= 10 ? values.join(', ') : `${values.slice(0, 8).join(', ')}, …`;
}

function allowedValues(type: RecordType, key: string, config: Config): Allowed | undefined {
  if (key === 'owner') {
    if (config.users.length === 0) return undefined;
    return {
      values: config.users.map((u) => u.handle),
      what: 'a user in crm.yaml',
      fix: 'fix the handle or add the user under users in crm.yaml',
      severity: 'warning',
    };
  }
  if (type === 'opportunity' && key === 'stage') {
    return {
      values: config.pipeline.stages.map((s) => s.id),
      what: 'a pipeline stage',
      fix: 'fix the value or add the stage to pipeline.stages in crm.yaml',
      severity: 'error',
    };
  }
  const values = config.values[type]?.[key];
  if (!values) return undefined;
  return {
    values,
    what: 'an allowed value',
    fix: `fix the value or add it to ${TYPES[type].folder}.${key} in crm.yaml`,
    severity: 'error',
  };
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j] ?? 0;
      row[j] = Math.min(up + 1, (row[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length] ?? 0;
}

function suggestion(value: string, values: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of values) {
    const d = v.toLowerCase() === value.toLowerCase() ? 0 : distance(value, v);
    if (d < bestD) [best, bestD] = [v, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? `did you mean "${best}"? ` : '';
}

function checkEnumeration(type: RecordType, key: string, value: unknown, config: Config): Finding[] {
  const allowed = allowedValues(type, key, config);
  if (!allowed) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: Finding[] = [];
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') continue;
    const s = String(item);
    if (allowed.values.includes(s)) continue;
    out.push({
      code: 'bad-value',
      severity: allowed.severity,
      message: `${key} ${JSON.stringify(s)} is not ${allowed.what} (${listValues(allowed.values)}); ${suggestion(s, allowed.values)}${allowed.fix}`,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Lines: where in the file a key, a map sub-key or a history entry is

interface Locator {
  /** Line of a top-level key, else the first front-matter line (2), else 1. */
  key(key: string): number;
  sub(key: string, sub: string): number;
  entry(key: string, index: number, count: number): number;
  literal(name: string): string | undefined;
}

function locator(raw: string): Locator {
  const keys = keyLines(raw);
  let yamlLines: string[] = [];
  let firstLine = 1;
  let fallback = 1;
  try {
    const split = splitFile(raw);
    yamlLines = split.yaml.split('\n').map((l) => l.replace(/\r$/, ''));
    firstLine = split.firstLine;
    fallback = split.firstLine;
  } catch {
    // no front matter: everything points at line 1
  }
  const text = (line: number): string => yamlLines[line - firstLine] ?? '';

  /** The lines that belong to a top-level key's block value, after its own line. */
  const block = (keyLine: number): number[] => {
    const out: number[] = [];
    for (let line = keyLine + 1; line - firstLine < yamlLines.length; line++) {
      const t = text(line);
      if (t.trim() === '' || t.trimStart().startsWith('#')) continue;
      if (/^\S/.test(t) && !/^-(\s|$)/.test(t)) break;
      out.push(line);
    }
    return out;
  };

  const key = (k: string): number => keys.get(k) ?? fallback;
  const sub = (k: string, s: string): number => {
    const at = keys.get(k);
    if (at === undefined) return fallback;
    const re = new RegExp(`^\\s+["']?${escapeRe(s)}["']?\\s*:(\\s|$)`);
    return block(at).find((l) => re.test(text(l))) ?? at;
  };
  const entry = (k: string, index: number, count: number): number => {
    const at = keys.get(k);
    if (at === undefined) return fallback;
    const items = block(at).filter((l) => /^\s*-(\s|$)/.test(text(l)));
    const indent = (l: number): number => text(l).length - text(l).trimStart().length;
    const first = items[0];
    const top = first === undefined ? [] : items.filter((l) => indent(l) === indent(first));
    return top.length === count ? (top[index] ?? at) : at;
  };
  const literal = (name: string): string | undefined => {
    const dot = name.indexOf('.');
    const top = dot < 0 ? name : name.slice(0, dot);
    if (!keys.has(top)) return undefined;
    const line = dot < 0 ? key(name) : sub(top, name.slice(dot + 1));
    const re = new RegExp(`(?:^|[\\s{,])["']?${escapeRe(leaf(name))}["']?\\s*:\\s*([^,}#\\s][^,}#]*)`);
    return re.exec(text(line))?.[1]?.trim();
  };
  return { key, sub, entry, literal };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------
// The checks

const CONFLICT_OPEN = /^<{7}(?:\s|$)/;
const CONFLICT_BASE = /^\|{7}(?:\s|$)/;
const CONFLICT_SPLIT = /^={7}\s*$/;
const CONFLICT_CLOSE = /^>{7}(?:\s|$)/;

/** Checks of the raw text before parsing: git conflict markers (<<<<<<< / ======= / >>>>>>> lines), each with its line. */
export function checkRaw(path: string, raw: string): Issue[] {
  const issues: Issue[] = [];
  const lines = raw.split(/\r?\n/);
  // `=======` alone is also a Markdown heading underline, and `>>>>>>>` a
  // nested quote: they count only inside a conflict opened by `<<<<<<<`.
  let open = false;
  lines.forEach((text, i) => {
    let marker = false;
    if (CONFLICT_OPEN.test(text)) [marker, open] = [true, true];
    else if (open && (CONFLICT_BASE.test(text) || CONFLICT_SPLIT.test(text))) marker = true;
    else if (open && CONFLICT_CLOSE.test(text)) [marker, open] = [true, false];
    if (!marker) return;
    issues.push({
      path,
      line: i + 1,
      code: 'conflict-markers',
      message: `git conflict marker "${text.trim()}" left by a merge: edit the file to keep one value, delete the marker lines, run \`crm validate\` again, then commit (or run \`crm sync\` again to finish a sync merge)`,
      severity: 'error',
    });
  });
  return issues;
}

const FRONT_MATTER_HINTS: Record<FrontMatterError['code'], string> = {
  'no-front-matter': '; start the file with a `---` line, the `key: value` lines, then another `---`',
  'unclosed-front-matter': '',
  yaml: '; fix the YAML on this line or the one above (quote values that contain ": " or start with [ { * & ! | > % @ `)',
  'not-a-map': '',
};

/** Parse a file into a record or issues (no-front-matter, unclosed, broken YAML with the file line from FrontMatterError). */
export function readRecordFile(path: string, raw: string): { record?: CrmRecord; issues: Issue[] } {
  const where = classifyPath(path);
  if (where.kind === 'other') return { issues: [] };
  if (where.kind === 'misplaced') return { issues: [where.issue] };
  try {
    const { data, body } = parseRecord(raw);
    return { record: { type: where.type, id: where.id, path, data, body, raw }, issues: [] };
  } catch (e) {
    if (!(e instanceof FrontMatterError)) throw e;
    return {
      issues: [{ path, line: e.line, code: e.code, message: e.message + FRONT_MATTER_HINTS[e.code], severity: 'error' }],
    };
  }
}

function requiredMessage(type: RecordType, key: string, config: Config): string {
  const allowed = allowedValues(type, key, config);
  const example =
    allowed?.values[0] ?? (fieldSpec(type, key)?.kind === 'timestamp' ? '2026-11-22T09:30:00Z' : '…');
  const choices = allowed ? ` (${listValues(allowed.values)})` : '';
  return `missing required key "${key}"${choices}; add a line "${key}: ${example}" to the front matter`;
}

/** Checks of one parsed record against the config; `exists(type,id)` answers reference lookups. */
export function checkRecord(
  record: CrmRecord,
  config: Config,
  exists: (type: RecordType, id: string) => boolean,
): Issue[] {
  const { type, data, path } = record;
  const at = locator(record.raw);
  const ctx: FieldContext = { type, config, literal: at.literal };
  const issues: Issue[] = [];
  const add = (key: string, f: Finding): void => {
    let line: number;
    if (f.entry !== undefined) line = at.entry(key, f.entry, Array.isArray(data[key]) ? data[key].length : 0);
    else if (f.sub !== undefined) line = at.sub(key, f.sub);
    else line = at.key(key);
    issues.push({ path, line, code: f.code, message: f.message, severity: f.severity ?? 'error' });
  };

  // Required keys of the type and of every record.
  for (const [key, spec] of Object.entries({ ...TYPES[type].fields, ...COMMON_FIELDS })) {
    if (spec.required && isEmpty(data[key])) {
      add(key, { code: 'missing-required', message: requiredMessage(type, key, config) });
    }
  }

  // Every present key: its kind, then its enumeration. Custom keys have no
  // spec and are never flagged, unless crm.yaml lists values for them.
  for (const [key, value] of Object.entries(data)) {
    if (isEmpty(value)) continue;
    const spec = fieldSpec(type, key);
    const findings = spec ? checkValue(value, key, spec, ctx) : [];
    for (const f of findings) add(key, f);
    if (!findings.some((f) => f.severity !== 'warning')) {
      for (const f of checkEnumeration(type, key, value, config)) add(key, f);
    }
  }

  // References to records that do not exist.
  for (const r of referencesOf(record)) {
    if (exists(r.type, r.id)) continue;
    const dot = r.key.indexOf('.');
    const f: Finding = {
      code: 'dangling-reference',
      message: `${r.key} "${r.id}" refers to ${r.type}/${r.id}, which does not exist; fix the id or create the ${r.type} (${TYPES[r.type].folder}/${r.id}.md)`,
      ...(dot >= 0 ? { sub: r.key.slice(dot + 1) } : {}),
    };
    add(dot >= 0 ? r.key.slice(0, dot) : r.key, f);
  }

  // The current status/stage must be the last history entry's `to`.
  const lifecycle = TYPES[type].lifecycle;
  const hist = data.history;
  if (lifecycle && Array.isArray(hist) && hist.length > 0) {
    const last: unknown = hist[hist.length - 1];
    const current = data[lifecycle];
    const spec = fieldSpec(type, lifecycle);
    if (isMapValue(last) && !isEmpty(last.to) && !(isEmpty(current) && spec?.required)) {
      const to = String(last.to);
      if (isEmpty(current) || String(current) !== to) {
        const now = isEmpty(current) ? 'not set' : `"${String(current)}"`;
        add(data[lifecycle] === undefined ? 'history' : lifecycle, {
          code: 'history-mismatch',
          message: `${lifecycle} is ${now} but the last history entry says "${to}"; set ${lifecycle}: ${to}, or append a history entry {at: …, from: ${to}, to: ${isEmpty(current) ? '…' : String(current)}}`,
        });
      }
    }
  }

  return issues.sort((a, b) => a.line - b.line);
}

/** Checks used before writing one record (same checks as checkRecord), so a command never writes an invalid record. */
export const checkBeforeWrite = checkRecord;

/** Whole-repo checks: duplicate interaction ids across month folders, interactions whose folder month disagrees with `at` (warning). */
export function checkRepository(records: readonly CrmRecord[]): Issue[] {
  const issues: Issue[] = [];
  const byId = new Map<string, CrmRecord[]>();
  for (const r of records) {
    if (r.type !== 'interaction') continue;
    const same = byId.get(r.id);
    if (same) same.push(r);
    else byId.set(r.id, [r]);

    const folder = /^[^/]+\/(\d{4})\/(\d{2})\//.exec(r.path);
    const when = r.data.at;
    if (!folder || typeof when !== 'string' || timestampProblem(when) !== undefined) continue;
    const [yyyy, mm] = [when.slice(0, 4), when.slice(5, 7)];
    if (yyyy === folder[1] && mm === folder[2]) continue;
    issues.push({
      path: r.path,
      line: locator(r.raw).key('at'),
      code: 'wrong-month',
      message: `at ${when} is in ${yyyy}-${mm} but the file is in ${TYPES.interaction.folder}/${folder[1]}/${folder[2]}/; move it to ${TYPES.interaction.folder}/${yyyy}/${mm}/${r.id}.md (git mv)`,
      severity: 'warning',
    });
  }
  for (const [id, same] of byId) {
    if (same.length < 2) continue;
    for (const r of same) {
      const others = same.filter((o) => o !== r).map((o) => o.path);
      issues.push({
        path: r.path,
        line: 1,
        code: 'duplicate-id',
        message: `interaction id "${id}" is also used by ${others.join(', ')}; interaction ids are unique across month folders: rename one of the files (and fix references to it)`,
        severity: 'error',
      });
    }
  }
  return issues;
}

function byPathThenLine(a: Issue, b: Issue): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.line - b.line;
}

/** Everything: raw + parse + record + repository checks, sorted by path then line. */
export function validateFiles(
  files: readonly { path: string; raw: string }[],
  config: Config,
): { records: CrmRecord[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const records: CrmRecord[] = [];
  // A record whose file is broken still exists: references to it are not
  // dangling, so one broken file gives one issue, not one per referrer.
  const present = new Set<string>();
  for (const f of files) {
    const where = classifyPath(f.path);
    if (where.kind === 'record') present.add(`${where.type}/${where.id}`);
  }
  for (const f of files) {
    issues.push(...checkRaw(f.path, f.raw));
    const read = readRecordFile(f.path, f.raw);
    issues.push(...read.issues);
    if (read.record) records.push(read.record);
  }
  const exists = (type: RecordType, id: string): boolean => present.has(`${type}/${id}`);
  for (const r of records) issues.push(...checkRecord(r, config, exists));
  issues.push(...checkRepository(records));
  return { records, issues: issues.sort(byPathThenLine) };
}
