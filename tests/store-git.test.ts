/**
 * One git commit per user action, read back with isomorphic-git: the
 * message says what happened, the author is who acted (CRM_USER, crm.yaml
 * users, git config), the tree is clean afterwards; --no-commit and
 * crm.yaml `git: {commit: false}` write without committing.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanup, crm, emptyRepo, git as gitCli, gitStatus, read } from './helpers.js';
import { seedRepo } from './fixtures/seed.js';

afterAll(cleanup);

/** `git status --porcelain` lines, sorted, leading spaces kept. */
function porcelain(dir: string): string[] {
  return gitCli(dir, ['status', '--porcelain']).split('\n').filter(Boolean).sort();
}

async function log(dir: string) {
  return git.log({ fs, dir });
}

/** Paths changed by a commit compared with its parent. */
async function changedPaths(dir: string, oid: string): Promise<string[]> {
  const { commit } = await git.readCommit({ fs, dir, oid });
  const parent = commit.parent[0];
  const out: string[] = [];
  await git.walk({
    fs,
    dir,
    trees: [git.TREE({ ref: parent! }), git.TREE({ ref: oid })],
    map: async (path, [a, b]) => {
      if (path === '.') return undefined;
      const [ta, tb] = [await a?.type(), await b?.type()];
      if (ta === 'tree' || tb === 'tree') return undefined;
      if ((await a?.oid()) !== (await b?.oid())) out.push(path);
      return undefined;
    },
  });
  return out.sort();
}

describe('one commit per action', () => {
  test('every writing command makes exactly one commit, touching only its files, with a message saying what happened', async () => {
    const dir = seedRepo();
    const actions: [string[], string, string[]][] = [
      [['lead', 'add', 'Nina Gallo', '--source', 'web'], 'crm: add lead nina-gallo "Nina Gallo"', ['leads/nina-gallo.md']],
      [['account', 'add', 'Gallo Srl'], 'crm: add account gallo-srl "Gallo Srl"', ['accounts/gallo-srl.md']],
      [['contact', 'add', 'Nina Gallo', '--account', 'gallo-srl'], 'crm: add contact nina-gallo "Nina Gallo"', ['contacts/nina-gallo.md']],
      [['opp', 'add', 'Gallo deal', '--account', 'gallo-srl'], 'crm: add opportunity gallo-deal "Gallo deal"', ['opportunities/gallo-deal.md']],
      [['case', 'add', 'Login fails'], 'crm: add case login-fails "Login fails"', ['cases/login-fails.md']],
      [['campaign', 'add', 'Autumn mailing'], 'crm: add campaign autumn-mailing "Autumn mailing"', ['campaigns/autumn-mailing.md']],
      [['set', 'lead/nina-gallo', 'status=contacted'], 'crm: set lead/nina-gallo status', ['leads/nina-gallo.md']],
      [['unset', 'lead/nina-gallo', 'source'], 'crm: unset lead/nina-gallo source', ['leads/nina-gallo.md']],
      [['delete', 'login-fails', '--yes'], 'crm: delete case/login-fails "Login fails"', ['cases/login-fails.md']],
    ];
    let count = (await log(dir)).length;
    for (const [args, message, paths] of actions) {
      const r = crm(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      const entries = await log(dir);
      expect(entries.length, args.join(' ')).toBe(++count);
      expect(entries[0]!.commit.message.trim()).toBe(message);
      expect(entries[0]!.commit.parent).toEqual([entries[1]!.oid]);
      expect(await changedPaths(dir, entries[0]!.oid)).toEqual(paths);
      expect(r.stderr).toContain(`(commit ${entries[0]!.oid.slice(0, 7)})`);
      expect(gitStatus(dir)).toBe('');
    }
  });

  test('reading commands and refused writes make no commit', async () => {
    const dir = seedRepo();
    const before = (await log(dir)).length;
    for (const args of [['list'], ['show', 'acme-srl'], ['search', 'acme'], ['validate'], ['set', 'jane-roe', 'status=bogus'], ['delete', 'acme-srl', '--yes'], ['lead', 'add', 'X', '--dry-run']]) crm(dir, args);
    expect((await log(dir)).length).toBe(before);
    expect(gitStatus(dir)).toBe('');
  });

  test('the commit time is the action time (CRM_NOW)', async () => {
    const dir = seedRepo();
    expect(crm(dir, ['lead', 'add', 'Timed'], { CRM_NOW: '2027-01-02T03:04:05Z' }).code).toBe(0);
    const [head] = await log(dir);
    expect(head!.commit.author.timestamp).toBe(Date.parse('2027-01-02T03:04:05Z') / 1000);
    expect(read(dir, 'leads/timed.md')).toMatch(/^created: 2027-01-02T03:04:05Z$/m);
  });
});

describe('the author', () => {
  test('CRM_USER as a crm.yaml handle: that user, and the handle in history', async () => {
    const dir = seedRepo();
    expect(crm(dir, ['set', 'jane-roe', 'status=contacted'], { CRM_USER: 'giulia' }).code).toBe(0);
    const { commit } = await git.readCommit({ fs, dir, oid: (await log(dir))[0]!.oid });
    expect(commit.author).toMatchObject({ name: 'Giulia Bianchi', email: 'giulia@seed.example' });
    expect(read(dir, 'leads/jane-roe.md')).toMatch(/from: new, to: contacted, by: giulia\}/);
  });

  test('CRM_USER as an email of a crm.yaml user', async () => {
    const dir = seedRepo();
    expect(crm(dir, ['lead', 'add', 'By Email'], { CRM_USER: 'marco@seed.example' }).code).toBe(0);
    expect((await log(dir))[0]!.commit.author).toMatchObject({ name: 'Marco Rossi', email: 'marco@seed.example' });
    expect(read(dir, 'leads/by-email.md')).toMatch(/^owner: marco$/m);
  });

  test('CRM_USER as "Name <email>" of someone not in crm.yaml', async () => {
    const dir = seedRepo();
    expect(crm(dir, ['lead', 'add', 'Outsider'], { CRM_USER: 'Ada Lovelace <ada@example.org>' }).code).toBe(0);
    expect((await log(dir))[0]!.commit.author).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.org' });
  });

  test('without CRM_USER: git config of the repository, matched to a crm.yaml user', async () => {
    const dir = seedRepo();
    gitCli(dir, ['config', 'user.name', 'Giulia Bianchi']);
    gitCli(dir, ['config', 'user.email', 'giulia@seed.example']);
    const env = { GIT_AUTHOR_NAME: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_NAME: undefined, GIT_COMMITTER_EMAIL: undefined };
    expect(crm(dir, ['lead', 'add', 'From Git Config'], env).code).toBe(0);
    expect((await log(dir))[0]!.commit.author).toMatchObject({ name: 'Giulia Bianchi', email: 'giulia@seed.example' });
    const text = read(dir, 'leads/from-git-config.md');
    expect(text).toMatch(/^owner: giulia$/m);
    expect(text).toMatch(/by: giulia\}/);
  });

  test('without CRM_USER and not a crm.yaml user: git config as it is, no owner invented', async () => {
    const dir = seedRepo();
    gitCli(dir, ['config', 'user.name', 'Carla Verdi']);
    gitCli(dir, ['config', 'user.email', 'carla@elsewhere.example']);
    const env = { GIT_AUTHOR_NAME: undefined, GIT_AUTHOR_EMAIL: undefined };
    expect(crm(dir, ['lead', 'add', 'Unknown Author'], env).code).toBe(0);
    expect((await log(dir))[0]!.commit.author).toMatchObject({ name: 'Carla Verdi', email: 'carla@elsewhere.example' });
    expect(read(dir, 'leads/unknown-author.md')).not.toMatch(/^owner:/m);
  });
});

