/**
 * The repository as it was at a commit, read straight from git objects with
 * isomorphic-git: no checkout, the working tree is never touched. Used by
 * `crm diff`, `crm sync` (what came in), `crm undo`, and by reports for
 * `--as-of-commit REV` (see docs/collaboration.md).
 *
 * Revisions: a branch (`main`, `origin/main`), a tag, `HEAD`, a full or
 * abbreviated commit id, each optionally followed by `~N` / `^N` (`HEAD~2`,
 * `main^2`).
 */
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import { CrmError } from '../errors.js';
import { resolveConfig, type Config } from './config.js';
import { FrontMatterError, parseYaml } from './frontmatter.js';
import { findGitRoot } from './git.js';
import type { Issue } from './issues.js';
import type { CrmRecord } from './record.js';
import { RECORD_TYPES, TYPES, type RecordType } from './schema.js';
import { readRecordFile } from './validate.js';

/** Same shape as repo.ts `Loaded`. */
export interface LoadedAt {
  records: CrmRecord[];
  issues: Issue[];
}

type Git = typeof import('isomorphic-git').default;

async function isoGit(): Promise<Git> {
  return (await import('./isogit.js')).isoGit();
}

/** isomorphic-git's object cache, shared by every read in this process. */
export const objectCache: object = {};

export interface Located {
  gitRoot: string;
  /** The CRM root relative to the git root, with a trailing `/` ('' when they are the same). */
  prefix: string;
}

/** The git work tree of a CRM root; a CrmError when there is none. */
export function locate(root: string): Located {
  const gitRoot = findGitRoot(root);
  if (!gitRoot) {
    throw new CrmError(`${root} is not in a git repository, so it has no history to read`, {
      hint: 'Run `git init` and commit the files (or create the repository with `crm init`).',
    });
  }
  const rel = relative(gitRoot, root).split(sep).join('/');
  return { gitRoot, prefix: rel ? `${rel}/` : '' };
}

function unknownRevision(rev: string, why?: string): CrmError {
  return new CrmError(`unknown revision "${rev}"${why ? `: ${why}` : ''}`, {
    hint: 'Name a branch, a tag or a commit (e.g. main, origin/main, HEAD~1, a1b2c3d); `crm commits` lists commits.',
    exitCode: 2,
  });
}

/** The commit id a revision names. */
export async function resolveRevision(gitRoot: string, rev: string): Promise<string> {
  const git = await isoGit();
  const m = /^(.*?)((?:[~^]\d*)*)$/.exec(rev.trim());
  const base = m?.[1] ?? '';
  const ops = m?.[2] ?? '';
  if (!base) throw unknownRevision(rev);
  let oid: string | undefined;
  const ref = base === '@' ? 'HEAD' : base;
  try {
    oid = await git.resolveRef({ fs, dir: gitRoot, ref });
  } catch {
    if (/^[0-9a-f]{4,40}$/i.test(base)) {
      try {
        oid = await git.expandOid({ fs, dir: gitRoot, oid: base.toLowerCase(), cache: objectCache });
      } catch {
        // not an object either
      }
    }
  }
  if (!oid) throw unknownRevision(rev, ref === 'HEAD' ? 'the repository has no commits yet' : undefined);
  // Peel annotated tags to their commit.
  for (let i = 0; i < 10; i++) {
    const o = await git.readObject({ fs, dir: gitRoot, oid, cache: objectCache, format: 'parsed' });
    if (o.type !== 'tag') break;
    oid = (o.object as { object: string }).object;
  }
  for (const op of ops.match(/[~^]\d*/g) ?? []) {
    const n = op.length > 1 ? Number(op.slice(1)) : 1;
    const steps = op[0] === '~' ? n : 1;
    const parentIndex = op[0] === '^' ? n - 1 : 0;
    if (op[0] === '^' && n === 0) continue;
    for (let s = 0; s < steps; s++) {
      const { commit } = await git.readCommit({ fs, dir: gitRoot, oid, cache: objectCache });
      const p = commit.parent[parentIndex];
      if (!p) throw unknownRevision(rev, `${oid.slice(0, 7)} has no ${parentIndex === 0 ? 'parent' : `parent ${parentIndex + 1}`}`);
      oid = p;
    }
  }
  try {
    await git.readCommit({ fs, dir: gitRoot, oid, cache: objectCache });
  } catch {
    throw unknownRevision(rev, 'it does not name a commit');
  }
  return oid;
}

