/**
 * The one place that touches the file system: finding the repository,
 * loading crm.yaml and records, the lock under `.crm/`, and applying a
 * planned set of changes atomically with exactly one git commit.
 */
import * as fs from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { ConflictError, CrmError } from '../errors.js';
import { resolveConfig, ConfigError, type Config } from './config.js';
import { FrontMatterError, parseYaml } from './frontmatter.js';
import type { Issue } from './issues.js';
import { recordPath, type CrmRecord } from './record.js';
import { findRecord, parseRef } from './lookup.js';
import { idProblem } from './ids.js';
import { commitPaths, commitPathsFast, everExisted, findGitRoot, headOid, resolveAuthor, type Author } from './git.js';
import { RECORD_TYPES, TYPES, type RecordType } from './schema.js';
import { readRecordFile } from './validate.js';
import { loadTypes, type TextSegment } from './cache.js';
import { nodeCrypto } from './lazy-node.js';
import { processAlive } from './process-alive.js';

export const CONFIG_FILE = 'crm.yaml';
export const STATE_DIR = '.crm';

/** One planned change of one file: `before` must still be on disk; `after` null deletes. */
export interface Change {
  path: string;
  before: string | null;
  after: string | null;
}

export interface FindOptions {
  repo?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** `--repo DIR`, else `CRM_REPO`, else the nearest directory upwards with a crm.yaml. */
export function findRoot(options: FindOptions): string {
  const explicit = options.repo ?? options.env.CRM_REPO;
  if (explicit) {
    const dir = resolve(options.cwd, explicit);
    if (!fs.existsSync(join(dir, CONFIG_FILE))) {
      throw new CrmError(`${dir} is not a CRM repository: it has no ${CONFIG_FILE}`, {
        hint: `Check the path given with ${options.repo ? '--repo' : 'CRM_REPO'}, or create one with \`crm init ${explicit}\`.`,
        exitCode: 2,
      });
    }
    return dir;
  }
  let d = resolve(options.cwd);
  for (;;) {
    if (fs.existsSync(join(d, CONFIG_FILE))) return d;
    const up = resolve(d, '..');
    if (up === d) break;
    d = up;
  }
  throw new CrmError(`not inside a CRM repository (no ${CONFIG_FILE} in ${options.cwd} or any parent)`, {
    hint: 'Run `crm init` to create one here, or pass --repo DIR (or set CRM_REPO).',
    exitCode: 2,
  });
}

export function loadConfig(root: string): Config {
  const path = join(root, CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new CrmError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return resolveConfig(parseYaml(text));
  } catch (e) {
    if (e instanceof FrontMatterError) {
      throw new CrmError(`${CONFIG_FILE}:${e.line}: ${e.message}`, { where: `${CONFIG_FILE}:${e.line}`, hint: `Fix ${CONFIG_FILE}; every key is optional.` });
    }
    if (e instanceof ConfigError) {
      throw new CrmError(`${CONFIG_FILE}: ${e.message}`, { hint: `See the crm.yaml section of docs/format.md.` });
    }
    throw e;
  }
}

/** Every record file path of a type (repository-relative, POSIX), including misplaced ones. */
export function listFiles(root: string, type: RecordType): string[] {
  const folder = TYPES[type].folder;
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (depth < 4) walk(p, depth + 1);
      } else if (e.isFile()) {
        out.push(p);
      }
    }
  };
  walk(folder, 0);
  return out.sort();
}

export interface Loaded {
  records: CrmRecord[];
  /** Search text ready to scan (only when loaded with `searchText: true`). */
  segments?: TextSegment[];
  /** Files that could not be read as records (parse errors, misplaced files). */
  issues: Issue[];
}

/** What a command will read of the records it loads (lets the load prepare it). */
export interface LoadHints {
  /** Load the search text too. */
  searchText?: boolean;
  /** Fields the command reads of every record (their index columns are parsed while files are stat-ed). */
  columns?: readonly string[];
  /** Told how many files are about to be indexed for the first time (when there are many). */
  onBuild?: (files: number) => void;
}

