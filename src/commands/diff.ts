/**
 * `crm diff [REV | A..B | A...B]`: what a change means for the CRM —
 * records added, removed, fields changed (old → new), stage and status
 * moves, conversions — as a table, tab-separated rows, Markdown for a pull
 * request (`--format md`), or JSON. Without a range: the working tree
 * against HEAD. Records are read from git objects (no checkout).
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { RecordChange, SemanticDiff } from '../model/semantic-diff.js';
import { examples, openRepository, warnSkipped } from './shared.js';

export type DiffFormat = 'table' | 'tsv' | 'md' | 'json';

export interface DiffOptions {
  range?: string | undefined;
  format: DiffFormat;
}

export interface DiffRange {
  /** The older side. */
  from: string;
  /** The newer side; null is the working tree. */
  to: string | null;
  /** `A...B`: compare B with the common ancestor of A and B. */
  symmetric: boolean;
}

/** `REV` (REV against the working tree), `A..B`, `A...B`; an empty side means HEAD. */
export function parseRange(spec: string | undefined): DiffRange {
  const s = (spec ?? '').trim();
  if (!s) return { from: 'HEAD', to: null, symmetric: false };
  const three = s.indexOf('...');
  if (three >= 0) return { from: s.slice(0, three) || 'HEAD', to: s.slice(three + 3) || 'HEAD', symmetric: true };
  const two = s.indexOf('..');
  if (two >= 0) return { from: s.slice(0, two) || 'HEAD', to: s.slice(two + 2) || 'HEAD', symmetric: false };
  return { from: s, to: null, symmetric: false };
}

type Show = (v: unknown) => string;

function refsOfConversion(c: NonNullable<RecordChange['conversion']>): string {
  return (['account', 'contact', 'opportunity'] as const)
    .filter((k) => c[k])
    .map((k) => `${k}/${c[k]}`)
    .join(', ');
}

/** One row per fact: [change, record, field, before, after]. Every row names its record (grep-friendly). */
export function changeRows(diff: SemanticDiff, show: Show): string[][] {
  const rows: string[][] = [];
  for (const c of diff.changes) {
    const rec = `${c.type}/${c.id}`;
    if (c.change === 'added') rows.push(['added', rec, '', '', c.title]);
    else if (c.change === 'removed') rows.push(['removed', rec, '', c.title, '']);
    else if (c.change === 'unreadable') rows.push(['unreadable', rec, '', '', c.problem ?? '']);
    else {
      for (const f of c.fields) {
        if (f.key === 'converted' && c.conversion) continue;
        if (f.key === 'history') rows.push(['changed', rec, 'history', `${String(f.before)} entries`, `${String(f.after)} entries`]);
        else rows.push(['changed', rec, f.key, show(f.before), show(f.after)]);
      }
      if (c.body) rows.push(['changed', rec, 'notes', '', '(changed)']);
    }
    if (c.conversion) rows.push(['converted', rec, '', '', refsOfConversion(c.conversion)]);
  }
  return rows;
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_|<>[\]])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** Markdown for a pull request description or comment. */
export function diffMarkdown(diff: SemanticDiff, show: Show, totalsLine: string): string {
  const out: string[] = ['## CRM changes', ''];
  if (diff.changes.length === 0) return [...out, 'No record changes.', ''].join('\n');
  out.push(`**${totalsLine}**`, '');
  const name = (c: RecordChange) => `${c.type} \`${c.id}\` — ${escapeMd(c.title)}`;
  const value = (v: unknown) => {
    const s = show(v);
    return s === '' ? '_(none)_' : escapeMd(s);
  };
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(`#### ${title}`, '', ...items, '');
  };
  section('Added', diff.changes.filter((c) => c.change === 'added').map((c) => `- ${name(c)}`));
  section(
    'Changed',
    diff.changes
      .filter((c) => c.change === 'changed')
      .map((c) => {
        const lines = [`- ${name(c)}`];
        for (const f of c.fields) {
          if (f.key === 'converted' && c.conversion) continue;
          if (f.key === 'history') lines.push(`  - history: ${String(f.before)} → ${String(f.after)} entries`);
          else lines.push(`  - ${escapeMd(f.key)}: ${value(f.before)} → ${value(f.after)}`);
        }
        if (c.body) lines.push('  - notes changed');
        return lines.join('\n');
      }),
  );
  section('Removed', diff.changes.filter((c) => c.change === 'removed').map((c) => `- ${name(c)}`));
  section('Unreadable files', diff.changes.filter((c) => c.change === 'unreadable').map((c) => `- \`${c.path}\`: ${escapeMd(c.problem ?? '')}`));
  const moves = diff.changes.filter((c) => c.move);
  if (moves.length > 0) {
    out.push('#### Stage and status moves', '', '| Record | From | To |', '|---|---|---|');
    for (const c of moves) out.push(`| ${c.type} \`${c.id}\` — ${escapeMd(c.title)} | ${escapeMd(c.move!.from ?? '')} | ${escapeMd(c.move!.to)} |`);
    out.push('');
  }
  section(
    'Conversions',
    diff.changes
      .filter((c) => c.conversion)
      .map((c) => {
        const conv = c.conversion!;
        const parts = (['account', 'contact', 'opportunity'] as const).filter((k) => conv[k]).map((k) => `${k} \`${conv[k]}\``);
        return `- lead \`${conv.lead}\` → ${parts.join(', ')}`;
      }),
  );
  return out.join('\n');
}

