import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, commits, emptyRepo, git, gitStatus, read } from './helpers.js';
import { closeTuis, openTui, salesRepo, seed } from './tui-harness.js';

afterEach(() => {
  closeTuis();
  cleanup();
});

const env = { CRM_USER: 'giulia' };

describe('tui: leads board', () => {
  it('shows leads by status (highest score first) with converted and disqualified folded', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'leads' });
    const f = tui.frame();
    expect(f).toContain('New 1');
    expect(f).toContain('Qualified 1');
    expect(f).toContain('▸ Luca Neri');
    expect(f).toContain('Neri Srl');
    expect(f).toContain('40pt web giulia 5d');
    expect(f).toContain('80pt referral giulia 18d');
    expect(f).toContain('disqualified 0   converted 0');
  });

  it('> marks the lead contacted through the lead model (history, commit message as the CLI)', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'leads' });
    await tui.press('>');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the move');
    expect(tui.frame()).toContain('Contacted 1');
    expect(read(dir, 'leads/luca-neri.md')).toContain('status: contacted');
    expect(read(dir, 'leads/luca-neri.md')).toContain('to: contacted, by: giulia');
    expect(commits(dir)[0]).toBe('crm: mark lead luca-neri contacted (new → contacted)');
  });

  it('c converts a lead without duplicates: contact, account and opportunity in one commit', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'leads' });
    await tui.press('c');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the conversion');
    expect(commits(dir)[0]).toMatch(/^crm: convert lead luca-neri → contact luca-neri, account neri-srl, opportunity neri-srl-new-deal$/);
    for (const p of ['contacts/luca-neri.md', 'accounts/neri-srl.md', 'opportunities/neri-srl-new-deal.md']) expect(existsSync(join(dir, p))).toBe(true);
    expect(read(dir, 'leads/luca-neri.md')).toContain('status: converted');
    expect(gitStatus(dir)).toBe('');
    expect(tui.frame()).toContain('converted 1');
  });

  it('c with duplicates shows the picker; choosing the existing contact links to it (and its account)', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'leads' });
    await tui.press('l'); // contacted is empty: straight to qualified
    expect(tui.frame()).toContain('▸ Jane Roe');
    const before = commits(dir).length;
    await tui.press('c');
    const f = await tui.waitFor((x) => x.includes('Possible duplicate contacts'), 10_000, 'the picker');
    expect(f).toContain('use contact Jane Roe (jane-roe)');
    expect(f).toContain('create a new contact');
    expect(commits(dir)).toHaveLength(before); // nothing written while deciding
    await tui.press('enter');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the conversion');
    expect(commits(dir)[0]).toMatch(/^crm: convert lead jane-r → contact jane-roe, account acme-srl, opportunity /);
    const lead = read(dir, 'leads/jane-r.md');
    expect(lead).toContain('contact: jane-roe');
    expect(lead).toContain('account: acme-srl');
    expect(existsSync(join(dir, 'contacts/jane-roe-2.md'))).toBe(false);
  });

  it('esc in the duplicate picker cancels and writes nothing', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'leads' });
    await tui.press('l');
    const head = git(dir, ['rev-parse', 'HEAD']);
    await tui.press('c');
    await tui.waitFor((x) => x.includes('Possible duplicate contacts'), 10_000, 'the picker');
    await tui.press('esc');
    expect(tui.frame()).toContain('nothing changed');
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(read(dir, 'leads/jane-r.md')).toContain('status: qualified');
  });

  it('x disqualifies with a reason', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, tab: 'leads' });
    await tui.press('x');
    expect(tui.frame()).toContain('Disqualify Luca Neri');
    await tui.type('no budget');
    await tui.press('enter');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the change');
    expect(read(dir, 'leads/luca-neri.md')).toContain('disqualified_reason: no budget');
    expect(commits(dir)[0]).toBe('crm: disqualify lead luca-neri (new → disqualified): no budget');
    expect(tui.frame()).toContain('disqualified 1');
  });
});

