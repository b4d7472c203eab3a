/**
 * Driving the TUI in tests: the real App (src/tui/app.tsx) on a real
 * temporary repository, rendered by ink-testing-library. Keys are written
 * one per `stdin.write`, and each press waits until the frame changes (a
 * key written before Ink subscribes to input would be lost).
 */
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { clock } from '../src/io.js';
import { App, openSource, type Source } from '../src/tui/app.js';
import type { TabId } from '../src/tui/state.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, NOW } from './helpers.js';

const KEYS: Record<string, string> = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  esc: '\u001b',
  backspace: '\u007f',
  tab: '\t',
  'ctrl+c': '\u0003',
};

export interface Tui {
  frame(): string;
  /** Press one key and wait for the frame to change (or `timeoutMs`, then throw). */
  press(key: string, options?: { change?: boolean; timeoutMs?: number }): Promise<string>;
  /** Type text one character at a time. */
  type(text: string): Promise<string>;
  waitFor(predicate: (frame: string) => boolean, timeoutMs?: number, what?: string): Promise<string>;
  source: Source;
  unmount(): void;
}

export function tuiEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    CRM_NOW: NOW,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Runner',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test Runner',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    HOME: process.env.HOME,
    PATH: process.env.PATH,
    EDITOR: 'false',
    ...extra,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every TUI opened since the last closeTuis(). */
const open: Tui[] = [];

/** Unmount every TUI the test opened (call after each test). */
export function closeTuis(): void {
  for (const t of open.splice(0)) t.unmount();
}

export async function openTui(dir: string, options: { env?: Record<string, string | undefined>; columns?: number; rows?: number; tab?: TabId; pollMs?: number } = {}): Promise<Tui> {
  const env = tuiEnv(options.env);
  const now = clock(env);
  const source = openSource({ env, cwd: dir, now, pollMs: options.pollMs ?? 200 });
  const loadedAt = Date.now();
  const initial = source.load();
  const inst = render(
    createElement(App, {
      source,
      initial,
      env,
      now,
      commit: true,
      suspend: async (fn) => fn(),
      loadedAt,
      size: { columns: options.columns ?? 100, rows: options.rows ?? 30 },
      ...(options.tab ? { tab: options.tab } : {}),
    }),
  );
  const frame = () => inst.lastFrame() ?? '';
  const waitFor = async (predicate: (f: string) => boolean, timeoutMs = 5000, what = 'the expected frame') => {
    const start = Date.now();
    for (;;) {
      const f = frame();
      if (predicate(f)) return f;
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; last frame:\n${f}`);
      await sleep(10);
    }
  };
  // Let Ink subscribe to input before the first key.
  await waitFor((f) => f.length > 0, 5000, 'the first frame');
  await sleep(30);
  const press = async (key: string, o: { change?: boolean; timeoutMs?: number } = {}) => {
    const before = frame();
    inst.stdin.write(KEYS[key] ?? key);
    if (o.change === false) {
      await sleep(60);
      return frame();
    }
    return waitFor((f) => f !== before, o.timeoutMs ?? 5000, `a change after pressing ${JSON.stringify(key)}`);
  };
  const type = async (text: string) => {
    let f = frame();
    for (const ch of text) f = await press(ch);
    return f;
  };
  const tui: Tui = { frame, press, type, waitFor, source, unmount: () => inst.unmount() };
  open.push(tui);
  return tui;
}

/** Write record files (path → text) into a repository and commit them. */
export function seed(dir: string, files: Record<string, string>, message = 'seed'): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, dirname(path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', message]);
}

/** A small sales repository: two accounts, three open deals, one won, two leads, two cases. */
export function salesFiles(): Record<string, string> {
  return {
    'accounts/acme-srl.md': '---\nname: Acme Srl\nstatus: prospect\nowner: giulia\ncreated: 2026-09-01T09:00:00Z\n---\n',
    'accounts/beta-spa.md': '---\nname: Beta SpA\nstatus: customer\nowner: marco\ncreated: 2026-08-01T09:00:00Z\n---\n',
    'contacts/jane-roe.md': '---\nname: Jane Roe\nemail: jane@acme.example\naccount: acme-srl\ncreated: 2026-09-02T09:00:00Z\n---\n',
    'opportunities/acme-erp.md':
      '---\nname: Acme ERP rollout\naccount: acme-srl\ncontacts: [jane-roe]\namount: 24000\nstage: proposal\nexpected_close: 2026-12-15\nowner: giulia\ncreated: 2026-10-01T09:00:00Z\nhistory:\n  - {at: 2026-10-01T09:00:00Z, to: prospecting}\n  - {at: 2026-11-10T09:00:00Z, from: prospecting, to: proposal, by: giulia}\n---\nERP for three plants.\n',
    'opportunities/beta-web.md': '---\nname: Beta website\naccount: beta-spa\namount: 8000\nstage: prospecting\nowner: marco\ncreated: 2026-11-01T09:00:00Z\n---\n',
    'opportunities/acme-support.md': '---\nname: Acme support plan\naccount: acme-srl\namount: 5000\nstage: negotiation\nowner: giulia\ncreated: 2026-10-20T09:00:00Z\n---\n',
    'opportunities/beta-old.md': '---\nname: Beta hosting\naccount: beta-spa\namount: 3000\nstage: won\nclosed_on: 2026-09-30\nowner: marco\ncreated: 2026-09-01T09:00:00Z\nhistory:\n  - {at: 2026-09-01T09:00:00Z, to: prospecting}\n  - {at: 2026-09-30T09:00:00Z, from: prospecting, to: won}\n---\n',
    'leads/luca-neri.md': '---\nname: Luca Neri\ncompany: Neri Srl\nemail: luca@neri.example\nsource: web\nstatus: new\nscore: 40\nowner: giulia\ncreated: 2026-11-15T09:00:00Z\n---\n',
    'leads/jane-r.md': '---\nname: Jane Roe\ncompany: Acme Srl\nemail: jane@acme.example\nsource: referral\nstatus: qualified\nscore: 80\nowner: giulia\ncreated: 2026-11-02T09:00:00Z\n---\n',
    'cases/wrong-vat.md': '---\nsubject: Invoice shows wrong VAT\naccount: acme-srl\ncontact: jane-roe\npriority: high\nstatus: new\nchannel: email\nowner: marco\ncreated: 2026-11-20T02:00:00Z\n---\n',
    'cases/slow-login.md': '---\nsubject: Login is slow\naccount: beta-spa\npriority: low\nstatus: open\nchannel: phone\nfirst_response_at: 2026-11-18T10:00:00Z\nowner: marco\ncreated: 2026-11-18T09:00:00Z\n---\n',
  };
}

export const SALES_USERS = `users:\n  - {handle: giulia, name: Giulia Bianchi, email: giulia@example.com}\n  - {handle: marco, name: Marco Rossi, email: marco@example.com}\n`;

export const SALES_CONFIG = `name: Test Srl\ncurrency: EUR\ntimezone: Europe/Rome\n${SALES_USERS}`;

/** An empty repository (crm init) with the sales records and two users. */
export function salesRepo(emptyRepo: () => string): string {
  const dir = emptyRepo();
  seed(dir, { 'crm.yaml': SALES_CONFIG, ...salesFiles() });
  return dir;
}
