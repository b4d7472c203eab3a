/**
 * `crm sync`: pull (fetch + merge) and push the current branch over HTTP(S)
 * with isomorphic-git, merging records key by key (merge.ts).
 *
 * - Credentials come from `CRM_GIT_TOKEN` (basic auth; user name from
 *   `CRM_GIT_USERNAME`, the URL, or `x-access-token`) or an askpass helper
 *   (`CRM_GIT_ASKPASS`, else `GIT_ASKPASS`), asked only when the server
 *   wants them, and never written anywhere.
 * - The working tree must have no uncommitted changes to tracked files.
 * - Incoming changes are applied with the same three-way merge the git
 *   merge driver uses. A clean merge is committed (two parents) and
 *   pushed. A conflict leaves a git-compatible merge in progress
 *   (`.git/MERGE_HEAD`): the merged files are in the working tree, markers
 *   only around the conflicting keys; nothing is pushed. The next
 *   `crm sync` commits the merge once no markers are left (or finish it with
 *   `git add` + `git commit`, or give up with `git merge --abort`).
 * - A push rejected because the remote moved meanwhile is retried after
 *   pulling again (three rounds at most).
 *
 * Also here: installing the git merge driver (`crm init`, `crm sync`).
 */
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CrmError } from '../errors.js';
import type { Author } from './git.js';
import { mergeFile, type MergeConflict } from './merge.js';
import { withLock } from './repo.js';
import { blobsAt, locate, objectCache, readBlobText } from './snapshot.js';
import { checkRaw } from './validate.js';
import { RECORD_TYPES, TYPES } from './schema.js';

type Git = typeof import('isomorphic-git').default;
type Http = typeof import('isomorphic-git/http/node').default;

async function modules(): Promise<{ git: Git; http: Http }> {
  const [{ default: git }, { default: http }] = await Promise.all([import('isomorphic-git'), import('isomorphic-git/http/node')]);
  return { git, http };
}

// ---------------------------------------------------------------------------
// The merge driver

/** `.gitattributes` lines that send record files to `crm merge-driver`. */
export function mergeAttributes(): string[] {
  return RECORD_TYPES.map((t) => (t === 'interaction' ? `${TYPES[t].folder}/**/*.md merge=crm` : `${TYPES[t].folder}/*.md merge=crm`));
}

/** `.gitattributes` text with the merge-driver lines added, or null when they are all there. */
export function withMergeAttributes(current: string): string | null {
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = mergeAttributes().filter((l) => !have.has(l));
  if (missing.length === 0) return null;
  const sep = current && !current.endsWith('\n') ? '\n' : '';
  return `${current}${sep}# record files merge key by key: crm merge-driver (see docs/collaboration.md)\n${missing.join('\n')}\n`;
}

export const MERGE_DRIVER_NAME = 'crm: three-way merge of record front matter and body';
export const MERGE_DRIVER_COMMAND = 'crm merge-driver %O %A %B %P';

/** Set `merge.crm.name` and `merge.crm.driver` in the repository's .git/config (not in the repository). Returns whether anything changed. */
export async function installMergeDriver(gitRoot: string): Promise<boolean> {
  const { default: git } = await import('isomorphic-git');
  let changed = false;
  for (const [path, value] of [
    ['merge.crm.name', MERGE_DRIVER_NAME],
    ['merge.crm.driver', MERGE_DRIVER_COMMAND],
  ] as const) {
    const current = await git.getConfig({ fs, dir: gitRoot, path });
    if (current === value) continue;
    if (current !== undefined && path === 'merge.crm.driver') continue; // the user chose their own command
    await git.setConfig({ fs, dir: gitRoot, path, value });
    changed = true;
  }
  return changed;
}

// ---------------------------------------------------------------------------
// Credentials

export interface AuthState {
  /** What was offered: a token, an askpass helper, or nothing. */
  offered?: 'token' | 'askpass' | 'none';
  refused?: boolean;
}