function casesRepo(): string {
  const dir = salesRepo(emptyRepo);
  seed(dir, {
    'cases/printer-jam.md': '---\nsubject: Printer jam\naccount: beta-spa\npriority: normal\nstatus: open\nfirst_response_at: 2026-11-20T08:30:00Z\nowner: marco\ncreated: 2026-11-20T08:00:00Z\n---\n',
    'cases/old-bug.md': '---\nsubject: Old export bug\naccount: acme-srl\npriority: normal\nstatus: open\nfirst_response_at: 2026-11-10T09:00:00Z\nowner: marco\ncreated: 2026-11-10T08:00:00Z\n---\n',
  });
  return dir;
}

describe('tui: cases board', () => {
  it('sorts each column by SLA urgency and marks breaching cases', async () => {
    const dir = casesRepo();
    const tui = await openTui(dir, { env, tab: 'cases' });
    const f = tui.frame();
    expect(f).toContain('Open 3');
    expect(f).toContain('1 breached');
    const order = ['Old export bug', 'Printer jam', 'Login is slow'].map((t) => f.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(f).toContain('! normal late 7d');
    expect(f).toContain('! high late 4h'); // wrong-vat: first response due 06:00, now 10:00
  });

  it('r records the first response: an outbound email on the case and the case opened, one commit', async () => {
    const dir = casesRepo();
    const tui = await openTui(dir, { env, tab: 'cases' });
    expect(tui.frame()).toContain('▸ Invoice shows wrong V');
    await tui.press('r');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the response');
    const kase = read(dir, 'cases/wrong-vat.md');
    expect(kase).toContain('status: open');
    expect(kase).toContain('first_response_at: 2026-11-20T10:00:00Z');
    const files = git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort();
    expect(files).toEqual(['cases/wrong-vat.md', 'interactions/2026/11/2026-11-20-email-re-invoice-shows-wrong-vat.md']);
    const mail = read(dir, 'interactions/2026/11/2026-11-20-email-re-invoice-shows-wrong-vat.md');
    expect(mail).toContain('direction: outbound');
    expect(mail).toContain('case: wrong-vat');
    expect(commits(dir)[0]).toBe('crm: case respond wrong-vat: email 2026-11-20-email-re-invoice-shows-wrong-vat (first response, new → open)');
    expect(tui.frame()).toContain('Open 4');
  });

  it('s resolves and O reopens (resolved_at set, then removed), each one commit', async () => {
    const dir = casesRepo();
    const tui = await openTui(dir, { env, tab: 'cases' });
    await tui.press('l');
    expect(tui.frame()).toContain('▸ Old export bug');
    await tui.press('s');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the resolution');
    expect(read(dir, 'cases/old-bug.md')).toContain('resolved_at: 2026-11-20T10:00:00Z');
    expect(commits(dir)[0]).toBe('crm: case resolve old-bug: open → resolved');
    expect(tui.frame()).toContain('Resolved 1');
    expect(tui.frame()).toContain('▸ Old export bug');
    await tui.press('O');
    await tui.waitFor((x) => x.includes('open → ') === false && x.includes('resolved → open'), 10_000, 'the reopening');
    expect(read(dir, 'cases/old-bug.md')).not.toContain('resolved_at');
    expect(commits(dir)[0]).toBe('crm: case reopen old-bug: resolved → open');
    expect(gitStatus(dir)).toBe('');
  });

  it('O on an open case is refused by the case model: message, nothing written', async () => {
    const dir = casesRepo();
    const tui = await openTui(dir, { env, tab: 'cases' });
    await tui.press('l');
    const head = git(dir, ['rev-parse', 'HEAD']);
    await tui.press('O');
    const f = await tui.waitFor((x) => x.includes('✗'), 10_000, 'the refusal');
    expect(f).toContain('only resolved or closed cases can be reopened');
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(head);
  });
});
