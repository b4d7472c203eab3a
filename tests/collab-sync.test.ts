/**
 * `crm sync` end to end: two clones of a repository served over HTTP by
 * `git http-backend` on loopback, concurrent edits, sync both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, crmAsync, read, tempDir, write, type Env } from './helpers.js';
import { runAsync, startGitServer, type GitServer } from './git-server.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built crm, without blocking the event loop (the server runs in this process). */
function crm(cwd: string, args: readonly string[], env: Env = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = crmAsync(cwd, args, env);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Other',
  GIT_AUTHOR_EMAIL: 'other@example.com',
  GIT_COMMITTER_NAME: 'Other',
  GIT_COMMITTER_EMAIL: 'other@example.com',
};

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await runAsync('git', args, { cwd, env: GIT_ENV });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

async function ok(cwd: string, args: readonly string[], env: Env = {}): Promise<Run> {
  const r = await crm(cwd, args, env);
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return r;
}

const ALICE: Env = { CRM_USER: 'Alice <alice@example.com>' };
const BOB: Env = { CRM_USER: 'Bob <bob@example.com>', CRM_NOW: '2026-11-20T11:00:00Z' };

/** A shared repository with an account and an opportunity, and two clones of it. */
async function twoClones(server: GitServer, name: string): Promise<{ url: string; a: string; b: string }> {
  const url = server.createRepo(`${name}.git`);
  const seed = tempDir();
  await ok(seed, ['init', '--clone', url, 'crm', '--name', 'Shared Srl', '--timezone', 'Europe/Rome'], ALICE);
  const root = join(seed, 'crm');
  await ok(root, ['account', 'add', 'Acme Srl', '--industry', 'manufacturing'], ALICE);
  await ok(root, ['opp', 'add', 'Acme renewal', '--account', 'acme-srl', '--amount', '12000', '--stage', 'proposal', '--expected-close', '2026-12-15'], ALICE);
  await ok(root, ['sync'], ALICE);
  const a = join(tempDir(), 'a');
  const b = join(tempDir(), 'b');
  await ok(join(a, '..'), ['init', '--clone', url, 'a'], ALICE);
  await ok(join(b, '..'), ['init', '--clone', url, 'b'], BOB);
  return { url, a, b };
}

async function remoteLog(server: GitServer, name: string): Promise<string[]> {
  return (await git(server.repoPath(`${name}.git`), ['log', '--format=%s', 'main'])).trim().split('\n');
}