function askpass(program: string, prompt: string): string {
  const r = spawnSync(program, [prompt], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.error || r.status !== 0) {
    throw new CrmError(`the askpass helper ${program} failed${r.error ? `: ${r.error.message}` : ` (exit ${r.status})`}`, {
      hint: 'Check CRM_GIT_ASKPASS / GIT_ASKPASS, or set CRM_GIT_TOKEN instead.',
    });
  }
  return r.stdout.replace(/\r?\n$/, '');
}

/** onAuth/onAuthFailure callbacks for isomorphic-git, reading the environment only when the server asks. */
export function credentials(env: Record<string, string | undefined>, state: AuthState) {
  return {
    onAuth: (url: string, auth: { username?: string }) => {
      const token = env.CRM_GIT_TOKEN;
      if (token) {
        state.offered = 'token';
        return { username: env.CRM_GIT_USERNAME || auth.username || 'x-access-token', password: token };
      }
      const helper = env.CRM_GIT_ASKPASS || env.GIT_ASKPASS;
      if (helper) {
        state.offered = 'askpass';
        const u = new URL(url);
        const username = auth.username || askpass(helper, `Username for '${u.protocol}//${u.host}': `);
        const password = askpass(helper, `Password for '${u.protocol}//${username}@${u.host}': `);
        return { username, password };
      }
      state.offered = 'none';
      return { cancel: true };
    },
    onAuthFailure: () => {
      state.refused = true;
      return { cancel: true };
    },
  };
}

/** The URL without credentials, for messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

function networkError(e: unknown, url: string, auth: AuthState, action: string): CrmError {
  const err = e as { code?: string; message?: string; data?: { statusCode?: number; statusMessage?: string } };
  const where = safeUrl(url);
  if (err.code === 'UserCanceledError' || (err.code === 'HttpError' && err.data?.statusCode === 401)) {
    if (auth.refused || auth.offered === 'token' || auth.offered === 'askpass') {
      return new CrmError(`${where} refused the credentials (${auth.offered === 'askpass' ? 'from the askpass helper' : 'CRM_GIT_TOKEN'})`, {
        hint: 'Check the token and its permissions (read and write access to the repository), and the user name (CRM_GIT_USERNAME).',
      });
    }
    return new CrmError(`${where} asks for credentials`, {
      hint: 'Set CRM_GIT_TOKEN to an access token (and CRM_GIT_USERNAME if the server needs a user name), or GIT_ASKPASS to a helper program. They are never written to the repository.',
    });
  }
  if (err.code === 'HttpError') {
    const status = err.data?.statusCode;
    return new CrmError(`${where} answered HTTP ${status ?? '?'} ${err.data?.statusMessage ?? ''} while trying to ${action}`.trim(), {
      hint: status === 404 ? 'Check the URL (git remote get-url origin) and that the repository exists.' : 'Try again later, or check the server.',
    });
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(err.code ?? '')) {
    return new CrmError(`cannot reach ${where} (${err.code})`, { hint: 'Check the network and the remote URL (git remote get-url origin), then run `crm sync` again.' });
  }
  if (e instanceof CrmError) return e;
  return new CrmError(`cannot ${action} ${where}: ${err.message ?? String(e)}`, { hint: 'Check the remote URL and the network, then run `crm sync` again.' });
}

// ---------------------------------------------------------------------------
// Working tree and index

interface FileWrite {
  /** git-root-relative path */
  path: string;
  /** new content, or null to delete */
  content: Buffer | null;
  /** stage it (false: a conflicted file, left for the user) */
  stage: boolean;
}

function gitDir(gitRoot: string): string {
  return join(gitRoot, '.git');
}

function mergeHeadFile(gitRoot: string): string {
  return join(gitDir(gitRoot), 'MERGE_HEAD');
}

function workFile(gitRoot: string, path: string): string {
  return join(gitRoot, ...path.split('/'));
}