/** The commit that is both an ancestor of `a` and of `b` (for `A...B`). */
export async function mergeBase(gitRoot: string, a: string, b: string): Promise<string> {
  const git = await isoGit();
  const bases = await git.findMergeBase({ fs, dir: gitRoot, oids: [a, b], cache: objectCache });
  const first = bases[0];
  if (!first) throw new CrmError(`${a.slice(0, 7)} and ${b.slice(0, 7)} have no common history`, { exitCode: 2 });
  return first;
}

/**
 * Every file (git-root-relative path → blob id) of a commit under `prefix`
 * whose path passes `keep`; directories for which `descend` is false are
 * not read.
 */
export async function blobsAt(
  gitRoot: string,
  commit: string,
  prefix = '',
  keep: (path: string) => boolean = () => true,
): Promise<Map<string, string>> {
  const git = await isoGit();
  const out = new Map<string, string>();
  await git.walk({
    fs,
    dir: gitRoot,
    cache: objectCache,
    trees: [git.TREE({ ref: commit })],
    map: async (filepath, [entry]) => {
      if (!entry) return null;
      if (filepath === '.') return true;
      const inside = filepath.startsWith(prefix) || prefix.startsWith(`${filepath}/`);
      if (!inside) return null;
      const type = await entry.type();
      if (type === 'tree') return true;
      if (type === 'blob' && filepath.startsWith(prefix) && keep(filepath)) out.set(filepath, await entry.oid());
      return undefined;
    },
  });
  return out;
}

const decoder = new TextDecoder('utf-8');

export async function readBlobText(gitRoot: string, oid: string): Promise<string> {
  const git = await isoGit();
  const { blob } = await git.readBlob({ fs, dir: gitRoot, oid, cache: objectCache });
  return decoder.decode(blob);
}

/** A file's text at a commit (git-root-relative path), or null when it is not there. */
export async function readFileAt(gitRoot: string, commit: string, path: string): Promise<string | null> {
  const git = await isoGit();
  try {
    const { blob } = await git.readBlob({ fs, dir: gitRoot, oid: commit, filepath: path, cache: objectCache });
    return decoder.decode(blob);
  } catch (e) {
    if ((e as { code?: string }).code === 'NotFoundError') return null;
    throw e;
  }
}

function recordFolders(types: readonly RecordType[]): string[] {
  return types.map((t) => TYPES[t].folder);
}

/** Records and unreadable files of the given types at a commit id (paths relative to the CRM root). */
export async function loadRecordsAtCommit(root: string, commit: string, types: readonly RecordType[] = RECORD_TYPES): Promise<LoadedAt> {
  const { gitRoot, prefix } = locate(root);
  const folders = recordFolders(types);
  const blobs = await blobsAt(gitRoot, commit, prefix, (p) => {
    const rel = p.slice(prefix.length);
    const top = rel.split('/')[0] ?? '';
    return folders.includes(top) && !rel.split('/').some((s) => s.startsWith('.'));
  });
  const records: CrmRecord[] = [];
  const issues: Issue[] = [];
  const paths = [...blobs.keys()].sort();
  const texts = await Promise.all(paths.map((p) => readBlobText(gitRoot, blobs.get(p)!)));
  paths.forEach((p, i) => {
    const r = readRecordFile(p.slice(prefix.length), texts[i]!);
    if (r.record) records.push(r.record);
    issues.push(...r.issues);
  });
  return { records, issues };
}

/**
 * The records (and unreadable files) as they were at revision `rev`: the
 * same shape as `loadRecords(root)` in repo.ts, read from git objects.
 * Throws a CrmError (exit 2) for an unknown revision.
 */
