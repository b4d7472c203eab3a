/**
 * The filter expression language of `crm list --where EXPR` and campaign
 * segments. Pure: a tokenizer, a recursive-descent parser producing an AST,
 * and an evaluator.
 *
 *   status = qualified and (score >= 50 or tags has key-account)
 *   not owner = null and created >= -7d
 *
 * Comparisons are `field OP value`, combined with `and`, `or`, `not` and
 * parentheses; precedence is not > and > or. Keywords are case-insensitive.
 *
 * Fields: `[A-Za-z_][A-Za-z0-9_-]*`, dotted into maps (`address.city`). A
 * path through a list looks into every element (`history.to = won`). `id`
 * and `type` come from the context unless the record has such a key.
 *
 * Values: bare words (`qualified`, `2026-11-01`, `12.5`, `O'Brien`) or quoted
 * strings ('…' or "…", backslash escapes `\n`, `\t`, else the next character
 * itself). Bare `null` / `empty` mean absent: null, '' or an empty list.
 *
 * Relative dates (bare words only): `today`, `yesterday`, `tomorrow`, and
 * `-7d`, `+2w`, `-3m`, `-1y` (days, weeks, months, years). They resolve to a
 * UTC date `YYYY-MM-DD`, relative to ctx.now, else options.now, else the
 * moment the filter was compiled (so one listing sees one "today"). Month
 * and year steps clamp to the month's last day (03-31 -1m → 02-28).
 *
 * Operators: `=` `!=` `<` `>` `<=` `>=`, `~` (contains, case-insensitive)
 * and `has` (a list contains the value; on a scalar the same as `=`).
 * - Both sides finite numbers → numeric. Both sides a date or an ISO
 *   timestamp → compared as instants; a bare date is midnight UTC, so
 *   `created = 2026-10-01` does not match `2026-10-01T09:00:00Z`, while
 *   `created >= 2026-10-01` does. A timestamp without a zone is read as UTC.
 *   Otherwise strings, compared case-insensitively (ordering too).
 * - A money map `{amount, currency}` compares by its amount.
 * - A list field matches when any element does (`=`, `has`, `~`, `<` …).
 * - `!=` is always the negation of `=`: true for a missing field, and on a
 *   list true when no element equals. Every other comparison with a missing
 *   field is false, except `= null` (and `has null`).
 */

export class FilterError extends Error {
  /** 1-based column in `expr` where the problem is. */
  readonly column: number;
  readonly expr: string;

  constructor(message: string, expr: string, column: number) {
    super(message);
    this.name = 'FilterError';
    this.expr = expr;
    this.column = column;
  }
}

export interface FilterContext {
  id?: string;
  type?: string;
  now?: Date;
}

export type Filter = (data: Record<string, unknown>, ctx?: FilterContext) => boolean;

/** Multi-line message: the expression, a caret under the column, the reason. */
export function describeFilterError(e: FilterError): string {
  const line = e.expr.replace(/[\t\r\n]/g, ' ');
  return `${line}\n${' '.repeat(Math.max(0, e.column - 1))}^ ${e.message}`;
}

export function compileFilter(expr: string, options: { now?: Date } = {}): Filter & { fields: string[] } {
  const ast = parse(expr, tokenize(expr));
  const fields: string[] = [];
  collectFields(ast, fields);
  const compiledAt = options.now ?? new Date();
  const filter: Filter = (data, ctx = {}) => evaluate(ast, data, ctx, ctx.now ?? compiledAt);
  return Object.assign(filter, { fields });
}

// ---------------------------------------------------------------- tokens

interface Token {
  kind: 'word' | 'string' | 'op' | '(' | ')' | 'end';
  /** Decoded text (a string's content without quotes). */
  text: string;
  /** The source text, as shown in messages. */
  raw: string;
  col: number;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    const col = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c, raw: c, col });
      i++;
    } else if (c === '"' || c === "'") {
      let text = '';
      let j = i + 1;
      while (expr[j] !== c) {
        if (j >= expr.length) throw new FilterError(`unclosed quote ${c} opened at column ${col}`, expr, expr.length + 1);
        if (expr[j] === '\\' && j + 1 < expr.length) {
          const e = expr[j + 1]!;
          text += ESCAPES[e] ?? e;
          j += 2;
        } else {
          text += expr[j];
          j++;
        }
      }
      tokens.push({ kind: 'string', text, raw: expr.slice(i, j + 1), col });
      i = j + 1;
    } else {
      const isOp = '=!<>~'.includes(c);
      const re = isOp ? /[=!<>~]+/y : /[^\s()=!<>~]+/y;
      re.lastIndex = i;
      const text = re.exec(expr)![0];
      tokens.push({ kind: isOp ? 'op' : 'word', text, raw: text, col });
      i += text.length;
    }
  }
  tokens.push({ kind: 'end', text: '', raw: '', col: expr.length + 1 });
  return tokens;
}

