/**
 * The git merge driver, exercised by the real `git merge`: `crm init` writes
 * .gitattributes and the repository's git config; git then runs
 * `crm merge-driver %O %A %B %P` for record files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cleanup, crm, emptyRepo, read, tempDir } from './helpers.js';

/** A directory with a `crm` executable that runs the built binary, for git to find on PATH. */
function crmOnPath(): string {
  const bin = tempDir('crm-bin-');
  const file = join(bin, 'crm');
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(file, 0o755);
  return bin;
}

function gitIn(dir: string, args: string[], path: string): { code: number; out: string } {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${path}:${process.env.PATH ?? ''}`,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.com',
      NO_COLOR: '1',
    },
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function setUp(): { dir: string; bin: string } {
  const dir = emptyRepo();
  const bin = crmOnPath();
  expect(crm(dir, ['account', 'add', 'Acme Srl']).code).toBe(0);
  const add = crm(dir, ['opp', 'add', 'Acme renewal', '--account', 'acme-srl', '--amount', '12000', '--stage', 'proposal', '--expected-close', '2026-12-15']);
  expect(add.code, add.stderr).toBe(0);
  expect(gitIn(dir, ['branch', 'feature'], bin).code).toBe(0);
  return { dir, bin };
}

describe('crm merge-driver through git merge', { timeout: 120_000 }, () => {
  afterAll(cleanup);

  it('is installed by crm init', () => {
    const dir = emptyRepo();
    expect(read(dir, '.gitattributes')).toContain('opportunities/*.md merge=crm');
    expect(read(dir, '.gitattributes')).toContain('interactions/**/*.md merge=crm');
    const config = readFileSync(join(dir, '.git', 'config'), 'utf8');
    expect(config).toMatch(/\[merge "crm"\][\s\S]*driver = crm merge-driver %O %A %B %P/);
    expect(gitIn(dir, ['check-attr', 'merge', 'leads/x.md', 'interactions/2026/11/y.md', 'README.md'], '').out).toBe(
      'leads/x.md: merge: crm\ninteractions/2026/11/y.md: merge: crm\nREADME.md: merge: unspecified\n',
    );
  });

  it('merges the same record changed in different keys on two branches', () => {
    const { dir, bin } = setUp();
    expect(crm(dir, ['set', 'acme-renewal', 'amount=15000', 'tags=[renewal]']).code).toBe(0);
    gitIn(dir, ['checkout', '-q', 'feature'], bin);
    const later = crm(dir, ['set', 'acme-renewal', 'stage=negotiation', 'expected_close=2027-01-31', 'tags=[eu]'], { CRM_NOW: '2026-11-21T09:00:00Z' });
    expect(later.code, later.stderr).toBe(0);
    gitIn(dir, ['checkout', '-q', 'main'], bin);
    const m = gitIn(dir, ['merge', '--no-edit', 'feature'], bin);
    expect(m.code, m.out).toBe(0);
    const text = read(dir, 'opportunities/acme-renewal.md');
    expect(text).toContain('amount: 15000\nstage: negotiation\nexpected_close: 2027-01-31\n');
    expect(text).toContain('tags: [renewal, eu]');
    expect(text).toContain('updated: 2026-11-21T09:00:00Z');
    expect(text).toContain('from: proposal, to: negotiation');
    expect(crm(dir, ['validate']).code).toBe(0);
    expect(gitIn(dir, ['log', '-1', '--format=%P'], bin).out.trim().split(' ')).toHaveLength(2);
  });

  it('leaves markers around the conflicting key only; validate says what to do', () => {
    const { dir, bin } = setUp();
    expect(crm(dir, ['set', 'acme-renewal', 'amount=15000']).code).toBe(0);
    gitIn(dir, ['checkout', '-q', 'feature'], bin);
    expect(crm(dir, ['set', 'acme-renewal', 'amount=14000', 'expected_close=2027-01-31']).code).toBe(0);
    gitIn(dir, ['checkout', '-q', 'main'], bin);
    const m = gitIn(dir, ['merge', '--no-edit', 'feature'], bin);
    expect(m.code).toBe(1);
    expect(m.out).toContain('CONFLICT (content): Merge conflict in opportunities/acme-renewal.md');
    expect(m.out).toMatch(/crm: conflict in opportunities\/acme-renewal\.md \("amount"\) at line \d+/);
    const text = read(dir, 'opportunities/acme-renewal.md');
    expect(text).toContain('<<<<<<< ours\namount: 15000\n=======\namount: 14000\n>>>>>>> theirs\n');
    expect(text).toContain('expected_close: 2027-01-31');
    expect(text.match(/^<<<<<<< /gm)).toHaveLength(1);
    const list = crm(dir, ['list', 'accounts']);
    expect(list.code).toBe(0);
    const v = crm(dir, ['validate']);
    expect(v.code).toBe(1);
    const line = text.split('\n').indexOf('<<<<<<< ours') + 1;
    expect(v.stdout).toContain(`opportunities/acme-renewal.md:${line}: error: git conflict marker "<<<<<<< ours" left by a merge`);
  });

  it('crm sync leaves a merge started with git to git', () => {
    const { dir, bin } = setUp();
    writeFileSync(join(dir, 'NOTES.txt'), 'one\n');
    gitIn(dir, ['add', 'NOTES.txt'], bin);
    gitIn(dir, ['commit', '-qm', 'notes'], bin);
    gitIn(dir, ['checkout', '-q', '-b', 'other'], bin);
    writeFileSync(join(dir, 'NOTES.txt'), 'two\n');
    gitIn(dir, ['commit', '-qam', 'two'], bin);
    gitIn(dir, ['checkout', '-q', 'main'], bin);
    writeFileSync(join(dir, 'NOTES.txt'), 'three\n');
    gitIn(dir, ['commit', '-qam', 'three'], bin);
    expect(gitIn(dir, ['merge', 'other'], bin).code).toBe(1);
    writeFileSync(join(dir, 'NOTES.txt'), 'resolved but not added\n');
    gitIn(dir, ['remote', 'add', 'origin', 'http://127.0.0.1:9/unused.git'], bin);
    const r = crm(dir, ['sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a merge started with git is in progress; crm sync leaves it to you');
    expect(gitIn(dir, ['status', '--porcelain'], bin).out).toContain('UU NOTES.txt');
  });

  it('runs standalone: writes the result over %A, exit 0 clean / 1 conflict', () => {
    const dir = tempDir();
    const base = '---\nname: X\nstatus: new\ncreated: 2026-01-01T00:00:00Z\n---\nnotes\n';
    writeFileSync(join(dir, 'o'), base);
    writeFileSync(join(dir, 'a'), base.replace('name: X', 'name: Y'));
    writeFileSync(join(dir, 'b'), base.replace('notes', 'more notes'));
    expect(crm(dir, ['merge-driver', 'o', 'a', 'b', 'leads/x.md']).code).toBe(0);
    expect(read(dir, 'a')).toBe('---\nname: Y\nstatus: new\ncreated: 2026-01-01T00:00:00Z\n---\nmore notes\n');
    writeFileSync(join(dir, 'a'), base.replace('status: new', 'status: contacted'));
    writeFileSync(join(dir, 'b'), base.replace('status: new', 'status: qualified'));
    const r = crm(dir, ['merge-driver', 'o', 'a', 'b', 'leads/x.md']);
    expect(r.code).toBe(1);
    expect(read(dir, 'a')).toContain('<<<<<<< ours\nstatus: contacted\n=======\nstatus: qualified\n>>>>>>> theirs\n');
  });
});