function removeEmptyParents(gitRoot: string, file: string): void {
  let d = dirname(file);
  while (d.length > gitRoot.length) {
    try {
      if (fs.readdirSync(d).length > 0) return;
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = dirname(d);
  }
}

/** Write files to the working tree, then record the staged ones in the index. */
async function applyWrites(git: Git, gitRoot: string, writes: readonly FileWrite[]): Promise<void> {
  for (const w of writes) {
    const abs = workFile(gitRoot, w.path);
    if (w.content === null) {
      fs.rmSync(abs, { force: true });
      removeEmptyParents(gitRoot, abs);
    } else {
      fs.mkdirSync(dirname(abs), { recursive: true });
      const tmp = `${abs}.crm-sync-${process.pid}`;
      fs.writeFileSync(tmp, w.content);
      fs.renameSync(tmp, abs);
    }
  }
  const staged = writes.filter((w) => w.stage);
  if (staged.length === 0) return;
  const { patchIndex } = await import('./git-index.js');
  const updates = [];
  for (const w of staged) {
    if (w.content === null) updates.push({ path: w.path, oid: null });
    else {
      const oid = await git.writeBlob({ fs, dir: gitRoot, blob: w.content });
      updates.push({ path: w.path, oid, stat: fs.statSync(workFile(gitRoot, w.path), { bigint: true }) });
    }
  }
  if (!patchIndex(gitRoot, updates)) {
    for (const w of staged) {
      if (w.content === null) await git.remove({ fs, dir: gitRoot, filepath: w.path }).catch(() => undefined);
      else await git.add({ fs, dir: gitRoot, filepath: w.path });
    }
  }
}

/** Tracked files whose working copy or index differs from HEAD. */
async function uncommitted(git: Git, gitRoot: string): Promise<string[]> {
  let rows: [string, number, number, number][];
  try {
    rows = (await git.statusMatrix({ fs, dir: gitRoot, cache: objectCache })) as [string, number, number, number][];
  } catch {
    return [];
  }
  return rows.filter(([, head, work, stage]) => !(head === 0 && stage === 0) && !(head === 1 && work === 1 && stage === 1)).map(([p]) => p);
}

function isBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 8000);
  for (let i = 0; i < n; i++) if (b[i] === 0) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Merging two commits into the working tree

export interface SyncConflict extends MergeConflict {
  /** git-root-relative path */
  path: string;
}

export interface Kept {
  path: string;
  reason: string;
}

interface TreeMerge {
  writes: FileWrite[];
  conflicts: SyncConflict[];
  kept: Kept[];
}

async function readBlob(git: Git, gitRoot: string, oid: string): Promise<Uint8Array> {
  return (await git.readBlob({ fs, dir: gitRoot, oid, cache: objectCache })).blob;
}

/** Three-way merge of two commits' trees, as file writes over ours. */
async function mergeTrees(git: Git, gitRoot: string, base: string | null, ours: string, theirs: string, theirLabel: string): Promise<TreeMerge> {
  const [b, o, t] = await Promise.all([base ? blobsAt(gitRoot, base) : new Map<string, string>(), blobsAt(gitRoot, ours), blobsAt(gitRoot, theirs)]);
  const out: TreeMerge = { writes: [], conflicts: [], kept: [] };
  const paths = [...new Set([...o.keys(), ...t.keys(), ...b.keys()])].sort();
  for (const path of paths) {
    const bo = b.get(path) ?? null;
    const oo = o.get(path) ?? null;
    const to = t.get(path) ?? null;
    if (oo === to || to === bo) continue;
    if (oo === bo) {
      out.writes.push({ path, content: to === null ? null : Buffer.from(await readBlob(git, gitRoot, to)), stage: true });
      continue;
    }
    if (oo === null) {
      out.writes.push({ path, content: Buffer.from(await readBlob(git, gitRoot, to!)), stage: true });
      out.kept.push({ path, reason: `deleted here but changed on ${theirLabel}: kept with their changes` });
      continue;
    }
    if (to === null) {
      out.kept.push({ path, reason: `deleted on ${theirLabel} but changed here: kept with your changes` });
      continue;
    }
    const [ob, tb, bb] = await Promise.all([readBlob(git, gitRoot, oo), readBlob(git, gitRoot, to), bo ? readBlob(git, gitRoot, bo) : Promise.resolve(null)]);
    if (isBinary(ob) || isBinary(tb)) {
      out.conflicts.push({ path, key: '(binary)', line: 1 });
      continue;
    }
    const dec = new TextDecoder();
    const m = mergeFile({
      base: bb ? dec.decode(bb) : null,
      ours: dec.decode(ob),
      theirs: dec.decode(tb),
      path,
      labels: { ours: 'HEAD', theirs: theirLabel },
    });
    out.writes.push({ path, content: Buffer.from(m.text, 'utf8'), stage: m.clean });
    for (const c of m.conflicts) out.conflicts.push({ path, ...c });
  }
  return out;
}