// ---------------------------------------------------------------- parser

type Op = '=' | '!=' | '<' | '>' | '<=' | '>=' | '~' | 'has';
type Unit = 'd' | 'w' | 'm' | 'y';
type Value = { kind: 'text'; text: string } | { kind: 'null' } | { kind: 'relative'; n: number; unit: Unit };
type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; expr: Node }
  | { kind: 'cmp'; field: string; op: Op; value: Value };

const OPS: readonly string[] = ['=', '!=', '<', '>', '<=', '>=', '~'];
const OP_LIST = '=, !=, <, >, <=, >=, ~ or has';
const OP_TYPOS: Record<string, string> = {
  '==': '=', '===': '=', '<>': '!=', '!==': '!=', '=<': '<=', '=>': '>=', '~=': '~', '=~': '~',
};
const KEYWORDS = ['and', 'or', 'not', 'has'];
const WORD_TYPOS: Record<string, string> = { '&&': 'and', '&': 'and', '||': 'or', '|': 'or', '!': 'not' };
const FIELD = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const RELATIVE_DAYS: Record<string, number> = { today: 0, yesterday: -1, tomorrow: 1 };

function parse(expr: string, tokens: Token[]): Node {
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const fail = (message: string, at: Token): never => {
    throw new FilterError(message, expr, at.col);
  };
  const keyword = (t: Token) => (t.kind === 'word' ? t.text.toLowerCase() : '');
  const show = (t: Token) => (t.kind === 'end' ? 'the end' : t.kind === 'string' ? t.raw : `"${t.raw}"`);
  const typo = (t: Token) => (t.kind !== 'string' && WORD_TYPOS[t.text] ? `; use "${WORD_TYPOS[t.text]}"` : '');

  function or(): Node {
    let left = and();
    while (keyword(peek()) === 'or') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  function and(): Node {
    let left = not();
    while (keyword(peek()) === 'and') {
      next();
      left = { kind: 'and', left, right: not() };
    }
    return left;
  }

  function not(): Node {
    if (keyword(peek()) !== 'not') return primary();
    next();
    return { kind: 'not', expr: not() };
  }

  function primary(): Node {
    const open = peek();
    if (open.kind !== '(') return comparison();
    next();
    const inner = or();
    const close = peek();
    if (close.kind === 'end') fail(`unclosed parenthesis opened at column ${open.col}`, close);
    if (close.kind !== ')') {
      fail(`expected ")" to close the parenthesis opened at column ${open.col}, found ${show(close)}${typo(close)}`, close);
    }
    next();
    return inner;
  }

  function comparison(): Node {
    const prev = tokens[pos - 1];
    const t = next();
    const where = prev ? `after ${show(prev)}` : 'at the start';
    if (!prev && t.kind === 'end') fail('empty filter: expected a comparison such as status = qualified', t);
    if (!prev && KEYWORDS.includes(keyword(t))) fail(`unexpected ${show(t)} at the start`, t);
    if (t.kind !== 'word' || KEYWORDS.includes(keyword(t))) fail(`expected a field name ${where}, found ${show(t)}${typo(t)}`, t);
    if (!FIELD.test(t.text)) {
      fail(`"${t.text}" is not a field name: use letters, digits, "_" and "-", starting with a letter, dotted like address.city`, t);
    }

    const o = next();
    let op: Op;
    if (keyword(o) === 'has') op = 'has';
    else if (o.kind === 'op' && OPS.includes(o.text)) op = o.text as Op;
    else if (o.kind === 'op' && OP_TYPOS[o.text]) return fail(`unknown operator "${o.text}"? use "${OP_TYPOS[o.text]}"`, o);
    else if (o.kind === 'op') return fail(`unknown operator "${o.text}"; expected ${OP_LIST}`, o);
    else return fail(`expected an operator (${OP_LIST}) after "${t.text}", found ${show(o)}`, o);

    const v = next();
    if (v.kind === 'string') return { kind: 'cmp', field: t.text, op, value: { kind: 'text', text: v.text } };
    if (v.kind !== 'word' || KEYWORDS.includes(keyword(v))) return fail(`expected a value after ${show(o)}, found ${show(v)}`, v);
    const value = bareValue(v);
    if (value.kind === 'null' && op !== '=' && op !== '!=' && op !== 'has') {
      fail(`${show(v)} means absent and works only with =, != or has`, v);
    }
    return { kind: 'cmp', field: t.text, op, value };
  }

  function bareValue(t: Token): Value {
    const word = t.text.toLowerCase();
    if (word === 'null' || word === 'empty') return { kind: 'null' };
    const days = RELATIVE_DAYS[word];
    if (days !== undefined) return { kind: 'relative', n: days, unit: 'd' };
    const m = /^([+-]\d+)([a-z]+)$/.exec(word);
    if (!m) return { kind: 'text', text: t.text };
    if (!/^[dwmy]$/.test(m[2]!)) fail(`unknown relative date "${t.text}": write e.g. -7d, +2w, -3m or -1y`, t);
    return { kind: 'relative', n: Number(m[1]), unit: m[2] as Unit };
  }

  const ast = or();
  const rest = peek();
  if (rest.kind === ')') fail('unexpected ")" with no matching "("', rest);
  if (rest.kind !== 'end') {
    const prev = tokens[pos - 1]!;
    const quote = prev.kind === 'word' && (rest.kind === 'word' || rest.kind === 'string');
    fail(`expected "and", "or" or the end, found ${show(rest)}${typo(rest) || (quote ? '; quote a value that contains spaces' : '')}`, rest);
  }
  return ast;
}

function collectFields(node: Node, out: string[]): void {
  if (node.kind === 'cmp') {
    if (!out.includes(node.field)) out.push(node.field);
  } else if (node.kind === 'not') {
    collectFields(node.expr, out);
  } else {
    collectFields(node.left, out);
    collectFields(node.right, out);
  }
}

// ---------------------------------------------------------------- evaluator

function evaluate(node: Node, data: Record<string, unknown>, ctx: FilterContext, now: Date): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, data, ctx, now) && evaluate(node.right, data, ctx, now);
    case 'or':
      return evaluate(node.left, data, ctx, now) || evaluate(node.right, data, ctx, now);
    case 'not':
      return !evaluate(node.expr, data, ctx, now);
    case 'cmp': {
      const [head, ...rest] = node.field.split('.') as [string, ...string[]];
      const root = (head === 'id' || head === 'type') && !Object.hasOwn(data, head) ? ctx[head] : data[head];
      return holds(node.op, lookup(root, rest), node.value, now);
    }
  }
}

