/**
 * Glue shared by commands: opening the repository (lazily, so registering a
 * command loads nothing heavy), warnings about unreadable files, parsing
 * `key=value` arguments, and reporting what a mutation did.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { Issue } from '../model/issues.js';
import type { CrmRecord } from '../model/record.js';
import type { MutateResult, Repository } from '../model/repo.js';
import type { RecordType } from '../model/schema.js';

export interface GlobalOptions {
  repo?: string;
  commit: boolean;
  color: boolean;
}

export function globals(cmd: Command): GlobalOptions {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts() as GlobalOptions;
}

export async function openRepository(io: Io, cmd: Command): Promise<Repository> {
  const { Repository } = await import('../model/repo.js');
  const repo = Repository.open({ repo: globals(cmd).repo, env: io.env, cwd: io.cwd(), now: io.now });
  // Progress goes to stderr when a person is at the terminal, never into a script's output.
  if (io.canPrompt) repo.notice = (text) => io.err(text);
  return repo;
}

/** Tell the user (stderr) which files were skipped because they cannot be read as records. */
export function warnSkipped(io: Io, issues: readonly Issue[]): void {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) return;
  const shown = errors.slice(0, 5).map((i) => `  ${i.path}:${i.line}: ${i.message}`);
  const more = errors.length > 5 ? [`  … and ${errors.length - 5} more`] : [];
  io.err(
    [`warning: skipped ${errors.length} file${errors.length === 1 ? '' : 's'} that cannot be read as records:`, ...shown, ...more, '  (run `crm validate` for details)'].join('\n'),
  );
}

/** Record as JSON for scripts: id, type, path, then its fields (body when asked). */
export function recordJson(r: CrmRecord, withBody = false): Record<string, unknown> {
  return { id: r.id, type: r.type, path: r.path, ...r.data, ...(withBody ? { body: r.body } : {}) };
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

/** Split a `key=value` argument (the value is converted later, knowing the field). */
export function parseAssignment(arg: string): { key: string; text: string } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UsageError(`"${arg}" is not key=value`, { hint: 'Write fields as key=value, e.g. `score=80` or `tags=[eu, hot]`.' });
  const key = arg.slice(0, eq).trim();
  if (!KEY.test(key)) throw new UsageError(`"${key}" is not a valid field name`, { hint: 'Field names are letters, digits, _ and -, with . for map keys (address.city).' });
  return { key, text: arg.slice(eq + 1) };
}

/**
 * Convert text typed on the command line into a field value. Known text
 * fields (names, emails, phones, ids, dates) keep the text as typed, so a
 * phone number `0212345` stays a string; numbers and money become numbers;
 * list fields and custom fields are read as YAML (`80`, `true`, `[a, b]`).
 * An empty value means "remove the field".
 */
export async function coerceValue(type: RecordType, key: string, text: string): Promise<unknown> {
  const t = text.trim();
  if (t === '') return null;
  const { fieldSpec } = await import('../model/schema.js');
  const { parseYaml } = await import('../model/frontmatter.js');
  const [head, sub] = key.split('.');
  let spec = fieldSpec(type, head ?? key);
  if (spec && sub) spec = spec.fields?.[sub];
  const yamlValue = (): unknown => {
    try {
      const v = parseYaml(t);
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && !t.startsWith('{')) return text;
      return v ?? null;
    } catch {
      return text;
    }
  };
  if (!spec) return yamlValue();
  const kind = spec.kind;
  if (kind === 'number' || kind === 'money') {
    const n = Number(t.replace(/_/g, ''));
    return Number.isFinite(n) && t !== '' ? n : kind === 'money' ? yamlValue() : text;
  }
  if (kind === 'boolean') return t === 'true' ? true : t === 'false' ? false : text;
  if (kind === 'list' || kind === 'map' || (typeof kind === 'object' && 'refs' in kind)) {
    const v = yamlValue();
    if (typeof kind === 'object' || kind === 'list') {
      if (Array.isArray(v)) return v.map(String);
      return t.split(',').map((x) => x.trim()).filter(Boolean);
    }
    return v;
  }
  return text;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** stderr lines describing what a write did. */
export function reportMutation(io: Io, result: MutateResult, verb: string): void {
  if (result.changes.length === 0) {
    io.err('Nothing changed.');
    return;
  }
  if (result.commit) io.err(`${verb} (commit ${result.commit.slice(0, 7)})`);
  else io.err(`${verb} (not committed: ${result.noCommitReason ?? 'no commit'})`);
}

/**
 * The output of moving one record to another status (lead status, account
 * lifecycle): already there, a dry run, or done; JSON with --json.
 */
export function reportStatusMove(
  io: Io,
  result: MutateResult,
  o: { json: boolean; dryRun: boolean },
  noun: string,
  outcome: { kind: 'unchanged'; message: string; record: CrmRecord } | { kind: 'moved'; record: CrmRecord; from: string | undefined; to: string },
  describeChanges: (changes: MutateResult['changes']) => string,
): void {
  if (outcome.kind === 'unchanged') {
    io.err(`${outcome.message[0]!.toUpperCase()}${outcome.message.slice(1)}.`);
    if (o.json) io.out(JSON.stringify(recordJson(outcome.record, true), null, 2));
    return;
  }
  const { record, from, to } = outcome;
  if (o.dryRun) {
    if (o.json) io.out(JSON.stringify({ dry_run: true, ...recordJson(record, true) }, null, 2));
    else io.out(describeChanges(result.changes));
    io.err(`Dry run: ${noun} ${record.id} would go ${from ?? 'none'} → ${to}; nothing was written.`);
    return;
  }
  if (o.json) io.out(JSON.stringify(recordJson(record, true), null, 2));
  reportMutation(io, result, `${noun[0]!.toUpperCase()}${noun.slice(1)} ${record.id}: ${from ?? 'none'} → ${to}`);
}

export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** A `--where` expression as a record predicate; a bad expression is a usage error pointing at the column. */
export async function compileWhere(io: Io, expr: string): Promise<(r: CrmRecord) => boolean> {
  const { compileFilter, describeFilterError, FilterError } = await import('../model/filter.js');
  try {
    const f = compileFilter(expr, { now: io.now() });
    return (r) => f(r.data, { id: r.id, type: r.type });
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(`bad --where expression:\n${describeFilterError(e)}`, { hint: 'See `crm list --help` for the filter language.' });
    throw e;
  }
}
