/**
 * The real binary in a real terminal (tmux): open the board, move a card,
 * quit; the file and the commit are there and the terminal is restored
 * (main screen back, cursor visible, cooked mode with echo).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanup, commits, emptyRepo, gitStatus, NOW, read } from './helpers.js';
import { salesRepo } from './tui-harness.js';

const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux', '/opt/homebrew/bin/tmux'].find((p) => existsSync(p));
const socket = `crm-tui-test-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync(TMUX!, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const capture = () => tmux('capture-pane', '-p', '-t', 'crm');

async function waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = capture();
    if (predicate(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(() => {
  if (TMUX) spawnSync(TMUX, ['-L', socket, 'kill-server'], { encoding: 'utf8' });
  cleanup();
});

describe.skipIf(!TMUX)('tui: the real binary in tmux', () => {
  it('opens the board, moves a card with >, quits with q; the file and the commit are there and the terminal is restored', async () => {
    const dir = salesRepo(emptyRepo);
    const env = [
      `CRM_NOW=${NOW}`,
      'CRM_USER=giulia',
      'GIT_CONFIG_GLOBAL=/dev/null',
      'GIT_CONFIG_NOSYSTEM=1',
      'GIT_AUTHOR_NAME="Test Runner"',
      'GIT_AUTHOR_EMAIL=test@example.com',
      'GIT_COMMITTER_NAME="Test Runner"',
      'GIT_COMMITTER_EMAIL=test@example.com',
      'TERM=xterm-256color',
    ].join(' ');
    const script = `cd '${dir}' && echo BEFORE-TUI && env ${env} '${process.execPath}' '${BIN}' board; echo "EXIT=$?"; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo STTY-DONE; sleep 600`;
    tmux('new-session', '-d', '-s', 'crm', '-x', '80', '-y', '24', 'sh', '-c', script);
    let screen = await waitFor((s) => s.includes('Prospecting') && s.includes('▸ Beta website'), 'the board');
    expect(screen).toContain('1 Pipeline');
    expect(screen).toContain('Negotiation 1');
    expect(tmux('display', '-p', '-t', 'crm', '#{alternate_on}').trim()).toBe('1');
    // colours on a colour terminal (the resize test below checks NO_COLOR turns them off)
    expect(tmux('capture-pane', '-p', '-e', '-t', 'crm')).toMatch(/\u001b\[[0-9;]*3[0-9]m/);
    // 80 columns: every line fits, nothing wraps
    for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);

    tmux('send-keys', '-t', 'crm', 'l');
    await waitFor((s) => s.includes('▸ Acme ERP rollout'), 'the selection to move');
    tmux('send-keys', '-t', 'crm', '>');
    screen = await waitFor((s) => s.includes('✓'), 'the move');
    expect(screen).toContain('Negotiation 2');
    expect(read(dir, 'opportunities/acme-erp.md')).toContain('stage: negotiation');
    expect(commits(dir)[0]).toBe('crm: move opportunity acme-erp proposal → negotiation');
    expect(gitStatus(dir)).toBe('');

    tmux('send-keys', '-t', 'crm', 'q');
    screen = await waitFor((s) => s.includes('STTY-DONE'), 'crm to exit');
    expect(screen).toContain('EXIT=0');
    expect(screen).toContain('BEFORE-TUI'); // the main screen is back
    expect(screen).not.toContain('Prospecting');
    expect(screen).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(screen).toMatch(/(^|\s)echo(\s|$)/m);
    expect(tmux('display', '-p', '-t', 'crm', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });

  it('adapts to a resize without wrapping; NO_COLOR means no colour', async () => {
    const dir = salesRepo(emptyRepo);
    const script = `cd '${dir}' && env CRM_NOW=${NOW} NO_COLOR=1 '${process.execPath}' '${BIN}' board; sleep 600`;
    tmux('new-session', '-d', '-s', 'crm', '-x', '120', '-y', '30', 'sh', '-c', script);
    await waitFor((s) => s.includes('Negotiation 1'), 'the board');
    const styled = tmux('capture-pane', '-p', '-e', '-t', 'crm');
    expect(styled).not.toMatch(/\u001b\[[0-9;]*3[0-9]m/);
    expect(styled).toContain('▸ Beta website'); // the selection shows without colour
    tmux('resize-window', '-t', 'crm', '-x', '60', '-y', '20');
    const screen = await waitFor((s) => s.includes('more ›') || s.includes('‹'), 'the narrow layout');
    for (const line of screen.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(screen).toContain('1 Pipeline');
  });
});

if (!TMUX) {
  describe('tui: the real binary in tmux', () => {
    it.skip('needs tmux (not found in /usr/bin, /usr/local/bin or /opt/homebrew/bin): install tmux to run this smoke test', () => {});
  });
}

describe.skipIf(!TMUX)('tui: an unexpected error', () => {
  it('restores the terminal and says where to report it; nothing half-written', async () => {
    const dir = salesRepo(emptyRepo);
    const script = `cd '${dir}' && echo BEFORE-TUI && env CRM_NOW=${NOW} CRM_DEBUG_TUI_CRASH=z '${process.execPath}' '${BIN}' board 2>err.txt; echo "EXIT=$?"; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon | tr '\\n' ' '; echo STTY-DONE; sleep 600`;
    tmux('new-session', '-d', '-s', 'crm', '-x', '80', '-y', '24', 'sh', '-c', script);
    await waitFor((s) => s.includes('Prospecting'), 'the board');
    tmux('send-keys', '-t', 'crm', 'z');
    const screen = await waitFor((s) => s.includes('STTY-DONE'), 'crm to exit');
    expect(screen).toContain('EXIT=1');
    expect(screen).toContain('BEFORE-TUI');
    expect(screen).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(tmux('display', '-p', '-t', 'crm', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
    const err = read(dir, 'err.txt');
    expect(err).toContain('crm tui: internal error: CRM_DEBUG_TUI_CRASH');
    expect(err).toContain('This is a bug in crm, not in your data');
    expect(err).toContain('Please report it on the crm issue tracker');
    expect(err).toMatch(/at \S+/); // the trace
  });
});

describe.skipIf(!TMUX)('tui: killed', () => {
  it('SIGTERM restores the terminal and exits 143', async () => {
    const dir = salesRepo(emptyRepo);
    const script = `cd '${dir}' && echo BEFORE-TUI && env CRM_NOW=${NOW} '${process.execPath}' '${BIN}' board; echo "EXIT=$?"; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon | tr '\\n' ' '; echo STTY-DONE; sleep 600`;
    tmux('new-session', '-d', '-s', 'crm', '-x', '80', '-y', '24', 'sh', '-c', script);
    await waitFor((s) => s.includes('Prospecting'), 'the board');
    const shell = tmux('display', '-p', '-t', 'crm', '#{pane_pid}').trim();
    const node = spawnSync('pgrep', ['-P', shell], { encoding: 'utf8' }).stdout.trim().split('\n')[0]!;
    process.kill(Number(node), 'SIGTERM');
    const screen = await waitFor((s) => s.includes('STTY-DONE'), 'crm to exit');
    expect(screen).toContain('EXIT=143');
    expect(screen).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(tmux('display', '-p', '-t', 'crm', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
  });
});
