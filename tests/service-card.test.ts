/**
 * The customer card (`crm show ACCOUNT`), the timelines of contacts, leads,
 * opportunities and cases, and `crm history` from git (CLI and
 * isomorphic-git), end to end through the built binary.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { cleanup, commits, crm, emptyRepo, EXAMPLE, exampleRepo, git, gitStatus, write } from './helpers.js';

afterAll(cleanup);
// Each test runs the binary many times; leave room for a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

function ok(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = crm(dir, args, env);
  expect(r.code, `crm ${args.join(' ')}\n${r.stderr}`).toBe(0);
  expect(gitStatus(dir)).toBe('');
  return r;
}

const LEAD = `---
name: Jane Roe
company: Acme Srl
email: jane@acme.example
source: web
status: converted
converted: {at: 2026-10-05T10:00:00Z, account: acme-srl, contact: jane-roe, opportunity: acme-erp}
owner: test
created: 2026-10-01T08:00:00Z
history:
  - {at: 2026-10-01T08:00:00Z, to: new, by: test}
  - {at: 2026-10-03T08:00:00Z, from: new, to: qualified, by: test}
  - {at: 2026-10-05T10:00:00Z, from: qualified, to: converted, by: test}
---
`;

/** An account with a history, contacts, a converted lead, deals, a case, a task and interactions, each made at its own moment. */
function customer(): string {
  const dir = emptyRepo();
  const at = (t: string) => ({ CRM_NOW: t });
  ok(dir, ['account', 'add', 'Acme Srl', '--industry', 'manufacturing', '-m', 'Key account in Brescia.'], at('2026-10-05T10:00:00Z'));
  ok(dir, ['contact', 'add', 'Jane Roe', '--account', 'acme-srl', '--title', 'CFO', '--email', 'jane@acme.example'], at('2026-10-05T10:00:00Z'));
  ok(dir, ['contact', 'add', 'Luca Neri', '--account', 'acme-srl'], at('2026-10-06T10:00:00Z'));
  ok(dir, ['opp', 'add', 'Acme ERP', '--account', 'acme-srl', '--amount', '24000', 'contacts=[jane-roe]'], at('2026-10-05T10:00:00Z'));
  write(dir, 'leads/jane-lead.md', LEAD);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'lead converted by hand']);
  ok(dir, ['set', 'opp/acme-erp', 'lead=jane-lead'], at('2026-10-05T10:00:00Z'));
  ok(dir, ['log', 'email', '--about', 'lead/jane-lead', '--direction', 'out', '--subject', 'Intro', '--at', '2026-10-02 09:00'], at('2026-10-02T08:00:00Z'));
  ok(dir, ['set', 'opp/acme-erp', 'stage=won'], at('2026-11-02T09:00:00Z'));
  ok(dir, ['set', 'acme-srl', 'status=customer'], at('2026-11-02T09:00:00Z'));
  ok(dir, ['opp', 'add', 'Acme renewal', '--account', 'acme-srl', '--amount', '5000', '--stage', 'proposal', '--expected-close', '2026-12-15'], at('2026-11-10T09:00:00Z'));
  ok(dir, ['opp', 'add', 'Acme robots', '--account', 'acme-srl', '--amount', '9999', '--stage', 'lost'], at('2026-11-10T09:00:00Z'));
  ok(dir, ['case', 'open', 'Line down', '--contact', 'jane-roe', '--priority', 'urgent'], at('2026-11-20T07:00:00Z'));
  ok(dir, ['task', 'add', 'Send renewal offer', '--due', '2026-11-19', '--about', 'opp/acme-renewal'], at('2026-11-18T09:00:00Z'));
  ok(dir, ['log', 'call', '--with', 'luca-neri', '--direction', 'out', '--subject', 'Robots lost', '--at', '2026-11-19 15:00'], at('2026-11-19T15:00:00Z'));
  return dir;
}