export async function loadRecordsAt(root: string, rev: string, types: readonly RecordType[] = RECORD_TYPES): Promise<LoadedAt> {
  const { gitRoot } = locate(root);
  return loadRecordsAtCommit(root, await resolveRevision(gitRoot, rev), types);
}

/** crm.yaml as it was at revision `rev` (defaults when the file did not exist then). */
export async function loadConfigAt(root: string, rev: string): Promise<Config> {
  const { gitRoot, prefix } = locate(root);
  const commit = await resolveRevision(gitRoot, rev);
  const text = await readFileAt(gitRoot, commit, `${prefix}crm.yaml`);
  if (text === null) return resolveConfig({});
  try {
    return resolveConfig(parseYaml(text));
  } catch (e) {
    const where = e instanceof FrontMatterError ? `:${e.line}` : '';
    throw new CrmError(`crm.yaml${where} at ${rev} cannot be read: ${(e as Error).message}`, {
      hint: 'Choose another revision, or read the report without --as-of-commit.',
    });
  }
}

/** Working-tree path of a git-root-relative path. */
export function workPath(gitRoot: string, path: string): string {
  return join(gitRoot, ...path.split('/'));
}

export interface CommitInfo {
  oid: string;
  parents: string[];
  message: string;
  subject: string;
  author: { name: string; email: string; timestamp: number; timezoneOffset: number };
}

export async function readCommitInfo(gitRoot: string, oid: string): Promise<CommitInfo> {
  const git = await isoGit();
  const { commit } = await git.readCommit({ fs, dir: gitRoot, oid, cache: objectCache });
  return {
    oid,
    parents: commit.parent,
    message: commit.message,
    subject: commit.message.split('\n')[0] ?? '',
    author: commit.author,
  };
}

/** Paths (git-root-relative) whose blob differs between two commits (`from` null: every file of `to`). */
export async function changedPaths(gitRoot: string, from: string | null, to: string | null, prefix = ''): Promise<{ path: string; before: string | null; after: string | null }[]> {
  const a = from ? await blobsAt(gitRoot, from, prefix) : new Map<string, string>();
  const b = to ? await blobsAt(gitRoot, to, prefix) : new Map<string, string>();
  const out: { path: string; before: string | null; after: string | null }[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path) ?? null;
    const y = b.get(path) ?? null;
    if (x !== y) out.push({ path, before: x, after: y });
  }
  return out.sort((x, y) => (x.path < y.path ? -1 : 1));
}

/** The object id at `path` (git-root-relative; '' is the root tree) in a commit, or null. */
export async function oidAt(gitRoot: string, commit: string, path: string): Promise<string | null> {
  const git = await isoGit();
  const { commit: c } = await git.readCommit({ fs, dir: gitRoot, oid: commit, cache: objectCache });
  let oid = c.tree;
  for (const name of path.split('/').filter(Boolean)) {
    let entries;
    try {
      ({ tree: entries } = await git.readTree({ fs, dir: gitRoot, oid, cache: objectCache }));
    } catch {
      return null;
    }
    const e = entries.find((x) => x.path === name);
    if (!e) return null;
    oid = e.oid;
  }
  return oid;
}

export interface ListCommitsOptions {
  /** Start here (default HEAD). */
  from?: string;
  /** Only commits that changed something under these git-root-relative paths (files or folders). */
  paths?: readonly string[];
  /** Stop after this many (0 or undefined: all). */
  limit?: number;
  /** Follow first parents only (the branch's own line of commits). */
  firstParent?: boolean;
}

/**
 * Bring git's commit-graph (with changed-path Bloom filters) up to date, so
 * that `git log -- PATH` skips every commit that did not touch the path
 * instead of comparing the trees of each one. Without it, the history of
 * one contact in a 100,000-record repository reads the 15,000-entry
 * contacts tree of every commit that changed any contact. The graph is the
 * cache `git gc` and `git maintenance` write too; a layer is added only for
 * new commits (about 2 ms when nothing is new). Failures (an old git, a
 * read-only repository) are ignored: the log is only slower.
 */
