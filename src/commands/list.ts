/**
 * `crm list [TYPE] [--where EXPR] [--sort FIELD] [--limit N]`: records as an
 * aligned table on a terminal, tab-separated when piped, or JSON / CSV.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { CrmRecord } from '../model/record.js';
import type { RecordType } from '../model/schema.js';
import { compileWhere, examples, openRepository, recordJson, warnSkipped } from './shared.js';

export interface ListOptions {
  type?: string;
  where?: string;
  sort?: string;
  limit?: number;
  columns?: string;
  format: 'table' | 'tsv' | 'csv' | 'json';
}

/** Money reads as its amount, so that it sorts and prints as a number. */
function amountOf(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { amount?: unknown }).amount === 'number') return (v as { amount: number }).amount;
  return v;
}

type Getter = (r: CrmRecord) => unknown;

/** A getter for one field: `id`, `type`, `path`, a top-level field (through the index's columns), or `a.b` inside a map. */
function getter(field: string): Getter {
  if (field === 'id') return (r) => r.id;
  if (field === 'type') return (r) => r.type;
  if (field === 'path') return (r) => r.path;
  const parts = field.split('.');
  if (parts.length === 1) return (r) => amountOf(r.field ? r.field(field) : r.data[field]);
  return (r) => {
    let v: unknown = r.data;
    for (const part of parts) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
      v = (v as Record<string, unknown>)[part];
    }
    return amountOf(v);
  };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const isEmpty = (x: unknown) => x === undefined || x === null || x === '';

function compareValues(a: unknown, b: unknown): number {
  if (isEmpty(a) && isEmpty(b)) return 0;
  if (isEmpty(a)) return 1; // missing values last, whatever the direction
  if (isEmpty(b)) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  if (sa === sb) return 0;
  return collator.compare(sa, sb);
}

/** `--sort name`, `--sort -amount`, `--sort stage,-amount`; ties by id. Each key is read once per record. */
export function sortRecords(records: CrmRecord[], spec: string): CrmRecord[] {
  const keys = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.startsWith('-') ? { get: getter(s.slice(1)), dir: -1 } : { get: getter(s.replace(/^\+/, '')), dir: 1 }));
  const rows = records.map((r) => ({ r, v: keys.map((k) => k.get(r)) }));
  rows.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const a = x.v[i];
      const b = y.v[i];
      const c = compareValues(a, b);
      if (c !== 0) return isEmpty(a) || isEmpty(b) ? c : c * keys[i]!.dir;
    }
    return x.r.id < y.r.id ? -1 : x.r.id > y.r.id ? 1 : 0;
  });
  return rows.map((x) => x.r);
}

/** A cell for tab-separated output: tabs and line breaks become spaces. */
function tsvCell(s: string): string {
  return /[\t\r\n]/.test(s) ? s.replace(/[\t\r\n]+/g, ' ') : s;
}

