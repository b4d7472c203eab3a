/**
 * `crm undo`: revert the last commit made by crm as the current user (author
 * email), as a new commit (`crm: undo …`, "This reverts commit …"), after a
 * confirmation (`--yes` when not on a terminal). Refuses when a later commit
 * changed one of the same files (undoing would throw that change away), when
 * a file has uncommitted changes, or when the result would not be valid.
 * Running it again undoes the commit before (undo commits and the commits
 * they reverted are skipped).
 */
import type { Command } from 'commander';
import { CancelledError, CrmError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { Change } from '../model/repo.js';
import type { CommitInfo } from '../model/snapshot.js';
import { examples, globals, openRepository, reportMutation } from './shared.js';

export interface UndoOptions {
  yes: boolean;
  dryRun: boolean;
}

const LOOK_BACK = 1000;

/** The commit `crm undo` would revert: the newest crm commit by `email` on the branch's own line, not yet undone. */
export function undoTarget(commits: readonly CommitInfo[], email: string): CommitInfo | undefined {
  const reverted = new Set<string>();
  const me = email.toLowerCase();
  for (const c of commits) {
    if (/^crm: undo\b/.test(c.subject)) {
      for (const m of c.message.matchAll(/This reverts commit ([0-9a-f]{40})/g)) reverted.add(m[1]!);
      continue;
    }
    if (reverted.has(c.oid)) continue;
    if (!c.subject.startsWith('crm:') || /^crm: (sync|init)\b/.test(c.subject)) continue;
    if (c.parents.length !== 1) continue;
    if (c.author.email.toLowerCase() !== me) continue;
    return c;
  }
  return undefined;
}

export async function runUndo(io: Io, cmd: Command, o: UndoOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const snap = await import('../model/snapshot.js');
  const { localTime } = await import('../format/values.js');
  const { gitRoot, prefix } = snap.locate(repo.root);
  const me = repo.author();
  const head = await snap.resolveRevision(gitRoot, 'HEAD');
  const line = await snap.listCommits(gitRoot, { firstParent: true, limit: LOOK_BACK });
  const target = undoTarget(line, me.email);
  const when = (c: CommitInfo) => localTime(new Date(c.author.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'), repo.config.timezone);
  if (!target) {
    throw new CrmError(`there is no crm commit by you (${me.email}) to undo in the last ${Math.min(line.length, LOOK_BACK)} commits of this branch`, {
      hint: '`crm commits --mine --crm-only` lists yours. crm undo reverts only commits made by crm as the current user (CRM_USER, or git config user.email); use `git revert COMMIT` for others.',
    });
  }
  const short = target.oid.slice(0, 7);
  const title = `${short} "${target.subject}" (${target.author.name}, ${when(target)})`;

  // What the commit changed, and whether each file is still as it left it.
  const changed = await snap.changedPaths(gitRoot, target.parents[0]!, target.oid);
  const outside = changed.filter((c) => !c.path.startsWith(prefix));
  if (outside.length > 0) {
    throw new CrmError(`cannot undo ${title}: it changed files outside the CRM (${outside.map((c) => c.path).join(', ')})`, { hint: `Use git revert ${short} instead.` });
  }
  const later: string[] = [];
  for (const c of changed) {
    const now = await snap.oidAt(gitRoot, head, c.path);
    if (now === c.after) continue;
    const touching = await snap.listCommits(gitRoot, { paths: [c.path], limit: 50 });
    const after = [];
    for (const t of touching) {
      if (t.oid === target.oid) break;
      after.push(`${t.oid.slice(0, 7)} "${t.subject}" (${t.author.name}, ${when(t)})`);
    }
    later.push(`  ${c.path.slice(prefix.length)}: changed since by ${after.length > 0 ? after.join('; ') : 'a later commit'}`);
  }
  if (later.length > 0) {
    throw new CrmError(`cannot undo ${title}: later commits changed the same file${later.length === 1 ? '' : 's'}, and undoing would throw those changes away:\n${later.join('\n')}`, {
      hint: 'Change the record back by hand instead (crm set / crm edit), or undo the later commits first if they are yours.',
    });
  }
  const fs = await import('node:fs');
  const { join } = await import('node:path');
  const changes: Change[] = [];
  const dirty: string[] = [];
  for (const c of changed) {
    const rel = c.path.slice(prefix.length);
    const committed = c.after === null ? null : await snap.readBlobText(gitRoot, c.after);
    let current: string | null;
    try {
      current = fs.readFileSync(join(repo.root, ...rel.split('/')), 'utf8');
    } catch {
      current = null;
    }
    if (current !== committed) dirty.push(`  ${rel}`);
    changes.push({ path: rel, before: current, after: c.before === null ? null : await snap.readBlobText(gitRoot, c.before) });
  }
  if (dirty.length > 0) {
    throw new CrmError(`cannot undo ${title}: ${dirty.length === 1 ? 'this file has' : 'these files have'} uncommitted changes:\n${dirty.join('\n')}`, {
      hint: 'Commit or discard them first (git restore FILE), then run `crm undo` again.',
    });
  }

  // The result must be valid: restored records, and no reference left to a removed one.
  const { readRecordFile, checkRecord } = await import('../model/validate.js');
  const { existsIn } = await import('../model/change.js');
  const { referencesOf, recordKey } = await import('../model/record.js');
  const loaded = repo.load();
  const touched = new Set(changes.map((c) => c.path));
  const restored = changes.flatMap((c) => (c.after === null ? [] : readRecordFile(c.path, c.after).record ?? []));
  const post = [...loaded.records.filter((r) => !touched.has(r.path)), ...restored];
  const exists = existsIn(post);
  const problems: string[] = [];
  for (const r of restored) {
    for (const i of checkRecord(r, repo.config, exists)) if (i.severity === 'error') problems.push(`  ${r.path}:${i.line}: ${i.message}`);
  }
  const removed = loaded.records.filter((r) => touched.has(r.path) && !restored.some((x) => x.type === r.type && x.id === r.id));
  for (const r of removed) {
    for (const other of post) {
      if (referencesOf(other).some((x) => x.type === r.type && x.id === r.id)) problems.push(`  ${other.path}: still refers to ${recordKey(r)}, which the undo removes`);
    }
  }
  if (problems.length > 0) {
    throw new CrmError(`cannot undo ${title}: the result would not be valid, so nothing was changed:\n${problems.join('\n')}`, {
      hint: 'Fix those records first (crm set / crm edit), then run `crm undo` again.',
    });
  }

  const verb = (c: Change) => (c.before === null ? 'recreate' : c.after === null ? 'delete' : 'restore');
  const plan = changes.map((c) => `  ${verb(c)} ${c.path}`).join('\n');
  if (o.dryRun) {
    io.err(`Would undo ${title}:\n${plan}`);
    return;
  }
  if (!o.yes) {
    if (!io.canPrompt) throw new UsageError(`undoing ${title} needs confirmation`, { hint: 'Pass --yes to undo without asking.' });
    const answer = await io.prompt(`Undo ${title}?\n${plan}\n[y/N] `);
    if (!/^y(es)?$/i.test(answer)) throw new CancelledError('Nothing was undone.');
  }
  const message = `crm: undo ${target.subject.replace(/^crm:\s*/, '')}\n\nThis reverts commit ${target.oid}.`;
  const result = await repo.mutate(message, () => changes, { commit: globals(cmd).commit });
  reportMutation(io, result, `Undid ${title}`);
}

export function register(program: Command, io: Io): void {
  program
    .command('undo')
    .description('revert your last crm commit (as a new commit), after a confirmation')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--dry-run', 'say what would be undone; change nothing')
    .addHelpText(
      'after',
      `
Only commits made by crm as you (CRM_USER, or git config user.email) are
undone; run it again to undo the one before. It refuses when a later commit
changed the same file (undoing would throw that change away).
${examples(['$ crm undo', '$ crm undo --dry-run', '$ crm undo --yes        # in scripts', '$ crm commits --mine     # what you did'])}`,
    )
    .action(async (opts: { yes?: boolean; dryRun?: boolean }, command: Command) => {
      await runUndo(io, command, { yes: Boolean(opts.yes), dryRun: Boolean(opts.dryRun) });
    });
}
