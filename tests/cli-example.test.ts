/**
 * Every core command end to end on a temporary copy of examples/crm-repo:
 * reading gives consistent answers across list, show, search and validate;
 * each write is one commit and leaves the repository valid and clean.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanup, commits, crm, EXAMPLE, exampleRepo, gitStatus, read } from './helpers.js';

afterAll(cleanup);

const TYPES = ['accounts', 'contacts', 'leads', 'opportunities', 'cases', 'campaigns', 'interactions'] as const;

function count(folder: string): number {
  if (folder !== 'interactions') return readdirSync(join(EXAMPLE, folder)).filter((f) => f.endsWith('.md')).length;
  let n = 0;
  for (const y of readdirSync(join(EXAMPLE, folder))) for (const m of readdirSync(join(EXAMPLE, folder, y))) n += readdirSync(join(EXAMPLE, folder, y, m)).filter((f) => f.endsWith('.md')).length;
  return n;
}

type Row = Record<string, unknown> & { id: string; type: string; path: string };
function listJson(dir: string, ...args: string[]): Row[] {
  const r = crm(dir, ['list', ...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Row[];
}

describe('reading the example', () => {
  let dir: string;
  beforeAll(() => {
    dir = exampleRepo();
  });

  test('validate: no problems', () => {
    const r = crm(dir, ['validate']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toBe('');
  });

  test.each(TYPES)('list %s: every file, in TSV, JSON and CSV alike', (type) => {
    const n = count(type);
    expect(n).toBeGreaterThan(2);
    const rows = listJson(dir, type);
    expect(rows).toHaveLength(n);
    const tsv = crm(dir, ['list', type]).stdout.trim().split('\n');
    expect(tsv).toHaveLength(n);
    expect(tsv.map((l) => l.split('\t')[0])).toEqual(rows.map((r) => r.id));
    const csv = crm(dir, ['list', type, '--format', 'csv']).stdout.trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/^id,/);
    expect(csv.length).toBeGreaterThanOrEqual(n + 1); // quoted notes may span lines
  });

  test('show: every kind of record, with references resolved to names', () => {
    for (const type of TYPES) {
      const [first] = listJson(dir, type, '--limit', '1');
      const r = crm(dir, ['show', `${first!.type}/${first!.id}`, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as Row & { references: { title: string | null }[] };
      expect(j.id).toBe(first!.id);
      for (const ref of j.references) expect(ref.title, JSON.stringify(ref)).not.toBeNull();
      expect(crm(dir, ['show', `${first!.type}/${first!.id}`]).code).toBe(0);
    }
  });

  test('--where, --sort and --limit agree with the data', () => {
    const opps = listJson(dir, 'opportunities');
    const open = listJson(dir, 'opps', '--where', 'stage != won and stage != lost and amount >= 10000', '--sort', '-amount');
    const expected = opps.filter((o) => o.stage !== 'won' && o.stage !== 'lost' && typeof o.amount === 'number' && o.amount >= 10000);
    expect(open.map((o) => o.id).sort()).toEqual(expected.map((o) => o.id).sort());
    const amounts = open.map((o) => o.amount as number);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    const top3 = listJson(dir, 'opps', '--sort', '-amount', '--limit', '3');
    expect(top3).toHaveLength(3);
    expect(top3.map((o) => o.id)).toEqual(listJson(dir, 'opps', '--sort', '-amount').slice(0, 3).map((o) => o.id));
    const leads = listJson(dir, 'leads');
    for (const source of new Set(leads.map((l) => l.source))) {
      if (typeof source !== 'string') continue;
      expect(listJson(dir, 'leads', '--where', `source = ${source}`)).toHaveLength(leads.filter((l) => l.source === source).length);
    }
  });

  test('search finds each account by its name first', () => {
    for (const account of listJson(dir, 'accounts').slice(0, 5)) {
      const r = crm(dir, ['search', String(account.name), '--json']);
      expect(r.code).toBe(0);
      const hits = JSON.parse(r.stdout) as { type: string; id: string }[];
      expect(hits[0], String(account.name)).toMatchObject({ type: 'account', id: account.id });
    }
  });
});

describe('writing to the example', () => {
  test('add, set, rename, unset, delete: one commit each, still valid, clean tree', () => {
    const dir = exampleRepo();
    const start = commits(dir).length;
    const [account] = listJson(dir, 'accounts', '--limit', '1');
    const contact = crm(dir, ['contact', 'add', 'Nuovo Contatto', '--account', account!.id, '--email', 'nuovo@example.com']);
    expect(contact.code, contact.stderr).toBe(0);
    const [lead] = listJson(dir, 'leads', '--where', 'status = new', '--limit', '1');
    if (lead) expect(crm(dir, ['set', `lead/${lead.id}`, 'status=contacted'], { CRM_USER: 'marco' }).code).toBe(0);
    const [opp] = listJson(dir, 'opps', '--where', 'stage = proposal', '--limit', '1');
    if (opp) {
      expect(crm(dir, ['set', `opp/${opp.id}`, 'stage=negotiation', 'amount=99999']).code).toBe(0);
      expect(read(dir, opp.path)).toMatch(/from: proposal, to: negotiation/);
    }
    expect(crm(dir, ['set', `account/${account!.id}`, 'name=Renamed Account Spa']).code).toBe(0);
    expect(read(dir, account!.path)).toMatch(/^name: Renamed Account Spa$/m);
    expect(crm(dir, ['unset', `account/${account!.id}`, 'tags']).code).toBe(0);
    expect(crm(dir, ['delete', `contact/${contact.stdout.trim()}`, '--yes']).code).toBe(0);
    const made = commits(dir).length - start;
    expect(made).toBe(4 + (lead ? 1 : 0) + (opp ? 1 : 0));
    expect(gitStatus(dir)).toBe('');
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('deleting a referenced account is refused without --force', () => {
    const dir = exampleRepo();
    const referenced = listJson(dir, 'contacts').map((c) => c.account).find((a): a is string => typeof a === 'string');
    expect(referenced).toBeDefined();
    const r = crm(dir, ['delete', `account/${referenced}`, '--yes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/is referenced by \d+ records?; nothing was deleted/);
    expect(gitStatus(dir)).toBe('');
  });
});
