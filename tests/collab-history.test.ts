/**
 * `crm commits [ID]` (who changed what, when) and `crm undo` (revert your
 * last crm commit as a new commit, with a confirmation).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, commits, crm, emptyRepo, git, gitStatus, read, write } from './helpers.js';

const GIULIA = { CRM_USER: 'Giulia Bianchi <giulia@example.com>', CRM_NOW: '2026-11-20T10:00:00Z' };
const MARCO = { CRM_USER: 'Marco Verdi <marco@example.com>', CRM_NOW: '2026-11-20T11:00:00Z' };

function ok(dir: string, args: readonly string[], env = {}): string {
  const r = crm(dir, args, env);
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function repo(): string {
  const dir = emptyRepo();
  ok(dir, ['account', 'add', 'Acme Srl'], GIULIA);
  ok(dir, ['lead', 'add', 'Jane Roe', '--source', 'web'], GIULIA);
  ok(dir, ['set', 'jane-roe', 'status=contacted', 'score=70'], GIULIA);
  ok(dir, ['set', 'acme-srl', 'industry=retail'], MARCO);
  return dir;
}

describe('crm commits', { timeout: 120_000 }, () => {
  afterAll(cleanup);

  it('keeps git commit-graph with changed-path filters, so the log of one record skips the other commits', () => {
    const dir = repo();
    const viaGit = git(dir, ['log', '--format=%H', '--', 'leads/jane-roe.md']).trim().split('\n');
    const r = crm(dir, ['commits', 'jane-roe']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split('\t')[0]!.slice(0, 7))).toEqual(viaGit.map((h) => h.slice(0, 7)));
    expect(existsSync(join(dir, '.git', 'objects', 'info', 'commit-graphs', 'commit-graph-chain'))).toBe(true);
    expect(git(dir, ['commit-graph', 'verify']).trim()).toBe('');
    ok(dir, ['set', 'jane-roe', 'score=80'], GIULIA);
    const h = crm(dir, ['history', 'jane-roe', '--json']);
    expect((JSON.parse(h.stdout) as unknown[]).length).toBe(viaGit.length + 1);
    expect(gitStatus(dir)).toBe('');
  });

  it('lists who changed what and when, for the CRM or one record', () => {
    const dir = repo();
    const all = crm(dir, ['commits']);
    expect(all.code).toBe(0);
    const rows = all.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => [r[2], r[3]])).toEqual([
      ['Marco Verdi', 'crm: set account/acme-srl industry'],
      ['Giulia Bianchi', 'crm: set lead/jane-roe status, score'],
      ['Giulia Bianchi', 'crm: add lead jane-roe "Jane Roe"'],
      ['Giulia Bianchi', 'crm: add account acme-srl "Acme Srl"'],
      ['test', 'crm: init repository'], // the crm.yaml handle of the author
    ]);
    expect(rows[0]![1]).toBe('2026-11-20 12:00'); // Europe/Rome
    expect(rows[0]![0]).toMatch(/^[0-9a-f]{7}$/);
    const one = crm(dir, ['commits', 'jane-roe']);
    expect(one.stdout.trim().split('\n').map((l) => l.split('\t')[3])).toEqual(['crm: set lead/jane-roe status, score', 'crm: add lead jane-roe "Jane Roe"']);
    const mine = crm(dir, ['commits', '--mine', '-n', '1'], MARCO);
    expect(mine.stdout.trim().split('\n').map((l) => l.split('\t')[3])).toEqual(['crm: set account/acme-srl industry']);
  });

  it('prints JSON, and follows a deleted record by TYPE/ID', () => {
    const dir = repo();
    ok(dir, ['delete', 'lead/jane-roe', '--yes'], GIULIA);
    const j = JSON.parse(ok(dir, ['commits', 'lead/jane-roe', '--json'])) as { commit: string; date: string; author: string; email: string; subject: string; crm: boolean }[];
    expect(j.map((c) => c.subject)).toEqual(['crm: delete lead/jane-roe "Jane Roe"', 'crm: set lead/jane-roe status, score', 'crm: add lead jane-roe "Jane Roe"']);
    expect(j[0]).toMatchObject({ author: 'Giulia Bianchi', email: 'giulia@example.com', date: '2026-11-20T10:00:00Z', crm: true });
    expect(j[0]!.commit).toMatch(/^[0-9a-f]{40}$/);
    const missing = crm(dir, ['commits', 'nobody-here']);
    expect(missing.code).toBe(2);
  });
});

describe('crm undo', { timeout: 120_000 }, () => {
  afterAll(cleanup);

  it('needs a confirmation when not on a terminal, and shows the plan with --dry-run', () => {
    const dir = repo();
    const r = crm(dir, ['undo'], GIULIA);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('needs confirmation');
    expect(r.stderr).toContain('--yes');
    const dry = crm(dir, ['undo', '--dry-run'], GIULIA);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toMatch(/Would undo [0-9a-f]{7} "crm: set lead\/jane-roe status, score" \(Giulia Bianchi, 2026-11-20 11:00\):\n {2}restore leads\/jane-roe\.md/);
    expect(commits(dir)).toHaveLength(5);
  });

  it('reverts your last crm commit as a new commit, skipping other people\'s, and again the one before', () => {
    const dir = repo();
    const before = read(dir, 'leads/jane-roe.md');
    const target = git(dir, ['log', '-1', '--format=%H', '--', 'leads/jane-roe.md']).trim();
    const r = crm(dir, ['undo', '--yes'], GIULIA);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Undid [0-9a-f]{7} "crm: set lead\/jane-roe status, score"/);
    expect(commits(dir)[0]).toBe('crm: undo set lead/jane-roe status, score');
    expect(git(dir, ['log', '-1', '--format=%b'])).toContain(`This reverts commit ${target}.`);
    expect(read(dir, 'leads/jane-roe.md')).not.toBe(before);
    expect(read(dir, 'leads/jane-roe.md')).toContain('status: new');
    expect(read(dir, 'leads/jane-roe.md')).not.toContain('score');
    expect(read(dir, 'accounts/acme-srl.md')).toContain('industry: retail'); // Marco's change stays
    expect(gitStatus(dir)).toBe('');
    // Again: the commit before (the lead's creation).
    ok(dir, ['undo', '--yes'], GIULIA);
    expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(false);
    expect(commits(dir)[0]).toBe('crm: undo add lead jane-roe "Jane Roe"');
  });

  it('refuses when a later commit changed the same file, and explains', () => {
    const dir = repo();
    ok(dir, ['set', 'jane-roe', 'score=90'], MARCO);
    ok(dir, ['account', 'add', 'Other Spa'], GIULIA);
    ok(dir, ['set', 'other-spa', 'industry=services'], MARCO);
    // Giulia's last crm commit is "add account other-spa"; Marco changed that file since.
    const r = crm(dir, ['undo', '--yes'], GIULIA);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot undo');
    expect(r.stderr).toContain('"crm: add account other-spa "Other Spa""');
    expect(r.stderr).toMatch(/accounts\/other-spa\.md: changed since by [0-9a-f]{7} "crm: set account\/other-spa industry" \(Marco Verdi, 2026-11-20 12:00\)/);
    expect(r.stderr).toContain('hint: Change the record back by hand');
    expect(commits(dir)[0]).toBe('crm: set account/other-spa industry');
  });

  it('refuses with uncommitted changes, or when the result would leave a dangling reference', () => {
    const dir = repo();
    ok(dir, ['contact', 'add', 'Mario Rossi'], GIULIA);
    write(dir, 'contacts/mario-rossi.md', read(dir, 'contacts/mario-rossi.md').replace('name: Mario Rossi', 'name: Mario Rossi Jr'));
    const dirty = crm(dir, ['undo', '--yes'], GIULIA);
    expect(dirty.code).toBe(1);
    expect(dirty.stderr).toContain('uncommitted changes');
    expect(dirty.stderr).toContain('contacts/mario-rossi.md');
    git(dir, ['checkout', '--', '.']);

    const other = emptyRepo();
    ok(other, ['account', 'add', 'Acme Srl'], GIULIA);
    ok(other, ['contact', 'add', 'Mario Rossi', '--account', 'acme-srl'], MARCO);
    const r = crm(other, ['undo', '--yes'], GIULIA);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('contacts/mario-rossi.md: still refers to account/acme-srl, which the undo removes');
    expect(existsSync(join(other, 'accounts/acme-srl.md'))).toBe(true);
  });

  it('says when there is nothing of yours to undo', () => {
    const dir = emptyRepo();
    const r = crm(dir, ['undo', '--yes'], MARCO);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('there is no crm commit by you (marco@example.com) to undo');
  });
});