/** Refuse before writing anything when an untracked file is where an incoming file goes. */
function checkUntracked(gitRoot: string, tracked: ReadonlySet<string>, writes: readonly FileWrite[]): void {
  const inTheWay = writes.filter((w) => w.content !== null && !tracked.has(w.path) && fs.existsSync(workFile(gitRoot, w.path)) && !fs.readFileSync(workFile(gitRoot, w.path)).equals(w.content));
  if (inTheWay.length > 0) {
    throw new CrmError(`untracked file${inTheWay.length === 1 ? '' : 's'} would be overwritten by incoming changes; nothing was changed:\n${inTheWay.map((w) => `  ${w.path}`).join('\n')}`, {
      hint: 'Move them out of the way (or commit them), then run `crm sync` again.',
    });
  }
}

// ---------------------------------------------------------------------------
// Sync

export interface SyncOptions {
  /** The CRM root. */
  root: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  author: Author;
  /** Push after pulling (default true). */
  push?: boolean;
  /** Pull/push rounds when the remote keeps moving (default 3). */
  maxAttempts?: number;
  onProgress?: (p: { phase: string; loaded: number; total?: number }) => void;
  /** Called before each round after the first (for messages). */
  onRetry?: (attempt: number) => void;
}

export type PullOutcome = 'up-to-date' | 'fast-forward' | 'merged' | 'conflicts' | 'ahead' | 'remote-empty';

export interface SyncResult {
  branch: string;
  remote: string;
  url: string;
  /** HEAD before (null: no commit yet) and after. */
  before: string | null;
  after: string | null;
  pull: PullOutcome;
  /** Commits sent to the remote. */
  pushed: number;
  /** Pull/push rounds used. */
  attempts: number;
  conflicts: SyncConflict[];
  kept: Kept[];
  /** The merge commit made from a merge left by an earlier sync. */
  concluded?: string;
  /** The CRM root's prefix inside the git repository ('' or 'sub/'). */
  prefix: string;
}

function stamp(author: Author, now: Date) {
  return { name: author.name, email: author.email, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: 0 };
}

async function resolveOrNull(git: Git, gitRoot: string, ref: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, dir: gitRoot, ref });
  } catch {
    return null;
  }
}

/** Whether `ancestor` is reachable from `oid` (or equal). */
async function reaches(git: Git, gitRoot: string, oid: string, ancestor: string): Promise<boolean> {
  if (oid === ancestor) return true;
  try {
    return await git.isDescendent({ fs, dir: gitRoot, oid, ancestor, depth: -1, cache: objectCache });
  } catch {
    return false;
  }
}

/** Commits reachable from `tip` but not from `other` (at most 10 000 looked at). */
async function countAhead(git: Git, gitRoot: string, tip: string, other: string | null): Promise<number> {
  const seen = new Set<string>();
  const stop = new Set<string>();
  if (other) {
    const queue = [other];
    while (queue.length > 0 && stop.size < 10_000) {
      const oid = queue.pop()!;
      if (stop.has(oid)) continue;
      stop.add(oid);
      try {
        const { commit } = await git.readCommit({ fs, dir: gitRoot, oid, cache: objectCache });
        queue.push(...commit.parent);
      } catch {
        // not here (shallow)
      }
    }
  }
  const queue = [tip];
  while (queue.length > 0 && seen.size < 10_000) {
    const oid = queue.pop()!;
    if (seen.has(oid) || stop.has(oid)) continue;
    seen.add(oid);
    const { commit } = await git.readCommit({ fs, dir: gitRoot, oid, cache: objectCache });
    queue.push(...commit.parent);
  }
  return seen.size;
}

