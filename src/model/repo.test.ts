/**
 * The repository layer on real files: every file of examples/crm-repo
 * round-trips byte for byte; changes are applied all-or-nothing with
 * conflicts detected; a journal left by an interrupted write is finished;
 * the lock serialises writers and is taken over from dead processes.
 */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConflictError, CrmError } from '../errors.js';
import { parseRecord } from './frontmatter.js';
import { serializeRecord, updateRecord } from './frontmatter-write.js';
import { classifyPath } from './layout.js';
import { applyChanges, cleanTemp, findRoot, listFiles, loadConfig, loadRecordsDirect, recoverInterrupted, withLock } from './repo.js';
import { RECORD_TYPES, TYPES } from './schema.js';
import { validateFiles } from './validate.js';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/crm-repo');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function tempRepo(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'crm-repo-test-'));
  temps.push(dir);
  fs.writeFileSync(join(dir, 'crm.yaml'), 'name: Test\n');
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(dirname(join(dir, p)), { recursive: true });
    fs.writeFileSync(join(dir, p), text);
  }
  return dir;
}

const read = (dir: string, p: string): string | null => (fs.existsSync(join(dir, p)) ? fs.readFileSync(join(dir, p), 'utf8') : null);
const LEAD = '---\nname: Jane Roe\nstatus: new\ncreated: 2026-11-01T09:00:00Z\n---\n';

describe('examples/crm-repo round-trips byte for byte', () => {
  const files = RECORD_TYPES.flatMap((type) => listFiles(EXAMPLE, type).map((path) => ({ type, path, raw: fs.readFileSync(join(EXAMPLE, path), 'utf8') })));

  it('is a realistic repository: every type present, every file a valid record', () => {
    for (const type of RECORD_TYPES) expect(files.filter((f) => f.type === type).length, type).toBeGreaterThan(2);
    expect(files.length).toBeGreaterThan(300);
    const { records, issues } = validateFiles(files, loadConfig(EXAMPLE));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(records).toHaveLength(files.length);
    expect(loadRecordsDirect(EXAMPLE).issues).toEqual([]);
  });

  it('serializeRecord(type, data, body) === raw for every file', () => {
    const different: string[] = [];
    for (const f of files) {
      const { data, body } = parseRecord(f.raw);
      if (serializeRecord(f.type, data, body) !== f.raw) different.push(f.path);
    }
    expect(different).toEqual([]);
  });

  it('updateRecord(type, raw, data) === raw for every file (nothing changed, nothing written)', () => {
    for (const f of files) expect(updateRecord(f.type, f.raw, parseRecord(f.raw).data), f.path).toBe(f.raw);
  });

  it('a one-field change is a one-line diff in every file; changing it back restores the bytes', () => {
    for (const f of files) {
      const { data } = parseRecord(f.raw);
      const changed = updateRecord(f.type, f.raw, { ...data, updated: '2030-01-02T03:04:05Z' });
      const before = f.raw.split('\n');
      const after = changed.split('\n');
      const added = after.filter((l) => !before.includes(l));
      expect(added, f.path).toEqual(['updated: 2030-01-02T03:04:05Z']);
      expect(after.filter((l) => l !== 'updated: 2030-01-02T03:04:05Z'), f.path).toEqual(before.filter((l) => !l.startsWith('updated: ')));
      if (data.updated === undefined) expect(updateRecord(f.type, changed, data), f.path).toBe(f.raw);
    }
  });

  it('every file is where the layout says, with a valid id', () => {
    for (const f of files) expect(classifyPath(f.path), f.path).toMatchObject({ kind: 'record', type: f.type });
    for (const f of files.filter((x) => x.type !== 'interaction')) expect(f.path.startsWith(`${TYPES[f.type].folder}/`)).toBe(true);
  });
});