export function refreshCommitGraph(gitRoot: string): void {
  spawnSync('git', ['commit-graph', 'write', '--reachable', '--changed-paths', '--split', '--no-progress'], {
    cwd: gitRoot,
    stdio: 'ignore',
    timeout: 60_000,
  });
}

/**
 * The same list from the git CLI, when it is installed: `git log` walks only
 * what it must and is much faster on long histories. Undefined when git is
 * missing or fails (the isomorphic-git walk is then used).
 */
function listCommitsCli(gitRoot: string, options: ListCommitsOptions): CommitInfo[] | undefined {
  const args = ['log', '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%ad%x1f%B%x1e', '--date=raw'];
  if (options.firstParent) args.push('--first-parent');
  if (options.limit) args.push(`-n${options.limit}`);
  args.push(options.from ?? 'HEAD', '--', ...(options.paths ?? []));
  if (options.paths?.length) refreshCommitGraph(gitRoot);
  const r = spawnSync('git', args, { cwd: gitRoot, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) return undefined;
  const out: CommitInfo[] = [];
  for (const rec of r.stdout.split('\x1e')) {
    const f = rec.replace(/^\n/, '').split('\x1f');
    if (f.length < 6 || !f[0]) continue;
    const [oid, parents, name, email, date, ...rest] = f;
    const [ts, tz] = (date ?? '').split(' ');
    const m = /^([+-])(\d{2})(\d{2})$/.exec(tz ?? '');
    const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    const message = rest.join('\x1f');
    out.push({
      oid: oid!,
      parents: parents ? parents.split(' ').filter(Boolean) : [],
      message,
      subject: message.split('\n')[0] ?? '',
      author: { name: name ?? '', email: email ?? '', timestamp: Number(ts), timezoneOffset: minutes === 0 ? 0 : -minutes },
    });
  }
  return out;
}

/**
 * Commits reachable from `from`, newest first (by committer time), like
 * `git log [-- paths]`: a commit is listed when some path differs from its
 * first parent (a merge: from every parent).
 */
export async function listCommits(gitRoot: string, options: ListCommitsOptions = {}): Promise<CommitInfo[]> {
  const viaCli = listCommitsCli(gitRoot, options);
  if (viaCli) return viaCli;
  const git = await isoGit();
  let start: string;
  try {
    start = await resolveRevision(gitRoot, options.from ?? 'HEAD');
  } catch (e) {
    if ((options.from ?? 'HEAD') === 'HEAD') return [];
    throw e;
  }
  const paths = options.paths ?? [];
  const out: CommitInfo[] = [];
  const seen = new Set<string>([start]);
  const queue: { oid: string; time: number }[] = [];
  const push = async (oid: string) => {
    const { commit } = await git.readCommit({ fs, dir: gitRoot, oid, cache: objectCache });
    queue.push({ oid, time: commit.committer.timestamp });
  };
  await push(start);
  const pathOids = async (oid: string) => Promise.all(paths.map((p) => oidAt(gitRoot, oid, p)));
  while (queue.length > 0) {
    queue.sort((a, b) => b.time - a.time);
    const { oid } = queue.shift()!;
    const info = await readCommitInfo(gitRoot, oid);
    let touched = true;
    if (paths.length > 0) {
      const mine = await pathOids(oid);
      const parents = await Promise.all(info.parents.map((p) => pathOids(p).catch(() => paths.map(() => null))));
      const differs = (theirs: (string | null)[]) => theirs.some((x, i) => x !== mine[i]);
      touched = parents.length === 0 ? mine.some((x) => x !== null) : parents.every(differs);
    }
    if (touched) {
      out.push(info);
      if (options.limit && out.length >= options.limit) break;
    }
    const next = options.firstParent ? info.parents.slice(0, 1) : info.parents;
    for (const p of next) {
      if (seen.has(p)) continue;
      seen.add(p);
      try {
        await push(p);
      } catch {
        // missing object (shallow clone): stop there
      }
    }
  }
  return out;
}