describe('crm show ACCOUNT: the customer card', () => {
  let dir: string;
  beforeAll(() => {
    dir = customer();
  });

  test('key fields, lifecycle, revenue, contacts, open deals, open cases with SLA, open tasks, history and notes', () => {
    const out = ok(dir, ['show', 'acme-srl']).stdout;
    const lines = out.split('\n');
    expect(lines[0]).toBe('Acme Srl  account acme-srl · accounts/acme-srl.md');
    expect(out).toMatch(/^industry +manufacturing$/m);
    expect(out).toMatch(/^Lifecycle {2}customer since 2026-11-02$/m);
    expect(out).toMatch(/^Lifetime revenue {2}24,000 EUR from 1 won opportunity$/m);
    expect(out).toMatch(/^Contacts \(2\)\n +NAME +TITLE +EMAIL +PHONE +ID\n +Jane Roe +CFO +jane@acme\.example +jane-roe\n +Luca Neri +luca-neri$/m);
    expect(out).toMatch(/^Open opportunities \(1\)\n +NAME +STAGE +AMOUNT +CLOSE +OWNER +ID\n +Acme renewal +proposal +5,000 EUR +2026-12-15 +test +acme-renewal$/m);
    expect(out).toMatch(/^Open cases \(1\)\n +SUBJECT +PRIORITY +STATUS +SLA +OWNER +ID\n +Line down +urgent +new +first response 2h overdue +test +line-down$/m);
    expect(out).toMatch(/^Open tasks \(1\)\n +DUE +WHEN +TASK +OWNER +ID\n +2026-11-19 +overdue +Send renewal offer +test +2026-11-18-task-send-renewal-offer$/m);
    expect(out).toMatch(/^History\n +WHEN +FROM +TO +BY +NOTE\n +2026-10-05 12:00 +prospect +test\n +2026-11-02 10:00 +prospect +customer +test$/m);
    expect(out).toMatch(/^Notes\nKey account in Brescia\.$/m);
    const open = out.slice(out.indexOf('Open opportunities'), out.indexOf('Open cases'));
    expect(open).toMatch(/Acme renewal/);
    expect(open).not.toMatch(/Acme robots|Acme ERP/); // lost and won deals are not open
  });

  test('one timeline, newest first, merging interactions, transitions and the conversion of everything linked', () => {
    const out = ok(dir, ['show', 'acme-srl', '--limit', '0']).stdout;
    const timeline = out.slice(out.indexOf('Timeline ('), out.indexOf('\nHistory'));
    expect(timeline).toMatch(/^Timeline \(15, newest first\)/);
    const whats = timeline.split('\n').slice(2).filter((l) => l.trim()).map((l) => l.trim().replace(/\s{2,}/g, ' | '));
    expect(whats).toEqual([
      '2026-11-20 08:00 | case Line down | case created (new) | test',
      '2026-11-19 15:00 | call | call out with Luca Neri: Robots lost | test',
      '2026-11-18 10:00 | task | task: Send renewal offer (due 2026-11-19) | test',
      '2026-11-10 10:00 | opportunity Acme renewal | opportunity created (proposal) | test',
      '2026-11-10 10:00 | opportunity Acme robots | opportunity created (lost) | test',
      '2026-11-02 10:00 | prospect → customer | test',
      '2026-11-02 10:00 | opportunity Acme ERP | prospecting → won | test',
      '2026-10-06 12:00 | contact Luca Neri | contact created | test',
      '2026-10-05 12:00 | account created (prospect) | test',
      '2026-10-05 12:00 | contact Jane Roe | contact created | test',
      '2026-10-05 12:00 | lead Jane Roe | lead converted → contact Jane Roe, account Acme Srl, opportunity Acme ERP | test',
      '2026-10-05 12:00 | opportunity Acme ERP | opportunity created (prospecting) | test',
      '2026-10-03 10:00 | lead Jane Roe | new → qualified | test',
      '2026-10-02 09:00 | email | email out: Intro | test',
      '2026-10-01 10:00 | lead Jane Roe | lead created (new) | test',
    ]);
    const short = ok(dir, ['show', 'acme-srl', '--limit', '3']).stdout;
    expect(short).toMatch(/^ {2}… 12 older entries \(show them with --limit 0\)$/m);
  });

  test('--json prints the record, references and the card data', () => {
    const json = JSON.parse(ok(dir, ['show', 'acme-srl', '--json']).stdout);
    expect(json).toMatchObject({ id: 'acme-srl', type: 'account', name: 'Acme Srl', status: 'customer', body: '\nKey account in Brescia.\n' });
    const card = json.card;
    expect(card.lifecycle).toEqual({ status: 'customer', customer_since: '2026-11-02T09:00:00Z', churned_on: null, intervals: [{ from: '2026-11-02T09:00:00Z', to: null }] });
    expect(card.lifetime_revenue).toEqual({ amount: 24000, currency: 'EUR', won: 1 });
    expect(card.contacts.map((c: { id: string }) => c.id)).toEqual(['jane-roe', 'luca-neri']);
    expect(card.opportunities).toEqual([{ id: 'acme-renewal', name: 'Acme renewal', stage: 'proposal', amount: 5000, currency: 'EUR', expected_close: '2026-12-15', owner: 'test' }]);
    expect(card.cases[0]).toMatchObject({ id: 'line-down', priority: 'urgent', sla: { state: 'breached', next: { clock: 'first_response', hours_left: -2 } } });
    expect(card.tasks).toEqual([{ id: '2026-11-18-task-send-renewal-offer', subject: 'Send renewal offer', due: '2026-11-19', owner: 'test', bucket: 'overdue' }]);
    expect(card.timeline).toHaveLength(15);
    const instants = card.timeline.map((e: { at: string }) => Date.parse(e.at));
    expect([...instants].sort((a, b) => b - a)).toEqual(instants);
    expect(new Set(card.timeline.map((e: { kind: string }) => e.kind))).toEqual(new Set(['created', 'interaction', 'task', 'transition', 'conversion']));
  });

  test('churn shows on the card', () => {
    const d = customer();
    ok(d, ['set', 'acme-srl', 'status=former', 'churn_reason=moved to a competitor'], { CRM_NOW: '2026-11-15T09:00:00Z' });
    const out = ok(d, ['show', 'acme-srl']).stdout;
    expect(out).toMatch(/^Lifecycle {2}customer 2026-11-02 – 2026-11-15, churned on 2026-11-15 \(moved to a competitor\)$/m);
  });
});

