/**
 * Cases end to end through the built binary: open, assign, respond,
 * pending, resolve, close, reopen, the SLA list (--breaching, --due-within),
 * and every refused transition leaving the repository untouched.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { commits, crm, emptyRepo, EXAMPLE, exampleRepo, git, gitStatus, read, write, cleanup } from './helpers.js';

afterAll(cleanup);
// Each test runs the binary many times; leave room for a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const ADD_USERS = (dir: string) => {
  const yaml = read(dir, 'crm.yaml').replace(/^users:\n/m, 'users:\n  - {handle: marco, name: Marco Neri, email: marco@example.com}\n');
  write(dir, 'crm.yaml', yaml);
  git(dir, ['commit', '-qam', 'add marco']);
};

function ok(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = crm(dir, args, env);
  expect(r.code, `crm ${args.join(' ')}\n${r.stderr}`).toBe(0);
  expect(gitStatus(dir)).toBe('');
  return r;
}

/** Run a command that must fail with `code`, and check nothing was written or committed. */
function refused(dir: string, args: string[], code: number, message: RegExp, env: Record<string, string> = {}) {
  const before = commits(dir).length;
  const r = crm(dir, args, env);
  expect(r.code, `crm ${args.join(' ')}\n${r.stderr}`).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(gitStatus(dir)).toBe('');
  expect(commits(dir)).toHaveLength(before);
  return r;
}

function seed(): string {
  const dir = emptyRepo();
  ADD_USERS(dir);
  ok(dir, ['account', 'add', 'Acme Srl']);
  ok(dir, ['contact', 'add', 'Jane Roe', '--account', 'acme-srl', '--email', 'jane@acme.example']);
  return dir;
}

describe('crm case open', () => {
  test('opens a new case from a contact, with its account, priority and SLA; one commit', () => {
    const dir = seed();
    const r = ok(dir, ['case', 'open', 'Invoice shows wrong VAT', '--contact', 'jane-roe', '--priority', 'high', '--channel', 'email', '-m', 'VAT 22% instead of 10%.']);
    expect(r.stdout.trim()).toBe('invoice-shows-wrong-vat');
    expect(r.stderr).toMatch(/Opened case invoice-shows-wrong-vat \(high; first response 4h left\)/);
    expect(read(dir, 'cases/invoice-shows-wrong-vat.md')).toBe(
      [
        '---',
        'subject: Invoice shows wrong VAT',
        'account: acme-srl',
        'contact: jane-roe',
        'priority: high',
        'status: new',
        'channel: email',
        'owner: test',
        'created: 2026-11-20T10:00:00Z',
        'history:',
        '  - {at: 2026-11-20T10:00:00Z, to: new, by: test}',
        '---',
        '',
        'VAT 22% instead of 10%.',
        '',
      ].join('\n'),
    );
    expect(commits(dir)[0]).toBe('crm: case open invoice-shows-wrong-vat "Invoice shows wrong VAT" (high, account acme-srl)');
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('--json prints the case with its SLA; --dry-run writes nothing', () => {
    const dir = seed();
    const dry = ok(dir, ['case', 'open', 'Printer jam', '--account', 'acme-srl', '--dry-run']);
    expect(dry.stderr).toMatch(/Would create cases\/printer-jam\.md/);
    expect(dry.stdout).toMatch(/^priority: normal$/m);
    expect(existsSync(join(dir, 'cases/printer-jam.md'))).toBe(false);
    const r = ok(dir, ['case', 'open', 'Printer jam', '--account', 'acme-srl', '--priority', 'urgent', '--json']);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ id: 'printer-jam', type: 'case', status: 'new', priority: 'urgent' });
    expect(json.sla).toMatchObject({ state: 'on-track', next: { clock: 'first_response', due_at: '2026-11-20T11:00:00Z', hours_left: 1 } });
  });

  test('refuses unknown accounts and contacts (did you mean), unknown priorities and users', () => {
    const dir = seed();
    refused(dir, ['case', 'open', 'X', '--account', 'acme-sr'], 2, /no account with id "acme-sr"[\s\S]*Did you mean account\/acme-srl/);
    refused(dir, ['case', 'open', 'X', '--contact', 'jane'], 2, /no contact with id "jane"[\s\S]*jane-roe/);
    refused(dir, ['case', 'open', 'X', '--priority', 'critical'], 2, /priority "critical" is not one of low, normal, high, urgent/);
    refused(dir, ['case', 'open', 'X', '--owner', 'nobody'], 2, /"nobody" is not a user in crm.yaml/);
    refused(dir, ['case', 'open', 'X', '--channel', 'pigeon'], 2, /channel "pigeon" is not an allowed value/);
  });
});