export async function runList(io: Io, cmd: Command, o: ListOptions): Promise<void> {
  const { parseTypeName, TYPES, RECORD_TYPES } = await import('../model/schema.js');
  let type: RecordType | undefined;
  if (o.type) {
    type = parseTypeName(o.type);
    if (!type) {
      throw new UsageError(`"${o.type}" is not a record type`, {
        hint: 'Use one of: accounts, contacts, leads, opportunities (opps), cases, campaigns, interactions.',
      });
    }
  }
  const filter = o.where ? await compileWhere(io, o.where) : undefined;
  const repo = await openRepository(io, cmd);
  // Without --sort: interactions newest first, other types by title; all types in file order (type, then id).
  const defaultSort = type === 'interaction' ? '-at' : type ? TYPES[type].title : undefined;
  const sortSpec = o.sort ?? defaultSort;
  const columns = o.columns
    ? o.columns.split(',').map((c) => c.trim()).filter(Boolean)
    : type
      ? ['id', ...TYPES[type].columns]
      : ['type', 'id', 'title', 'status', 'owner'];
  // The fields read of every record: the index prepares their columns while it checks the files.
  const reads = columns.flatMap((c) => (!type && c === 'title' ? ['name', 'subject'] : !type && c === 'status' ? ['status', 'stage', 'kind'] : [c]));
  const sortKeys = (sortSpec ?? '').split(',').map((s) => s.trim().replace(/^[-+]/, ''));
  const loaded = repo.load(type ? [type] : RECORD_TYPES, { columns: [...new Set([...reads, ...sortKeys].filter(Boolean))] });
  warnSkipped(io, loaded.issues);
  let rows = loaded.records;
  if (filter) rows = rows.filter(filter);
  if (sortSpec) rows = sortRecords(rows, sortSpec);
  if (o.limit !== undefined) rows = rows.slice(0, o.limit);

  if (o.format === 'json') {
    io.out(JSON.stringify(rows.map((r) => recordJson(r)), null, 2));
    return;
  }
  const nameOf = getter('name');
  const subjectOf = getter('subject');
  const statusOf = getter('status');
  const stageOf = getter('stage');
  const kindOf = getter('kind');
  const getters: Getter[] = columns.map((c) => {
    if (c === 'title' && !type) return (r) => (TYPES[r.type].title === 'name' ? nameOf(r) ?? subjectOf(r) : subjectOf(r) ?? nameOf(r));
    if (c === 'status' && !type) return (r) => statusOf(r) ?? stageOf(r) ?? kindOf(r);
    return getter(c);
  });
  const value = (r: CrmRecord, i: number): unknown => getters[i]!(r);
  const { cellText, alignedTable, csv } = await import('../format/text.js');
  if (o.format === 'csv') {
    io.out(csv(columns, rows.map((r) => getters.map((g) => cellText(g(r))))));
    return;
  }
  if (o.format === 'tsv' || !io.isTTY) {
    // Written a few thousand lines at a time: no 10 MB string is ever built for a large repository.
    const CHUNK = 4096;
    for (let from = 0; from < rows.length; from += CHUNK) {
      let text = '';
      for (let i = from; i < Math.min(rows.length, from + CHUNK); i++) {
        const r = rows[i]!;
        let line = tsvCell(cellText(getters[0]!(r)));
        for (let c = 1; c < getters.length; c++) line += `\t${tsvCell(cellText(getters[c]!(r)))}`;
        text += `${line}\n`;
      }
      io.out(text);
    }
    return;
  }
  if (rows.length === 0) {
    io.err(`No ${type ? TYPES[type].folder : 'records'}${o.where ? ' match' : ' yet'}.`);
    return;
  }
  const { displayValue } = await import('../format/values.js');
  const { palette } = await import('../format/color.js');
  const c = palette(io.color);
  const numeric = columns.map((_, i) => rows.some((r) => typeof value(r, i) === 'number'));
  io.out(
    alignedTable(
      columns.map((h) => h.toUpperCase()),
      rows.map((r) => getters.map((g) => displayValue(g(r), repo.config.timezone))),
      { align: numeric.map((n) => (n ? 'right' : 'left')), maxWidth: io.columns, header: (s) => c.bold(s) },
    ),
  );
  io.err(c.dim(`${rows.length} ${type ? TYPES[type].folder : 'records'}`));
}

export function wholeNumber(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number ≥ 0.');
  return n;
}

export function register(program: Command, io: Io): void {
  program
    .command('list')
    .alias('ls')
    .description('list records: an aligned table on a terminal, tab-separated when piped')
    .argument('[type]', 'accounts, contacts, leads, opportunities (opps), cases, campaigns, interactions; all when omitted')
    .option('-w, --where <expr>', 'only records matching the filter expression (see below)')
    .option('-s, --sort <fields>', 'sort by fields, comma-separated; -field for descending')
    .option('-n, --limit <n>', 'at most n records', wholeNumber)
    .option('-c, --columns <fields>', 'columns to show, comma-separated (any field, custom too)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'tsv', 'csv', 'json']).default('table'))
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      `
Filter expressions (--where):
  field = value, !=, <, >, <=, >=      numbers compare as numbers, dates as dates
  field ~ text                          contains, ignoring case
  tags has vip                          a list contains a value
  owner = null                          no value
  and, or, not, ( )                     combine; quote values with spaces: name ~ "acme srl"
  created >= -30d                       relative dates: today, yesterday, -7d, -2w, -3m, -1y
${examples([
  "$ crm list leads --where 'status = new and source = web'",
  "$ crm list opps --where 'stage != won and stage != lost and amount >= 10000' --sort -amount",
  "$ crm list contacts --columns name,email,account --format csv > contacts.csv",
  "$ crm list interactions --where 'at >= -7d' --limit 20",
])}`,
    )
    .action(async (type: string | undefined, opts: { where?: string; sort?: string; limit?: number; columns?: string; format: ListOptions['format']; json?: boolean }, command: Command) => {
      await runList(io, command, {
        ...(type ? { type } : {}),
        ...(opts.where ? { where: opts.where } : {}),
        ...(opts.sort ? { sort: opts.sort } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        ...(opts.columns ? { columns: opts.columns } : {}),
        format: opts.json ? 'json' : opts.format,
      });
    });
}
