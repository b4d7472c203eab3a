import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, commits, emptyRepo, git, gitStatus, read, write } from './helpers.js';
import { closeTuis, openTui, salesRepo } from './tui-harness.js';

afterEach(() => {
  closeTuis();
  cleanup();
});

const env = { CRM_USER: 'giulia' };

describe('tui: pipeline board', () => {
  it('shows a column per open stage with count, total and weighted total, and cards with name, account, amount, owner, days', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    const f = tui.frame();
    expect(f).toContain('1 Pipeline');
    for (const col of ['Prospecting 1', 'Qualification 0', 'Proposal 1', 'Negotiation 1']) expect(f).toContain(col);
    expect(f).toContain('Σ 24,000 · w 12k'); // proposal: 24000 × 0.5
    expect(f).toContain('Σ 5,000 · w 3.8k'); // negotiation: 5000 × 0.75
    expect(f).toContain('Acme ERP rollout');
    expect(f).toContain('Acme Srl');
    expect(f).toContain('24k giulia 10d'); // in proposal since 2026-11-10
    expect(f).toContain('won 1 · 3,000 EUR');
    expect(f).not.toContain('Beta hosting'); // won deals are folded into the summary
  });

  it('> moves the selected card to the next stage: one commit, history appended; u reverts it', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    expect(tui.frame()).toContain('▸ Beta website');
    await tui.press('l'); // qualification is empty: to proposal
    expect(tui.frame()).toContain('▸ Acme ERP rollout');
    await tui.press('>');
    const f = await tui.waitFor((x) => x.includes('✓'), 10_000, 'the move to finish');
    expect(f).toContain('proposal → negotiation');
    expect(f).toContain('Negotiation 2');
    expect(f).toContain('▸ Acme ERP rollout'); // the selection follows the card
    const text = read(dir, 'opportunities/acme-erp.md');
    expect(text).toContain('stage: negotiation');
    expect(text).toMatch(/- \{at: 2026-11-20T10:00:00Z, from: proposal, to: negotiation, by: giulia\}/);
    expect(commits(dir)[0]).toBe('crm: move opportunity acme-erp proposal → negotiation');
    expect(gitStatus(dir)).toBe('');

    await tui.press('u');
    await tui.waitFor((x) => x.includes('undone'), 10_000, 'the undo');
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('stage: proposal');
    expect(read(dir, 'opportunities/acme-erp.md')).not.toContain('to: negotiation');
    expect(commits(dir)[0]).toBe('Revert "crm: move opportunity acme-erp proposal → negotiation"');
    expect(git(dir, ['log', '-1', '--format=%b'])).toMatch(/This reverts commit [0-9a-f]{40}\./);
    expect(gitStatus(dir)).toBe('');
    expect(tui.frame()).toContain('Proposal 1');
    // nothing left to undo in this session
    await tui.press('u');
    expect(tui.frame()).toContain('nothing to undo');
  });

  it("its own writes are not taken for changes from outside (the watcher waits for the new fingerprint)", async () => {
    // The watcher used to compare with the fingerprint taken before the window's own write,
    // and now and then said "files changed outside this window" after a move or an undo.
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    await tui.press('l');
    const settled = () => new Promise((r) => setTimeout(r, 450)); // past the watcher's debounce and a poll
    for (let i = 0; i < 4; i++) {
      await tui.press('>');
      await tui.waitFor((x) => x.includes('✓'), 10_000, 'the move');
      await settled();
      expect(tui.frame()).toContain('proposal → negotiation');
      await tui.press('u');
      await tui.waitFor((x) => x.includes('undone'), 10_000, 'the undo');
      await settled();
      expect(tui.frame()).toContain('undone');
    }
    expect(tui.frame()).not.toContain('changed outside');
  });

  it('w wins the deal (closed_on, the account becomes a customer) in one commit', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    await tui.press('l');
    await tui.press('w');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the win');
    expect(tui.frame()).toContain('won 2 · 27,000 EUR');
    const opp = read(dir, 'opportunities/acme-erp.md');
    expect(opp).toContain('stage: won');
    expect(opp).toContain('closed_on: 2026-11-20');
    expect(read(dir, 'accounts/acme-srl.md')).toContain('status: customer');
    expect(commits(dir)[0]).toBe('crm: win opportunity acme-erp (24,000 EUR); account acme-srl becomes a customer');
    expect(git(dir, ['show', '--name-only', '--format=', 'HEAD']).trim().split('\n').sort()).toEqual(['accounts/acme-srl.md', 'opportunities/acme-erp.md']);
  });

  it('x asks the reason in a form, then marks the deal lost; esc in the form changes nothing', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    const before = commits(dir).length;
    await tui.press('x');
    expect(tui.frame()).toContain('Mark Beta website lost');
    await tui.press('esc');
    expect(tui.frame()).toContain('nothing changed');
    expect(commits(dir)).toHaveLength(before);
    await tui.press('x');
    await tui.press('enter');
    expect(tui.frame()).toContain('reason is required');
    await tui.type('budget cut');
    await tui.press('enter');
    await tui.waitFor((x) => x.includes('✓'), 10_000, 'the loss');
    const opp = read(dir, 'opportunities/beta-web.md');
    expect(opp).toContain('stage: lost');
    expect(opp).toContain('lost_reason: budget cut');
    expect(commits(dir)[0]).toBe('crm: lose opportunity beta-web: budget cut');
  });

  it('a failed action (the record would not be valid) shows a message and changes nothing', async () => {
    const dir = salesRepo(emptyRepo);
    write(dir, 'opportunities/beta-web.md', read(dir, 'opportunities/beta-web.md').replace('amount: 8000', 'amount: 8000\nexpected_close: someday'));
    git(dir, ['commit', '-qam', 'bad date']);
    const tui = await openTui(dir, { env });
    const head = git(dir, ['rev-parse', 'HEAD']);
    await tui.press('>');
    const f = await tui.waitFor((x) => x.includes('✗'), 10_000, 'the error');
    expect(f).toMatch(/✗ not valid, nothing was written: .*expected_close/);
    expect(read(dir, 'opportunities/beta-web.md')).toContain('stage: prospecting');
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(gitStatus(dir)).toBe('');
    // the app is still alive
    await tui.press('l');
    expect(tui.frame()).toContain('▸ Acme ERP rollout');
  });

  it('> on the last open stage says to press w, and writes nothing', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    await tui.press('l');
    await tui.press('l');
    expect(tui.frame()).toContain('▸ Acme support plan');
    const n = commits(dir).length;
    await tui.press('L');
    expect(tui.frame()).toContain('negotiation is the last open stage: press w to mark it won');
    expect(commits(dir)).toHaveLength(n);
  });

  it('filters by owner (o) and by text (/), esc clears', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    await tui.press('o');
    let f = tui.frame();
    expect(f).toContain('owner: giulia');
    expect(f).not.toContain('Beta website');
    expect(f).toContain('▸ Acme ERP rollout');
    await tui.press('esc');
    expect(tui.frame()).toContain('Beta website');
    await tui.press('/');
    f = await tui.type('supp');
    expect(f).toContain('Acme support plan');
    expect(f).not.toContain('Acme ERP rollout');
    await tui.press('enter');
    expect(tui.frame()).toContain('/supp');
    await tui.press('esc');
    expect(tui.frame()).toContain('Acme ERP rollout');
  });

  it('reloads when a file changes outside and keeps the selection', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env, pollMs: 100 });
    await tui.press('l');
    expect(tui.frame()).toContain('▸ Acme ERP rollout');
    // another process moves the selected deal and renames it
    write(dir, 'opportunities/acme-erp.md', read(dir, 'opportunities/acme-erp.md').replace('stage: proposal', 'stage: negotiation').replace('name: Acme ERP rollout', 'name: Acme ERP phase one').replace('  - {at: 2026-11-10T09:00:00Z, from: prospecting, to: proposal, by: giulia}\n', '  - {at: 2026-11-10T09:00:00Z, from: prospecting, to: proposal, by: giulia}\n  - {at: 2026-11-20T09:00:00Z, from: proposal, to: negotiation}\n'));
    const f = await tui.waitFor((x) => x.includes('Acme ERP phase one'), 10_000, 'the reload');
    expect(f).toContain('▸ Acme ERP phase one');
    expect(f).toContain('Negotiation 2');
    expect(f).toContain('changed outside');
  });

  it('? shows the keymap of the screen, generated from the keymap data', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    const f = await tui.press('?');
    expect(f).toContain('Keys on the pipeline screen');
    expect(f).toContain('mark the opportunity won');
    expect(f).toContain('Everywhere');
    expect(f).toContain('undo your last change (revert)');
    await tui.press('j');
    expect(tui.frame()).toContain('Prospecting 1');
  });

  it('q quits', async () => {
    const dir = salesRepo(emptyRepo);
    const tui = await openTui(dir, { env });
    await tui.press('q', { change: false });
    // after exit, keys do nothing
    const f = tui.frame();
    await tui.press('l', { change: false });
    expect(tui.frame()).toBe(f);
  });
});
