/**
 * The index under .crm/index is never trusted over the files: every change
 * made behind crm's back is seen by the next command.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { loadRecords } from '../src/model/repo.js';
import { RECORD_TYPES, TYPES } from '../src/model/schema.js';
import { cleanup, crm, exampleRepo, git, read, ROOT, tempDir, write } from './helpers.js';

afterAll(cleanup);

function names(dir: string, type = 'contacts'): string[] {
  const r = crm(dir, ['list', type, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { name: string }[]).map((x) => x.name);
}

function titleOf(dir: string, id: string): string {
  const r = crm(dir, ['list', 'contacts', '--json', '--where', `id = ${id}`]);
  return (JSON.parse(r.stdout) as { title?: string }[])[0]?.title ?? '';
}

/** Rewrite a file in place (same inode), keeping its size, and put its mtime back to the same second. */
function sameSizeEdit(path: string, from: string, to: string): void {
  expect(to.length).toBe(from.length);
  const before = statSync(path);
  const text = readFileText(path);
  expect(text.includes(from)).toBe(true);
  const fd = openSync(path, 'r+');
  writeSync(fd, text.replace(from, to), 0, 'utf8');
  closeSync(fd);
  const after = statSync(path);
  expect(after.size).toBe(before.size);
  expect(after.ino).toBe(before.ino);
  // Same whole second as before: only sub-second precision (or ctime) can tell them apart.
  utimesSync(path, before.atime, new Date(Math.floor(before.mtimeMs / 1000) * 1000));
}

/** Make every record file an hour old: the index trusts such files (one changed within two seconds of it is always re-read). */
function ageRecords(dir: string): void {
  const hourAgo = new Date(Date.now() - 3_600_000);
  const age = (d: string) => {
    for (const e of readdirSync(join(dir, d), { withFileTypes: true })) {
      if (e.isDirectory()) age(`${d}/${e.name}`);
      else if (e.name.endsWith('.md')) utimesSync(join(dir, d, e.name), hourAgo, hourAgo);
    }
  };
  for (const t of RECORD_TYPES) age(TYPES[t].folder);
}

function readFileText(path: string): string {
  return readFileSync(path, 'utf8');
}