function holds(op: Op, field: unknown, value: Value, now: Date): boolean {
  if (op === '!=') return !holds('=', field, value, now);
  if (value.kind === 'null') return isAbsent(field);
  if (isAbsent(field)) return false;
  const text = value.kind === 'text' ? value.text : relativeDate(now, value.n, value.unit);
  const items = Array.isArray(field) ? field : [field];
  return items.some((item) => matches(op, scalar(item), text));
}

function matches(op: Op, field: string | undefined, value: string): boolean {
  if (field === undefined) return false;
  if (op === '~') return field.toLowerCase().includes(value.toLowerCase());
  const c = compare(field, value);
  switch (op) {
    case '<': return c < 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '>=': return c >= 0;
    default: return c === 0;
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function compare(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) return Math.sign(Number(a) - Number(b));
  const ta = instant(a);
  const tb = instant(b);
  if (ta !== undefined && tb !== undefined) return Math.sign(ta - tb);
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** Milliseconds for a `YYYY-MM-DD` date (midnight UTC) or an ISO timestamp. */
function instant(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  if (m[4] === undefined) return day.getTime();
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}${m[5] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function relativeDate(now: Date, n: number, unit: Unit): string {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (unit === 'd' || unit === 'w') return ymd(new Date(Date.UTC(y, m, d + n * (unit === 'w' ? 7 : 1))));
  const month = m + n * (unit === 'y' ? 12 : 1);
  const lastDay = new Date(Date.UTC(y, month + 1, 0)).getUTCDate();
  return ymd(new Date(Date.UTC(y, month, Math.min(d, lastDay))));
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Follow a dotted path; through a list, into each element (results flattened). */
function lookup(v: unknown, path: string[]): unknown {
  if (path.length === 0) return v;
  if (Array.isArray(v)) return v.flatMap((item) => lookup(item, path)).filter((x) => x !== undefined);
  return isMap(v) ? lookup(v[path[0]!], path.slice(1)) : undefined;
}

/** The text a field value compares as: a money map by its amount; other maps and nulls never match. */
function scalar(v: unknown): string | undefined {
  if (isMap(v)) return 'amount' in v ? scalar(v.amount) : undefined;
  if (v instanceof Date) return v.toISOString();
  if (v === null || v === undefined || typeof v === 'object') return undefined;
  return String(v);
}