/** Records of the given types through the index (.crm/index), refreshed for whatever changed on disk. */
export function loadRecords(
  root: string,
  types: readonly RecordType[] = RECORD_TYPES,
  env: Record<string, string | undefined> = process.env,
  options: LoadHints = {},
): Loaded {
  if (env.CRM_NO_INDEX) return loadRecordsDirect(root, types);
  const issues: Issue[] = [];
  const segments: TextSegment[] = [];
  const hints = { ...(options.columns ? { columns: options.columns } : {}), ...(options.onBuild ? { onBuild: options.onBuild } : {}) };
  const loads = loadTypes(root, types, { text: options.searchText === true, ...hints });
  for (const l of loads) {
    issues.push(...l.issues);
    segments.push(...l.segments);
  }
  // One copy of the arrays (no per-record step: 100,000 records are joined in a few milliseconds).
  const records = ([] as CrmRecord[]).concat(...loads.map((l) => l.records));
  return { records, issues, ...(options.searchText ? { segments } : {}) };
}

/** Records read straight from the files, bypassing the index. */
export function loadRecordsDirect(root: string, types: readonly RecordType[] = RECORD_TYPES): Loaded {
  const records: CrmRecord[] = [];
  const issues: Issue[] = [];
  for (const type of types) {
    for (const path of listFiles(root, type)) {
      let raw: string;
      try {
        raw = fs.readFileSync(join(root, path), 'utf8');
      } catch (e) {
        issues.push({ path, line: 1, code: 'unreadable', message: `cannot read: ${(e as Error).message}`, severity: 'error' });
        continue;
      }
      const r = readRecordFile(path, raw);
      if (r.record) records.push(r.record);
      issues.push(...r.issues);
    }
  }
  return { records, issues };
}

// ---------------------------------------------------------------------------
// The lock

const LOCK_WAIT_MS = 15_000;

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Hold `.crm/lock` while `fn` runs, so that two crm processes never
 * interleave their reads, plans and writes. Waits for a live holder (up to
 * 15 s), and takes over a lock left by a process that no longer exists.
 */
export async function withLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const dir = join(root, STATE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'lock');
  const started = Date.now();
  let fd: number | undefined;
  for (let attempt = 0; fd === undefined; attempt++) {
    try {
      fd = fs.openSync(lock, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
      } catch {
        // vanished between open and read: try again
      }
      // A lock without a pid was left by a process killed between creating and writing it.
      const emptyAndOld = !Number.isFinite(holder) && ageMs(lock) > 2000;
      if (emptyAndOld || (Number.isFinite(holder) && holder > 0 && !processAlive(holder))) {
        // Stale lock of a process killed mid-write: take it over.
        try {
          fs.rmSync(lock, { force: true });
        } catch {
          // another process took it over first
        }
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new ConflictError(`another crm process (pid ${Number.isFinite(holder) ? holder : '?'}) is changing this repository`, {
          hint: `Wait for it to finish. If no crm is running, remove ${relative(process.cwd(), lock) || lock}.`,
        });
      }
      await sleep(Math.min(25 + attempt * 10, 200));
    }
  }
  try {
    await recoverInterrupted(root);
    return await fn();
  } finally {
    fs.closeSync(fd);
    fs.rmSync(lock, { force: true });
  }
}

// ---------------------------------------------------------------------------
// Applying changes

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function safePath(root: string, path: string): string {
  const abs = resolve(root, path);
  if (!abs.startsWith(root + sep) || path.split('/').includes('..')) {
    throw new CrmError(`refusing to write outside the repository: ${path}`);
  }
  return abs;
}

/**
 * Write the changes: first verify every `before` against the disk (a file
 * changed behind our back is a conflict and nothing is written), then write
 * each `after` to a temporary file and rename it into place. Each file is
 * therefore always either as it was or as intended; if a step fails, the
 * files already replaced are put back.
 */
