/**
 * `crm history ID`: who changed a record's file and when, from git —
 * `git log --follow` when the git CLI is installed (fast), else
 * isomorphic-git's `log({filepath, follow})`.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import { wholeNumber } from './list.js';
import { examples, openRepository } from './shared.js';

export interface FileCommit {
  commit: string;
  /** Author date, ISO 8601 in UTC. */
  date: string;
  author: string;
  email: string;
  subject: string;
}

function isoUtc(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The commits that touched `path` (relative to the git root), newest first; undefined when the git CLI is missing. */
export async function gitCliLog(gitRoot: string, path: string, options: { follow?: boolean } = {}): Promise<FileCommit[] | undefined> {
  const { spawnSync } = await import('node:child_process');
  const { refreshCommitGraph } = await import('../model/snapshot.js');
  const follow = options.follow ?? true;
  refreshCommitGraph(gitRoot);
  const r = spawnSync('git', ['log', ...(follow ? ['--follow'] : []), '--format=%H%x1f%at%x1f%an%x1f%ae%x1f%s%x1e', '--', path], {
    cwd: gitRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C' },
  });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw r.error;
  }
  if (r.status !== 0) {
    if (/does not have any commits|bad default revision|unknown revision/i.test(r.stderr)) return [];
    const { CrmError } = await import('../errors.js');
    throw new CrmError(`git log failed: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.status}`}`, { hint: 'Check the repository with `git status`.' });
  }
  return r.stdout
    .split('\x1e')
    .map((s) => s.replace(/^\n/, ''))
    .filter((s) => s.trim() !== '')
    .map((s) => {
      const [commit = '', at = '0', author = '', email = '', subject = ''] = s.split('\x1f');
      return { commit, date: isoUtc(Number(at)), author, email, subject: subject.trim() };
    });
}

/** The same with isomorphic-git (no git CLI needed). */
export async function isoGitLog(gitRoot: string, path: string): Promise<FileCommit[]> {
  const fs = await import('node:fs');
  const { default: git } = await import('isomorphic-git');
  let entries: Awaited<ReturnType<typeof git.log>>;
  try {
    entries = await git.log({ fs, dir: gitRoot, filepath: path, follow: true, force: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'NotFoundError') return [];
    throw e;
  }
  return entries.map((e) => ({
    commit: e.oid,
    date: isoUtc(e.commit.author.timestamp),
    author: e.commit.author.name,
    email: e.commit.author.email,
    subject: (e.commit.message.split('\n')[0] ?? '').trim(),
  }));
}

export interface HistoryOptions {
  ref: string;
  json: boolean;
  limit?: number | undefined;
}

export async function runHistory(io: Io, cmd: Command, o: HistoryOptions): Promise<FileCommit[]> {
  const repo = await openRepository(io, cmd);
  const { CrmError } = await import('../errors.js');
  const { relative, join, sep } = await import('node:path');
  const record = repo.find(o.ref);
  if (!repo.gitRoot) {
    throw new CrmError(`${repo.root} is not in a git repository, so there is no history of ${record.path}`, {
      hint: 'Run `git init` and commit the files; from then on every crm change is a commit.',
    });
  }
  const path = relative(repo.gitRoot, join(repo.root, record.path)).split(sep).join('/');
  // A record's path never changes (ids survive renames), except an interaction's month folder when its `at`
  // is edited: only then is the costly rename search of `git log --follow` worth it.
  const follow = record.type === 'interaction';
  let commits = (await gitCliLog(repo.gitRoot, path, { follow })) ?? (await isoGitLog(repo.gitRoot, path));
  if (o.limit !== undefined) commits = commits.slice(0, o.limit);
  if (o.json) {
    io.out(JSON.stringify(commits, null, 2));
    return commits;
  }
  const { alignedTable, tsv } = await import('../format/text.js');
  if (!io.isTTY) {
    if (commits.length > 0) io.out(tsv(commits.map((c) => [c.commit, c.date, c.author, c.email, c.subject])));
    return commits;
  }
  if (commits.length === 0) {
    io.err(`${record.path} has no commits yet.`);
    return commits;
  }
  const { palette } = await import('../format/color.js');
  const { localTime } = await import('../format/values.js');
  const c = palette(io.color);
  io.out(
    alignedTable(
      ['COMMIT', 'DATE', 'AUTHOR', 'SUBJECT'],
      commits.map((x) => [c.yellow(x.commit.slice(0, 7)), localTime(x.date, repo.config.timezone), x.author, x.subject]),
      { maxWidth: io.columns, header: (s) => c.bold(s) },
    ),
  );
  io.err(c.dim(`${commits.length} commit${commits.length === 1 ? '' : 's'} touching ${record.path}`));
  return commits;
}

export function register(program: Command, io: Io): void {
  program
    .command('history')
    .description("who changed a record's file and when, from git (newest first)")
    .argument('<id>', 'ID or TYPE/ID')
    .option('-n, --limit <n>', 'at most n commits', wholeNumber)
    .option('--json', 'the commits as JSON: commit, date (UTC), author, email, subject')
    .addHelpText(
      'after',
      `
Dates are shown in crm.yaml's timezone. Uses the git CLI when installed
(keeping git's commit-graph up to date, so that only the commits that
touched the file are read), else isomorphic-git. An interaction moved to
another month folder is followed. The lifecycle history (status/stage
changes) is in the record itself: see \`crm show ID\`.
${examples(['$ crm history acme-srl', '$ crm history opp/acme-erp --json | jq -r ".[0].author"'])}`,
    )
    .action(async (ref: string, opts: { json?: boolean; limit?: number }, command: Command) => {
      await runHistory(io, command, { ref, json: Boolean(opts.json), limit: opts.limit });
    });
}