describe('crm show of a contact, lead, opportunity or case: its own timeline', () => {
  let dir: string;
  beforeAll(() => {
    dir = customer();
  });
  const timeline = (out: string) => out.slice(out.indexOf('Timeline ('), out.indexOf('\nHistory') > 0 ? out.indexOf('\nHistory') : undefined);

  test('contact: its case, its deal, the lead converted into it; references resolved', () => {
    const out = ok(dir, ['show', 'jane-roe']).stdout;
    expect(out).toMatch(/^account +Acme Srl \(acme-srl\)$/m);
    expect(out).toMatch(/^Open cases \(1\)/m);
    const t = timeline(out);
    expect(t).toMatch(/case Line down +case created \(new\)/);
    expect(t).toMatch(/opportunity Acme ERP +prospecting → won/);
    expect(t).toMatch(/lead Jane Roe +lead converted → contact Jane Roe/);
    expect(t).not.toMatch(/Robots lost/); // Luca's call is not Jane's
    const json = JSON.parse(ok(dir, ['show', 'jane-roe', '--json']).stdout);
    expect(json.card.account).toEqual({ id: 'acme-srl', name: 'Acme Srl' });
    expect(json.linked_from.map((r: { id: string }) => r.id)).toContain('line-down');
  });

  test('lead: its interactions and its conversion, once', () => {
    const out = ok(dir, ['show', 'lead/jane-lead']).stdout;
    const t = timeline(out);
    expect(t.match(/converted/g)).toHaveLength(1);
    expect(t).toMatch(/email +email out: Intro/);
    expect(out).toMatch(/^converted +at: 2026-10-05 12:00, account: Acme Srl \(acme-srl\), contact: Jane Roe \(jane-roe\), opportunity: Acme ERP \(acme-erp\)$/m);
  });

  test('opportunity: its stages and the lead it came from', () => {
    const t = timeline(ok(dir, ['show', 'opp/acme-erp']).stdout);
    expect(t).toMatch(/^ +2026-11-02 10:00 +prospecting → won/m);
    expect(t).toMatch(/lead Jane Roe +new → qualified/);
  });

  test('case: its SLA and its timeline', () => {
    const out = ok(dir, ['show', 'case/line-down']).stdout;
    expect(out).toMatch(/^SLA {2}first response 2h overdue \(urgent: first response 1h, resolution 8h\)$/m);
    expect(timeline(out)).toMatch(/case created \(new\)/);
    const json = JSON.parse(ok(dir, ['show', 'case/line-down', '--json']).stdout);
    expect(json.card.sla.resolution).toMatchObject({ state: 'running', hours_left: 5, due_at: '2026-11-20T15:00:00Z' });
  });

  test('unknown ids suggest the closest', () => {
    const r = crm(dir, ['show', 'acme-sr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no record with id "acme-sr"[\s\S]*Did you mean account\/acme-srl/);
  });
});

describe('crm history', () => {
  let dir: string;
  beforeAll(() => {
    dir = emptyRepo();
    ok(dir, ['account', 'add', 'Acme Srl'], { CRM_NOW: '2026-11-01T09:00:00Z' });
    ok(dir, ['set', 'acme-srl', 'industry=retail'], { CRM_NOW: '2026-11-02T09:00:00Z', CRM_USER: 'Giulia Bianchi <giulia@example.com>' });
    ok(dir, ['contact', 'add', 'Jane Roe', '--account', 'acme-srl'], { CRM_NOW: '2026-11-03T09:00:00Z' });
    ok(dir, ['set', 'acme-srl', 'status=customer'], { CRM_NOW: '2026-11-04T09:00:00Z' });
  });

  test('who changed the file and when, newest first (git CLI)', () => {
    const rows = ok(dir, ['history', 'acme-srl']).stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['2026-11-04T09:00:00Z', 'Test Runner', 'test@example.com', 'crm: set account/acme-srl status'],
      ['2026-11-02T09:00:00Z', 'Giulia Bianchi', 'giulia@example.com', 'crm: set account/acme-srl industry'],
      ['2026-11-01T09:00:00Z', 'Test Runner', 'test@example.com', 'crm: add account acme-srl "Acme Srl"'],
    ]);
    expect(rows[0]?.[0]).toBe(git(dir, ['rev-parse', 'HEAD']).trim());
    expect(JSON.parse(ok(dir, ['history', 'acme-srl', '--json', '--limit', '1']).stdout)).toEqual([
      { commit: rows[0]?.[0], date: '2026-11-04T09:00:00Z', author: 'Test Runner', email: 'test@example.com', subject: 'crm: set account/acme-srl status' },
    ]);
  });

  test('the same from isomorphic-git when the git CLI is not installed', () => {
    const cli = ok(dir, ['history', 'acme-srl', '--json']).stdout;
    const iso = ok(dir, ['history', 'acme-srl', '--json'], { PATH: '/nonexistent' }).stdout;
    expect(JSON.parse(iso)).toEqual(JSON.parse(cli));
    expect(JSON.parse(iso)).toHaveLength(3);
  });

  test('unknown ids, uncommitted records and directories without git', () => {
    const r = crm(dir, ['history', 'acme']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Did you mean account\/acme-srl/);
    crm(dir, ['--no-commit', 'lead', 'add', 'Draft Lead']);
    expect(crm(dir, ['history', 'draft-lead', '--json']).stdout.trim()).toBe('[]');
    expect(crm(dir, ['history', 'draft-lead', '--json'], { PATH: '/nonexistent' }).stdout.trim()).toBe('[]');
    rmSync(join(dir, 'leads', 'draft-lead.md'));
    const bare = emptyRepo();
    rmSync(join(bare, '.git'), { recursive: true, force: true });
    crm(bare, ['account', 'add', 'Solo']);
    const none = crm(bare, ['history', 'solo']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/is not in a git repository, so there is no history of accounts\/solo\.md/);
  });
});