/** Files of a merge in progress that still hold conflict markers (git-root-relative path, line). */
export function markersIn(gitRoot: string, paths: readonly string[]): { path: string; line: number }[] {
  const out: { path: string; line: number }[] = [];
  for (const p of paths) {
    let raw: string;
    try {
      raw = fs.readFileSync(workFile(gitRoot, p), 'utf8');
    } catch {
      continue;
    }
    const first = checkRaw(p, raw)[0];
    if (first) out.push({ path: p, line: first.line });
  }
  return out;
}

function conflictedFromMessage(gitRoot: string): string[] {
  try {
    const msg = fs.readFileSync(join(gitDir(gitRoot), 'MERGE_MSG'), 'utf8');
    return msg.split('\n').filter((l) => l.startsWith('#\t')).map((l) => l.slice(2).trim());
  } catch {
    return [];
  }
}

/** Whether a merge left by `crm sync` (or git) is waiting to be committed. */
export function mergeInProgress(gitRoot: string): boolean {
  return fs.existsSync(mergeHeadFile(gitRoot));
}

export const RESOLVE_HINT =
  'In each file keep the value you want between the markers and delete the <<<<<<< ======= >>>>>>> lines; check with `crm validate`; then run `crm sync` again: it commits the merge and pushes. (Or finish with `git add FILES && git commit`; to give up the merge: `git merge --abort`.)';

/** Commit a merge left in progress, once no markers are left. Returns the merge commit. */
async function concludeMerge(git: Git, gitRoot: string, author: Author, now: Date): Promise<string> {
  const theirs = fs.readFileSync(mergeHeadFile(gitRoot), 'utf8').trim().split('\n')[0] ?? '';
  let started = '';
  try {
    started = fs.readFileSync(join(gitDir(gitRoot), 'MERGE_MSG'), 'utf8');
  } catch {
    // no message
  }
  if (!started.startsWith('crm: sync:')) {
    // Only merges crm sync started are finished here: a merge git started may have files git could not merge.
    throw new CrmError('a merge started with git is in progress; crm sync leaves it to you', {
      hint: 'Finish it with git: resolve the files (`git status` lists them), `git add FILES && git commit`, or give up with `git merge --abort`; then run `crm sync` again.',
    });
  }
  const changed = await uncommitted(git, gitRoot);
  const listed = conflictedFromMessage(gitRoot);
  const left = markersIn(gitRoot, [...new Set([...listed, ...changed])]);
  if (left.length > 0) {
    throw new CrmError(
      `a merge is waiting for you: ${left.length} file${left.length === 1 ? ' still has' : 's still have'} conflict markers; nothing was pushed:\n${left.map((c) => `  ${c.path}:${c.line}`).join('\n')}`,
      { hint: RESOLVE_HINT },
    );
  }
  const writes: FileWrite[] = changed.map((path) => {
    const abs = workFile(gitRoot, path);
    return { path, content: fs.existsSync(abs) ? fs.readFileSync(abs) : null, stage: true };
  });
  // Files are already as the user left them: stage them without rewriting.
  const { patchIndex } = await import('./git-index.js');
  const updates = [];
  for (const w of writes) {
    if (w.content === null) updates.push({ path: w.path, oid: null });
    else updates.push({ path: w.path, oid: await git.writeBlob({ fs, dir: gitRoot, blob: w.content }), stat: fs.statSync(workFile(gitRoot, w.path), { bigint: true }) });
  }
  if (!patchIndex(gitRoot, updates)) {
    for (const w of writes) {
      if (w.content === null) await git.remove({ fs, dir: gitRoot, filepath: w.path }).catch(() => undefined);
      else await git.add({ fs, dir: gitRoot, filepath: w.path });
    }
  }
  let message = 'crm: sync: merge';
  try {
    const text = fs.readFileSync(join(gitDir(gitRoot), 'MERGE_MSG'), 'utf8');
    message = text.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim() || message;
  } catch {
    // no message: use the default
  }
  const head = await git.resolveRef({ fs, dir: gitRoot, ref: 'HEAD' });
  const who = stamp(author, now);
  let oid: string;
  try {
    oid = await git.commit({ fs, dir: gitRoot, message, parent: [head, theirs], author: who, committer: who, cache: objectCache });
  } catch (e) {
    if ((e as { code?: string }).code !== 'UnmergedPathsError') throw e;
    throw new CrmError('a merge started by git is waiting with unmerged files (git status lists them)', {
      hint: 'Finish it with git: resolve the files, `git add FILES && git commit` (or `git merge --abort`), then run `crm sync` again.',
    });
  }
  for (const f of ['MERGE_HEAD', 'MERGE_MSG', 'MERGE_MODE']) fs.rmSync(join(gitDir(gitRoot), f), { force: true });
  return oid;
}

