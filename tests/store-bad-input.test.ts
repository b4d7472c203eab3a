/**
 * Bad files in a repository (tests/fixtures/bad, hand-written): broken YAML,
 * a missing required key, a bad date, a dangling reference, conflict
 * markers, files in the wrong place, ids with `..`, uppercase or slash-like
 * characters. Reading commands keep working for every other record and say
 * on stderr which files they skipped; validate reports each problem with
 * file:line and code; writes never produce an invalid record.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cleanup, commits, crm, git, gitStatus, read, ROOT } from './helpers.js';
import { seedRepo, SEED_FILES } from './fixtures/seed.js';

const BAD = join(ROOT, 'tests', 'fixtures', 'bad');

/** Files that cannot be read as records at all: [path, line in the skip warning]. */
const UNREADABLE: [string, number][] = [
  ['leads/broken-yaml.md', 5],
  ['leads/conflict.md', 4],
  ['leads/sub/nested.md', 1],
  ['leads/notes.txt', 1],
  ['interactions/2026/call-without-month.md', 1],
  ['leads/a..b.md', 1],
  ['leads/Upper-Case.md', 1],
  ['leads/back\\slash.md', 1],
  ['leads/a∕b.md', 1],
];

/** Every problem validate must report: path, line, code. */
const EXPECTED: [string, number, string][] = [
  ['campaigns/conflict-body.md', 6, 'conflict-markers'],
  ['campaigns/conflict-body.md', 8, 'conflict-markers'],
  ['campaigns/conflict-body.md', 10, 'conflict-markers'],
  ['contacts/dangling.md', 4, 'dangling-reference'],
  ['interactions/2026/call-without-month.md', 1, 'outside-layout'],
  ['leads/Upper-Case.md', 1, 'bad-id'],
  ['leads/a..b.md', 1, 'bad-id'],
  ['leads/a∕b.md', 1, 'bad-id'],
  ['leads/back\\slash.md', 1, 'bad-id'],
  ['leads/broken-yaml.md', 5, 'yaml'],
  ['leads/conflict.md', 3, 'conflict-markers'],
  ['leads/conflict.md', 5, 'conflict-markers'],
  ['leads/conflict.md', 7, 'conflict-markers'],
  ['leads/no-name.md', 2, 'missing-required'],
  ['leads/notes.txt', 1, 'outside-layout'],
  ['leads/sub/nested.md', 1, 'outside-layout'],
  ['opportunities/bad-date.md', 4, 'bad-date'],
];

/** The seed repository plus the bad fixtures (all, or the given ones), committed. */
function badRepo(only?: string[]): string {
  const dir = seedRepo();
  if (only) {
    for (const p of only) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      cpSync(join(BAD, p), join(dir, p));
    }
  } else {
    cpSync(BAD, dir, { recursive: true });
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'bad files']);
  return dir;
}

afterAll(cleanup);

