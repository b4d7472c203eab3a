/**
 * `crm lead convert` end to end through the built binary: duplicates of each
 * kind (exit 3 with the candidates, then an explicit choice), a conversion
 * that fails half-way, idempotent re-conversion, one commit per action.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, commits, crm, emptyRepo, EXAMPLE, exampleRepo, git, gitStatus, NOW, read } from './helpers.js';

afterAll(cleanup);

/** Every file of the repository (not .git, not .crm) and its text. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      if (rel === '' && (e.name === '.git' || e.name === '.crm')) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(p, readFileSync(join(dir, p), 'utf8'));
    }
  };
  walk('');
  return out;
}

function ok(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = crm(dir, args, env);
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

function repoWithLead(extra: string[] = []): string {
  const dir = emptyRepo();
  ok(dir, ['lead', 'add', 'Jane Roe', '--company', 'Acme Srl', '--email', 'jane@acme.example', '--phone', '+39 02 1234 5678', '--title', 'CFO', '--source', 'web', ...extra]);
  return dir;
}

function expectNothingWritten(dir: string, before: Map<string, string>, log: string[]) {
  expect(snapshot(dir)).toEqual(before);
  expect(commits(dir)).toEqual(log);
  expect(gitStatus(dir)).toBe('');
}

describe('crm lead convert: a new customer', () => {
  it('creates account, contact and opportunity in one commit and marks the lead converted', () => {
    const dir = repoWithLead();
    const log = commits(dir);
    const r = ok(dir, ['lead', 'convert', 'jane-roe', '--amount', '24000', '--close', '2026-12-15']);
    expect(r.stdout).toContain('account      acme-srl');
    expect(r.stderr).toMatch(/Converted lead jane-roe \(commit [0-9a-f]{7}\)/);
    expect(commits(dir)).toEqual(['crm: convert lead jane-roe → contact jane-roe, account acme-srl, opportunity acme-srl-new-deal', ...log]);
    expect(git(dir, ['show', '--name-status', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual([
      'A\taccounts/acme-srl.md',
      'A\tcontacts/jane-roe.md',
      'A\topportunities/acme-srl-new-deal.md',
      'M\tleads/jane-roe.md',
    ]);
    expect(gitStatus(dir)).toBe('');
    expect(read(dir, 'opportunities/acme-srl-new-deal.md')).toBe(
      [
        '---',
        'name: "Acme Srl: new deal"',
        'account: acme-srl',
        'contacts: [jane-roe]',
        'amount: 24000',
        'stage: prospecting',
        'expected_close: 2026-12-15',
        'lead: jane-roe',
        'source: web',
        'owner: test',
        `created: ${NOW}`,
        'history:',
        `  - {at: ${NOW}, to: prospecting, by: test, note: from lead jane-roe}`,
        '---',
        '',
      ].join('\n'),
    );
    const lead = read(dir, 'leads/jane-roe.md');
    expect(lead).toContain('status: converted\n');
    expect(lead).toContain(`converted:\n  at: ${NOW}\n  account: acme-srl\n  contact: jane-roe\n  opportunity: acme-srl-new-deal\n`);
    expect(lead).toContain(`  - {at: ${NOW}, from: new, to: converted, by: test, note: "to contact jane-roe, account acme-srl, opportunity acme-srl-new-deal"}`);
    expect(read(dir, 'contacts/jane-roe.md')).toContain('account: acme-srl\n');
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  it('--json prints the result; --no-opportunity, --stage and --name are honoured', () => {
    const dir = repoWithLead();
    const r = ok(dir, ['lead', 'convert', 'jane-roe', '--no-opportunity', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ lead: 'jane-roe', account: 'acme-srl', contact: 'jane-roe', opportunity: null, linked: [], differences: [] });
    expect(j.created.map((c: { path: string }) => c.path)).toEqual(['accounts/acme-srl.md', 'contacts/jane-roe.md']);
    expect(existsSync(join(dir, 'opportunities/acme-srl-new-deal.md'))).toBe(false);
    expect(commits(dir)[0]).toBe('crm: convert lead jane-roe → contact jane-roe, account acme-srl, no opportunity');

    const dir2 = repoWithLead();
    ok(dir2, ['lead', 'convert', 'jane-roe', '--stage', 'proposal', '--name', 'Acme ERP rollout']);
    expect(read(dir2, 'opportunities/acme-erp-rollout.md')).toContain('stage: proposal\n');
  });

  it('a lead without a company becomes a person account (B2C)', () => {
    const dir = emptyRepo();
    ok(dir, ['lead', 'add', 'Mario Rossi', '--email', 'mario.rossi@gmail.com', '--source', 'social']);
    ok(dir, ['lead', 'convert', 'mario-rossi']);
    const account = read(dir, 'accounts/mario-rossi.md');
    expect(account).toContain('name: Mario Rossi\nkind: person\n');
    expect(account).toContain('email: mario.rossi@gmail.com\n');
    expect(read(dir, 'opportunities/mario-rossi-new-deal.md')).toContain('name: "Mario Rossi: new deal"\n');
  });

  it('--dry-run prints the plan and writes nothing', () => {
    const dir = repoWithLead();
    const before = snapshot(dir);
    const log = commits(dir);
    const r = ok(dir, ['lead', 'convert', 'jane-roe', '--dry-run']);
    expect(r.stdout).toContain('create accounts/acme-srl.md');
    expect(r.stdout).toContain('create contacts/jane-roe.md');
    expect(r.stdout).toContain('create opportunities/acme-srl-new-deal.md');
    expect(r.stdout).toContain('change leads/jane-roe.md\n  -status: new\n  +status: converted');
    expect(r.stderr).toContain('nothing was written');
    expectNothingWritten(dir, before, log);
    const j = JSON.parse(ok(dir, ['lead', 'convert', 'jane-roe', '--dry-run', '--json']).stdout);
    expect(j.dry_run).toBe(true);
    expect(j.changes).toEqual([
      { path: 'accounts/acme-srl.md', action: 'create' },
      { path: 'contacts/jane-roe.md', action: 'create' },
      { path: 'opportunities/acme-srl-new-deal.md', action: 'create' },
      { path: 'leads/jane-roe.md', action: 'change' },
    ]);
    expectNothingWritten(dir, before, log);
  });

  it('converting a converted lead prints its links and changes nothing', () => {
    const dir = repoWithLead();
    ok(dir, ['lead', 'convert', 'jane-roe']);
    const before = snapshot(dir);
    const log = commits(dir);
    const r = ok(dir, ['lead', 'convert', 'jane-roe', '--new-account']);
    expect(r.stdout).toContain('Lead jane-roe was already converted');
    expect(r.stdout).toContain('opportunity  acme-srl-new-deal');
    expect(r.stderr).toContain('Nothing changed.');
    const j = JSON.parse(ok(dir, ['lead', 'convert', 'jane-roe', '--json']).stdout);
    expect(j).toMatchObject({ lead: 'jane-roe', account: 'acme-srl', contact: 'jane-roe', opportunity: 'acme-srl-new-deal', created: [], already_converted: true });
    expectNothingWritten(dir, before, log);
  });

  it('the lead\'s interactions gain references to the new contact and opportunity, in the same commit', () => {
    const dir = repoWithLead();
    mkdirSync(join(dir, 'interactions/2026/11'), { recursive: true });
    const call = ['---', 'kind: call', 'at: 2026-11-10T09:00:00Z', 'direction: outbound', 'subject: First call', 'lead: jane-roe', 'created: 2026-11-10T09:00:00Z', '---', 'Interested in the ERP.', ''].join('\n');
    writeFileSync(join(dir, 'interactions/2026/11/call-jane.md'), call);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'a call']);
    ok(dir, ['lead', 'convert', 'jane-roe']);
    const after = read(dir, 'interactions/2026/11/call-jane.md');
    expect(after).toBe(
      ['---', 'kind: call', 'at: 2026-11-10T09:00:00Z', 'direction: outbound', 'subject: First call', 'contacts: [jane-roe]', 'lead: jane-roe', 'opportunity: acme-srl-new-deal', 'created: 2026-11-10T09:00:00Z', `updated: ${NOW}`, '---', 'Interested in the ERP.', ''].join('\n'),
    );
    expect(git(dir, ['show', '--name-only', '--format=', 'HEAD'])).toContain('interactions/2026/11/call-jane.md');
    expect(gitStatus(dir)).toBe('');
  });
});

describe('crm lead convert: duplicates', () => {
  it('same email → a strong contact candidate: exit 3 with JSON candidates, then --contact links', () => {
    const dir = repoWithLead();
    ok(dir, ['contact', 'add', 'Jane R.', '--email', 'JANE@Acme.example', '--phone', '333 000 1111']);
    const before = snapshot(dir);
    const log = commits(dir);
    const r = crm(dir, ['lead', 'convert', 'jane-roe', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({
      lead: 'jane-roe',
      candidates: { accounts: [], contacts: [{ id: 'jane-r', name: 'Jane R.', reason: 'same email jane@acme.example', strength: 'strong' }] },
    });
    expect(r.stderr).toContain('--contact jane-r or --new-contact');
    const text = crm(dir, ['lead', 'convert', 'jane-roe']);
    expect(text.code).toBe(3);
    expect(text.stderr).toContain('contact jane-r (Jane R.): same email jane@acme.example [strong]');
    expectNothingWritten(dir, before, log);

    const linked = JSON.parse(ok(dir, ['lead', 'convert', 'jane-roe', '--contact', 'jane-r', '--json']).stdout);
    expect(linked.contact).toBe('jane-r');
    expect(linked.linked).toEqual([{ type: 'contact', id: 'jane-r', path: 'contacts/jane-r.md', filled: ['title', 'account'] }]);
    expect(linked.differences).toEqual([
      { type: 'contact', id: 'jane-r', field: 'name', existing: 'Jane R.', lead: 'Jane Roe' },
      { type: 'contact', id: 'jane-r', field: 'phone', existing: '333 000 1111', lead: '+39 02 1234 5678' },
    ]);
    const contact = read(dir, 'contacts/jane-r.md');
    expect(contact).toContain('name: Jane R.\nemail: JANE@Acme.example\nphone: 333 000 1111\ntitle: CFO\naccount: acme-srl\n');
    expect(existsSync(join(dir, 'contacts/jane-roe.md'))).toBe(false);
    expect(commits(dir)[0]).toBe('crm: convert lead jane-roe → contact jane-r, account acme-srl, opportunity acme-srl-new-deal');
    expect(gitStatus(dir)).toBe('');
  });

  it('same phone → a weak contact candidate; --new-contact creates a new one anyway', () => {
    const dir = repoWithLead();
    ok(dir, ['contact', 'add', 'Switchboard', '--phone', '0039 02 12345678']);
    const r = crm(dir, ['lead', 'convert', 'jane-roe', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).candidates.contacts).toEqual([{ id: 'switchboard', name: 'Switchboard', reason: 'same phone 0039 02 12345678', strength: 'weak' }]);
    ok(dir, ['lead', 'convert', 'jane-roe', '--new-contact']);
    expect(existsSync(join(dir, 'contacts/jane-roe.md'))).toBe(true);
    expect(read(dir, 'contacts/switchboard.md')).not.toContain('account:');
  });

  it('same website domain → an account candidate; --account links without overwriting anything', () => {
    const dir = repoWithLead();
    ok(dir, ['account', 'add', 'Acme Industries', '--website', 'https://www.acme.example/']);
    const accountBefore = read(dir, 'accounts/acme-industries.md');
    const r = crm(dir, ['lead', 'convert', 'jane-roe', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).candidates).toEqual({
      accounts: [{ id: 'acme-industries', name: 'Acme Industries', reason: 'same domain acme.example (website)', strength: 'strong' }],
      contacts: [],
    });
    const j = JSON.parse(ok(dir, ['lead', 'convert', 'jane-roe', '--account', 'acme-industries', '--json']).stdout);
    expect(j.account).toBe('acme-industries');
    expect(j.differences).toEqual([{ type: 'account', id: 'acme-industries', field: 'name', existing: 'Acme Industries', lead: 'Acme Srl' }]);
    expect(read(dir, 'accounts/acme-industries.md')).toBe(accountBefore);
    expect(read(dir, 'opportunities/acme-srl-new-deal.md')).toContain('account: acme-industries\n');
    expect(commits(dir)[0]).toBe('crm: convert lead jane-roe → contact jane-roe, account acme-industries, opportunity acme-srl-new-deal');
  });

  it('same name with another legal form → a weak account candidate; --new-account creates one', () => {
    const dir = repoWithLead();
    ok(dir, ['account', 'add', 'ACME S.p.A.']);
    const r = crm(dir, ['lead', 'convert', 'jane-roe', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).candidates.accounts).toEqual([{ id: 'acme-s-p-a', name: 'ACME S.p.A.', reason: 'same name ignoring legal form ("ACME S.p.A.")', strength: 'weak' }]);
    ok(dir, ['lead', 'convert', 'jane-roe', '--new-account']);
    expect(read(dir, 'accounts/acme-srl.md')).toContain('name: Acme Srl\n');
  });

  it('free-mail domains are not duplicates', () => {
    const dir = emptyRepo();
    ok(dir, ['account', 'add', 'Bar Sport', '--email', 'barsport@gmail.com']);
    ok(dir, ['lead', 'add', 'Luca Neri', '--company', 'Neri Costruzioni', '--email', 'luca.neri@gmail.com']);
    const r = ok(dir, ['lead', 'convert', 'luca-neri']);
    expect(r.stdout).toContain('created');
    expect(existsSync(join(dir, 'accounts/neri-costruzioni.md'))).toBe(true);
  });

  it('an unknown --account suggests close ids and writes nothing', () => {
    const dir = repoWithLead();
    ok(dir, ['account', 'add', 'Acme Industries', '--website', 'acme.example']);
    const before = snapshot(dir);
    const r = crm(dir, ['lead', 'convert', 'jane-roe', '--account', 'acme-industrie']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no account with id "acme-industrie"');
    expect(r.stderr).toContain('account/acme-industries');
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unknown lead suggests close ids', () => {
    const dir = repoWithLead();
    const r = crm(dir, ['lead', 'convert', 'jane-rue']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lead/jane-roe');
  });

  it('on a terminal it asks: numbered choices, link, new, or cancel', async () => {
    const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
    if (!hasScript) return; // no util-linux `script`: nothing to drive a terminal with
    const dir = repoWithLead();
    ok(dir, ['contact', 'add', 'Jane R.', '--email', 'jane@acme.example']);
    ok(dir, ['account', 'add', 'ACME S.p.A.']);
    const run = (answers: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CRM_NOW: NOW, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Test Runner', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test Runner', GIT_COMMITTER_EMAIL: 'test@example.com' };
        delete env.CRM_REPO;
        const child = spawn('script', ['-qec', `${process.execPath} ${BIN} lead convert jane-roe`, '/dev/null'], { cwd: dir, env });
        let out = '';
        let asked = 0;
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const prompts = out.split('/n/c] ').length - 1;
          while (asked < prompts && asked < answers.length) child.stdin.write(`${answers[asked++]}\r`);
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, out });
        });
      });
    const before = snapshot(dir);
    const cancelled = await run(['c']);
    expect(cancelled.out).toContain('1)  jane-r');
    expect(cancelled.code).toBe(130);
    expect(snapshot(dir)).toEqual(before);

    const chosen = await run(['x', '1', 'n']);
    expect(chosen.out).toContain('Please answer 1, n or c.');
    expect(chosen.out).toContain('Accounts that may already be');
    expect(chosen.code).toBe(0);
    expect(commits(dir)[0]).toBe('crm: convert lead jane-roe → contact jane-r, account acme-srl, opportunity acme-srl-new-deal');
    expect(gitStatus(dir)).toBe('');
  });
});

describe('crm lead convert: nothing changes when it fails', () => {
  it('a failure half-way through writing puts every file back and makes no commit', () => {
    const dir = repoWithLead();
    // opportunities/ is a dangling symlink: the account and contact are written, then the opportunity fails
    rmSync(join(dir, 'opportunities'), { recursive: true, force: true });
    symlinkSync(join(dir, 'no-such-dir'), join(dir, 'opportunities'));
    const before = snapshot(dir);
    const log = commits(dir);
    const status = gitStatus(dir);
    const r = crm(dir, ['lead', 'convert', 'jane-roe']);
    expect(r.code).not.toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, 'accounts/acme-srl.md'))).toBe(false);
    expect(existsSync(join(dir, 'contacts/jane-roe.md'))).toBe(false);
    expect(commits(dir)).toEqual(log);
    expect(gitStatus(dir)).toBe(status);
    expect(readdirSync(join(dir, '.crm/tmp'))).toEqual([]);
  });

  it('bad --stage, --close or --amount: exit 2 and nothing written', () => {
    const dir = repoWithLead();
    const before = snapshot(dir);
    const log = commits(dir);
    const stage = crm(dir, ['lead', 'convert', 'jane-roe', '--stage', 'signed']);
    expect(stage.code).toBe(2);
    expect(stage.stderr).toContain('prospecting, qualification, proposal, negotiation, won (won), lost (lost)');
    expect(crm(dir, ['lead', 'convert', 'jane-roe', '--stage', 'won']).code).toBe(2);
    expect(crm(dir, ['lead', 'convert', 'jane-roe', '--close', '2026-02-30']).code).toBe(2);
    expect(crm(dir, ['lead', 'convert', 'jane-roe', '--amount', 'lots']).code).toBe(2);
    expect(crm(dir, ['lead', 'convert', 'jane-roe', '--account', 'x', '--new-account']).code).toBe(2);
    expectNothingWritten(dir, before, log);
  });

  it('a disqualified lead needs --reopen', () => {
    const dir = repoWithLead();
    ok(dir, ['lead', 'disqualify', 'jane-roe', '--reason', 'no budget']);
    const before = snapshot(dir);
    const r = crm(dir, ['lead', 'convert', 'jane-roe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--reopen');
    expect(snapshot(dir)).toEqual(before);
    ok(dir, ['lead', 'convert', 'jane-roe', '--reopen']);
    expect(read(dir, 'leads/jane-roe.md')).not.toContain('disqualified_reason');
  });

  it('editing a converted lead with crm set needs --force', () => {
    const dir = repoWithLead();
    ok(dir, ['lead', 'convert', 'jane-roe']);
    expect(crm(dir, ['set', 'lead/jane-roe', 'score=5']).code).toBe(2);
  });
});

describe.skipIf(!existsSync(join(EXAMPLE, 'crm.yaml')))('crm lead convert on the example repository', () => {
  it('converts an open lead of the example into valid records in one commit', () => {
    const dir = exampleRepo();
    const leads = readdirSync(join(dir, 'leads')).filter((f) => /status: (new|contacted|qualified)\n/.test(readFileSync(join(dir, 'leads', f), 'utf8')));
    expect(leads.length).toBeGreaterThan(0);
    const id = leads[0]!.replace(/\.md$/, '');
    const log = commits(dir);
    let r = crm(dir, ['lead', 'convert', id, '--json']);
    if (r.code === 3) r = crm(dir, ['lead', 'convert', id, '--new-account', '--new-contact', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(commits(dir)).toEqual([`crm: convert lead ${id} → contact ${j.contact}, account ${j.account}, opportunity ${j.opportunity}`, ...log]);
    expect(gitStatus(dir)).toBe('');
    expect(statSync(join(dir, `opportunities/${j.opportunity}.md`)).isFile()).toBe(true);
    const v = crm(dir, ['validate']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});
