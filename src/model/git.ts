/**
 * Git plumbing for the repository layer: find the work tree, work out who
 * the author is, and make one commit of a set of paths (isomorphic-git).
 * Imported lazily: reading commands never load isomorphic-git.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { homedir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from './config.js';
import { nodeCrypto } from './lazy-node.js';

export interface Author {
  name: string;
  email: string;
  /** The crm.yaml user handle, when the author is one of the users. */
  handle?: string;
}

/** The top of the git work tree containing `dir`, or undefined. */
export function findGitRoot(dir: string): string | undefined {
  let d = dir;
  for (;;) {
    if (fs.existsSync(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** Minimal reader of `[user] name/email` in git config files. */
function readGitConfigUser(file: string): { name?: string; email?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const out: { name?: string; email?: string } = {};
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const s = /^\s*\[([^\]]+)\]/.exec(line);
    if (s?.[1]) {
      section = s[1].trim().toLowerCase();
      continue;
    }
    if (section !== 'user') continue;
    const kv = /^\s*(name|email)\s*=\s*(.*?)\s*$/i.exec(line);
    if (kv?.[1] && kv[2] !== undefined) {
      const v = kv[2].replace(/^"(.*)"$/, '$1');
      if (kv[1].toLowerCase() === 'name') out.name ??= v;
      else out.email ??= v;
    }
  }
  return out;
}

/**
 * Who is acting: `CRM_USER` (a crm.yaml handle, an email, or "Name <email>"),
 * else git config (repository, then global), matched to a crm.yaml user by
 * email or name; else the login name.
 */
export function resolveAuthor(config: Config, gitRoot: string | undefined, env: Record<string, string | undefined>): Author {
  const fromUser = (u: Config['users'][number]): Author => ({
    name: u.name ?? u.handle,
    email: u.email ?? `${u.handle}@users.noreply.crm`,
    handle: u.handle,
  });
  const wanted = env.CRM_USER?.trim();
  if (wanted) {
    const byHandle = config.users.find((u) => u.handle === wanted || u.email === wanted);
    if (byHandle) return fromUser(byHandle);
    const m = /^(.*?)\s*<([^>]+)>$/.exec(wanted);
    if (m?.[2]) {
      const u = config.users.find((x) => x.email === m[2]);
      return u ? fromUser(u) : { name: m[1] || m[2], email: m[2] };
    }
    return { name: wanted, email: `${wanted}@users.noreply.crm` };
  }
  const files: string[] = [];
  if (gitRoot) files.push(join(gitRoot, '.git', 'config'));
  if (env.GIT_CONFIG_GLOBAL) files.push(env.GIT_CONFIG_GLOBAL);
  const home = env.HOME ?? homedir();
  files.push(join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'git', 'config'), join(home, '.gitconfig'));
  let name = env.GIT_AUTHOR_NAME;
  let email = env.GIT_AUTHOR_EMAIL;
  for (const f of files) {
    if (name && email) break;
    const u = readGitConfigUser(f);
    name ??= u.name;
    email ??= u.email;
  }
  const match = config.users.find((u) => (email && u.email === email) || (name && (u.name === name || u.handle === name)));
  if (match) return { ...fromUser(match), ...(name ? { name } : {}), ...(email ? { email } : {}) };
  let login = 'crm';
  try {
    login = userInfo().username || login;
  } catch {
    // no passwd entry
  }
  return { name: name ?? login, email: email ?? `${login}@localhost` };
}

/** Make one commit of `paths` (relative to the git root): added/changed files staged, missing ones removed. */
export async function commitPaths(gitRoot: string, paths: readonly string[], message: string, author: Author, now: Date): Promise<string> {
  const git = await (await import('./isogit.js')).isoGit();
  for (const filepath of paths) {
    if (fs.existsSync(join(gitRoot, filepath))) {
      await git.add({ fs, dir: gitRoot, filepath });
    } else {
      try {
        await git.remove({ fs, dir: gitRoot, filepath });
      } catch {
        // was never tracked
      }
    }
  }
  // isomorphic-git builds the tree from the index and turns a backslash in a
  // file name into a folder: refuse rather than commit a moved file.
  const odd = (await git.listFiles({ fs, dir: gitRoot })).filter((f) => f.includes('\\'));
  if (odd.length > 0) {
    const { CrmError } = await import('../errors.js');
    throw new CrmError(`the files were written but not committed: git cannot safely commit next to ${odd.slice(0, 3).join(', ')} (a backslash in a file name)`, {
      hint: 'Rename that file (`git mv`), then commit with `git commit`.',
    });
  }
  const timestamp = Math.floor(now.getTime() / 1000);
  return git.commit({
    fs,
    dir: gitRoot,
    message,
    author: { name: author.name, email: author.email, timestamp, timezoneOffset: 0 },
  });
}

/** The commit HEAD points at, or null (no commit yet, or not a repository). */
export async function headOid(gitRoot: string): Promise<string | null> {
  const git = await (await import('./isogit.js')).isoGit();
  try {
    return await git.resolveRef({ fs, dir: gitRoot, ref: 'HEAD' });
  } catch {
    return null;
  }
}

export async function initRepository(dir: string): Promise<void> {
  const git = await (await import('./isogit.js')).isoGit();
  await git.init({ fs, dir, defaultBranch: 'main' });
}

/**
 * Whether `path` (relative to the git root) ever existed in any commit
 * reachable from a ref: ids are never reused. Uses the git CLI when present
 * (milliseconds); without it only the working tree is consulted.
 */
export function everExisted(gitRoot: string, path: string): boolean {
  const r = spawnSync('git', ['log', '--all', '-1', '--format=%H', '--', path], {
    cwd: gitRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return r.status === 0 && r.stdout.trim().length > 0;
}

interface TreeEntry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree' | 'commit';
}

/** git's tree order: byte order of names, directories compared as "name/". */
function treeOrder(a: TreeEntry, b: TreeEntry): number {
  const ka = a.type === 'tree' ? `${a.path}/` : a.path;
  const kb = b.type === 'tree' ? `${b.path}/` : b.path;
  return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
}

/**
 * A tree object's entries, read from its raw bytes. isomorphic-git's
 * readTree refuses names git allows on Unix (a backslash), and its
 * index-based commit turns `a\\b.md` into `a/b.md`; raw bytes keep every
 * name exactly as it is.
 */
function parseTree(buf: Uint8Array): TreeEntry[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: TreeEntry[] = [];
  let i = 0;
  while (i < b.length) {
    const space = b.indexOf(0x20, i);
    const nul = b.indexOf(0, space);
    const mode = b.toString('latin1', i, space);
    const path = b.toString('utf8', space + 1, nul);
    const oid = b.toString('hex', nul + 1, nul + 21);
    const type = mode === '40000' || mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    out.push({ mode: type === 'tree' ? '040000' : mode, path, oid, type });
    i = nul + 21;
  }
  return out;
}

/** Raw bytes of a tree object (entries already in git's order). */
function formatTree(entries: readonly TreeEntry[]): Buffer {
  return Buffer.concat(
    entries.flatMap((e) => [Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.path}\0`, 'utf8'), Buffer.from(e.oid, 'hex')]),
  );
}

/** Loose objects, refs and HEAD read and written directly (node:zlib, node:crypto); packed data through isomorphic-git. */
class ObjectStore {
  private git: Awaited<ReturnType<typeof import('./isogit.js').isoGit>> | undefined;
  readonly gitDir: string;

  constructor(readonly gitRoot: string) {
    this.gitDir = join(gitRoot, '.git');
  }

  private async iso() {
    this.git ??= await (await import('./isogit.js')).isoGit();
    return this.git;
  }

  async read(oid: string): Promise<{ type: string; content: Uint8Array }> {
    try {
      const raw = zlib.inflateSync(fs.readFileSync(join(this.gitDir, 'objects', oid.slice(0, 2), oid.slice(2))));
      const nul = raw.indexOf(0);
      return { type: raw.subarray(0, raw.indexOf(32)).toString('latin1'), content: raw.subarray(nul + 1) };
    } catch {
      const git = await this.iso();
      const o = await git.readObject({ fs, dir: this.gitRoot, oid, format: 'content' });
      return { type: o.type, content: o.object as Uint8Array };
    }
  }

  write(type: string, content: Uint8Array): string {
    const full = Buffer.concat([Buffer.from(`${type} ${content.length}\0`, 'latin1'), content]);
    const oid = nodeCrypto().createHash('sha1').update(full).digest('hex');
    const dir = join(this.gitDir, 'objects', oid.slice(0, 2));
    const file = join(dir, oid.slice(2));
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.crm-${process.pid}`;
      fs.writeFileSync(tmp, zlib.deflateSync(full, { level: 1 }));
      fs.renameSync(tmp, file);
    }
    return oid;
  }

  /** The branch HEAD points at (undefined when detached or unusual) and its commit. */
  async head(): Promise<{ ref: string; oid: string } | undefined> {
    let text: string;
    try {
      text = fs.readFileSync(join(this.gitDir, 'HEAD'), 'utf8').trim();
    } catch {
      return undefined;
    }
    const m = /^ref: (refs\/heads\/.+)$/.exec(text);
    if (!m?.[1]) return undefined;
    const ref = m[1];
    try {
      return { ref, oid: fs.readFileSync(join(this.gitDir, ref), 'utf8').trim() };
    } catch {
      // packed
    }
    try {
      const oid = await (await this.iso()).resolveRef({ fs, dir: this.gitRoot, ref });
      return { ref, oid };
    } catch {
      return undefined; // no commit yet
    }
  }

  setRef(ref: string, oid: string): void {
    const file = join(this.gitDir, ref);
    fs.mkdirSync(join(file, '..'), { recursive: true });
    const tmp = `${file}.crm-${process.pid}`;
    fs.writeFileSync(tmp, `${oid}\n`);
    fs.renameSync(tmp, file);
  }
}

function signature(a: Author, seconds: number): string {
  const clean = (s: string) => s.replace(/[<>\n]/g, '');
  return `${clean(a.name)} <${clean(a.email)}> ${seconds} +0000`;
}

/**
 * One commit of `paths` written straight to the object store: the new
 * blobs, only the trees on the changed paths, the commit and the branch ref;
 * then the index entries of those paths are patched so `git status` stays
 * clean. Costs O(depth × changed files), not O(repository). Returns
 * undefined when it cannot (no commit yet, detached HEAD, unusual index):
 * the caller then uses `commitPaths`.
 */
export async function commitPathsFast(gitRoot: string, paths: readonly string[], message: string, author: Author, now: Date): Promise<string | undefined> {
  const { patchIndex } = await import('./git-index.js');
  if (!fs.statSync(join(gitRoot, '.git'), { throwIfNoEntry: false })?.isDirectory()) return undefined;
  const store = new ObjectStore(gitRoot);
  const head = await store.head();
  if (!head || !/^[0-9a-f]{40}$/.test(head.oid)) return undefined;
  const parentObj = await store.read(head.oid);
  if (parentObj.type !== 'commit') return undefined;
  const treeLine = /^tree ([0-9a-f]{40})/.exec(Buffer.from(parentObj.content).toString('latin1'));
  if (!treeLine?.[1]) return undefined;

  // Blob ids and the changes grouped by directory.
  const updates: { path: string; oid: string | null; stat?: fs.BigIntStats }[] = [];
  for (const p of paths) {
    const abs = join(gitRoot, p);
    let content: Buffer | undefined;
    try {
      content = fs.readFileSync(abs);
    } catch {
      content = undefined;
    }
    if (content === undefined) updates.push({ path: p, oid: null });
    else updates.push({ path: p, oid: store.write('blob', content), stat: fs.statSync(abs, { bigint: true }) });
  }

  const rewrite = async (treeOid: string | undefined, prefix: string, changes: typeof updates): Promise<string | undefined> => {
    let entries: TreeEntry[] = [];
    if (treeOid) entries = parseTree((await store.read(treeOid)).content);
    const byName = new Map(entries.map((e) => [e.path, e]));
    const sub = new Map<string, typeof updates>();
    for (const c of changes) {
      const rest = c.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        if (c.oid === null) byName.delete(rest);
        else byName.set(rest, { mode: '100644', path: rest, oid: c.oid, type: 'blob' });
      } else {
        const name = rest.slice(0, slash);
        if (!sub.has(name)) sub.set(name, []);
        sub.get(name)!.push(c);
      }
    }
    for (const [name, list] of sub) {
      const existing = byName.get(name);
      const oid = await rewrite(existing?.type === 'tree' ? existing.oid : undefined, `${prefix}${name}/`, list);
      if (oid === undefined) byName.delete(name);
      else byName.set(name, { mode: '040000', path: name, oid, type: 'tree' });
    }
    if (byName.size === 0) return undefined;
    return store.write('tree', formatTree([...byName.values()].sort(treeOrder)));
  };
  const tree = (await rewrite(treeLine[1], '', updates)) ?? store.write('tree', formatTree([]));
  const who = signature(author, Math.floor(now.getTime() / 1000));
  const body = `tree ${tree}\nparent ${head.oid}\nauthor ${who}\ncommitter ${who}\n\n${message.endsWith('\n') ? message : `${message}\n`}`;
  const oid = store.write('commit', Buffer.from(body, 'utf8'));
  store.setRef(head.ref, oid);
  if (!patchIndex(gitRoot, updates)) {
    // Fall back to isomorphic-git's index handling for these paths.
    const git = await (await import('./isogit.js')).isoGit();
    for (const u of updates) {
      if (u.oid === null) await git.remove({ fs, dir: gitRoot, filepath: u.path }).catch(() => undefined);
      else await git.add({ fs, dir: gitRoot, filepath: u.path });
    }
  }
  return oid;
}