describe('crm validate', () => {
  const dir = badRepo();

  test('reports every problem as file:line: error: message [code], sorted, and exits 1', () => {
    const r = crm(dir, ['validate']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    const found = lines.map((l) => {
      const m = /^(.+?):(\d+): (error|warning): (.+) \[([a-z-]+)\]$/.exec(l);
      expect(m, l).not.toBeNull();
      return [m![1], Number(m![2]), m![5]] as [string, number, string];
    });
    expect(found.filter((f) => f[2] !== 'yaml' || f[0] !== 'leads/conflict.md')).toEqual(EXPECTED);
    expect(r.stderr).toMatch(/\d+ files, 17 records: \d+ errors?, 0 warnings/);
  });

  test('each message says what to do', () => {
    const out = crm(dir, ['validate']).stdout;
    expect(out).toMatch(/leads\/no-name.md:2: error: missing required key "name"; add a line "name: …"/);
    expect(out).toMatch(/opportunities\/bad-date.md:4: error: expected_close "2026-02-30" is not a real calendar date; write a date as YYYY-MM-DD/);
    expect(out).toMatch(/contacts\/dangling.md:4: error: account "ghost-account" refers to account\/ghost-account, which does not exist; fix the id or create the account/);
    expect(out).toMatch(/leads\/conflict.md:3: error: git conflict marker "<<<<<<< HEAD" left by a merge/);
    expect(out).toMatch(/leads\/Upper-Case.md:1: error: bad id "Upper-Case": the id has uppercase letters.*rename the file/);
    expect(out).toMatch(/leads\/sub\/nested.md:1: error: leads\/ records must be directly in leads\//);
  });

  test('--format json: the same issues as data', () => {
    const r = crm(dir, ['validate', '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { files: number; records: number; errors: number; warnings: number; issues: { path: string; line: number; code: string; message: string; severity: string }[] };
    expect(j.records).toBe(17);
    expect(j.errors).toBe(j.issues.length);
    expect(j.warnings).toBe(0);
    for (const [path, line, code] of EXPECTED) {
      expect(j.issues, `${path}:${line} ${code}`).toContainEqual(expect.objectContaining({ path, line, code, severity: 'error' }));
    }
    expect(j.issues.every((i) => i.message.length > 20)).toBe(true);
    expect(crm(dir, ['validate', '--json']).stdout).toBe(r.stdout);
  });

  test('the bad files are left exactly as they were', () => {
    for (const [path] of EXPECTED) expect(read(dir, path)).toBe(readFileSync(join(BAD, path), 'utf8'));
    expect(gitStatus(dir)).toBe('');
  });
});

describe('reading commands skip unreadable files, say which, and show everything else', () => {
  const dir = badRepo();

  test('list: every readable record, a warning naming the skipped files', () => {
    const r = crm(dir, ['list']);
    expect(r.code).toBe(0);
    const keys = r.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 2).join('/'));
    expect(keys).toHaveLength(Object.keys(SEED_FILES).length + 4);
    for (const k of ['lead/no-name', 'opportunity/bad-date', 'contact/dangling', 'campaign/conflict-body', 'lead/jane-roe', 'account/acme-srl']) expect(keys).toContain(k);
    expect(r.stderr).toMatch(/^warning: skipped 9 files that cannot be read as records:$/m);
    expect(r.stderr).toMatch(/run `crm validate` for details/);
  });

  test('list --json stays valid JSON on stdout; the warning goes to stderr', () => {
    const r = crm(dir, ['list', 'leads', '--json']);
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id).sort();
    expect(ids).toEqual(['jane-roe', 'luca-verdi', 'no-name', 'paolo-russo']);
    expect(r.stderr).toMatch(/skipped/);
  });

  test.each(UNREADABLE)('%s alone: list, show and search name it on stderr and work for the rest', (path, line) => {
    const one = badRepo([path]);
    const type = { leads: 'leads', interactions: 'interactions' }[path.split('/')[0] as 'leads'];
    const list = crm(one, ['list', type]);
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(/skipped 1 file that cannot be read as records/);
    expect(list.stderr).toContain(`  ${path}:${line}: `);
    if (type === 'leads') expect(list.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['jane-roe', 'luca-verdi', 'paolo-russo']);
    else expect(list.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['call-marco-2026-11-18']);

    const search = crm(one, ['search', 'Luca Verdi']);
    expect(search.code).toBe(0);
    expect(search.stdout.split('\t')[1]).toBe('luca-verdi');
    expect(search.stderr).toContain(`  ${path}:${line}: `);

    const show = crm(one, ['show', 'luca-verdi']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Luca Verdi');
    // show names the skipped files that could be records (a misplaced file is not one)
    if (!/outside-layout/.test(crm(one, ['validate']).stdout)) expect(show.stderr).toContain(`  ${path}:${line}: `);
  });

  test('naming an unreadable file says what is wrong with it, not "no record"', () => {
    for (const [ref, message] of [
      ['broken-yaml', /leads\/broken-yaml.md:5 cannot be read as a record: broken YAML/],
      ['lead/conflict', /leads\/conflict.md:4 cannot be read as a record/],
      ['Upper-Case', /leads\/Upper-Case.md:1 cannot be read as a record: bad id "Upper-Case"/],
      ['a..b', /leads\/a\.\.b.md:1 cannot be read as a record: bad id "a\.\.b"/],
      ['nested', /leads\/sub\/nested.md:1 cannot be read as a record: leads\/ records must be directly in leads\//],
    ] as const) {
      for (const args of [['set', ref, 'score=1'], ['delete', ref, '--yes'], ['edit', ref], ['show', ref]]) {
        const r = crm(dir, args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(r.stderr).toMatch(/hint: Fix the file by hand/);
      }
    }
    // show lists the other unreadable files, not again the one it was asked for (that is the error).
    const show = crm(dir, ['show', 'broken-yaml']);
    expect(show.stderr).toContain('  leads/conflict.md:4: ');
    expect(show.stderr).not.toContain('  leads/broken-yaml.md:5: ');
    expect(gitStatus(dir)).toBe('');
  });
});

describe('writes with bad files around', () => {
  test('other records can still be added, changed and deleted', () => {
    const dir = badRepo();
    const before = commits(dir).length;
    expect(crm(dir, ['lead', 'add', 'Fresh Lead']).code).toBe(0);
    expect(crm(dir, ['set', 'jane-roe', 'status=contacted']).code).toBe(0);
    expect(crm(dir, ['delete', 'paolo-russo', '--yes']).code).toBe(0);
    expect(commits(dir).length).toBe(before + 3);
    expect(gitStatus(dir)).toBe('');
    for (const [path] of EXPECTED) expect(read(dir, path)).toBe(readFileSync(join(BAD, path), 'utf8'));
    // the commits keep every other file where it is, whatever its name
    const tree = git(dir, ['ls-tree', '-r', '-z', '--name-only', 'HEAD']).split('\0');
    for (const [path] of EXPECTED) expect(tree).toContain(path);
    expect(tree).not.toContain('leads/back/slash.md');
    expect(git(dir, ['diff', '--name-status', 'HEAD~3', 'HEAD']).trim().split('\n').sort()).toEqual(['A\tleads/fresh-lead.md', 'D\tleads/paolo-russo.md', 'M\tleads/jane-roe.md']);
  });

  test('an invalid record is never written: a change that leaves it invalid is refused, one that fixes it works', () => {
    const dir = badRepo();
    const refused = crm(dir, ['set', 'no-name', 'score=10']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/leads\/no-name.md would not be valid, so nothing was written:\n {2}missing required key "name"/);
    expect(read(dir, 'leads/no-name.md')).toBe(readFileSync(join(BAD, 'leads/no-name.md'), 'utf8'));
    expect(crm(dir, ['set', 'no-name', 'name=Nameless Nick', 'score=10']).code).toBe(0);
    expect(read(dir, 'leads/no-name.md')).toMatch(/^name: Nameless Nick$/m);

    expect(crm(dir, ['set', 'dangling', 'title=CTO']).code).toBe(2);
    expect(crm(dir, ['set', 'bad-date', 'amount=100']).code).toBe(2);
    expect(crm(dir, ['set', 'bad-date', 'expected_close=2026-02-28']).code).toBe(0);
    expect(crm(dir, ['unset', 'dangling', 'account']).code).toBe(0);
    const v = crm(dir, ['validate', '--json']);
    const paths = new Set((JSON.parse(v.stdout) as { issues: { path: string }[] }).issues.map((i) => i.path));
    expect(paths.has('leads/no-name.md') || paths.has('contacts/dangling.md') || paths.has('opportunities/bad-date.md')).toBe(false);
    expect(gitStatus(dir)).toBe('');
  });

  test('a misplaced file never becomes a record and is never touched', () => {
    const dir = badRepo(['leads/sub/nested.md']);
    expect(crm(dir, ['lead', 'add', 'Nested Nina']).stdout.trim()).toBe('nested-nina');
    expect(existsSync(join(dir, 'leads/nested-nina.md'))).toBe(true);
    expect(read(dir, 'leads/sub/nested.md')).toBe(readFileSync(join(BAD, 'leads/sub/nested.md'), 'utf8'));
  });
});