export async function showValue(timeZone: string): Promise<Show> {
  const { displayValue } = await import('../format/values.js');
  return (v: unknown) => (v === undefined || v === null ? '' : displayValue(v, timeZone));
}

export async function runDiff(io: Io, cmd: Command, o: DiffOptions): Promise<SemanticDiff> {
  const repo = await openRepository(io, cmd);
  const range = parseRange(o.range);
  const snap = await import('../model/snapshot.js');
  const { semanticDiff, totals } = await import('../model/semantic-diff.js');
  const { gitRoot } = snap.locate(repo.root);
  let fromCommit = await snap.resolveRevision(gitRoot, range.from);
  const toCommit = range.to === null ? null : await snap.resolveRevision(gitRoot, range.to);
  if (range.symmetric && toCommit) fromCommit = await snap.mergeBase(gitRoot, fromCommit, toCommit);
  const before = await snap.loadRecordsAtCommit(repo.root, fromCommit);
  const after = toCommit === null ? repo.load() : await snap.loadRecordsAtCommit(repo.root, toCommit);
  if (toCommit === null) warnSkipped(io, after.issues.filter((i) => !before.issues.some((b) => b.path === i.path)));
  const diff = semanticDiff(before, after);
  const show = await showValue(repo.config.timezone);
  const toLabel = range.to === null ? 'the working tree' : `${range.to} (${toCommit!.slice(0, 7)})`;
  const fromLabel = `${range.symmetric ? `the common ancestor of ${range.from} and ${range.to}` : range.from} (${fromCommit.slice(0, 7)})`;

  if (o.format === 'json') {
    io.out(
      JSON.stringify(
        {
          from: { rev: range.from, commit: fromCommit },
          to: range.to === null ? { rev: null, commit: null, workingTree: true } : { rev: range.to, commit: toCommit },
          counts: diff.counts,
          byType: diff.byType,
          changes: diff.changes,
        },
        null,
        2,
      ),
    );
    return diff;
  }
  if (o.format === 'md') {
    io.out(diffMarkdown(diff, show, totals(diff)));
    return diff;
  }
  const rows = changeRows(diff, show);
  if (o.format === 'tsv' || !io.isTTY) {
    const { tsv } = await import('../format/text.js');
    if (rows.length > 0) io.out(tsv(rows));
    io.err(`${fromLabel} → ${toLabel}: ${totals(diff)}`);
    return diff;
  }
  const { palette } = await import('../format/color.js');
  const c = palette(io.color);
  if (rows.length === 0) {
    io.err(`No record changes between ${fromLabel} and ${toLabel}.`);
    return diff;
  }
  const { alignedTable } = await import('../format/text.js');
  const tint = (kind: string, s: string) => (kind === 'added' ? c.green(s) : kind === 'removed' || kind === 'unreadable' ? c.red(s) : kind === 'converted' ? c.cyan(s) : s);
  const table = alignedTable(['CHANGE', 'RECORD', 'FIELD', 'BEFORE', 'AFTER'], rows, { maxWidth: io.columns, header: (s) => c.bold(s) });
  const lines = table.split('\n');
  io.out([lines[0] ?? '', ...lines.slice(1).map((l, i) => tint(rows[i]![0]!, l))].join('\n'));
  io.err(c.dim(`${fromLabel} → ${toLabel}: ${totals(diff)}`));
  return diff;
}

export function register(program: Command, io: Io): void {
  program
    .command('diff')
    .description('what changed in the CRM between two commits (default: the working tree against HEAD): records added, removed, fields old → new, stage moves, conversions')
    .argument('[range]', 'REV (against the working tree), A..B, or A...B (B against the common ancestor: what a branch adds)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'tsv', 'md', 'json']).default('table'))
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      examples([
        '$ crm diff                         # uncommitted changes',
        '$ crm diff HEAD~1..HEAD            # what the last commit did',
        '$ crm diff main...feature          # what a branch adds (for review)',
        '$ crm diff origin/main...HEAD --format md > crm-changes.md',
        '$ crm diff HEAD~5 --json | jq \'.changes[] | select(.move)\'',
      ]),
    )
    .action(async (range: string | undefined, opts: { format: DiffFormat; json?: boolean }, command: Command) => {
      if (range !== undefined && /^-/.test(range)) throw new UsageError(`unknown option ${range}`, { hint: 'See `crm diff --help`.' });
      await runDiff(io, command, { range, format: opts.json ? 'json' : opts.format });
    });
}