describe('the case lifecycle', () => {
  let dir: string;
  beforeAll(() => {
    dir = seed();
    ok(dir, ['case', 'open', 'Invoice shows wrong VAT', '--contact', 'jane-roe', '--priority', 'high', '--channel', 'phone']);
  });
  const file = () => read(dir, 'cases/invoice-shows-wrong-vat.md');

  test('assign sets the owner; assigning again changes nothing', () => {
    ok(dir, ['case', 'assign', 'invoice-shows-wrong-vat', 'marco']);
    expect(file()).toMatch(/^owner: marco$/m);
    expect(commits(dir)[0]).toBe('crm: case assign invoice-shows-wrong-vat: test → marco');
    const n = commits(dir).length;
    const again = ok(dir, ['case', 'assign', 'invoice-shows-wrong-vat', 'marco']);
    expect(again.stderr).toMatch(/already assigned to marco; nothing changed/);
    expect(commits(dir)).toHaveLength(n);
    refused(dir, ['case', 'assign', 'invoice-shows-wrong-vat', 'giovanni'], 2, /not a user in crm.yaml \(marco, test\)/);
  });

  test('respond logs an outbound call (phone case), sets first_response_at and opens the case, in one commit', () => {
    const n = commits(dir).length;
    const r = ok(dir, ['case', 'respond', 'invoice-shows-wrong-vat', '-m', 'Checking the VAT code.'], { CRM_NOW: '2026-11-20T11:30:00Z' });
    const id = r.stdout.trim();
    expect(id).toBe('2026-11-20-call-re-invoice-shows-wrong-vat');
    expect(commits(dir)).toHaveLength(n + 1);
    expect(commits(dir)[0]).toBe(`crm: case respond invoice-shows-wrong-vat: call ${id} (first response, new → open)`);
    const changed = git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort();
    expect(changed).toEqual(['cases/invoice-shows-wrong-vat.md', `interactions/2026/11/${id}.md`]);
    expect(file()).toMatch(/^first_response_at: 2026-11-20T11:30:00Z$/m);
    expect(file()).toMatch(/^status: open$/m);
    expect(file()).toMatch(/\{at: 2026-11-20T11:30:00Z, from: new, to: open, by: test, note: first response\}/);
    const interaction = read(dir, `interactions/2026/11/${id}.md`);
    expect(interaction).toMatch(/^kind: call$/m);
    expect(interaction).toMatch(/^direction: outbound$/m);
    expect(interaction).toMatch(/^contacts: \[jane-roe\]$/m);
    expect(interaction).toMatch(/^case: invoice-shows-wrong-vat$/m);
    expect(interaction).toMatch(/\n\nChecking the VAT code\.\n$/);
  });

  test('a second response keeps the first first_response_at', () => {
    ok(dir, ['case', 'respond', 'invoice-shows-wrong-vat', '-m', 'Still checking.', '--kind', 'email'], { CRM_NOW: '2026-11-20T15:00:00Z' });
    expect(file()).toMatch(/^first_response_at: 2026-11-20T11:30:00Z$/m);
    expect(commits(dir)[0]).toMatch(/^crm: case respond invoice-shows-wrong-vat: email 2026-11-20-email-re-invoice-shows-wrong-vat$/);
  });

  test('pending, then resolve with satisfaction and a note', () => {
    ok(dir, ['case', 'pending', 'invoice-shows-wrong-vat', '--note', 'asked for the invoice number'], { CRM_NOW: '2026-11-20T16:00:00Z' });
    expect(file()).toMatch(/^status: pending$/m);
    expect(file()).toMatch(/from: open, to: pending, by: test, note: asked for the invoice number\}/);
    const r = ok(dir, ['case', 'resolve', 'invoice-shows-wrong-vat', '--satisfaction', '5', '--note', 'credit note issued'], { CRM_NOW: '2026-11-21T09:00:00Z' });
    expect(r.stderr).toMatch(/Case invoice-shows-wrong-vat: pending → resolved \(SLA: first response met, resolution met\)/);
    expect(file()).toMatch(/^resolved_at: 2026-11-21T09:00:00Z$/m);
    expect(file()).toMatch(/^satisfaction: 5$/m);
    expect(commits(dir)[0]).toBe('crm: case resolve invoice-shows-wrong-vat: pending → resolved');
  });

  test('responding to or pending a resolved case is refused', () => {
    refused(dir, ['case', 'respond', 'invoice-shows-wrong-vat', '-m', 'hello'], 2, /is resolved: there is nothing to respond to[\s\S]*crm case reopen/);
    refused(dir, ['case', 'pending', 'invoice-shows-wrong-vat'], 2, /is resolved: a resolved or closed case cannot wait/);
    refused(dir, ['case', 'reopen', 'invoice-shows-wrong-vat', '--satisfaction', '3'], 2, /unknown option '--satisfaction'/);
    refused(dir, ['case', 'resolve', 'invoice-shows-wrong-vat', '--satisfaction', '9'], 2, /--satisfaction "9" is not a whole number from 1 to 5/);
  });

  test('close keeps resolved_at; resolving a closed case is refused', () => {
    ok(dir, ['case', 'close', 'invoice-shows-wrong-vat'], { CRM_NOW: '2026-11-25T09:00:00Z' });
    expect(file()).toMatch(/^status: closed$/m);
    expect(file()).toMatch(/^resolved_at: 2026-11-21T09:00:00Z$/m);
    const before = file();
    refused(dir, ['case', 'resolve', 'invoice-shows-wrong-vat'], 2, /case invoice-shows-wrong-vat is closed: a closed case cannot be resolved again; nothing was written[\s\S]*hint: Reopen it first/);
    expect(file()).toBe(before);
    const again = ok(dir, ['case', 'close', 'invoice-shows-wrong-vat']);
    expect(again.stderr).toMatch(/is already closed; nothing changed/);
  });

  test('reopen clears resolved_at, keeps the history; reopening an open case is refused', () => {
    ok(dir, ['case', 'reopen', 'invoice-shows-wrong-vat', '--note', 'still wrong'], { CRM_NOW: '2026-11-26T09:00:00Z' });
    expect(file()).toMatch(/^status: open$/m);
    expect(file()).not.toMatch(/resolved_at/);
    expect(file()).toMatch(/to: resolved/);
    expect(file()).toMatch(/\{at: 2026-11-26T09:00:00Z, from: closed, to: open, by: test, note: still wrong\}/);
    refused(dir, ['case', 'reopen', 'invoice-shows-wrong-vat'], 2, /only resolved or closed cases can be reopened/);
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('unknown case ids suggest the closest', () => {
    refused(dir, ['case', 'resolve', 'invoice-shows-wrong-va'], 2, /no case with id "invoice-shows-wrong-va"[\s\S]*Did you mean case\/invoice-shows-wrong-vat/);
    refused(dir, ['case', 'respond', 'acme-srl'], 2, /no case with id "acme-srl"/);
  });
});

describe('crm case list: SLA urgency', () => {
  let dir: string;
  beforeAll(() => {
    dir = seed();
    // opened at different moments, so that at 2026-11-20T10:00Z:
    ok(dir, ['case', 'open', 'Line down', '--account', 'acme-srl', '--priority', 'urgent'], { CRM_NOW: '2026-11-20T07:00:00Z' }); // first response 2h overdue
    ok(dir, ['case', 'open', 'Wrong invoice', '--account', 'acme-srl', '--priority', 'high'], { CRM_NOW: '2026-11-20T08:00:00Z' }); // first response 2h left
    ok(dir, ['case', 'open', 'Question', '--account', 'acme-srl', '--priority', 'low'], { CRM_NOW: '2026-11-20T09:00:00Z' }); // first response 23h left
    ok(dir, ['case', 'open', 'Old one', '--account', 'acme-srl', '--priority', 'normal'], { CRM_NOW: '2026-11-01T09:00:00Z' });
    ok(dir, ['case', 'resolve', 'old-one'], { CRM_NOW: '2026-11-02T09:00:00Z' });
  });

  test('lists open cases, most urgent first, with time left or overdue (tab-separated when piped)', () => {
    const r = ok(dir, ['case', 'list']);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((x) => x[0])).toEqual(['line-down', 'wrong-invoice', 'question']);
    expect(rows[0]).toEqual(['line-down', 'urgent', 'new', 'breached', 'first_response', '2026-11-20T08:00:00Z', '-2', 'first response 2h overdue', 'test', 'acme-srl', 'Line down']);
    expect(rows[1]?.[7]).toBe('first response 2h left');
    expect(rows[2]?.[7]).toBe('first response 23h left');
  });

  test('--breaching shows only what is late; --due-within adds what is about to be', () => {
    expect(ok(dir, ['case', 'list', '--breaching']).stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['line-down']);
    expect(ok(dir, ['case', 'list', '--due-within', '4h']).stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['line-down', 'wrong-invoice']);
    expect(ok(dir, ['case', 'list', '--due-within', '1d']).stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['line-down', 'wrong-invoice', 'question']);
    expect(ok(dir, ['case', 'list', '--breaching'], { CRM_NOW: '2026-11-20T07:30:00Z' }).stdout).toBe('');
  });

  test('--all includes resolved cases; --where filters; --json carries the SLA', () => {
    expect(ok(dir, ['case', 'list', '--all']).stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['line-down', 'wrong-invoice', 'question', 'old-one']);
    expect(ok(dir, ['case', 'list', '--where', 'priority = low']).stdout.trim().split('\t')[0]).toBe('question');
    const json = JSON.parse(ok(dir, ['case', 'list', '--json', '--all']).stdout);
    expect(json.map((c: { id: string }) => c.id)).toEqual(['line-down', 'wrong-invoice', 'question', 'old-one']);
    expect(json[0].sla).toMatchObject({ state: 'breached', first_response: { state: 'breached', hours_left: -2 }, resolution: { state: 'running', hours_left: 5 } });
    expect(json[3].sla).toMatchObject({ state: 'missed', next: null, first_response: { state: 'missed' }, resolution: { state: 'met', done_at: '2026-11-02T09:00:00Z' } });
  });

  test('bad durations and filters are usage errors', () => {
    refused(dir, ['case', 'list', '--due-within', 'soon'], 2, /--due-within "soon" is not a duration/);
    refused(dir, ['case', 'list', '--where', 'priority = '], 2, /bad --where expression/);
  });

  test('every case view shows the time left or overdue', () => {
    const r = ok(dir, ['show', 'case/line-down']);
    expect(r.stdout).toMatch(/^SLA {2}first response 2h overdue \(urgent: first response 1h, resolution 8h\)$/m);
    expect(r.stdout).toMatch(/first response +due 2026-11-20 09:00 +2h overdue/);
    expect(r.stdout).toMatch(/resolution +due 2026-11-20 16:00 +5h left/);
    const done = ok(dir, ['show', 'old-one']);
    // resolved without a response: the resolution was the first response (16h late for normal's 8h)
    expect(done.stdout).toMatch(/^SLA {2}first response missed by 16h, resolution met \(normal: first response 8h, resolution 72h\)$/m);
  });
});