describe('turning commits off', () => {
  test('--no-commit (before or after the command) writes the file but makes no commit', async () => {
    const dir = seedRepo();
    const before = (await log(dir)).length;
    const r = crm(dir, ['lead', 'add', 'Not Committed', '--no-commit']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not committed: --no-commit/);
    expect(fs.existsSync(join(dir, 'leads/not-committed.md'))).toBe(true);
    expect(crm(dir, ['--no-commit', 'set', 'jane-roe', 'score=1']).code).toBe(0);
    expect((await log(dir)).length).toBe(before);
    expect(porcelain(dir)).toEqual([' M leads/jane-roe.md', '?? leads/not-committed.md']);
  });

  test('crm.yaml git: {commit: false}', async () => {
    const dir = seedRepo('git: {commit: false}\n');
    const before = (await log(dir)).length;
    const r = crm(dir, ['lead', 'add', 'Quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not committed: crm.yaml has git.commit: false/);
    expect(crm(dir, ['delete', 'jane-roe', '--yes']).code).toBe(0);
    expect((await log(dir)).length).toBe(before);
    expect(porcelain(dir)).toEqual([' D leads/jane-roe.md', '?? leads/quiet.md']);
  });

  test('init --no-commit', async () => {
    const dir = emptyRepo();
    const sub = join(dir, 'sub');
    const r = crm(dir, ['--no-commit', 'init', 'sub', '--timezone', 'UTC']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(join(sub, 'crm.yaml'))).toBe(true);
    expect((await log(dir)).length).toBe(1);
  });
});
