/**
 * Interrupted and concurrent writers: `kill -9` at every step of a
 * multi-file action (lead conversion: one lead changed, an account, a
 * contact and an opportunity created) leaves every file either as it was or
 * as intended, and the next crm run recovers (stale lock taken over, temp
 * files cleaned, the action completed and committed). Two `crm` processes
 * adding records at the same moment both succeed.
 * CRM_DEBUG_WRITE_DELAY_MS makes crm pause before each file rename.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanup, commits, crm, crmAsync, gitStatus } from './helpers.js';
import { seedRepo } from './fixtures/seed.js';

afterAll(cleanup);

const CONVERT = ['lead', 'convert', 'jane-roe', '--amount', '1000'];
const PATHS = ['leads/jane-roe.md', 'accounts/roe-and-co.md', 'contacts/jane-roe.md', 'opportunities/roe-and-co-new-deal.md'];
type Snapshot = Record<string, string | null>;

function snapshot(dir: string): Snapshot {
  return Object.fromEntries(PATHS.map((p) => [p, existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : null]));
}

function tmpFiles(dir: string): string[] {
  try {
    return readdirSync(join(dir, '.crm', 'tmp'));
  } catch {
    return [];
  }
}

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

let before: Snapshot;
let intended: Snapshot;
let intendedMessage: string;
beforeAll(() => {
  const twin = seedRepo();
  before = snapshot(twin);
  const r = crm(twin, CONVERT);
  expect(r.code, r.stderr).toBe(0);
  intended = snapshot(twin);
  intendedMessage = commits(twin)[0]!;
  for (const p of PATHS) expect(intended[p]).not.toBe(before[p]);
});

describe('kill -9 during a multi-file write', () => {
  test.each([0, 1, 2, 3])('killed after %i of 4 files were replaced', async (k) => {
    const dir = seedRepo();
    const seedCommits = commits(dir).length;
    const child = crmAsync(dir, CONVERT, { CRM_DEBUG_WRITE_DELAY_MS: '700' });
    const done = exited(child);
    const replaced = () => PATHS.filter((p) => snapshot(dir)[p] === intended[p]).length;
    // the journal marks the point after which the action is completed by the next run
    await until(`${k} files replaced`, () => existsSync(join(dir, '.crm', 'journal.json')) && replaced() >= k);
    child.kill('SIGKILL');
    const end = await done;
    expect(end.signal).toBe('SIGKILL');

    // every file is whole: as it was or as intended, never half-written
    const after = snapshot(dir);
    for (const p of PATHS) expect([before[p], intended[p]], p).toContain(after[p]);
    expect(replaced()).toBe(k);
    expect(existsSync(join(dir, '.crm', 'lock'))).toBe(true); // left by the killed process

    // reading still works
    const list = crm(dir, ['list', 'leads']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('luca-verdi');

    // the next write takes over the stale lock, finishes the interrupted action, cleans up
    const next = crm(dir, ['lead', 'add', 'After Crash']);
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(join(dir, '.crm', 'lock'))).toBe(false);
    expect(existsSync(join(dir, '.crm', 'journal.json'))).toBe(false);
    expect(tmpFiles(dir)).toEqual([]);
    expect(snapshot(dir)).toEqual(intended);
    expect(commits(dir).slice(0, 2)).toEqual(['crm: add lead after-crash "After Crash"', intendedMessage]);
    expect(commits(dir).length).toBe(seedCommits + 2);
    expect(gitStatus(dir)).toBe('');
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('killed after the files were written, before the commit', async () => {
    const dir = seedRepo();
    const child = crmAsync(dir, CONVERT, { CRM_DEBUG_WRITE_DELAY_MS: '700', CRM_DEBUG_COMMIT_DELAY_MS: '3000' });
    const done = exited(child);
    await until('all files replaced', () => PATHS.every((p) => snapshot(dir)[p] === intended[p]));
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await done;
    expect(snapshot(dir)).toEqual(intended);
    const next = crm(dir, ['set', 'luca-verdi', 'score=80']);
    expect(next.code, next.stderr).toBe(0);
    expect(commits(dir).slice(0, 2)).toEqual(['crm: set lead/luca-verdi score', intendedMessage]);
    expect(gitStatus(dir)).toBe('');
  });

  test('killed at random moments, many times: never a half-written file, and the next run always works', async () => {
    const dir = seedRepo();
    for (let i = 0; i < 6; i++) {
      const name = `Random Kill ${i}`;
      const child = crmAsync(dir, ['lead', 'add', name, '--company', 'Kill Co', 'score=50']);
      const done = exited(child);
      await new Promise((r) => setTimeout(r, 60 + ((i * 97) % 400)));
      child.kill('SIGKILL');
      await done;
      const id = `random-kill-${i}`;
      const file = join(dir, 'leads', `${id}.md`);
      const whole = /^---\nname: Random Kill \d\ncompany: Kill Co\n[\s\S]*\n---\n$/;
      if (existsSync(file)) expect(readFileSync(file, 'utf8')).toMatch(whole);
      const journal = existsSync(join(dir, '.crm', 'journal.json'));
      const next = crm(dir, ['set', 'jane-roe', `score=${i}`]);
      expect(next.code, next.stderr).toBe(0);
      // an add killed after its journal was written is completed and committed by the next run
      if (journal) expect(readFileSync(file, 'utf8')).toMatch(whole);
      if (existsSync(file)) expect(commits(dir)).toContain(`crm: add lead ${id} "${name}"`);
      expect(tmpFiles(dir)).toEqual([]);
      expect(gitStatus(dir)).toBe('');
    }
    const v = crm(dir, ['validate']);
    expect(v.code, v.stdout).toBe(0);
  });
});

describe('two writers at the same moment', () => {
  test('two `crm lead add` with the same name, five times: all succeed, all ids differ, one commit each, clean tree', async () => {
    const dir = seedRepo();
    const start = commits(dir).length;
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      const children = [0, 1].map(() => crmAsync(dir, ['lead', 'add', 'Same Name', '--source', 'web']));
      const outs = children.map((c) => {
        let out = '';
        c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
        return exited(c).then((e) => ({ ...e, out: out.trim() }));
      });
      const results = await Promise.all(outs);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      ids.push(...results.map((r) => r.out));
    }
    expect(new Set(ids).size).toBe(10);
    expect(ids.sort()).toEqual(['same-name', ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `same-name-${n}`)].sort());
    expect(commits(dir).length).toBe(start + 10);
    expect(gitStatus(dir)).toBe('');
    for (const id of ids) expect(readFileSync(join(dir, 'leads', `${id}.md`), 'utf8')).toMatch(/^name: Same Name$/m);
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('two different writers on the same record: both changes land, neither is lost', async () => {
    const dir = seedRepo();
    const a = exited(crmAsync(dir, ['set', 'luca-verdi', 'score=11']));
    const b = exited(crmAsync(dir, ['set', 'luca-verdi', 'title=CTO']));
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const text = readFileSync(join(dir, 'leads/luca-verdi.md'), 'utf8');
    expect(text).toMatch(/^score: 11$/m);
    expect(text).toMatch(/^title: CTO$/m);
    expect(gitStatus(dir)).toBe('');
  });
});
