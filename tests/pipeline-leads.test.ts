/** `crm lead contact|qualify|disqualify|reopen` end to end through the built binary. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, commits, crm, emptyRepo, git, gitStatus, NOW, read } from './helpers.js';

afterAll(cleanup);

const USERS = `  - {handle: giulia, name: Giulia Bianchi, email: giulia@example.com}\n`;

function ok(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = crm(dir, args, env);
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

function repo(): string {
  const dir = emptyRepo();
  // a second user, so that `by` is visibly the acting user (CRM_USER)
  const yaml = read(dir, 'crm.yaml').replace(/^users:\n/m, `users:\n${USERS}`);
  writeFileSync(join(dir, 'crm.yaml'), yaml);
  git(dir, ['commit', '-qam', 'a second user']);
  ok(dir, ['lead', 'add', 'Jane Roe', '--company', 'Acme Srl']);
  return dir;
}

describe('lead status transitions', () => {
  it('contact → qualify → disqualify: history entries by the acting user, one commit each', () => {
    const dir = repo();
    const log = commits(dir);
    const giulia = { CRM_USER: 'giulia' };
    const a = ok(dir, ['lead', 'contact', 'jane-roe', '--note', 'left a voicemail'], giulia);
    expect(a.stderr).toMatch(/Lead jane-roe: new → contacted \(commit [0-9a-f]{7}\)/);
    ok(dir, ['lead', 'qualify', 'jane-roe', '--reason', 'budget confirmed'], giulia);
    ok(dir, ['lead', 'disqualify', 'jane-roe', '--reason', 'went with a competitor'], giulia);
    const lead = read(dir, 'leads/jane-roe.md');
    expect(lead).toContain('status: disqualified\n');
    expect(lead).toContain('disqualified_reason: went with a competitor\n');
    expect(lead).toContain(
      [
        `  - {at: ${NOW}, to: new, by: test}`,
        `  - {at: ${NOW}, from: new, to: contacted, by: giulia, note: left a voicemail}`,
        `  - {at: ${NOW}, from: contacted, to: qualified, by: giulia, note: budget confirmed}`,
        `  - {at: ${NOW}, from: qualified, to: disqualified, by: giulia, note: went with a competitor}`,
      ].join('\n'),
    );
    expect(commits(dir)).toEqual([
      'crm: disqualify lead jane-roe (qualified → disqualified): went with a competitor',
      'crm: qualify lead jane-roe (contacted → qualified): budget confirmed',
      'crm: mark lead jane-roe contacted (new → contacted)',
      ...log,
    ]);
    expect(gitStatus(dir)).toBe('');
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  it('the same status again says so, changes nothing and exits 0', () => {
    const dir = repo();
    ok(dir, ['lead', 'qualify', 'jane-roe']);
    const before = read(dir, 'leads/jane-roe.md');
    const log = commits(dir);
    const r = crm(dir, ['lead', 'qualify', 'jane-roe']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Lead jane-roe is already qualified; nothing changed.');
    expect(read(dir, 'leads/jane-roe.md')).toBe(before);
    expect(commits(dir)).toEqual(log);
  });

  it('a disqualified lead needs --reopen; reopening clears disqualified_reason', () => {
    const dir = repo();
    ok(dir, ['lead', 'disqualify', 'jane-roe', '--reason', 'no budget']);
    const before = read(dir, 'leads/jane-roe.md');
    const log = commits(dir);
    const r = crm(dir, ['lead', 'qualify', 'jane-roe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lead jane-roe is disqualified');
    expect(r.stderr).toContain('--reopen');
    expect(read(dir, 'leads/jane-roe.md')).toBe(before);
    expect(commits(dir)).toEqual(log);
    ok(dir, ['lead', 'qualify', 'jane-roe', '--reopen', '--note', 'budget approved']);
    const lead = read(dir, 'leads/jane-roe.md');
    expect(lead).toContain('status: qualified\n');
    expect(lead).not.toContain('disqualified_reason');
    expect(lead).toContain(`from: disqualified, to: qualified, by: test, note: budget approved}`);
  });

  it('crm lead reopen goes back to the status before', () => {
    const dir = repo();
    ok(dir, ['lead', 'contact', 'jane-roe']);
    ok(dir, ['lead', 'disqualify', 'jane-roe']);
    ok(dir, ['lead', 'reopen', 'jane-roe']);
    expect(read(dir, 'leads/jane-roe.md')).toContain('status: contacted\n');
    expect(commits(dir)[0]).toBe('crm: reopen lead jane-roe (disqualified → contacted)');
    const again = crm(dir, ['lead', 'reopen', 'jane-roe']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to reopen');
  });

  it('a converted lead cannot be qualified without --reopen', () => {
    const dir = repo();
    ok(dir, ['lead', 'convert', 'jane-roe']);
    const r = crm(dir, ['lead', 'qualify', 'jane-roe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('converted (to account acme-srl, contact jane-roe, opportunity acme-srl-new-deal)');
  });

  it('--json prints the lead; --dry-run shows the change and writes nothing', () => {
    const dir = repo();
    const log = commits(dir);
    const dry = ok(dir, ['lead', 'contact', 'jane-roe', '--dry-run']);
    expect(dry.stdout).toContain('change leads/jane-roe.md\n  -status: new\n  +status: contacted');
    expect(read(dir, 'leads/jane-roe.md')).toContain('status: new\n');
    expect(commits(dir)).toEqual(log);
    const j = JSON.parse(ok(dir, ['lead', 'contact', 'jane-roe', '--json']).stdout);
    expect(j).toMatchObject({ id: 'jane-roe', type: 'lead', status: 'contacted' });
    expect(j.history.at(-1)).toEqual({ at: NOW, from: 'new', to: 'contacted', by: 'test' });
  });

  it('unknown ids and ids of other types: exit 2 with suggestions, nothing written', () => {
    const dir = repo();
    ok(dir, ['contact', 'add', 'Mario Bianchi']);
    const log = commits(dir);
    const typo = crm(dir, ['lead', 'qualify', 'jane-rose']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('no lead with id "jane-rose"');
    expect(typo.stderr).toContain('Did you mean lead/jane-roe');
    expect(crm(dir, ['lead', 'qualify', 'mario-bianchi']).code).toBe(2);
    expect(crm(dir, ['lead', 'qualify', 'contact/mario-bianchi']).code).toBe(2);
    expect(commits(dir)).toEqual(log);
  });

  it('a status missing from crm.yaml\'s list: exit 2', () => {
    const dir = emptyRepo('leads:\n  status: [new, qualified, disqualified, converted]\n');
    ok(dir, ['lead', 'add', 'Jane Roe']);
    const r = crm(dir, ['lead', 'contact', 'jane-roe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"contacted" is not a lead status');
  });
});
