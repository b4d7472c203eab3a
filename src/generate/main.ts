/**
 * `node dist/generate.js --size N --seed S --out DIR` — write a generated CRM
 * repository to DIR (see generate.ts). A developer tool: messages go to
 * stderr, nothing to stdout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RECORD_TYPES, TYPES, TYPE_BY_FOLDER } from '../model/schema.js';
import { generateRepository, MIN_SIZE } from './generate.js';

const HELP = `Usage: node dist/generate.js --out DIR [options]

Write a deterministic, realistic CRM repository (the fictional Officine
Digitali Srl) for demos, tests and benchmarks.

Options:
  --out DIR         where to write (required); must be empty unless --force
  --size N          total number of records (default 420, at least ${MIN_SIZE})
  --seed S          random seed (default 1); the same seed gives the same files
  --end YYYY-MM-DD  the "today" of the data (default 2026-11-20)
  --months M        months of history before --end (default 18)
  --force           write into a non-empty DIR: replaces crm.yaml, .gitignore
                    and the record folders, keeps everything else (README.md, .git)
  --git             also git init DIR and commit the files
  -h, --help        show this help
`;

class UsageError extends Error {}

function parseIntFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  return Number(value);
}

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        size: { type: 'string' },
        seed: { type: 'string' },
        end: { type: 'string' },
        months: { type: 'string' },
        force: { type: 'boolean', default: false },
        git: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    process.stderr.write(`generate: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stderr.write(HELP);
    return 0;
  }
  try {
    if (!values.out) throw new UsageError('--out DIR is required');
    const size = parseIntFlag('size', values.size, 420);
    const seed = parseIntFlag('seed', values.seed, 1);
    const months = parseIntFlag('months', values.months, 18);
    if (size < MIN_SIZE) throw new UsageError(`--size must be at least ${MIN_SIZE}`);
    if (months < 1) throw new UsageError('--months must be at least 1');
    const endText = values.end ?? '2026-11-20';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(endText) || Number.isNaN(Date.parse(`${endText}T00:00:00Z`))) {
      throw new UsageError(`--end must be a date YYYY-MM-DD, got "${endText}"`);
    }
    // The data's "today" runs to the last second of that day (UTC).
    const end = new Date(`${endText}T23:59:59Z`);
    const out = resolve(values.out);
    prepare(out, values.force);

    const started = Date.now();
    const files = generateRepository({ size, seed, end, months });
    const generated = Date.now();
    const made = new Set<string>();
    const big = files.length >= 20000;
    let written = 0;
    for (const f of files) {
      const path = join(out, f.path);
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(path, f.content);
      written++;
      if (big && written % 10000 === 0) process.stderr.write('.');
    }
    if (big) process.stderr.write('\n');

    const perFolder = new Map<string, number>();
    for (const f of files) {
      const top = f.path.split('/')[0] ?? '';
      if (top in TYPE_BY_FOLDER) perFolder.set(top, (perFolder.get(top) ?? 0) + 1);
    }
    for (const type of RECORD_TYPES) {
      const folder = TYPES[type].folder;
      process.stderr.write(`${folder.padEnd(14)} ${String(perFolder.get(folder) ?? 0).padStart(7)}\n`);
    }
    const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
    process.stderr.write(
      `wrote ${written} files (${size} records, seed ${seed}, end ${endText}) to ${out} in ${secs(Date.now() - started)} (generating ${secs(generated - started)})\n`,
    );

    if (values.git) commit(out, endText);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`generate: ${e.message}\n(see --help)\n`);
      return 2;
    }
    process.stderr.write(`generate: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

/** Make `out` ready: create it, or with --force clear what a generation writes. */
function prepare(out: string, force: boolean): void {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    return;
  }
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  if (!force) {
    throw new UsageError(`${out} is not empty; pass --force to replace the generated files in it`);
  }
  for (const name of entries) {
    if (name === 'crm.yaml' || name === '.gitignore' || name in TYPE_BY_FOLDER) {
      rmSync(join(out, name), { recursive: true, force: true });
    }
  }
}

function commit(out: string, endText: string): void {
  const date = `${endText}T18:00:00Z`;
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'crm generator',
    GIT_AUTHOR_EMAIL: 'generator@example.com',
    GIT_COMMITTER_NAME: 'crm generator',
    GIT_COMMITTER_EMAIL: 'generator@example.com',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: out, env, stdio: ['ignore', 'ignore', 'inherit'] });
  };
  if (!existsSync(join(out, '.git'))) git('init', '--quiet');
  git('add', '-A');
  const unchanged = spawnSync('git', ['diff', '--cached', '--quiet'], { cwd: out, env }).status === 0;
  if (unchanged && spawnSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: out, env }).status === 0) {
    process.stderr.write(`nothing to commit in ${out}: the files are already committed\n`);
    return;
  }
  git('commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', 'Generated CRM repository');
  process.stderr.write(`committed in ${out}\n`);
}

process.exitCode = main(process.argv.slice(2));
