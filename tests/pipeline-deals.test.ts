/** `crm opp move|win|lose` and `crm account churn|reactivate` end to end through the built binary. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, commits, crm, emptyRepo, EXAMPLE, exampleRepo, git, gitStatus, NOW, read } from './helpers.js';

afterAll(cleanup);

function ok(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = crm(dir, args, env);
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

/** An account (prospect) with one deal in proposal. */
function repo(): string {
  const dir = emptyRepo();
  ok(dir, ['account', 'add', 'Acme Srl']);
  ok(dir, ['opp', 'add', 'Acme ERP', '--account', 'acme-srl', '--amount', '24000', '--stage', 'proposal']);
  return dir;
}

function unchanged(dir: string, args: string[], code: number): string {
  const files = [read(dir, 'opportunities/acme-erp.md'), read(dir, 'accounts/acme-srl.md')];
  const log = commits(dir);
  const r = crm(dir, args);
  expect(r.code, r.stderr).toBe(code);
  expect([read(dir, 'opportunities/acme-erp.md'), read(dir, 'accounts/acme-srl.md')]).toEqual(files);
  expect(commits(dir)).toEqual(log);
  return r.stderr;
}

describe('crm opp move', () => {
  it('moves forward and backward, recording each move in one commit', () => {
    const dir = repo();
    ok(dir, ['opp', 'move', 'acme-erp', 'negotiation']);
    ok(dir, ['opp', 'move', 'acme-erp', 'qualification', '--note', 'scope reopened']);
    const opp = read(dir, 'opportunities/acme-erp.md');
    expect(opp).toContain('stage: qualification\n');
    expect(opp).toContain(`  - {at: ${NOW}, from: proposal, to: negotiation, by: test}\n  - {at: ${NOW}, from: negotiation, to: qualification, by: test, note: scope reopened}\n`);
    expect(commits(dir).slice(0, 2)).toEqual(['crm: move opportunity acme-erp negotiation → qualification', 'crm: move opportunity acme-erp proposal → negotiation']);
    expect(gitStatus(dir)).toBe('');
  });

  it('an unknown stage lists the stages; exit 2, nothing written', () => {
    const dir = repo();
    const err = unchanged(dir, ['opp', 'move', 'acme-erp', 'signed'], 2);
    expect(err).toContain('"signed" is not a stage of this pipeline');
    expect(err).toContain('prospecting, qualification, proposal, negotiation, won (won), lost (lost)');
  });

  it('the same stage: says so, exit 0', () => {
    const dir = repo();
    expect(unchanged(dir, ['opp', 'move', 'acme-erp', 'proposal'], 0)).toContain('already in stage proposal');
  });

  it('moving into lost is losing: it needs a reason', () => {
    const dir = repo();
    unchanged(dir, ['opp', 'move', 'acme-erp', 'lost'], 2);
    ok(dir, ['opp', 'move', 'acme-erp', 'lost', '--reason', 'price']);
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('closed_on: 2026-11-20\nlost_reason: price\n');
  });

  it('unknown ids suggest close ones', () => {
    const dir = repo();
    const err = unchanged(dir, ['opp', 'move', 'acme-erb', 'won'], 2);
    expect(err).toContain('Did you mean opportunity/acme-erp');
  });
});