describe.skipIf(!existsSync(EXAMPLE))('the card on the example repository', () => {
  test('the account with the most records: revenue is the sum of its won deals; the timeline is newest first', () => {
    const dir = exampleRepo();
    const opps = JSON.parse(ok(dir, ['list', 'opps', '--json']).stdout) as { account?: string; stage: string; amount?: number | { amount: number } }[];
    const counts = new Map<string, number>();
    for (const o of opps) if (o.account) counts.set(o.account, (counts.get(o.account) ?? 0) + 1);
    const [account] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    const won = opps.filter((o) => o.account === account && o.stage === 'won').map((o) => (typeof o.amount === 'number' ? o.amount : o.amount?.amount ?? 0));
    const json = JSON.parse(ok(dir, ['show', `account/${account}`, '--json']).stdout);
    expect(json.card.lifetime_revenue.amount).toBeCloseTo(won.reduce((a, b) => a + b, 0), 6);
    expect(json.card.lifetime_revenue.won).toBe(won.length);
    const instants = json.card.timeline.map((e: { at: string }) => Date.parse(e.at));
    expect(instants.length).toBeGreaterThan(3);
    expect([...instants].sort((a: number, b: number) => b - a)).toEqual(instants);
    const text = ok(dir, ['show', `account/${account}`]).stdout;
    expect(text).toMatch(/^Lifetime revenue {2}/m);
    expect(text).toMatch(/^Timeline \(\d+, newest first\)$/m);
    const history = JSON.parse(ok(dir, ['history', `account/${account}`, '--json']).stdout);
    expect(history[0]).toMatchObject({ subject: 'example', author: 'Test Runner' });
    expect(commits(dir)).toHaveLength(1);
  });
});