describe.skipIf(!existsSync(EXAMPLE))('cases on the example repository', () => {
  test('case list works and each open case shows an SLA state; a new case is one commit', () => {
    const dir = exampleRepo();
    const list = JSON.parse(ok(dir, ['case', 'list', '--json']).stdout) as { id: string; status: string; sla: { state: string } }[];
    for (const c of list) {
      expect(['new', 'open', 'pending']).toContain(c.status);
      expect(['breached', 'due-soon', 'on-track', 'none']).toContain(c.sla.state);
    }
    const breaching = JSON.parse(ok(dir, ['case', 'list', '--breaching', '--json']).stdout) as { sla: { state: string } }[];
    expect(breaching.every((c) => c.sla.state === 'breached')).toBe(true);
    const n = commits(dir).length;
    const account = JSON.parse(ok(dir, ['list', 'accounts', '--json', '--limit', '1']).stdout)[0].id as string;
    const id = ok(dir, ['case', 'open', 'Example case from the tests', '--account', account, '--priority', 'urgent']).stdout.trim();
    expect(commits(dir)).toHaveLength(n + 1);
    ok(dir, ['case', 'respond', id, '-m', 'On it.']);
    expect(read(dir, `cases/${id}.md`)).toMatch(/^first_response_at: /m);
    ok(dir, ['case', 'resolve', id]);
    expect(commits(dir)).toHaveLength(n + 3);
    expect(crm(dir, ['validate']).code).toBe(0);
  });
});