describe('findRoot', () => {
  it('--repo, else CRM_REPO, else the nearest crm.yaml upwards', () => {
    const dir = tempRepo({ 'leads/x/.keep': '' });
    expect(findRoot({ env: {}, cwd: join(dir, 'leads', 'x') })).toBe(dir);
    expect(findRoot({ env: { CRM_REPO: dir }, cwd: tmpdir() })).toBe(dir);
    expect(findRoot({ repo: dir, env: { CRM_REPO: '/nowhere' }, cwd: tmpdir() })).toBe(dir);
    expect(() => findRoot({ env: { CRM_REPO: join(dir, 'leads') }, cwd: tmpdir() })).toThrow(/is not a CRM repository/);
  });
});

describe('applyChanges', () => {
  it('writes, creates folders and deletes; leaves no temporary files', () => {
    const dir = tempRepo({ 'leads/a.md': LEAD, 'leads/b.md': LEAD });
    applyChanges(dir, [
      { path: 'leads/a.md', before: LEAD, after: LEAD.replace('new', 'contacted') },
      { path: 'interactions/2026/11/c.md', before: null, after: 'x' },
      { path: 'leads/b.md', before: LEAD, after: null },
    ]);
    expect(read(dir, 'leads/a.md')).toContain('status: contacted');
    expect(read(dir, 'interactions/2026/11/c.md')).toBe('x');
    expect(read(dir, 'leads/b.md')).toBeNull();
    expect(fs.readdirSync(join(dir, '.crm', 'tmp'))).toEqual([]);
    expect(fs.existsSync(join(dir, '.crm', 'journal.json'))).toBe(true); // mutate removes it after the commit
  });

  it('a file changed on disk since it was read: ConflictError, and no file is written', () => {
    const dir = tempRepo({ 'leads/a.md': LEAD, 'leads/b.md': `${LEAD}edited by hand\n` });
    let error: unknown;
    try {
      applyChanges(dir, [
        { path: 'leads/a.md', before: LEAD, after: 'A' },
        { path: 'leads/b.md', before: LEAD, after: 'B' },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/leads\/b.md changed on disk since it was read; nothing was written/);
    expect(read(dir, 'leads/a.md')).toBe(LEAD);
    expect(read(dir, 'leads/b.md')).toBe(`${LEAD}edited by hand\n`);
    // a file created meanwhile is a conflict too
    fs.writeFileSync(join(dir, 'leads/new.md'), 'mine');
    expect(() => applyChanges(dir, [{ path: 'leads/new.md', before: null, after: 'theirs' }])).toThrow(ConflictError);
    expect(read(dir, 'leads/new.md')).toBe('mine');
  });

  it('a path that cannot be read (a folder where the file should be) fails before any file is written', () => {
    const dir = tempRepo({ 'leads/a.md': LEAD });
    fs.mkdirSync(join(dir, 'leads', 'dir.md', 'inner'), { recursive: true }); // cannot be replaced by a file
    expect(() =>
      applyChanges(dir, [
        { path: 'leads/a.md', before: LEAD, after: 'A' },
        { path: 'leads/new.md', before: null, after: 'N' },
        { path: 'leads/dir.md', before: null, after: 'D' },
      ]),
    ).toThrow();
    expect(read(dir, 'leads/a.md')).toBe(LEAD);
    expect(read(dir, 'leads/new.md')).toBeNull();
    expect(fs.existsSync(join(dir, '.crm', 'journal.json'))).toBe(false);
  });

  it('refuses paths outside the repository', () => {
    const dir = tempRepo();
    for (const path of ['../evil.md', 'leads/../../evil.md', '/etc/evil.md']) {
      expect(() => applyChanges(dir, [{ path, before: null, after: 'x' }]), path).toThrow(CrmError);
    }
    expect(fs.existsSync(join(dir, '..', 'evil.md'))).toBe(false);
  });
});

describe('recoverInterrupted', () => {
  it('finishes the renames and deletions a killed process had not done, then forgets the journal', async () => {
    const dir = tempRepo({ 'leads/a.md': LEAD, 'leads/gone.md': LEAD, 'leads/done.md': 'new already' });
    const tmp = join(dir, '.crm', 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(join(tmp, 't1.md'), 'A2');
    fs.writeFileSync(join(tmp, 't2.md'), 'C');
    fs.writeFileSync(
      join(dir, '.crm', 'journal.json'),
      JSON.stringify({
        steps: [
          { path: 'leads/done.md', tmp: 't0.md' }, // renamed before the kill
          { path: 'leads/a.md', tmp: 't1.md' },
          { path: 'contacts/c.md', tmp: 't2.md' },
          { path: 'leads/gone.md', tmp: null },
        ],
      }),
    );
    expect(await recoverInterrupted(dir)).toBe(true);
    expect(read(dir, 'leads/done.md')).toBe('new already');
    expect(read(dir, 'leads/a.md')).toBe('A2');
    expect(read(dir, 'contacts/c.md')).toBe('C');
    expect(read(dir, 'leads/gone.md')).toBeNull();
    expect(fs.existsSync(join(dir, '.crm', 'journal.json'))).toBe(false);
    expect(await recoverInterrupted(dir)).toBe(false);
  });

  it('runs when the lock is taken, before the action', async () => {
    const dir = tempRepo({ 'leads/a.md': LEAD });
    fs.mkdirSync(join(dir, '.crm', 'tmp'), { recursive: true });
    fs.writeFileSync(join(dir, '.crm', 'tmp', 't.md'), 'finished');
    fs.writeFileSync(join(dir, '.crm', 'journal.json'), JSON.stringify({ steps: [{ path: 'leads/a.md', tmp: 't.md' }] }));
    const seen = await withLock(dir, async () => read(dir, 'leads/a.md'));
    expect(seen).toBe('finished');
  });

  it('a journal that cannot be read is dropped (the renames had not started)', async () => {
    const dir = tempRepo({ 'leads/a.md': LEAD });
    fs.mkdirSync(join(dir, '.crm'), { recursive: true });
    fs.writeFileSync(join(dir, '.crm', 'journal.json'), '{"steps": [');
    expect(await recoverInterrupted(dir)).toBe(false);
    expect(fs.existsSync(join(dir, '.crm', 'journal.json'))).toBe(false);
    expect(read(dir, 'leads/a.md')).toBe(LEAD);
  });

  it('cleanTemp removes leftovers', () => {
    const dir = tempRepo();
    fs.mkdirSync(join(dir, '.crm', 'tmp'), { recursive: true });
    fs.writeFileSync(join(dir, '.crm', 'tmp', 'x.md'), 'half');
    cleanTemp(dir);
    expect(fs.readdirSync(join(dir, '.crm', 'tmp'))).toEqual([]);
  });
});

describe('withLock', () => {
  it('serialises two writers in one process: the second starts after the first ends', async () => {
    const dir = tempRepo();
    const events: string[] = [];
    const slow = withLock(dir, async () => {
      events.push('a start');
      await new Promise((r) => setTimeout(r, 150));
      events.push('a end');
    });
    await new Promise((r) => setTimeout(r, 10));
    const fast = withLock(dir, async () => {
      events.push('b start');
      events.push('b end');
    });
    await Promise.all([slow, fast]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(fs.existsSync(join(dir, '.crm', 'lock'))).toBe(false);
  });

  it('takes over a lock whose process is gone, and an empty lock left long ago', async () => {
    const dir = tempRepo();
    fs.mkdirSync(join(dir, '.crm'), { recursive: true });
    fs.writeFileSync(join(dir, '.crm', 'lock'), '999999999\n');
    const started = Date.now();
    expect(await withLock(dir, async () => 'ran')).toBe('ran');
    fs.writeFileSync(join(dir, '.crm', 'lock'), '');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(join(dir, '.crm', 'lock'), old, old);
    expect(await withLock(dir, async () => 'ran again')).toBe('ran again');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('releases the lock when the action throws', async () => {
    const dir = tempRepo();
    await expect(withLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(fs.existsSync(join(dir, '.crm', 'lock'))).toBe(false);
  });
});
