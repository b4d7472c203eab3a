/**
 * Interactions, tasks and the agenda end to end through the built binary:
 * `crm log KIND`, the first outbound interaction on a case, `crm task
 * add|done|list`, `crm agenda` with CRM_NOW pinned, and bad input leaving
 * every file as it was.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { cleanup, commits, crm, emptyRepo, EXAMPLE, exampleRepo, git, gitStatus, read, tempDir, write } from './helpers.js';

afterAll(cleanup);
// Each test runs the binary many times; leave room for a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

function ok(dir: string, args: string[], env: Record<string, string> = {}, input?: string) {
  const r = crm(dir, args, env, input);
  expect(r.code, `crm ${args.join(' ')}\n${r.stderr}`).toBe(0);
  expect(gitStatus(dir)).toBe('');
  return r;
}

function refused(dir: string, args: string[], code: number, message: RegExp, env: Record<string, string> = {}) {
  const before = commits(dir).length;
  const r = crm(dir, args, env);
  expect(r.code, `crm ${args.join(' ')}\n${r.stderr}`).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(gitStatus(dir)).toBe('');
  expect(commits(dir)).toHaveLength(before);
  return r;
}

function interactionFiles(dir: string): string[] {
  const out: string[] = [];
  const root = join(dir, 'interactions');
  for (const y of readdirSync(root).filter((n) => /^\d{4}$/.test(n))) {
    for (const m of readdirSync(join(root, y))) for (const f of readdirSync(join(root, y, m))) out.push(`interactions/${y}/${m}/${f}`);
  }
  return out.sort();
}

function seed(): string {
  const dir = emptyRepo();
  const yaml = read(dir, 'crm.yaml').replace(/^users:\n/m, 'users:\n  - {handle: marco, name: Marco Neri, email: marco@example.com}\n');
  write(dir, 'crm.yaml', yaml);
  git(dir, ['commit', '-qam', 'add marco']);
  ok(dir, ['account', 'add', 'Acme Srl']);
  ok(dir, ['contact', 'add', 'Jane Roe', '--account', 'acme-srl']);
  ok(dir, ['contact', 'add', 'Luca Neri', '--account', 'acme-srl']);
  ok(dir, ['contact', 'add', 'Free Lancer']);
  ok(dir, ['opp', 'add', 'Acme ERP', '--account', 'acme-srl', '--amount', '24000', '--expected-close', '2026-11-21']);
  ok(dir, ['lead', 'add', 'Piero Blu', '--company', 'Blu Spa']);
  return dir;
}

describe('crm log', () => {
  test('logs a call with a contact; the account comes from the contact; one commit', () => {
    const dir = seed();
    const r = ok(dir, ['log', 'call', '--with', 'jane-roe', '--direction', 'out', '--subject', 'Pricing follow-up', '--outcome', 'wants 3-year terms', '-m', 'Talked for 20 minutes.']);
    expect(r.stdout.trim()).toBe('2026-11-20-call-pricing-follow-up');
    expect(read(dir, 'interactions/2026/11/2026-11-20-call-pricing-follow-up.md')).toBe(
      [
        '---',
        'kind: call',
        'at: 2026-11-20T10:00:00Z',
        'direction: outbound',
        'subject: Pricing follow-up',
        'account: acme-srl',
        'contacts: [jane-roe]',
        'outcome: wants 3-year terms',
        'owner: test',
        'created: 2026-11-20T10:00:00Z',
        '---',
        '',
        'Talked for 20 minutes.',
        '',
      ].join('\n'),
    );
    expect(commits(dir)[0]).toBe('crm: log call 2026-11-20-call-pricing-follow-up with jane-roe about account/acme-srl');
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('several contacts, --about TYPE/ID, inbound, local --at, id from the first contact', () => {
    const dir = seed();
    const r = ok(dir, ['log', 'meeting', '--with', 'luca-neri', '--with', 'jane-roe', '--about', 'opp/acme-erp', '--direction', 'in', '--at', '2026-11-18 15:30']);
    const id = r.stdout.trim();
    expect(id).toBe('2026-11-18-meeting-luca-neri');
    const text = read(dir, `interactions/2026/11/${id}.md`);
    expect(text).toMatch(/^at: 2026-11-18T14:30:00Z$/m); // 15:30 in Rome
    expect(text).toMatch(/^direction: inbound$/m);
    expect(text).toMatch(/^contacts: \[luca-neri, jane-roe\]$/m);
    expect(text).toMatch(/^opportunity: acme-erp$/m);
    expect(text).toMatch(/^account: acme-srl$/m);
  });

  test('a contact without an account and a lead: no account is invented', () => {
    const dir = seed();
    const id = ok(dir, ['log', 'email', '--with', 'free-lancer', '--about', 'piero-blu', '--json']).stdout;
    const json = JSON.parse(id);
    expect(json).toMatchObject({ kind: 'email', contacts: ['free-lancer'], lead: 'piero-blu', type: 'interaction' });
    expect(json.account).toBeUndefined();
  });

  test('files go to the month of --at, and ids are unique across month folders', () => {
    const dir = seed();
    // a hand-written file whose name carries another date than its folder
    mkdirSync(join(dir, 'interactions/2026/10'), { recursive: true });
    writeFileSync(join(dir, 'interactions/2026/10/2026-11-19-call-jane-roe.md'), '---\nkind: call\nat: 2026-10-30T10:00:00Z\ncontacts: [jane-roe]\ncreated: 2026-10-30T10:00:00Z\n---\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'by hand']);
    const id = ok(dir, ['log', 'call', '--with', 'jane-roe', '--at', '2026-11-19T09:00:00Z']).stdout.trim();
    expect(id).toBe('2026-11-19-call-jane-roe-2');
    const old = ok(dir, ['log', 'note', '--about', 'acme-srl', '--at', '2026-09-30']).stdout.trim();
    expect(old).toBe('2026-09-30-note-acme-srl');
    expect(read(dir, `interactions/2026/09/${old}.md`)).toMatch(/^at: 2026-09-30$/m);
    expect(interactionFiles(dir)).toEqual([
      'interactions/2026/09/2026-09-30-note-acme-srl.md',
      'interactions/2026/10/2026-11-19-call-jane-roe.md',
      'interactions/2026/11/2026-11-19-call-jane-roe-2.md',
    ]);
  });

  test('notes from stdin (-m -) and from $EDITOR (--edit)', () => {
    const dir = seed();
    const a = ok(dir, ['log', 'sms', '--with', 'jane-roe', '-m', '-'], {}, 'Running late, 10 minutes.\n').stdout.trim();
    expect(read(dir, `interactions/2026/11/${a}.md`)).toMatch(/---\n\nRunning late, 10 minutes\.\n$/);
    const scripts = tempDir();
    const editor = join(scripts, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nprintf "Visited the plant.\\n\\n- line 2 is down\\n" >> "$1"\n');
    chmodSync(editor, 0o755);
    const b = ok(dir, ['log', 'visit', '--with', 'luca-neri', '--edit'], { EDITOR: editor }).stdout.trim();
    const text = read(dir, `interactions/2026/11/${b}.md`);
    expect(text).toMatch(/---\n\nVisited the plant\.\n\n- line 2 is down\n$/);
    expect(text).not.toMatch(/<!--/);
    refused(dir, ['log', 'visit', '--with', 'luca-neri', '--edit'], 1, /the editor \(false\) exited with status 1; nothing was written/, { EDITOR: 'false' });
  });

  test('--dry-run prints the plan and writes nothing', () => {
    const dir = seed();
    const r = ok(dir, ['log', 'call', '--with', 'jane-roe', '--dry-run']);
    expect(r.stderr).toMatch(/Would create interactions\/2026\/11\/2026-11-20-call-jane-roe\.md/);
    expect(r.stdout).toMatch(/^kind: call$/m);
    expect(existsSync(join(dir, 'interactions/2026'))).toBe(false);
  });

  test('bad input: exit 2 with a clear message, nothing written', () => {
    const dir = seed();
    refused(dir, ['log', 'fax', '--with', 'jane-roe'], 2, /"fax" is not a kind of interaction[\s\S]*call, email, meeting/);
    refused(dir, ['log', 'task'], 2, /tasks are added with `crm task add`/);
    refused(dir, ['log', 'call', '--with', 'jane-rose'], 2, /no contact with id "jane-rose"[\s\S]*Did you mean contact\/jane-roe/);
    refused(dir, ['log', 'call', '--with', 'acme-srl'], 2, /no contact with id "acme-srl"/);
    refused(dir, ['log', 'call', '--about', 'acme-sr'], 2, /no record with id "acme-sr"[\s\S]*Did you mean account\/acme-srl/);
    refused(dir, ['log', 'call', '--direction', 'sideways'], 2, /--direction "sideways" is not in or out/);
    refused(dir, ['log', 'call', '--at', 'last tuesday'], 2, /--at "last tuesday" is not a date or time/);
    refused(dir, ['log', 'call', '--at', '2026-11-20 12:00', '--with', 'jane-roe'], 2, /--at 2026-11-20 12:00 is in the future; nothing was written[\s\S]*--allow-future/);
    refused(dir, ['log', 'call', '--at', 'tomorrow'], 2, /in the future/);
    refused(dir, ['log', 'call', '--owner', 'nobody'], 2, /"nobody" is not a user/);
    ok(dir, ['case', 'open', 'A', '--account', 'acme-srl']);
    ok(dir, ['case', 'open', 'B', '--account', 'acme-srl']);
    refused(dir, ['log', 'call', '--about', 'case/a', '--about', 'case/b'], 2, /an interaction is about one case, but --about names a and b/);
    const planned = ok(dir, ['log', 'meeting', '--with', 'jane-roe', '--at', '2026-11-27 10:00', '--allow-future']).stdout.trim();
    expect(planned).toBe('2026-11-27-meeting-jane-roe');
  });
});

describe('the first outbound interaction on a case', () => {
  let dir: string;
  const kase = () => read(dir, 'cases/printer-jam.md');
  beforeAll(() => {
    dir = seed();
    ok(dir, ['case', 'open', 'Printer jam', '--contact', 'jane-roe', '--priority', 'high'], { CRM_NOW: '2026-11-20T08:00:00Z' });
  });

  test('an inbound email leaves the case as it is', () => {
    ok(dir, ['log', 'email', '--about', 'case/printer-jam', '--with', 'jane-roe', '--direction', 'in', '--at', '2026-11-20 09:30']);
    expect(kase()).not.toMatch(/first_response_at/);
    expect(kase()).toMatch(/^status: new$/m);
    expect(git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n')).toHaveLength(1);
  });

  test('the first outbound one sets first_response_at (its --at) and opens the case, in the same commit', () => {
    const id = ok(dir, ['log', 'call', '--about', 'case/printer-jam', '--with', 'jane-roe', '--direction', 'out', '--at', '2026-11-20 10:15']).stdout.trim();
    expect(kase()).toMatch(/^first_response_at: 2026-11-20T09:15:00Z$/m);
    expect(kase()).toMatch(/^status: open$/m);
    expect(kase()).toMatch(/\{at: 2026-11-20T10:00:00Z, from: new, to: open, by: test, note: first response\}/);
    const changed = git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort();
    expect(changed).toEqual(['cases/printer-jam.md', `interactions/2026/11/${id}.md`]);
    expect(commits(dir)[0]).toBe(`crm: log call ${id} with jane-roe about case/printer-jam, account/acme-srl (case printer-jam: first response, new → open)`);
    const show = ok(dir, ['show', 'printer-jam']).stdout;
    expect(show).toMatch(/first response +due 2026-11-20 13:00 +met/);
  });

  test('a later outbound one changes nothing on the case; an earlier one (logged afterwards) moves it earlier', () => {
    const n = commits(dir).length;
    ok(dir, ['log', 'email', '--about', 'case/printer-jam', '--direction', 'out', '--at', '2026-11-20 10:50']);
    expect(commits(dir)).toHaveLength(n + 1);
    expect(git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n')).toHaveLength(1);
    expect(kase()).toMatch(/^first_response_at: 2026-11-20T09:15:00Z$/m);
    ok(dir, ['log', 'sms', '--about', 'case/printer-jam', '--direction', 'out', '--at', '2026-11-20 09:45']);
    expect(kase()).toMatch(/^first_response_at: 2026-11-20T08:45:00Z$/m);
    expect(kase().match(/to: open/g)).toHaveLength(1);
    expect(crm(dir, ['validate']).code).toBe(0);
  });
});

describe('crm task', () => {
  let dir: string;
  beforeAll(() => {
    dir = seed();
  });

  test('add: a task interaction with subject and due, about a record; one commit', () => {
    const r = ok(dir, ['task', 'add', 'Send the revised offer', '--due', 'friday', '--about', 'opp/acme-erp']);
    expect(r.stdout.trim()).toBe('2026-11-20-task-send-the-revised-offer');
    expect(read(dir, 'interactions/2026/11/2026-11-20-task-send-the-revised-offer.md')).toBe(
      [
        '---',
        'kind: task',
        'at: 2026-11-20T10:00:00Z',
        'subject: Send the revised offer',
        'account: acme-srl',
        'opportunity: acme-erp',
        'due: 2026-11-27',
        'owner: test',
        'created: 2026-11-20T10:00:00Z',
        '---',
        '',
      ].join('\n'),
    );
    expect(commits(dir)[0]).toBe('crm: task add 2026-11-20-task-send-the-revised-offer "Send the revised offer" due 2026-11-27 for test');
    ok(dir, ['task', 'add', 'Call Jane back', '--due', '2026-11-18', '--with', 'jane-roe', '--owner', 'marco']);
    ok(dir, ['task', 'add', 'Check stock', '--due', 'today']);
    ok(dir, ['task', 'add', 'Someday', '--about', 'acme-srl']);
    refused(dir, ['task', 'add', 'X', '--due', 'whenever'], 2, /--due "whenever" is not a date or time/);
    refused(dir, ['task', 'add', 'X', '--about', 'opp/acme'], 2, /no opportunity with id "acme"[\s\S]*acme-erp/);
    refused(dir, ['task', 'add', 'X', '--owner', 'nobody'], 2, /not a user/);
  });

  test('list: open tasks by due date, tab-separated; --mine; --json with buckets', () => {
    const rows = ok(dir, ['task', 'list']).stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['2026-11-18', 'overdue', 'Call Jane back', 'marco'],
      ['2026-11-20', 'today', 'Check stock', 'test'],
      ['2026-11-27', 'later', 'Send the revised offer', 'test'],
      ['', 'later', 'Someday', 'test'],
    ]);
    const mine = ok(dir, ['task', 'list', '--mine'], { CRM_USER: 'marco' }).stdout.trim().split('\n');
    expect(mine).toHaveLength(1);
    const json = JSON.parse(ok(dir, ['task', 'list', '--json', '--owner', 'test']).stdout);
    expect(json.map((t: { subject: string; bucket: string }) => [t.subject, t.bucket])).toEqual([
      ['Check stock', 'today'],
      ['Send the revised offer', 'later'],
      ['Someday', 'later'],
    ]);
    refused(dir, ['task', 'list', '--mine'], 2, /--mine needs to know who you are/, { CRM_USER: 'stranger@nowhere.example' });
  });

  test('done: sets done_at, one commit; twice changes nothing; non-tasks and unknown ids are refused', () => {
    const id = '2026-11-20-task-check-stock';
    ok(dir, ['task', 'done', id, '--outcome', '40 left'], { CRM_NOW: '2026-11-20T15:00:00Z' });
    const text = read(dir, `interactions/2026/11/${id}.md`);
    expect(text).toMatch(/^done_at: 2026-11-20T15:00:00Z$/m);
    expect(text).toMatch(/^outcome: 40 left$/m);
    expect(commits(dir)[0]).toBe(`crm: task done ${id} "Check stock"`);
    const n = commits(dir).length;
    const again = ok(dir, ['task', 'done', id]);
    expect(again.stderr).toMatch(/already done on 2026-11-20T15:00:00Z; nothing changed/);
    expect(commits(dir)).toHaveLength(n);
    expect(ok(dir, ['task', 'list']).stdout).not.toMatch(/Check stock/);
    expect(ok(dir, ['task', 'list', '--all']).stdout).toMatch(/\tdone\tCheck stock\t/);
    const call = ok(dir, ['log', 'call', '--with', 'jane-roe', '--at', '-1h']).stdout.trim();
    refused(dir, ['task', 'done', call], 2, /is a call, not a task/);
    refused(dir, ['task', 'done', '2026-11-20-task-check-stok'], 2, /no interaction with id "2026-11-20-task-check-stok"[\s\S]*Did you mean interaction\/2026-11-20-task-check-stock/);
  });
});

describe('crm agenda', () => {
  let dir: string;
  beforeAll(() => {
    dir = seed();
    // Friday 2026-11-20 11:00 in Rome
    ok(dir, ['task', 'add', 'Overdue call', '--due', '2026-11-19', '--with', 'jane-roe']);
    ok(dir, ['task', 'add', 'Today thing', '--due', 'today']);
    ok(dir, ['task', 'add', 'Sunday thing', '--due', '2026-11-22', '--owner', 'marco']);
    ok(dir, ['task', 'add', 'Next week', '--due', '2026-11-24']);
    ok(dir, ['task', 'add', 'Done already', '--due', '2026-11-18']);
    ok(dir, ['task', 'done', '2026-11-20-task-done-already']);
    ok(dir, ['case', 'open', 'Line down', '--account', 'acme-srl', '--priority', 'urgent', '--owner', 'marco'], { CRM_NOW: '2026-11-20T07:00:00Z' });
    ok(dir, ['case', 'open', 'Slow', '--account', 'acme-srl', '--priority', 'low'], { CRM_NOW: '2026-11-20T07:00:00Z' });
    ok(dir, ['case', 'open', 'Quiet', '--account', 'acme-srl', '--priority', 'low']);
    ok(dir, ['case', 'respond', 'quiet', '-m', 'ok']);
  });

  test('groups open tasks per owner into overdue / today / this week / later, with cases and deals', () => {
    const json = JSON.parse(ok(dir, ['agenda', '--json']).stdout);
    expect(json).toMatchObject({ today: '2026-11-20', week_start: '2026-11-16', week_end: '2026-11-22', case_window_hours: 24 });
    expect(json.owners.map((o: { owner: string }) => o.owner)).toEqual(['marco', 'test']);
    const [marco, me] = json.owners;
    expect(marco.tasks.this_week.map((t: { subject: string }) => t.subject)).toEqual(['Sunday thing']);
    expect(marco.cases.map((c: { id: string }) => c.id)).toEqual(['line-down']);
    expect(marco.cases[0].sla.next).toMatchObject({ clock: 'first_response', breached: true, hours_left: -2 });
    expect(me.tasks.overdue.map((t: { subject: string }) => t.subject)).toEqual(['Overdue call']);
    expect(me.tasks.today.map((t: { subject: string }) => t.subject)).toEqual(['Today thing']);
    expect(me.tasks.later.map((t: { subject: string }) => t.subject)).toEqual(['Next week']);
    // Slow: low priority, first response due 2026-11-21T07:00Z (21h): within the day; Quiet: answered, resolution in a week
    expect(me.cases.map((c: { id: string }) => c.id)).toEqual(['slow']);
    expect(me.opportunities.map((o: { id: string; amount: number }) => [o.id, o.amount])).toEqual([['acme-erp', 24000]]);
  });

  test('piped: one tab-separated row per item', () => {
    const rows = ok(dir, ['agenda']).stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => [r[0], r[1], r[4]])).toEqual([
      ['marco', 'task:this_week', 'Sunday thing'],
      ['marco', 'case', 'Line down'],
      ['test', 'task:overdue', 'Overdue call'],
      ['test', 'task:today', 'Today thing'],
      ['test', 'task:later', 'Next week'],
      ['test', 'case', 'Slow'],
      ['test', 'closing', 'Acme ERP'],
    ]);
    expect(rows[1]?.[5]).toBe('urgent; first response 2h overdue');
  });

  test('--mine and --owner narrow it; the buckets move with CRM_NOW', () => {
    const mine = JSON.parse(ok(dir, ['agenda', '--mine', '--json'], { CRM_USER: 'marco' }).stdout);
    expect(mine.owners.map((o: { owner: string }) => o.owner)).toEqual(['marco']);
    const owner = JSON.parse(ok(dir, ['agenda', '--owner', 'test', '--json']).stdout);
    expect(owner.owners.map((o: { owner: string }) => o.owner)).toEqual(['test']);
    // Monday 2026-11-23: "Next week" (24th) is this week, everything before is overdue, no deal closes this week
    const monday = JSON.parse(ok(dir, ['agenda', '--owner', 'test', '--json'], { CRM_NOW: '2026-11-23T09:00:00Z' }).stdout);
    const me = monday.owners[0];
    expect(me.tasks.overdue.map((t: { subject: string }) => t.subject)).toEqual(['Overdue call', 'Today thing']);
    expect(me.tasks.this_week.map((t: { subject: string }) => t.subject)).toEqual(['Next week']);
    expect(me.opportunities).toEqual([]);
  });
});

describe.skipIf(!existsSync(EXAMPLE))('interactions on the example repository', () => {
  test('log, task add/done and agenda work on the example data', () => {
    const dir = exampleRepo();
    const contacts = JSON.parse(ok(dir, ['list', 'contacts', '--json', '--where', 'account != null', '--limit', '1']).stdout) as { id: string; account: string }[];
    const contact = contacts[0]!;
    const before = interactionFiles(dir).length;
    const id = ok(dir, ['log', 'call', '--with', contact.id, '--direction', 'out', '--subject', 'Test call', '-m', 'From the tests.']).stdout.trim();
    expect(id).toBe('2026-11-20-call-test-call');
    expect(read(dir, `interactions/2026/11/${id}.md`)).toMatch(new RegExp(`^account: ${contact.account}$`, 'm'));
    expect(interactionFiles(dir)).toHaveLength(before + 1);
    const task = ok(dir, ['task', 'add', 'Follow up on the test call', '--due', 'tomorrow', '--with', contact.id, '--owner', 'giulia']).stdout.trim();
    const agenda = JSON.parse(ok(dir, ['agenda', '--owner', 'giulia', '--json']).stdout);
    expect(agenda.owners[0].tasks.this_week.map((t: { id: string }) => t.id)).toContain(task);
    ok(dir, ['task', 'done', task]);
    expect(crm(dir, ['validate']).code).toBe(0);
    const card = JSON.parse(ok(dir, ['show', `account/${contact.account}`, '--json']).stdout);
    expect(card.card.timeline.some((e: { record: { id: string } }) => e.record.id === id)).toBe(true);
  });
});
