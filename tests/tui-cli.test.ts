import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, crm, emptyRepo } from './helpers.js';
import { salesRepo } from './tui-harness.js';

afterEach(cleanup);

describe('crm tui / crm board (command line)', () => {
  it('needs a terminal: exit 2 with a hint when stdin/stdout are not a TTY', () => {
    const dir = salesRepo(emptyRepo);
    const r = crm(dir, ['board']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('crm tui needs a terminal');
    expect(r.stderr).toContain('crm board --once');
    expect(r.stdout).toBe('');
  });

  it('--once prints the first screen as plain text, fitted to --width and --height', () => {
    const dir = salesRepo(emptyRepo);
    const r = crm(dir, ['board', '--once', '--width', '80', '--height', '24']);
    expect(r.code).toBe(0);
    const lines = r.stdout.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(r.stdout).toContain('1 Pipeline');
    expect(r.stdout).toContain('▸ Beta website');
    expect(r.stdout).toContain('Proposal 1');
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });

  it('--tab opens another tab; a bad tab is a usage error', () => {
    const dir = salesRepo(emptyRepo);
    const r = crm(dir, ['tui', '--once', '--tab', 'cases']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('▸ Invoice shows wrong');
    expect(r.stdout).toContain('New 1');
    const bad = crm(dir, ['tui', '--once', '--tab', 'deals']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Allowed choices are pipeline, leads, cases, lists, dashboard');
  });

  it('outside a CRM repository: the usual error', () => {
    const r = crm('/', ['board', '--once']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not inside a CRM repository');
  });

  it('--help explains the keys with examples', () => {
    const r = crm('/', ['board', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: crm tui|board');
    expect(r.stdout).toContain('? shows every key');
    expect(r.stdout).toContain('$ crm board');
  });
});
