/**
 * End-to-end helpers: temporary CRM repositories (a copy of
 * examples/crm-repo or an empty `crm init`), real git, and the built binary.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'crm.js');
export const EXAMPLE = join(ROOT, 'examples', 'crm-repo');

if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does it).');
}

/** A fixed moment so outputs are reproducible; tests may override CRM_NOW. */
export const NOW = '2026-11-20T10:00:00Z';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Env {
  [k: string]: string | undefined;
}

function baseEnv(extra: Env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CRM_REPO;
  delete env.CRM_USER;
  delete env.FORCE_COLOR;
  return {
    ...env,
    NO_COLOR: '1',
    CRM_NOW: NOW,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Runner',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test Runner',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    EDITOR: 'false',
    ...extra,
  } as NodeJS.ProcessEnv;
}

/** Run the built `crm` binary synchronously. */
export function crm(cwd: string, args: readonly string[], env: Env = {}, input?: string): RunResult {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: baseEnv(env),
    encoding: 'utf8',
    input: input ?? '',
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Start the binary without waiting (for kill -9 and concurrency tests). */
export function crmAsync(cwd: string, args: readonly string[], env: Env = {}) {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: baseEnv({}) });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const temps: string[] = [];

export function tempDir(prefix = 'crm-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary copy of examples/crm-repo as its own git repository with one commit. */
export function exampleRepo(): string {
  const dir = tempDir();
  // Not the example's own index (left by running crm there): every test starts as a fresh clone does.
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.startsWith(join(EXAMPLE, '.crm')) });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'example']);
  return dir;
}

/** An empty repository made with `crm init`. */
export function emptyRepo(extraYaml = ''): string {
  const dir = tempDir();
  const r = crm(dir, ['init', '.', '--name', 'Test Srl', '--timezone', 'Europe/Rome']);
  if (r.code !== 0) throw new Error(`crm init failed: ${r.stderr}`);
  if (extraYaml) {
    writeFileSync(join(dir, 'crm.yaml'), readFileSync(join(dir, 'crm.yaml'), 'utf8') + extraYaml);
    git(dir, ['commit', '-qam', 'settings']);
  }
  return dir;
}

export function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

export function write(dir: string, path: string, text: string): void {
  writeFileSync(join(dir, path), text);
}

/** Commit subjects, newest first. */
export function commits(dir: string): string[] {
  return git(dir, ['log', '--format=%s']).trim().split('\n').filter(Boolean);
}

export function gitStatus(dir: string): string {
  return git(dir, ['status', '--porcelain']).trim();
}