describe('crm sync', { timeout: 120_000 }, () => {
  let server: GitServer;
  beforeAll(async () => {
    server = await startGitServer();
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('starts clones from a remote, with the merge driver set up', async () => {
    const { url, a } = await twoClones(server, 'start');
    expect(read(a, 'opportunities/acme-renewal.md')).toContain('amount: 12000');
    expect(read(a, '.gitattributes')).toContain('leads/*.md merge=crm');
    const config = readFileSync(join(a, '.git', 'config'), 'utf8');
    expect(config).toContain('driver = crm merge-driver %O %A %B %P');
    expect(config).toContain(url);
    const list = await ok(a, ['list', 'opportunities']);
    expect(list.stdout).toContain('acme-renewal');
    const again = await crm(a, ['sync']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Already up to date with origin/main.');
  });

  it('syncs both ways without conflicts and says what came in', async () => {
    const { a, b } = await twoClones(server, 'plain');
    await ok(a, ['lead', 'add', 'Jane Roe', '--company', 'Roe Ltd', '--source', 'web'], ALICE);
    const pushA = await ok(a, ['sync'], ALICE);
    expect(pushA.stderr).toContain('Pushed 1 commit to origin/main.');

    await ok(b, ['contact', 'add', 'Mario Rossi', '--account', 'acme-srl'], BOB);
    const syncB = await ok(b, ['sync'], BOB);
    expect(syncB.stdout).toBe('added\tlead/jane-roe\t\t\tJane Roe\n');
    expect(syncB.stderr).toContain('Merged origin/main: 1 lead added.');
    expect(syncB.stderr).toContain('Pushed 2 commits to origin/main.');

    const syncA = await ok(a, ['sync', '--json'], ALICE);
    const j = JSON.parse(syncA.stdout) as { pull: string; pushed: number; incoming: { counts: { added: number }; changes: { type: string; id: string }[] } };
    expect(j.pull).toBe('fast-forward');
    expect(j.pushed).toBe(0);
    expect(j.incoming.changes.map((c) => `${c.type}/${c.id}`)).toEqual(['contact/mario-rossi']);
    for (const dir of [a, b]) {
      expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(true);
      expect(existsSync(join(dir, 'contacts/mario-rossi.md'))).toBe(true);
      expect(await git(dir, ['status', '--porcelain'])).toBe('');
    }
    expect(await git(a, ['rev-parse', 'HEAD'])).toBe(await git(b, ['rev-parse', 'HEAD']));
    expect(await remoteLog(server, 'plain')).toEqual([
      'crm: sync: merge origin/main into main',
      'crm: add contact mario-rossi "Mario Rossi"',
      'crm: add lead jane-roe "Jane Roe"',
      'crm: add opportunity acme-renewal "Acme renewal"',
      'crm: add account acme-srl "Acme Srl"',
      'crm: init repository',
    ]);
  });

  it('merges the same record edited on both sides in different keys', async () => {
    const { a, b } = await twoClones(server, 'keys');
    await ok(a, ['set', 'acme-renewal', 'amount=15000', 'tags=[renewal]'], ALICE);
    await ok(a, ['sync'], ALICE);
    await ok(b, ['set', 'acme-renewal', 'stage=negotiation', 'expected_close=2027-01-31', 'tags=[key-account]'], BOB);
    const r = await ok(b, ['sync'], BOB);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['changed\topportunity/acme-renewal\tamount\t12,000\t15,000']));
    const merged = read(b, 'opportunities/acme-renewal.md');
    expect(merged).toContain('amount: 15000');
    expect(merged).toContain('stage: negotiation');
    expect(merged).toContain('expected_close: 2027-01-31');
    expect(merged).toContain('tags: [key-account, renewal]'); // ours first, then theirs' additions
    expect(merged).toContain('updated: 2026-11-20T11:00:00Z'); // the later of the two edits
    expect(merged).toMatch(/history:\n {2}- \{at: [^}]*to: proposal[^}]*\}\n {2}- \{at: 2026-11-20T11:00:00Z, from: proposal, to: negotiation/);
    // Both edits are in the history, and the merged record is valid.
    const subjects = (await git(b, ['log', '--format=%s'])).split('\n');
    expect(subjects.slice(0, 3)).toEqual([
      'crm: sync: merge origin/main into main',
      expect.stringMatching(/^crm: set opportunity\/acme-renewal /),
      expect.stringMatching(/^crm: set opportunity\/acme-renewal /),
    ]);
    expect((await crm(b, ['validate'])).code).toBe(0);
    await ok(a, ['sync'], ALICE);
    expect(read(a, 'opportunities/acme-renewal.md')).toBe(merged);
  });

  it('reports a conflict on the same key, loses nothing, and finishes once resolved', async () => {
    const { a, b } = await twoClones(server, 'same-key');
    await ok(a, ['set', 'acme-renewal', 'amount=15000', 'expected_close=2027-02-28'], ALICE);
    await ok(a, ['sync'], ALICE);
    await ok(b, ['set', 'acme-renewal', 'amount=14000', 'tags=[eu]'], BOB);
    const before = await remoteLog(server, 'same-key');
    const r = await crm(b, ['sync'], BOB);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Merged origin/main with conflicts');
    expect(r.stderr).toMatch(/opportunities\/acme-renewal\.md:\d+: "amount" changed on both sides/);
    expect(r.stderr).toContain('nothing was pushed');
    expect(r.stderr).toContain('run `crm sync` again');
    // Markers around that key only; everything else merged; both values kept.
    const text = read(b, 'opportunities/acme-renewal.md');
    expect(text).toContain('<<<<<<< HEAD\namount: 14000\n=======\namount: 15000\n>>>>>>> origin/main\n');
    expect(text).toContain('expected_close: 2027-02-28');
    expect(text).toContain('tags: [eu]');
    expect(text.match(/^<<<<<<< /gm)).toHaveLength(1);
    expect(await remoteLog(server, 'same-key')).toEqual(before);
    // The repository stays readable.
    const list = await crm(b, ['list', 'accounts']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('acme-srl');
    const validate = await crm(b, ['validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/opportunities\/acme-renewal\.md:\d+: error: git conflict marker "<<<<<<< HEAD"/);
    // Trying again without resolving: refused, nothing pushed.
    const again = await crm(b, ['sync'], BOB);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/still has conflict markers[\s\S]*opportunities\/acme-renewal\.md:\d+/);
    // Resolve: keep one value, delete the marker lines; sync commits the merge and pushes.
    write(b, 'opportunities/acme-renewal.md', text.replace('<<<<<<< HEAD\namount: 14000\n=======\n', '').replace('>>>>>>> origin/main\n', ''));
    expect((await crm(b, ['validate'])).code).toBe(0);
    const done = await ok(b, ['sync'], BOB);
    expect(done.stderr).toContain('Committed the merge you resolved');
    expect(done.stderr).toContain('Pushed');
    expect((await remoteLog(server, 'same-key'))[0]).toBe('crm: sync: merge origin/main into main');
    expect(await git(b, ['status', '--porcelain'])).toBe('');
    const parents = (await git(b, ['log', '-1', '--format=%P'])).trim().split(' ');
    expect(parents).toHaveLength(2);
    await ok(a, ['sync'], ALICE);
    expect(read(a, 'opportunities/acme-renewal.md')).toContain('amount: 15000');
    expect(read(a, 'opportunities/acme-renewal.md')).toContain('tags: [eu]');
  });

  it('keeps a record deleted on one side and changed on the other, and says so', async () => {
    const { a, b } = await twoClones(server, 'delete-edit');
    await ok(a, ['delete', 'opportunity/acme-renewal', '--yes'], ALICE);
    await ok(a, ['sync'], ALICE);
    await ok(b, ['set', 'acme-renewal', 'amount=20000'], BOB);
    const r = await ok(b, ['sync'], BOB);
    expect(r.stderr).toContain('Kept opportunities/acme-renewal.md: deleted on origin/main but changed here: kept with your changes.');
    expect(read(b, 'opportunities/acme-renewal.md')).toContain('amount: 20000');
    await ok(a, ['sync'], ALICE);
    expect(read(a, 'opportunities/acme-renewal.md')).toContain('amount: 20000');
  });

  it('pulls again and retries when the remote moved between fetch and push', async () => {
    const { a, b } = await twoClones(server, 'moved');
    await ok(b, ['lead', 'add', 'Luca Neri', '--source', 'event'], BOB);
    await ok(a, ['lead', 'add', 'Jane Roe', '--source', 'web'], ALICE);
    // The first time A asks to push, B pushes first (straight into the bare repository).
    let armed = true;
    const bare = server.repoPath('moved.git');
    const hooked = await startGitServer({
      beforeRequest: async (info) => {
        if (armed && info.query === 'service=git-receive-pack') {
          armed = false;
          await git(b, ['push', '-q', bare, 'main']);
        }
      },
    });
    try {
      // A talks to the same bare repository through the hooked server.
      const { symlinkSync } = await import('node:fs');
      symlinkSync(bare, join(hooked.root, 'moved.git'));
      await git(a, ['remote', 'set-url', 'origin', `${hooked.url}/moved.git`]);
      const r = await ok(a, ['sync'], ALICE);
      expect(armed).toBe(false);
      expect(r.stderr).toContain('The remote moved while pushing (someone else pushed); pulling again, round 2');
      expect(r.stderr).toMatch(/Pushed 2 commits to origin\/main \(after 2 rounds/);
      expect(await remoteLog(server, 'moved')).toEqual(expect.arrayContaining(['crm: add lead luca-neri "Luca Neri"', 'crm: add lead jane-roe "Jane Roe"']));
      expect((await remoteLog(server, 'moved'))[0]).toBe('crm: sync: merge origin/main into main');
      expect(existsSync(join(a, 'leads/luca-neri.md'))).toBe(true);
    } finally {
      await hooked.close();
    }
  });

  it('refuses with uncommitted changes, and without a remote', async () => {
    const { a } = await twoClones(server, 'dirty');
    writeFileSync(join(a, 'opportunities/acme-renewal.md'), read(a, 'opportunities/acme-renewal.md').replace('12000', '13000'));
    const r = await crm(a, ['sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 file has uncommitted changes');
    expect(r.stderr).toContain('opportunities/acme-renewal.md');
    expect(r.stderr).toContain('hint: Commit them');
    const lonely = tempDir();
    await ok(lonely, ['init', '.', '--name', 'Alone', '--timezone', 'UTC']);
    const none = await crm(lonely, ['sync']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no remote "origin"');
  });
});

describe('crm sync credentials', { timeout: 120_000 }, () => {
  let server: GitServer;
  beforeAll(async () => {
    server = await startGitServer({ auth: { username: 'alice', password: 's3cret-token' } });
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  it('uses CRM_GIT_TOKEN, never writes it, and explains a missing or wrong one', async () => {
    const url = server.createRepo('auth.git');
    const dir = tempDir();
    const none = await crm(dir, ['init', '--clone', url, 'x']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('asks for credentials');
    expect(none.stderr).toContain('CRM_GIT_TOKEN');
    const wrong = await crm(dir, ['init', '--clone', url, 'y'], { CRM_GIT_TOKEN: 'nope', CRM_GIT_USERNAME: 'alice' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('refused the credentials');
    const token = { CRM_GIT_TOKEN: 's3cret-token', CRM_GIT_USERNAME: 'alice' };
    await ok(dir, ['init', '--clone', url, 'z', '--name', 'Z', '--timezone', 'UTC'], token);
    const root = join(dir, 'z');
    await ok(root, ['lead', 'add', 'Jane Roe']);
    const pushed = await ok(root, ['sync'], token);
    expect(pushed.stderr).toContain('Pushed 2 commits');
    const noToken = await crm(root, ['sync']);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('asks for credentials');
    const config = readFileSync(join(root, '.git', 'config'), 'utf8');
    expect(config).not.toContain('s3cret');
    expect((await git(root, ['grep', '-l', 's3cret', 'HEAD']).catch(() => ''))).toBe('');
  });

  it('asks a GIT_ASKPASS helper', async () => {
    const url = server.createRepo('askpass.git');
    const dir = tempDir();
    const helper = join(dir, 'askpass.sh');
    writeFileSync(helper, '#!/bin/sh\ncase "$1" in Username*) echo alice;; *) echo s3cret-token;; esac\n');
    chmodSync(helper, 0o755);
    await ok(dir, ['init', '--clone', url, 'w', '--name', 'W', '--timezone', 'UTC'], { GIT_ASKPASS: helper });
    const r = await ok(join(dir, 'w'), ['sync'], { GIT_ASKPASS: helper });
    expect(r.stderr).toContain('Pushed 1 commit');
  });
});