describe('crm opp win / lose', () => {
  it('winning sets closed_on and the amount, and makes the account a customer in the same commit', () => {
    const dir = repo();
    const r = ok(dir, ['opp', 'win', 'acme-erp', '--amount', '26000']);
    expect(r.stderr).toContain('account acme-srl is now a customer');
    const opp = read(dir, 'opportunities/acme-erp.md');
    expect(opp).toContain('amount: 26000\nstage: won\nclosed_on: 2026-11-20\n');
    const account = read(dir, 'accounts/acme-srl.md');
    expect(account).toContain('status: customer\n');
    expect(account).toContain(`  - {at: ${NOW}, from: prospect, to: customer, by: test, note: won acme-erp}\n`);
    expect(commits(dir)[0]).toBe('crm: win opportunity acme-erp (26,000 EUR); account acme-srl becomes a customer');
    expect(git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual(['accounts/acme-srl.md', 'opportunities/acme-erp.md']);
    expect(gitStatus(dir)).toBe('');
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  it('a second won deal leaves a customer account alone', () => {
    const dir = repo();
    ok(dir, ['opp', 'add', 'Acme support', '--account', 'acme-srl', '--amount', '3000']);
    ok(dir, ['opp', 'win', 'acme-erp']);
    const account = read(dir, 'accounts/acme-srl.md');
    ok(dir, ['opp', 'win', 'acme-support']);
    expect(read(dir, 'accounts/acme-srl.md')).toBe(account);
    expect(commits(dir)[0]).toBe('crm: win opportunity acme-support (3,000 EUR)');
  });

  it('closing in crm.yaml\'s time zone: late evening UTC is already tomorrow in Rome', () => {
    const dir = repo();
    ok(dir, ['opp', 'win', 'acme-erp'], { CRM_NOW: '2026-11-20T23:30:00Z' });
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('closed_on: 2026-11-21\n');
  });

  it('--on backdates the close (not into the future)', () => {
    const dir = repo();
    unchanged(dir, ['opp', 'win', 'acme-erp', '--on', '2026-11-25'], 2);
    unchanged(dir, ['opp', 'win', 'acme-erp', '--on', '2026-11-31'], 2);
    ok(dir, ['opp', 'win', 'acme-erp', '--on', '2026-11-20']);
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('closed_on: 2026-11-20\n');
  });

  it('losing needs --reason and sets lost_reason', () => {
    const dir = repo();
    expect(unchanged(dir, ['opp', 'lose', 'acme-erp'], 2)).toContain('--reason');
    ok(dir, ['opp', 'lose', 'acme-erp', '--reason', 'went with a competitor']);
    const opp = read(dir, 'opportunities/acme-erp.md');
    expect(opp).toContain('stage: lost\nclosed_on: 2026-11-20\nlost_reason: went with a competitor\n');
    expect(opp).toContain('note: went with a competitor}');
    expect(read(dir, 'accounts/acme-srl.md')).toContain('status: prospect\n');
    expect(commits(dir)[0]).toBe('crm: lose opportunity acme-erp: went with a competitor');
  });

  it('winning a lost deal, losing a won one, or reopening needs --reopen', () => {
    const dir = repo();
    ok(dir, ['opp', 'lose', 'acme-erp', '--reason', 'price']);
    expect(unchanged(dir, ['opp', 'win', 'acme-erp'], 2)).toContain('--reopen');
    unchanged(dir, ['opp', 'move', 'acme-erp', 'negotiation'], 2);
    ok(dir, ['opp', 'move', 'acme-erp', 'negotiation', '--reopen']);
    const opp = read(dir, 'opportunities/acme-erp.md');
    expect(opp).toContain('stage: negotiation\n');
    expect(opp).not.toContain('closed_on');
    expect(opp).not.toContain('lost_reason');
    expect(commits(dir)[0]).toBe('crm: reopen opportunity acme-erp lost → negotiation');
    ok(dir, ['opp', 'win', 'acme-erp']);
    unchanged(dir, ['opp', 'lose', 'acme-erp', '--reason', 'x'], 2);
    ok(dir, ['opp', 'lose', 'acme-erp', '--reason', 'cancelled after signing', '--reopen']);
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('stage: lost\n');
    expect(gitStatus(dir)).toBe('');
  });

  it('already won: says so and exits 0', () => {
    const dir = repo();
    ok(dir, ['opp', 'win', 'acme-erp']);
    expect(unchanged(dir, ['opp', 'win', 'acme-erp'], 0)).toContain('already in stage won');
  });

  it('--dry-run shows both files and writes nothing', () => {
    const dir = repo();
    const files = [read(dir, 'opportunities/acme-erp.md'), read(dir, 'accounts/acme-srl.md')];
    const r = ok(dir, ['opp', 'win', 'acme-erp', '--dry-run']);
    expect(r.stdout).toContain('change opportunities/acme-erp.md');
    expect(r.stdout).toContain('change accounts/acme-srl.md\n  -status: prospect\n  +status: customer');
    expect([read(dir, 'opportunities/acme-erp.md'), read(dir, 'accounts/acme-srl.md')]).toEqual(files);
  });
});

describe('crm account churn / reactivate', () => {
  it('customer → former → customer, with the reason kept while former', () => {
    const dir = repo();
    ok(dir, ['opp', 'win', 'acme-erp']);
    ok(dir, ['account', 'churn', 'acme-srl', '--reason', 'moved to a competitor']);
    let account = read(dir, 'accounts/acme-srl.md');
    expect(account).toContain('status: former\n');
    expect(account).toContain('churn_reason: moved to a competitor\n');
    expect(commits(dir)[0]).toBe('crm: churn account acme-srl: moved to a competitor');
    ok(dir, ['account', 'reactivate', 'acme-srl']);
    account = read(dir, 'accounts/acme-srl.md');
    expect(account).toContain('status: customer\n');
    expect(account).not.toContain('churn_reason');
    expect(account).toContain(`from: customer, to: former, by: test, note: moved to a competitor}\n  - {at: ${NOW}, from: former, to: customer, by: test}\n`);
    expect(commits(dir)[0]).toBe('crm: reactivate account acme-srl (former → customer)');
    expect(gitStatus(dir)).toBe('');
  });

  it('churning a prospect or reactivating a customer that never left: exit 2; churn needs --reason', () => {
    const dir = repo();
    expect(unchanged(dir, ['account', 'churn', 'acme-srl', '--reason', 'x'], 2)).toContain('not a customer');
    expect(unchanged(dir, ['account', 'reactivate', 'acme-srl'], 2)).toContain('not a former customer');
    ok(dir, ['opp', 'win', 'acme-erp']);
    unchanged(dir, ['account', 'churn', 'acme-srl'], 2);
    expect(unchanged(dir, ['account', 'reactivate', 'acme-srl'], 0)).toContain('already customer');
  });

  it('a former customer who wins a new deal becomes a customer again', () => {
    const dir = repo();
    ok(dir, ['opp', 'win', 'acme-erp']);
    ok(dir, ['account', 'churn', 'acme-srl', '--reason', 'budget cuts']);
    ok(dir, ['opp', 'add', 'Acme renewal', '--account', 'acme-srl', '--amount', '5000']);
    ok(dir, ['opp', 'win', 'acme-renewal']);
    const account = read(dir, 'accounts/acme-srl.md');
    expect(account).toContain('status: customer\n');
    expect(account).not.toContain('churn_reason');
    expect(commits(dir)[0]).toBe('crm: win opportunity acme-renewal (5,000 EUR); account acme-srl becomes a customer');
  });
});

describe.skipIf(!existsSync(join(EXAMPLE, 'crm.yaml')))('deals on the example repository', () => {
  it('moves, wins and loses open deals of the example; the repository stays valid', () => {
    const dir = exampleRepo();
    const open = readdirSync(join(dir, 'opportunities'))
      .map((f) => ({ id: f.replace(/\.md$/, ''), text: readFileSync(join(dir, 'opportunities', f), 'utf8') }))
      .filter((o) => /^stage: (prospecting|qualification|proposal|negotiation)$/m.test(o.text) && /^account: /m.test(o.text));
    expect(open.length).toBeGreaterThan(2);
    const [a, b, c] = open as [(typeof open)[0], (typeof open)[0], (typeof open)[0]];
    const log = commits(dir);
    ok(dir, ['opp', 'move', a.id, 'negotiation', '--note', 'pricing agreed'], { CRM_USER: 'giulia' });
    ok(dir, ['opp', 'win', a.id], { CRM_USER: 'giulia' });
    ok(dir, ['opp', 'lose', b.id, '--reason', 'no budget'], { CRM_USER: 'marco' });
    const unknown = crm(dir, ['opp', 'move', c.id, 'signed']);
    expect(unknown.code).toBe(2);
    expect(commits(dir).length).toBe(log.length + (/^stage: negotiation$/m.test(a.text) ? 2 : 3));
    expect(read(dir, `opportunities/${a.id}.md`)).toMatch(/^stage: won$/m);
    expect(read(dir, `opportunities/${a.id}.md`)).toContain('by: giulia');
    const account = /^account: (.+)$/m.exec(a.text)![1]!;
    expect(read(dir, `accounts/${account}.md`)).toMatch(/^status: customer$/m);
    expect(read(dir, `opportunities/${b.id}.md`)).toContain('lost_reason: no budget\n');
    expect(gitStatus(dir)).toBe('');
    const v = crm(dir, ['validate']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});
