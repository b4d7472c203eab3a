import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, commits, emptyRepo, git, gitStatus, read, tempDir } from './helpers.js';
import { closeTuis, openTui, salesRepo, type Tui } from './tui-harness.js';

afterEach(() => {
  closeTuis();
  cleanup();
});

const env = { CRM_USER: 'giulia' };

/** An $EDITOR that runs `sed` on the file it is given. */
function sedEditor(expr: string): string {
  const file = join(tempDir('crm-editor-'), 'editor.sh');
  writeFileSync(file, `#!/bin/sh\nsed -i -e '${expr}' "$1"\n`);
  chmodSync(file, 0o755);
  return file;
}

async function openDeal(dir: string, extra: Record<string, string> = {}): Promise<Tui> {
  const t = await openTui(dir, { env: { ...env, ...extra }, columns: 110, rows: 40 });
  await t.press('l');
  await t.press('enter');
  return t;
}

describe('tui: record view', () => {
  it('shows the fields, the card and the timeline; enter on a reference opens it; esc goes back', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openDeal(dir);
    let f = tui.frame();
    expect(f).toContain('Acme ERP rollout');
    expect(f).toContain('opportunity · proposal · opportunities/acme-erp.md');
    expect(f).toContain('amount');
    expect(f).toContain('24,000 EUR');
    expect(f).toContain('▸ account');
    expect(f).toContain('Acme Srl (acme-srl)');
    expect(f).toContain('Timeline (2)');
    expect(f).toContain('prospecting → proposal');
    expect(f).toContain('ERP for three plants.');
    f = await tui.press('enter');
    expect(f).toContain('account · prospect · accounts/acme-srl.md');
    expect(f).toContain('Open opportunities (2)');
    expect(f).toContain('Jane Roe');
    f = await tui.press('esc');
    expect(f).toContain('opportunities/acme-erp.md');
    f = await tui.press('esc');
    expect(f).toContain('Prospecting 1');
  });

  it('i logs an interaction from a small form: one file, one commit, and it shows in the timeline', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openDeal(dir);
    await tui.press('i');
    expect(tui.frame()).toContain('Log an interaction with Acme ERP rollout');
    await tui.type('Rollout plan agreed');
    await tui.press('tab'); // outcome
    await tui.type('go');
    await tui.press('enter');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the interaction');
    const path = 'interactions/2026/11/2026-11-20-call-rollout-plan-agreed.md';
    expect(existsSync(join(dir, path))).toBe(true);
    const text = read(dir, path);
    expect(text).toContain('kind: call');
    expect(text).toContain('direction: outbound');
    expect(text).toContain('subject: Rollout plan agreed');
    expect(text).toContain('opportunity: acme-erp');
    expect(text).toContain('account: acme-srl');
    expect(text).toContain('outcome: go');
    expect(text).toContain('owner: giulia');
    expect(commits(dir)[0]).toBe('crm: log call 2026-11-20-call-rollout-plan-agreed about opportunity/acme-erp, account/acme-srl');
    expect(gitStatus(dir)).toBe('');
    expect(tui.frame()).toContain('Timeline (3)');
    expect(tui.frame()).toContain('Rollout plan agreed');
  });

  it('t adds a task with a due date', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openDeal(dir);
    await tui.press('t');
    await tui.type('Send the contract');
    await tui.press('tab');
    await tui.type('2026-11-27');
    await tui.press('enter');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the task');
    const text = read(dir, 'interactions/2026/11/2026-11-20-task-send-the-contract.md');
    expect(text).toContain('kind: task');
    expect(text).toContain('due: 2026-11-27');
    expect(commits(dir)[0]).toBe('crm: task add 2026-11-20-task-send-the-contract "Send the contract" due 2026-11-27 for giulia');
    expect(tui.frame()).toContain('Open tasks (1)');
  });

  it('a bad due date is refused with a message; nothing is written', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openDeal(dir);
    const head = git(dir, ['rev-parse', 'HEAD']);
    await tui.press('t');
    await tui.type('Call back');
    await tui.press('tab');
    await tui.type('someday');
    await tui.press('enter');
    const f = await tui.waitFor((x) => x.includes('✗'), 10_000, 'the refusal');
    expect(f).toContain('"someday" is not a date or time');
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(head);
  });

  it('e opens $EDITOR on the record; the saved change is validated and committed', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openDeal(dir, { EDITOR: sedEditor('s/^amount: 24000$/amount: 26000/') });
    await tui.press('e');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the edit');
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('amount: 26000');
    expect(commits(dir)[0]).toBe('crm: edit opportunity/acme-erp');
    expect(tui.frame()).toContain('26,000 EUR');
  });

  it('an invalid edit is reported and the file stays as it was', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openDeal(dir, { EDITOR: sedEditor('s/^expected_close: .*$/expected_close: soon/') });
    const head = git(dir, ['rev-parse', 'HEAD']);
    await tui.press('e');
    const f = await tui.waitFor((x) => x.includes('✗'), 10_000, 'the refusal');
    expect(f).toContain('not valid');
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('expected_close: 2026-12-15');
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(gitStatus(dir)).toBe('');
  });

  it('keys that do not apply to the record type say so', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openDeal(dir);
    await tui.press('enter'); // the account
    const f = await tui.press('w');
    expect(f).toContain('w does nothing on an account');
  });
});

describe('tui: lists and dashboard', () => {
  it('lists any record type, filters fuzzily as you type, sorts, and opens a row', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'lists' });
    let f = tui.frame();
    expect(f).toContain('accounts');
    expect(f).toContain('▸ Acme Srl');
    expect(f).toContain('2 of 2');
    await tui.press('l');
    await tui.press('l');
    f = await tui.press('l');
    expect(f).toContain('4 of 4');
    expect(f).toContain('Acme ERP rollout');
    await tui.press('/');
    f = await tui.type('suport'); // a typo still finds it
    expect(f).toContain('filter: suport');
    expect(f).toContain('Acme support plan');
    expect(f).not.toContain('Beta website');
    await tui.press('enter');
    f = await tui.press('enter');
    expect(f).toContain('opportunities/acme-support.md');
    await tui.press('esc');
    await tui.press('esc'); // clears the filter
    f = tui.frame();
    expect(f).toContain('4 of 4');
    await tui.press('s');
    await tui.press('s');
    await tui.press('s');
    f = await tui.press('s');
    expect(f).toContain('sort: amount');
    expect(f.indexOf('Acme ERP rollout')).toBeLessThan(f.indexOf('Beta website'));
    expect(f.indexOf('Beta website')).toBeLessThan(f.indexOf('Acme support plan'));
  });

  it('the dashboard shows this period against the previous one, with bars', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'dashboard', columns: 100, rows: 40 });
    const f = tui.frame();
    expect(f).toContain('This month (2026-11) against the previous one (2026-10)');
    expect(f).toMatch(/leads created\s+2\s+0\s+\+2/);
    expect(f).toContain('Open pipeline by stage (EUR)');
    expect(f).toMatch(/proposal\s+█+\s+24k \(1\)/);
    expect(f).toMatch(/new\s+█+\s+2/);
    const g = await tui.press('p');
    expect(g).toContain('This quarter (2026-Q4)');
  });
});
