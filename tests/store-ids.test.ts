/**
 * Record ids through the CLI: the slug of the name, -2/-3 on collision,
 * never reused after a delete (git remembers), never changed by a rename,
 * and unsafe names never escape their folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanup, commits, crm, emptyRepo, gitStatus, read } from './helpers.js';

afterAll(cleanup);

function add(dir: string, ...args: string[]): string {
  const r = crm(dir, args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout.trim();
}

describe('ids', () => {
  test('the slug of the name: lowercase, accents folded, punctuation to dashes', () => {
    const dir = emptyRepo();
    expect(add(dir, 'account', 'add', 'Caffè Nero S.p.A.')).toBe('caffe-nero-s-p-a');
    expect(add(dir, 'account', 'add', 'Müller & Söhne GmbH')).toBe('muller-and-sohne-gmbh');
    expect(add(dir, 'lead', 'add', '  Jane   ROE  ')).toBe('jane-roe');
    expect(add(dir, 'case', 'add', 'Invoice #123: wrong VAT (again!)')).toBe('invoice-123-wrong-vat-again');
    const long = add(dir, 'opp', 'add', 'A very long opportunity name that goes on and on about the many machines we will sell them next year');
    expect(long.length).toBeLessThanOrEqual(60);
    expect(long).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
    expect(existsSync(join(dir, `opportunities/${long}.md`))).toBe(true);
  });

  test('a collision gets -2, then -3; different types may share an id', () => {
    const dir = emptyRepo();
    expect(add(dir, 'lead', 'add', 'Jane Roe')).toBe('jane-roe');
    expect(add(dir, 'lead', 'add', 'Jane Roe')).toBe('jane-roe-2');
    expect(add(dir, 'lead', 'add', 'jane roe')).toBe('jane-roe-3');
    expect(add(dir, 'contact', 'add', 'Jane Roe')).toBe('jane-roe');
    expect(readdirSync(join(dir, 'leads')).filter((f) => f.endsWith('.md')).sort()).toEqual(['jane-roe-2.md', 'jane-roe-3.md', 'jane-roe.md']);
    // the first file was not touched by the later adds
    expect(read(dir, 'leads/jane-roe.md')).toMatch(/^name: Jane Roe$/m);
  });

  test('a shared id is ambiguous: show explains and TYPE/ID picks one', () => {
    const dir = emptyRepo();
    add(dir, 'lead', 'add', 'Jane Roe', '--company', 'Roe & Co');
    add(dir, 'contact', 'add', 'Jane Roe', '--email', 'jane@roe.example');
    const r = crm(dir, ['show', 'jane-roe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"jane-roe" is the id of 2 records: contact\/jane-roe, lead\/jane-roe/);
    expect(r.stderr).toMatch(/hint: Say which one with TYPE\/ID/);
    expect(crm(dir, ['show', 'lead/jane-roe']).stdout).toContain('Roe & Co');
    expect(crm(dir, ['show', 'contact/jane-roe']).stdout).toContain('jane@roe.example');
    expect(crm(dir, ['set', 'jane-roe', 'title=CEO']).code).toBe(2);
    expect(crm(dir, ['set', 'contact/jane-roe', 'title=CEO']).code).toBe(0);
  });

  test('never reused after a delete: the same name gets a new id', () => {
    const dir = emptyRepo();
    expect(add(dir, 'lead', 'add', 'Temp Lead')).toBe('temp-lead');
    expect(crm(dir, ['delete', 'temp-lead', '--yes']).code).toBe(0);
    expect(existsSync(join(dir, 'leads/temp-lead.md'))).toBe(false);
    expect(add(dir, 'lead', 'add', 'Temp Lead')).toBe('temp-lead-2');
    // ids live per type: a contact may still take the name
    expect(add(dir, 'contact', 'add', 'Temp Lead')).toBe('temp-lead');
    expect(commits(dir)[2]).toBe('crm: delete lead/temp-lead "Temp Lead"');
  });

  test('never changed by a rename', () => {
    const dir = emptyRepo();
    expect(add(dir, 'account', 'add', 'Acme Srl')).toBe('acme-srl');
    add(dir, 'contact', 'add', 'Bob', '--account', 'acme-srl');
    expect(crm(dir, ['set', 'acme-srl', 'name=Acme Industries S.p.A.']).code).toBe(0);
    expect(readdirSync(join(dir, 'accounts')).filter((f) => f.endsWith('.md'))).toEqual(['acme-srl.md']);
    expect(read(dir, 'accounts/acme-srl.md')).toMatch(/^name: Acme Industries S\.p\.A\.$/m);
    const shown = crm(dir, ['show', 'bob']);
    expect(shown.stdout).toMatch(/account\s+Acme Industries S\.p\.A\. \(acme-srl\)/);
    // the old name's slug is not taken over by the renamed record
    expect(add(dir, 'account', 'add', 'Acme Srl')).toBe('acme-srl-2');
    expect(gitStatus(dir)).toBe('');
  });

  test('names that look like paths stay inside their folder', () => {
    const dir = emptyRepo();
    expect(add(dir, 'lead', 'add', '../../etc/passwd')).toBe('etc-passwd');
    expect(add(dir, 'lead', 'add', 'AC/DC')).toBe('ac-dc');
    expect(add(dir, 'lead', 'add', '..')).toBe('lead');
    expect(add(dir, 'lead', 'add', '東京')).toBe('lead-2');
    expect(add(dir, 'campaign', 'add', '...')).toBe('campaign');
    expect(readdirSync(join(dir, 'leads')).filter((f) => f.endsWith('.md')).sort()).toEqual(['ac-dc.md', 'etc-passwd.md', 'lead-2.md', 'lead.md']);
    expect(read(dir, 'leads/etc-passwd.md')).toMatch(/^name: \.\.\/\.\.\/etc\/passwd$/m);
    expect(read(dir, 'leads/lead-2.md')).toMatch(/^name: 東京$/m);
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('an id typed with .. or a / cannot reach another file', () => {
    const dir = emptyRepo();
    add(dir, 'lead', 'add', 'Jane Roe');
    for (const ref of ['../leads/jane-roe', 'lead/../jane-roe', 'lead/../../crm', '..']) {
      const r = crm(dir, ['delete', ref, '--yes', '--force']);
      expect(r.code, ref).toBe(2);
    }
    expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(true);
    expect(existsSync(join(dir, 'crm.yaml'))).toBe(true);
  });
});