describe('the index', () => {
  it('is built on first use and sees a same-size edit made in the same second', () => {
    const dir = exampleRepo();
    const first = names(dir);
    expect(existsSync(join(dir, '.crm', 'index'))).toBe(true);
    const file = readdirSync(join(dir, 'contacts')).find((f) => f.endsWith('.md'))!;
    const path = join(dir, 'contacts', file);
    const text = read(dir, `contacts/${file}`);
    const title = /^title: (.*)$/m.exec(text)?.[1];
    expect(title).toBeTruthy();
    const id = file.slice(0, -3);
    expect(titleOf(dir, id)).toBe(title);
    const replacement = 'X'.repeat(title!.length);
    sameSizeEdit(path, `title: ${title}`, `title: ${replacement}`);
    expect(titleOf(dir, id)).toBe(replacement);
    expect(names(dir)).toEqual(first);
  });

  it('sees a file deleted, a file added, and then edited again long after the index was written', () => {
    const dir = exampleRepo();
    const before = names(dir);
    const victim = readdirSync(join(dir, 'contacts')).filter((f) => f.endsWith('.md'))[0]!;
    const victimName = /^name: (.*)$/m.exec(read(dir, `contacts/${victim}`))![1]!;
    rmSync(join(dir, 'contacts', victim));
    expect(names(dir)).not.toContain(victimName);
    write(dir, 'contacts/zz-new-person.md', '---\nname: Zelda Nuova\ncreated: 2026-11-01T10:00:00Z\n---\n');
    const after = names(dir);
    expect(after).toContain('Zelda Nuova');
    expect(after.length).toBe(before.length);
    // Age the files so that the index trusts them, then change one: still seen.
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, 'contacts', 'zz-new-person.md'), old, old);
    names(dir);
    write(dir, 'contacts/zz-new-person.md', '---\nname: Zelda Nuovissima\ncreated: 2026-11-01T10:00:00Z\n---\n');
    utimesSync(join(dir, 'contacts', 'zz-new-person.md'), old, old);
    expect(names(dir)).toContain('Zelda Nuovissima');
  });

  it('sees files added and removed in a folder it trusts, even with the folder mtime put back', () => {
    const dir = exampleRepo();
    const old = new Date(Date.now() - 3600_000);
    const contacts = join(dir, 'contacts');
    utimesSync(contacts, old, old);
    const before = names(dir);
    names(dir); // the folder is now trusted: it is not listed again while unchanged
    write(dir, 'contacts/zz-behind-the-back.md', '---\nname: Zeno Dietro\ncreated: 2026-11-01T10:00:00Z\n---\n');
    utimesSync(join(contacts, 'zz-behind-the-back.md'), old, old);
    utimesSync(contacts, old, old); // only the folder's ctime still tells
    expect(names(dir)).toContain('Zeno Dietro');
    expect(names(dir)).toContain('Zeno Dietro');
    rmSync(join(contacts, 'zz-behind-the-back.md'));
    utimesSync(contacts, old, old);
    expect(names(dir)).toEqual(before);
  });

  it('sees a new month folder of interactions and a removed one', () => {
    const dir = exampleRepo();
    const count = () => (JSON.parse(crm(dir, ['list', 'interactions', '--json']).stdout) as unknown[]).length;
    const n = count();
    count();
    mkdirSync(join(dir, 'interactions', '2031', '01'), { recursive: true });
    write(dir, 'interactions/2031/01/2031-01-05-call-zz.md', '---\nkind: call\nat: 2031-01-05T10:00:00Z\nsubject: From the future\ncreated: 2031-01-05T10:00:00Z\n---\n');
    expect(count()).toBe(n + 1);
    mkdirSync(join(dir, 'interactions', '2031', '02'));
    write(dir, 'interactions/2031/02/2031-02-05-call-zz.md', '---\nkind: call\nat: 2031-02-05T10:00:00Z\nsubject: Later still\ncreated: 2031-02-05T10:00:00Z\n---\n');
    expect(count()).toBe(n + 2);
    rmSync(join(dir, 'interactions', '2031', '01'), { recursive: true });
    expect(count()).toBe(n + 1);
    rmSync(join(dir, 'interactions', '2031'), { recursive: true });
    expect(count()).toBe(n);
  });

  it('keeps its paths in order when folders listed one by one are not (a file beside a subfolder whose name sorts differently)', () => {
    // contacts/a-sub/ sorts before contacts/b.md as a path, after contacts/a…md as a name: the listing is re-sorted.
    const dir = exampleRepo();
    mkdirSync(join(dir, 'contacts', 'a-sub'));
    write(dir, 'contacts/a-sub/misplaced.md', '---\nname: Not Here\ncreated: 2026-11-01T10:00:00Z\n---\n');
    write(dir, 'contacts/zz-last.md', '---\nname: Zoe Last\ncreated: 2026-11-01T10:00:00Z\n---\n');
    ageRecords(dir);
    const first = crm(dir, ['list', 'contacts', '--json']);
    expect(first.stderr).toContain('contacts/a-sub/misplaced.md');
    // The base file starts with its paths (a 4-byte length, then NUL-joined): they are in order, as lookups by path assume.
    const baseFile = readdirSync(join(dir, '.crm', 'index')).find((f) => /^contact\.v\d+\.bin$/.test(f))!;
    const buf = readFileSync(join(dir, '.crm', 'index', baseFile));
    const paths = buf.toString('utf8', 4, 4 + buf.readUInt32LE(0)).split('\u0000');
    expect(paths).toContain('contacts/a-sub/misplaced.md');
    expect(paths).toEqual([...paths].sort());
    const files = readdirSync(join(dir, 'contacts')).filter((f) => f.endsWith('.md')).sort();
    // An edit behind crm's back to the last file and to one before the subfolder: found by their place in the index.
    for (const f of [files[files.length - 1]!, files[0]!]) {
      const text = read(dir, `contacts/${f}`);
      const name = /^name: (.*)$/m.exec(text)![1]!;
      sameSizeEdit(join(dir, 'contacts', f), `name: ${name}`, `name: ${'Q'.repeat(name.length)}`);
      expect(names(dir)).toContain('Q'.repeat(name.length));
    }
    expect(crm(dir, ['list', 'contacts', '--json']).stdout).toBe(crm(dir, ['list', 'contacts', '--json'], { CRM_NO_INDEX: '1' }).stdout);
  });

  it('follows a checkout of another branch', () => {
    const dir = exampleRepo();
    names(dir);
    git(dir, ['checkout', '-q', '-b', 'other']);
    write(dir, 'contacts/branch-only.md', '---\nname: Only On Branch\ncreated: 2026-11-01T10:00:00Z\n---\n');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'branch']);
    expect(names(dir)).toContain('Only On Branch');
    git(dir, ['checkout', '-q', 'main']);
    expect(names(dir)).not.toContain('Only On Branch');
    git(dir, ['checkout', '-q', 'other']);
    expect(names(dir)).toContain('Only On Branch');
  });

  it('is rebuilt when its files are corrupt, truncated or from another version', () => {
    const dir = exampleRepo();
    const truth = names(dir);
    const indexDir = join(dir, '.crm', 'index');
    // Only the front-matter column broken (or left over from another build): records are read from their files.
    const full = crm(dir, ['list', '--json']).stdout;
    for (const f of readdirSync(indexDir).filter((x) => x.endsWith('.json'))) writeFileSync(join(indexDir, f), 'garbage');
    expect(crm(dir, ['list', '--json']).stdout).toBe(full);
    for (const f of readdirSync(indexDir)) writeFileSync(join(indexDir, f), 'garbage');
    expect(names(dir)).toEqual(truth);
    for (const f of readdirSync(indexDir)) writeFileSync(join(indexDir, f), '');
    expect(names(dir)).toEqual(truth);
    // A torn journal line (a process killed while appending) is ignored.
    const journal = readdirSync(indexDir).find((f) => f.startsWith('contact.') && f.endsWith('.journal'));
    if (journal) writeFileSync(join(indexDir, journal), '{"p":"contacts/x.md","e":{"si');
    expect(names(dir)).toEqual(truth);
    rmSync(indexDir, { recursive: true });
    expect(names(dir)).toEqual(truth);
  });

  it('never trusts a column file that is missing, broken or left over from another build', () => {
    const dir = exampleRepo();
    ageRecords(dir);
    const args = [['list'], ['list', 'opportunities', '--json'], ['report', 'kpi', '--period', '2026-Q3', '--as-of', '2026-11-20', '--format', 'json']];
    const truth = args.map((a) => crm(dir, a, { CRM_NO_INDEX: '1' }).stdout);
    const check = () => args.forEach((a, i) => expect(crm(dir, a).stdout).toBe(truth[i]));
    check(); // builds the index
    check();
    const indexDir = join(dir, '.crm', 'index');
    const columns = readdirSync(indexDir).filter((f) => f.includes('.col.'));
    expect(columns.length).toBeGreaterThan(10);
    // Another build's column: valid JSON, right length, wrong values.
    for (const f of columns) {
      const text = readFileSync(join(indexDir, f), 'utf8');
      const values = JSON.parse(text.slice(text.indexOf('\n') + 1)) as unknown[];
      writeFileSync(join(indexDir, f), `other-build\n${JSON.stringify(values.map(() => 'WRONG'))}`);
    }
    check();
    for (const f of columns) writeFileSync(join(indexDir, f), 'garbage');
    check();
    for (const f of columns) rmSync(join(indexDir, f));
    check();
  });

  it('removes what a process killed while writing the index left behind, not what a live one is writing', () => {
    const dir = exampleRepo();
    names(dir);
    const indexDir = join(dir, '.crm', 'index');
    const base = readdirSync(indexDir).find((f) => f.startsWith('contact.') && f.endsWith('.bin'))!;
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(indexDir, `${base}.${dead}-0.tmp`), 'half');
    writeFileSync(join(indexDir, `${base}.${process.pid}-1.tmp`), 'being written');
    rmSync(join(indexDir, base)); // the next command writes the contacts' index again
    expect(names(dir).length).toBeGreaterThan(0);
    const left = readdirSync(indexDir);
    expect(left).not.toContain(`${base}.${dead}-0.tmp`);
    expect(left).toContain(`${base}.${process.pid}-1.tmp`);
    expect(left).toContain(base);
  });

  it('gives the same answers as reading every file', () => {
    const dir = exampleRepo();
    for (const args of [['list', '--json'], ['list', 'opportunities', '--where', 'amount > 10000', '--json'], ['report', 'kpi', '--period', '2026-Q3', '--format', 'json'], ['search', 'srl', '--json']]) {
      crm(dir, args); // build / refresh
      const viaIndex = crm(dir, args);
      const direct = crm(dir, args, { CRM_NO_INDEX: '1' });
      expect(viaIndex.code).toBe(0);
      expect(viaIndex.stdout).toBe(direct.stdout);
    }
  });

  it('gives reports the same figures and warnings as the files when timestamps or histories are wrong', () => {
    const dir = exampleRepo();
    const first = (folder: string) => {
      const walk = (d: string): string => {
        for (const e of readdirSync(join(dir, d), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          if (e.isDirectory()) return walk(`${d}/${e.name}`);
          if (e.name.endsWith('.md')) return `${d}/${e.name}`;
        }
        return '';
      };
      return walk(folder);
    };
    const edit = (path: string, change: (text: string) => string) => {
      const before = read(dir, path);
      const after = change(before);
      expect(after).not.toBe(before);
      write(dir, path, after);
    };
    const opp = first('opportunities');
    const lead = first('leads');
    const kase = first('cases');
    const account = first('accounts');
    const interaction = first('interactions');
    // Wrong values the index keeps as numbers or history: each must be read and reported as the files say.
    edit(interaction, (t) => t.replace(/^at: .*$/m, 'at: last tuesday'));
    edit(lead, (t) => t.replace(/^created: .*$/m, 'created: 2026-02-30T10:00:00Z'));
    edit(opp, (t) => t.replace(/to: qualification/, 'to: ""'));
    edit(account, (t) => t.replace(/^history:\n(  - .*\n)+/m, 'history: not a list\n'));
    edit(kase, (t) => t.replace(/^history:\n((  - .*\n)+)/m, (_m, lines: string) => `history:\n${lines.trimEnd().split('\n').reverse().join('\n')}\n`));
    ageRecords(dir);
    const reports = ['kpi', 'funnel', 'cases', 'retention', 'pipeline'];
    const run = (env: Record<string, string> = {}) => reports.map((r) => crm(dir, ['report', r, '--period', '2026-Q3', '--as-of', '2026-11-20', '--format', 'json'], env));
    run(); // builds the index
    const viaIndex = run();
    const direct = run({ CRM_NO_INDEX: '1' });
    viaIndex.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(direct[i]!.code);
      expect(r.stdout).toBe(direct[i]!.stdout);
      expect(r.stderr).toBe(direct[i]!.stderr);
    });
    expect(viaIndex[0]!.stderr).toMatch(/`at` "last tuesday" is not a timestamp/);
    expect(viaIndex[0]!.stderr).toMatch(/`created` "2026-02-30T10:00:00Z" is not a timestamp/);
    expect(viaIndex[0]!.stderr).toMatch(/history entry 2 has no `to`/);
    // The same, for records the index holds in its journal (changed since the base was written).
    edit(kase, (t) => t.replace(/^priority: .*$/m, 'priority: high'));
    edit(opp, (t) => `${t}\n`);
    const journal = run();
    const direct2 = run({ CRM_NO_INDEX: '1' });
    journal.forEach((r, i) => expect(r.stdout).toBe(direct2[i]!.stdout));
  });

  it('builds the index of a larger repository on two threads, with the same answers as reading every file', () => {
    const dir = tempDir();
    const g = spawnSync(process.execPath, [join(ROOT, 'dist', 'generate.js'), '--size', '3500', '--seed', '3', '--out', dir], { encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    const cold = crm(dir, ['list', '--json'], { CRM_DEBUG_TIMING: '1' });
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stderr).toMatch(/index_worker=\w+/);
    const direct = crm(dir, ['list', '--json'], { CRM_NO_INDEX: '1' });
    expect(cold.stdout).toBe(direct.stdout);
    const warm = crm(dir, ['report', 'kpi', '--period', '2026-Q3', '--format', 'json'], { CRM_DEBUG_TIMING: '1' });
    expect(warm.stderr).not.toMatch(/index_worker/);
    expect(warm.stdout).toBe(crm(dir, ['report', 'kpi', '--period', '2026-Q3', '--format', 'json'], { CRM_NO_INDEX: '1' }).stdout);
  });

  it('says when a first build of many files starts, and only then', () => {
    const dir = tempDir();
    const g = spawnSync(process.execPath, [join(ROOT, 'dist', 'generate.js'), '--size', '3200', '--seed', '5', '--out', dir], { encoding: 'utf8' });
    expect(g.status, g.stderr).toBe(0);
    const told: number[] = [];
    const first = loadRecords(dir, RECORD_TYPES, {}, { onBuild: (n) => told.push(n) });
    expect(told).toEqual([first.records.length + first.issues.filter((i) => i.severity === 'error').length]);
    loadRecords(dir, RECORD_TYPES, {}, { onBuild: (n) => told.push(n) });
    expect(told.length).toBe(1);
  });

  it('keeps git status clean and the index fresh across writes by crm', () => {
    const dir = exampleRepo();
    names(dir);
    const r = crm(dir, ['contact', 'add', 'Ivo Indice', '--title', 'CTO'], { CRM_USER: 'giulia' });
    expect(r.code, r.stderr).toBe(0);
    expect(names(dir)).toContain('Ivo Indice');
    expect(crm(dir, ['set', 'ivo-indice', 'title=CEO'], { CRM_USER: 'giulia' }).code).toBe(0);
    expect(titleOf(dir, 'ivo-indice')).toBe('CEO');
    expect(git(dir, ['status', '--porcelain']).trim()).toBe('');
  });
});