/** Pull and push the current branch. Conflicts are returned (not thrown) so the caller can report what came in. */
export async function sync(options: SyncOptions): Promise<SyncResult> {
  const { git, http } = await modules();
  const { gitRoot, prefix } = locate(options.root);
  const dir = gitRoot;
  const branch = await git.currentBranch({ fs, dir, fullname: false });
  if (!branch) {
    throw new CrmError('HEAD is detached (no branch is checked out), so there is nothing to sync', {
      hint: 'Check out a branch first: git switch main',
    });
  }
  const remote = ((await git.getConfig({ fs, dir, path: `branch.${branch}.remote` })) as string | undefined) ?? 'origin';
  const url = (await git.getConfig({ fs, dir, path: `remote.${remote}.url` })) as string | undefined;
  if (!url) {
    throw new CrmError(`this repository has no remote "${remote}" to sync with`, {
      hint: 'Add one with `git remote add origin https://…/crm.git`, or start from a remote with `crm init --clone URL`.',
    });
  }
  if (!/^https?:\/\//i.test(url)) {
    throw new CrmError(`crm sync talks to HTTP(S) remotes; ${remote} is ${safeUrl(url)}`, {
      hint: 'Use an https:// URL (git remote set-url origin https://…), or use git pull / git push: the crm merge driver still merges records.',
    });
  }
  const mergeRef = (await git.getConfig({ fs, dir, path: `branch.${branch}.merge` })) as string | undefined;
  const remoteBranch = mergeRef?.replace(/^refs\/heads\//, '') ?? branch;
  const tracking = `refs/remotes/${remote}/${remoteBranch}`;
  const theirLabel = `${remote}/${remoteBranch}`;
  const auth: AuthState = {};
  const { onAuth, onAuthFailure } = credentials(options.env, auth);
  const onProgress = options.onProgress;

  // The merge driver config, for plain `git merge` / `git pull` too.
  if (fs.existsSync(join(options.root, '.gitattributes')) && /merge=crm/.test(fs.readFileSync(join(options.root, '.gitattributes'), 'utf8'))) {
    await installMergeDriver(gitRoot).catch(() => undefined);
  }

  return withLock(options.root, async () => {
    const before = await resolveOrNull(git, dir, 'HEAD');
    const result: SyncResult = { branch, remote, url: safeUrl(url), before, after: before, pull: 'up-to-date', pushed: 0, attempts: 0, conflicts: [], kept: [], prefix };

    if (mergeInProgress(gitRoot)) {
      result.concluded = await concludeMerge(git, gitRoot, options.author, options.now());
      result.before = result.concluded;
      result.after = result.concluded;
    }
    const dirty = await uncommitted(git, gitRoot);
    if (dirty.length > 0) {
      const shown = dirty.slice(0, 10).map((p) => `  ${p}`);
      throw new CrmError(
        `${dirty.length} file${dirty.length === 1 ? ' has' : 's have'} uncommitted changes; sync needs them committed first (nothing was changed):\n${shown.join('\n')}${dirty.length > 10 ? `\n  … and ${dirty.length - 10} more` : ''}`,
        { hint: 'Commit them (git add FILES && git commit -m "…"), or discard them (git restore FILES), then run `crm sync` again.' },
      );
    }

    const max = options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      result.attempts = attempt;
      if (attempt > 1) options.onRetry?.(attempt);
      // 1. Fetch.
      let remoteOid: string | null = null;
      try {
        const f = await git.fetch({ fs, http, dir, remote, ref: remoteBranch, singleBranch: true, tags: false, onAuth, onAuthFailure, ...(onProgress ? { onProgress } : {}), cache: objectCache });
        remoteOid = f.fetchHead ?? null;
      } catch (e) {
        const code = (e as { code?: string }).code;
        // An empty remote, or one without this branch yet: nothing to pull.
        if (code !== 'NotFoundError' && code !== 'EmptyServerResponseError') throw networkError(e, url, auth, 'fetch from');
      }
      if (remoteOid === null) remoteOid = await resolveOrNull(git, dir, tracking);
      if (remoteOid !== null) {
        // make sure the tracking ref is there even for an empty local repository
        await git.writeRef({ fs, dir, ref: tracking, value: remoteOid, force: true }).catch(() => undefined);
      }
      const local = await resolveOrNull(git, dir, 'HEAD');

      // 2. Merge what came in.
      if (remoteOid === null) {
        if (attempt === 1) result.pull = 'remote-empty';
      } else if (local === remoteOid || (local !== null && (await reaches(git, dir, local, remoteOid)))) {
        if (attempt === 1) result.pull = local === remoteOid ? 'up-to-date' : 'ahead';
      } else if (local === null || (await reaches(git, dir, remoteOid, local))) {
        // Fast-forward: bring the working tree from ours to theirs.
        onProgress?.({ phase: 'Updating files', loaded: 0 });
        const [o, t] = await Promise.all([local ? blobsAt(gitRoot, local) : new Map<string, string>(), blobsAt(gitRoot, remoteOid)]);
        const writes: FileWrite[] = [];
        for (const path of new Set([...o.keys(), ...t.keys()])) {
          const x = o.get(path) ?? null;
          const y = t.get(path) ?? null;
          if (x === y) continue;
          writes.push({ path, content: y === null ? null : Buffer.from(await readBlob(git, gitRoot, y)), stage: true });
        }
        checkUntracked(gitRoot, new Set(o.keys()), writes);
        await applyWrites(git, gitRoot, writes);
        await git.writeRef({ fs, dir, ref: `refs/heads/${branch}`, value: remoteOid, force: true });
        result.pull = 'fast-forward';
      } else {
        // Diverged: three-way merge, record by record.
        onProgress?.({ phase: 'Merging records', loaded: 0 });
        const bases = await git.findMergeBase({ fs, dir, oids: [local, remoteOid], cache: objectCache });
        const merged = await mergeTrees(git, gitRoot, bases[0] ?? null, local, remoteOid, theirLabel);
        const tracked = await blobsAt(gitRoot, local);
        checkUntracked(gitRoot, new Set(tracked.keys()), merged.writes);
        // The merge state first: if anything stops half-way, the next `crm sync` (or git) can finish it.
        const message = `crm: sync: merge ${theirLabel} into ${branch}`;
        const files = [...new Set(merged.conflicts.map((c) => c.path))];
        fs.writeFileSync(mergeHeadFile(gitRoot), `${remoteOid}\n`);
        fs.writeFileSync(join(gitDir(gitRoot), 'MERGE_MSG'), `${message}\n${files.length > 0 ? `\n# Conflicts:\n${files.map((f) => `#\t${f}`).join('\n')}\n` : ''}`);
        fs.writeFileSync(join(gitDir(gitRoot), 'MERGE_MODE'), 'no-ff');
        await applyWrites(git, gitRoot, merged.writes);
        result.kept.push(...merged.kept);
        if (merged.conflicts.length > 0) {
          result.conflicts = merged.conflicts;
          result.pull = 'conflicts';
          result.after = local;
          return result;
        }
        const who = stamp(options.author, options.now());
        await git.commit({ fs, dir, message, parent: [local, remoteOid], author: who, committer: who, cache: objectCache });
        for (const f of ['MERGE_HEAD', 'MERGE_MSG', 'MERGE_MODE']) fs.rmSync(join(gitDir(gitRoot), f), { force: true });
        result.pull = 'merged';
      }
      result.after = await resolveOrNull(git, dir, 'HEAD');

      // 3. Push what the remote does not have.
      const head = result.after;
      if (options.push === false || head === null || head === remoteOid || (remoteOid !== null && (await reaches(git, dir, remoteOid, head)))) return result;
      const ahead = await countAhead(git, dir, head, remoteOid);
      try {
        await git.push({ fs, http, dir, remote, ref: branch, remoteRef: remoteBranch, onAuth, onAuthFailure, ...(onProgress ? { onProgress } : {}), cache: objectCache });
        result.pushed = ahead;
        if (!mergeRef) {
          await git.setConfig({ fs, dir, path: `branch.${branch}.remote`, value: remote });
          await git.setConfig({ fs, dir, path: `branch.${branch}.merge`, value: `refs/heads/${remoteBranch}` });
        }
        return result;
      } catch (e) {
        const err = e as { code?: string; message?: string };
        const moved = err.code === 'PushRejectedError' || (err.code === 'GitPushError' && /non-fast-forward|fetch first|failed to lock|stale/i.test(err.message ?? ''));
        if (!moved) throw networkError(e, url, auth, 'push to');
        if (attempt >= max) {
          throw new CrmError(`${safeUrl(url)} kept moving: the push was rejected ${attempt} times because others pushed meanwhile`, {
            hint: 'Your commits are safe locally (and merged with what came in). Run `crm sync` again in a moment.',
          });
        }
      }
    }
  });
}

/** Clone a CRM repository over HTTP(S) into `dir` (which must be empty or not exist). */
export async function cloneRepository(options: {
  url: string;
  dir: string;
  env: Record<string, string | undefined>;
  onProgress?: (p: { phase: string; loaded: number; total?: number }) => void;
}): Promise<{ empty: boolean }> {
  const { git, http } = await modules();
  if (!/^https?:\/\//i.test(options.url)) {
    throw new CrmError(`crm init --clone needs an http(s):// URL, not ${safeUrl(options.url)}`, {
      hint: 'For SSH remotes clone with git (git clone URL), then run `crm init` there is not needed: the repository already has crm.yaml.',
      exitCode: 2,
    });
  }
  const auth: AuthState = {};
  const { onAuth, onAuthFailure } = credentials(options.env, auth);
  let info: Awaited<ReturnType<Git['getRemoteInfo']>>;
  try {
    info = await git.getRemoteInfo({ http, url: options.url, onAuth, onAuthFailure });
  } catch (e) {
    throw networkError(e, options.url, auth, 'clone');
  }
  const heads = Object.keys((info.refs as { heads?: Record<string, string> } | undefined)?.heads ?? {});
  const advertised = info.HEAD?.replace(/^refs\/heads\//, '');
  fs.mkdirSync(options.dir, { recursive: true });
  if (heads.length === 0) {
    // An empty remote: a fresh repository pointing at it.
    await git.init({ fs, dir: options.dir, defaultBranch: advertised ?? 'main' });
    await git.addRemote({ fs, dir: options.dir, remote: 'origin', url: options.url });
    return { empty: true };
  }
  const ref = advertised && heads.includes(advertised) ? advertised : heads.includes('main') ? 'main' : heads[0]!;
  try {
    await git.clone({ fs, http, dir: options.dir, url: options.url, ref, onAuth, onAuthFailure, ...(options.onProgress ? { onProgress: options.onProgress } : {}), cache: objectCache });
    return { empty: false };
  } catch (e) {
    fs.rmSync(join(options.dir, '.git'), { recursive: true, force: true });
    throw networkError(e, options.url, auth, 'clone');
  }
}