export function applyChanges(root: string, changes: readonly Change[], debugDelayMs = 0, commit?: JournalCommit): void {
  for (const c of changes) {
    const current = readOrNull(safePath(root, c.path));
    if (current !== c.before) {
      throw new ConflictError(`${c.path} changed on disk since it was read; nothing was written`, {
        where: c.path,
        hint: 'Run the command again (it will read the new version).',
      });
    }
  }
  const tmpDir = join(root, STATE_DIR, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const staged: { abs: string; tmp: string | null; before: string | null }[] = [];
  try {
    for (const c of changes) {
      const abs = safePath(root, c.path);
      let tmp: string | null = null;
      if (c.after !== null) {
        tmp = join(tmpDir, `${nodeCrypto().randomBytes(6).toString('hex')}.md`);
        const fd = fs.openSync(tmp, 'w');
        try {
          fs.writeSync(fd, c.after);
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
      }
      staged.push({ abs, tmp, before: c.before });
    }
  } catch (e) {
    for (const s of staged) if (s.tmp) fs.rmSync(s.tmp, { force: true });
    throw e;
  }
  // From here on the action is completed even if this process dies: the
  // journal lists the renames (and the commit) for the next crm to finish.
  writeJournal(root, {
    steps: changes.map((c, i) => ({ path: c.path, tmp: staged[i]?.tmp ? relative(tmpDir, staged[i]!.tmp!) : null })),
    ...(commit ? { commit } : {}),
  });
  const done: typeof staged = [];
  try {
    for (const s of staged) {
      if (debugDelayMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, debugDelayMs);
      if (s.tmp) {
        fs.mkdirSync(join(s.abs, '..'), { recursive: true });
        fs.renameSync(s.tmp, s.abs);
      } else {
        fs.rmSync(s.abs, { force: true });
      }
      done.push(s);
    }
  } catch (e) {
    for (const s of done.reverse()) {
      try {
        if (s.before === null) fs.rmSync(s.abs, { force: true });
        else fs.writeFileSync(s.abs, s.before);
      } catch {
        // best effort; the error below tells the user
      }
    }
    for (const s of staged) if (s.tmp) fs.rmSync(s.tmp, { force: true });
    removeJournal(root);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// The journal: finishing an action interrupted by kill -9 or a crash

/** The commit an action makes once its files are in place. */
export interface JournalCommit {
  /** Paths relative to the git root. */
  paths: string[];
  message: string;
  author: Author;
  /** The action's time (ms since the epoch). */
  time: number;
  /** HEAD before the action: a different HEAD means the commit was made. */
  head: string | null;
}

interface Journal {
  /** Each change in order: the temporary file (under .crm/tmp) to rename over `path`, or null to delete it. */
  steps: { path: string; tmp: string | null }[];
  commit?: JournalCommit;
}

const JOURNAL = 'journal.json';

function writeJournal(root: string, journal: Journal): void {
  const file = join(root, STATE_DIR, JOURNAL);
  const tmp = join(root, STATE_DIR, 'tmp', `journal-${process.pid}.json`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(journal));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function removeJournal(root: string): void {
  fs.rmSync(join(root, STATE_DIR, JOURNAL), { force: true });
}

/**
 * Finish an action whose process died after its files were staged: do the
 * renames and deletions that had not happened, make its commit if it was not
 * made, and forget the journal. Runs under the lock, before anything else.
 */
export async function recoverInterrupted(root: string): Promise<boolean> {
  const file = join(root, STATE_DIR, JOURNAL);
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(file, 'utf8')) as Journal;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') fs.rmSync(file, { force: true }); // torn: the renames never started
    return false;
  }
  const tmpDir = join(root, STATE_DIR, 'tmp');
  for (const step of journal.steps) {
    const abs = safePath(root, step.path);
    if (step.tmp === null) {
      fs.rmSync(abs, { force: true });
      continue;
    }
    const tmp = join(tmpDir, step.tmp);
    if (!fs.existsSync(tmp)) continue; // renamed before the interruption
    fs.mkdirSync(join(abs, '..'), { recursive: true });
    fs.renameSync(tmp, abs);
  }
  const c = journal.commit;
  const gitRoot = c ? findGitRoot(root) : undefined;
  try {
    if (c && gitRoot && (await headOid(gitRoot)) === c.head) {
      const when = new Date(c.time);
      (await commitPathsFast(gitRoot, c.paths, c.message, c.author, when)) ?? (await commitPaths(gitRoot, c.paths, c.message, c.author, when));
    }
  } catch {
    // The files are in place; a commit that cannot be made now is left to the user (`git status` shows it).
  } finally {
    removeJournal(root);
  }
  return true;
}

/** Remove temporary files left by a process killed mid-write. */
export function cleanTemp(root: string): void {
  const tmpDir = join(root, STATE_DIR, 'tmp');
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    return;
  }
  for (const n of names) fs.rmSync(join(tmpDir, n), { force: true });
}

export function readFileIn(root: string, path: string): string | null {
  return readOrNull(safePath(root, path));
}

export function assertInside(root: string, path: string): void {
  safePath(root, path);
}


// ---------------------------------------------------------------------------
// A lazy view of the records, for planning writes

/**
 * What a write plans against: `records` and `issues` load every type on
 * first use (through the index), while `find`, `exists` and `ofType` answer
 * from single files or one type, so changing one record does not read the
 * whole repository.
 */
export class RecordView implements Loaded {
  private all: Loaded | undefined;
  private byType = new Map<RecordType, Loaded>();

  constructor(
    readonly root: string,
    private readonly env: Record<string, string | undefined>,
  ) {}

  get records(): CrmRecord[] {
    this.all ??= loadRecords(this.root, RECORD_TYPES, this.env);
    return this.all.records;
  }

  get issues(): Issue[] {
    this.all ??= loadRecords(this.root, RECORD_TYPES, this.env);
    return this.all.issues;
  }

  /** Records of one type. */
  ofType(type: RecordType): CrmRecord[] {
    if (this.all) return this.all.records.filter((r) => r.type === type);
    let l = this.byType.get(type);
    if (!l) {
      l = loadRecords(this.root, [type], this.env);
      this.byType.set(type, l);
    }
    return l.records;
  }

  /** Whether a record file of that type and id exists (interactions: through the index). */
  exists(type: RecordType, id: string): boolean {
    if (type === 'interaction') return this.ofType(type).some((r) => r.id === id);
    if (this.all) return this.all.records.some((r) => r.type === type && r.id === id);
    return fs.existsSync(join(this.root, recordPath(type, id)));
  }

  /** The record named by `ref` (ID or TYPE/ID), read from its file when the id says where it is. */
  find(ref: string, types?: readonly RecordType[]): CrmRecord {
    const parts = parseRef(ref.trim());
    const candidates = (parts.type ? [parts.type] : (types ?? RECORD_TYPES)).filter((t) => t !== 'interaction' && (!types || types.includes(t)));
    if (idProblem(parts.id) === undefined) {
      const hits: CrmRecord[] = [];
      for (const t of candidates) {
        const path = recordPath(t, parts.id);
        let raw: string;
        try {
          raw = fs.readFileSync(join(this.root, path), 'utf8');
        } catch {
          continue;
        }
        const r = readRecordFile(path, raw);
        if (r.record) hits.push(r.record);
      }
      if (hits.length === 1 && (parts.type || !(types ?? RECORD_TYPES).includes('interaction') || !this.exists('interaction', parts.id))) {
        return hits[0]!;
      }
    }
    // Interactions, ambiguity, typos: the full lookup with suggestions.
    return findRecord(this.records, ref, types, this.issues);
  }
}

// ---------------------------------------------------------------------------
// The repository as commands use it


export interface MutateOptions {
  dryRun?: boolean;
  /** false: write the files but make no commit (--no-commit). */
  commit?: boolean;
}

export interface MutateResult {
  changes: Change[];
  commit?: string;
  /** Why no commit was made, when none was. */
  noCommitReason?: string;
}

export class Repository {
  private cache = new Map<string, Loaded>();
  private authorCache: Author | undefined;
  readonly gitRoot: string | undefined;
  /** Where to say that a first index build is under way (the command's stderr on a terminal). */
  notice: ((text: string) => void) | undefined;

  constructor(
    readonly root: string,
    readonly config: Config,
    readonly env: Record<string, string | undefined>,
    readonly now: () => Date,
  ) {
    this.gitRoot = findGitRoot(root);
  }

  static open(options: FindOptions & { now: () => Date }): Repository {
    const root = findRoot(options);
    return new Repository(root, loadConfig(root), options.env, options.now);
  }

  /** Records of the given types (all by default), read once per process. */
  load(types: readonly RecordType[] = RECORD_TYPES, options: LoadHints = {}): Loaded {
    const key = `${[...types].sort().join(',')}${options.searchText ? '+text' : ''}`;
    let l = this.cache.get(key);
    if (!l) {
      const notice = this.notice;
      const onBuild = notice ? (files: number) => notice(`Indexing ${files.toLocaleString('en-US')} record files for the first time (later commands read .crm/index)…`) : undefined;
      l = loadRecords(this.root, types, this.env, { ...options, ...(onBuild && !options.onBuild ? { onBuild } : {}) });
      this.cache.set(key, l);
    }
    return l;
  }

  /** One record by ID or TYPE/ID, read from its file when the id says where it is (no full load). */
  find(ref: string, types?: readonly RecordType[]): CrmRecord {
    return new RecordView(this.root, this.env).find(ref, types);
  }

  author(): Author {
    this.authorCache ??= resolveAuthor(this.config, this.gitRoot, this.env);
    return this.authorCache;
  }

  /** Whether an id is taken now, or was ever used by a record of that type (ids are never reused). */
  idTaken(type: RecordType, id: string, records: readonly CrmRecord[] | RecordView): boolean {
    if (records instanceof RecordView ? records.exists(type, id) : records.some((r) => r.type === type && r.id === id)) return true;
    if (type === 'interaction') return false; // checked across month folders by the loader
    const path = recordPath(type, id);
    if (fs.existsSync(join(this.root, path))) return true;
    if (!this.gitRoot) return false;
    return everExisted(this.gitRoot, relative(this.gitRoot, join(this.root, path)).split(sep).join('/'));
  }

  /**
   * Plan and apply one user action under the lock: `plan` sees the records
   * as they are now and returns the changes; they are written atomically and
   * committed as one commit with `message`.
   */
  async mutate(
    message: string | ((changes: Change[]) => string),
    plan: (view: RecordView) => Change[] | Promise<Change[]>,
    options: MutateOptions = {},
  ): Promise<MutateResult> {
    if (options.dryRun) {
      const changes = await plan(new RecordView(this.root, this.env));
      return { changes, noCommitReason: 'dry run' };
    }
    return withLock(this.root, async () => {
      cleanTemp(this.root);
      this.cache.clear();
      const changes = (await plan(new RecordView(this.root, this.env))).filter((c) => c.before !== c.after);
      if (changes.length === 0) return { changes };
      const msg = typeof message === 'function' ? message(changes) : message;
      const noCommitReason =
        options.commit === false ? '--no-commit' : !this.config.commit ? 'crm.yaml has git.commit: false' : !this.gitRoot ? 'not a git repository' : undefined;
      const gitRoot = this.gitRoot;
      const planned: JournalCommit | undefined =
        noCommitReason || !gitRoot
          ? undefined
          : {
              paths: changes.map((c) => relative(gitRoot, join(this.root, c.path)).split(sep).join('/')),
              message: msg,
              author: this.author(),
              time: this.now().getTime(),
              head: await headOid(gitRoot),
            };
      const delay = Number(this.env.CRM_DEBUG_WRITE_DELAY_MS ?? 0);
      applyChanges(this.root, changes, Number.isFinite(delay) ? delay : 0, planned);
      this.cache.clear();
      if (!planned || !gitRoot) {
        removeJournal(this.root);
        return { changes, noCommitReason: noCommitReason ?? 'not a git repository' };
      }
      const commitDelay = Number(this.env.CRM_DEBUG_COMMIT_DELAY_MS ?? 0);
      if (commitDelay > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, commitDelay);
      const when = new Date(planned.time);
      try {
        const commit =
          (await commitPathsFast(gitRoot, planned.paths, msg, planned.author, when)) ??
          (await commitPaths(gitRoot, planned.paths, msg, planned.author, when));
        return { changes, commit };
      } finally {
        removeJournal(this.root);
      }
    });
  }
}
