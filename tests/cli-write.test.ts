/**
 * Writing commands end to end: init, <type> add, set, unset, edit, delete.
 * Each action changes exactly the files it should, with minimal diffs, one
 * commit each, and a clean `git status` afterwards.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BIN, cleanup, commits, crm, emptyRepo, git, gitStatus, NOW, read, tempDir } from './helpers.js';
import { seedRepo, SEED_FILES } from './fixtures/seed.js';

afterAll(cleanup);

/** Lines added and removed by the last commit, without the diff header. */
function lastDiff(dir: string): { added: string[]; removed: string[] } {
  const d = git(dir, ['show', '--format=', '--unified=0', 'HEAD']);
  const lines = d.split('\n').filter((l) => !/^(\+\+\+|---|@@|diff|index|new file|deleted file)/.test(l));
  return { added: lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1)), removed: lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1)) };
}

/** Run a command that must succeed, and check the tree is clean after it. */
function ok(dir: string, args: string[], env: Record<string, string> = {}) {
  const r = crm(dir, args, env);
  expect(r.code, `crm ${args.join(' ')}\n${r.stderr}`).toBe(0);
  expect(gitStatus(dir)).toBe('');
  return r;
}

describe('crm init', () => {
  test('creates crm.yaml, the folders, .gitignore for .crm/, a git repo and one commit', () => {
    const parent = tempDir();
    const r = crm(parent, ['init', 'acme-crm', '--name', 'Acme Srl', '--currency', 'CHF', '--timezone', 'Europe/Zurich']);
    expect(r.code).toBe(0);
    const dir = join(parent, 'acme-crm');
    expect(read(dir, 'crm.yaml')).toMatch(/^name: Acme Srl$/m);
    expect(read(dir, 'crm.yaml')).toMatch(/^currency: CHF$/m);
    expect(read(dir, 'crm.yaml')).toMatch(/^timezone: Europe\/Zurich$/m);
    expect(read(dir, 'crm.yaml')).toMatch(/handle: test, name: Test Runner, email: test@example.com/);
    for (const f of ['accounts', 'contacts', 'leads', 'opportunities', 'cases', 'campaigns', 'interactions']) expect(existsSync(join(dir, f))).toBe(true);
    expect(read(dir, '.gitignore')).toMatch(/^\.crm\/$/m);
    expect(commits(dir)).toEqual(['crm: init repository']);
    expect(gitStatus(dir)).toBe('');
    expect(r.stderr).toMatch(/Created a CRM repository/);
    // the new repository works at once, and its .crm/ state stays out of git
    ok(dir, ['lead', 'add', 'First Lead']);
    expect(existsSync(join(dir, '.crm'))).toBe(true);
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('refuses to clobber an existing repository', () => {
    const dir = emptyRepo();
    writeFileSync(join(dir, 'crm.yaml'), 'name: Mine\n# hand-tuned\n');
    git(dir, ['commit', '-qam', 'mine']);
    const r = crm(dir, ['init', '.', '--name', 'Other']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already is a CRM repository.*nothing was changed/);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(read(dir, 'crm.yaml')).toBe('name: Mine\n# hand-tuned\n');
    expect(commits(dir)).toHaveLength(2);
    expect(gitStatus(dir)).toBe('');
  });

  test('inside an existing git repository: commits only its own files', () => {
    const dir = tempDir();
    git(dir, ['init', '-q', '-b', 'main']);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const r = crm(dir, ['init', 'crm', '--timezone', 'UTC']);
    expect(r.code).toBe(0);
    expect(git(dir, ['show', '--name-only', '--format=', 'HEAD']).split('\n').filter(Boolean).every((p) => p.startsWith('crm/'))).toBe(true);
    expect(gitStatus(dir)).toBe('?? notes.txt');
  });
});

describe('crm <type> add', () => {
  test('every type: prints the id, writes a valid file with created, owner and the first history entry', () => {
    const dir = emptyRepo();
    const steps: [string[], string, string][] = [
      [['account', 'add', 'Caffè Nero S.p.A.', '--industry', 'retail', '--website', 'nero.example'], 'caffe-nero-s-p-a', 'accounts/caffe-nero-s-p-a.md'],
      [['contact', 'add', 'Anna Bruni', '--account', 'caffe-nero-s-p-a', '--email', 'anna@nero.example', '--phone', '0212345'], 'anna-bruni', 'contacts/anna-bruni.md'],
      [['lead', 'add', 'Jane Roe', '--company', 'Roe & Co', '--source', 'web', '--score', '55'], 'jane-roe', 'leads/jane-roe.md'],
      [['opp', 'add', 'Nero: espresso machines', '--account', 'caffe-nero-s-p-a', '--amount', '12500', '--expected-close', '2027-02-01'], 'nero-espresso-machines', 'opportunities/nero-espresso-machines.md'],
      [['opportunity', 'add', 'Second deal', '--stage', 'proposal'], 'second-deal', 'opportunities/second-deal.md'],
      [['case', 'add', 'Machine leaks', '--account', 'caffe-nero-s-p-a', '--contact', 'anna-bruni', '--priority', 'urgent', '--channel', 'phone'], 'machine-leaks', 'cases/machine-leaks.md'],
      [['campaign', 'add', 'Spring webinar', '--channel', 'webinar', '--start', '2027-03-01', '--end', '2027-03-31', '--budget', '5000'], 'spring-webinar', 'campaigns/spring-webinar.md'],
    ];
    for (const [args, id, path] of steps) {
      const r = ok(dir, args);
      expect(r.stdout).toBe(`${id}\n`);
      expect(r.stderr).toMatch(new RegExp(`Created \\w+ ${id} in ${path} \\(commit [0-9a-f]{7}\\)`));
      expect(existsSync(join(dir, path))).toBe(true);
    }
    expect(read(dir, 'contacts/anna-bruni.md')).toMatch(/^phone: "0212345"$/m); // a phone keeps its leading zero
    expect(read(dir, 'leads/jane-roe.md')).toBe(`---
name: Jane Roe
company: Roe & Co
source: web
status: new
score: 55
owner: test
created: ${NOW}
history:
  - {at: ${NOW}, to: new, by: test}
---
`);
    expect(read(dir, 'opportunities/nero-espresso-machines.md')).toMatch(/^amount: 12500$/m);
    expect(read(dir, 'opportunities/nero-espresso-machines.md')).toMatch(/^stage: prospecting$/m);
    expect(read(dir, 'opportunities/second-deal.md')).toMatch(/history:\n {2}- \{at: [^,]+, to: proposal, by: test\}\n/);
    expect(read(dir, 'cases/machine-leaks.md')).toMatch(/^status: new$/m);
    expect(read(dir, 'campaigns/spring-webinar.md')).toMatch(/^status: planned$/m);
    expect(read(dir, 'accounts/caffe-nero-s-p-a.md')).toMatch(/^name: Caffè Nero S\.p\.A\.$/m);
    const defaults = read(dir, 'cases/machine-leaks.md');
    expect(defaults).toMatch(/^subject: Machine leaks$/m);
    expect(commits(dir)).toHaveLength(steps.length + 1);
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('key=value for any field, custom ones too; YAML scalars and lists; tags and notes', () => {
    const dir = emptyRepo();
    ok(dir, ['lead', 'add', 'Luca Neri', '--source', 'event', 'score=60', 'tags=[fair-2026, hot]', 'budget_eur=12000', 'priority_client=true', 'address.city=Torino', 'note=a: b', '--tag', 'north', '-m', 'Met at the fair.\nCall back in May.']);
    const text = read(dir, 'leads/luca-neri.md');
    expect(text).toMatch(/^score: 60$/m);
    expect(text).toMatch(/^tags: \[fair-2026, hot, north\]$/m);
    expect(text).toMatch(/^budget_eur: 12000$/m);
    expect(text).toMatch(/^priority_client: true$/m);
    expect(text).toMatch(/^address:\n {2}city: Torino$/m);
    expect(text).toMatch(/^note: "a: b"$/m);
    expect(text.endsWith('---\n\nMet at the fair.\nCall back in May.\n')).toBe(true);
    const j = JSON.parse(ok(dir, ['show', 'luca-neri', '--json']).stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ score: 60, budget_eur: 12000, priority_client: true, tags: ['fair-2026', 'hot', 'north'], address: { city: 'Torino' }, note: 'a: b' });
  });

  test('--json prints the new record', () => {
    const dir = emptyRepo();
    const r = ok(dir, ['case', 'add', 'Wrong VAT', '--priority', 'high', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'wrong-vat', type: 'case', path: 'cases/wrong-vat.md', subject: 'Wrong VAT', priority: 'high', status: 'new', created: NOW });
  });

  test('--dry-run prints the file and writes nothing', () => {
    const dir = emptyRepo();
    const r = crm(dir, ['lead', 'add', 'Dry Run', '--source', 'web', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^---\nname: Dry Run\nsource: web\nstatus: new\n/);
    expect(r.stderr).toMatch(/Would create leads\/dry-run.md/);
    expect(existsSync(join(dir, 'leads/dry-run.md'))).toBe(false);
    expect(commits(dir)).toHaveLength(1);
  });

  test('a value that would make the record invalid: exit 2, nothing written, no commit', () => {
    const dir = emptyRepo();
    const bad: [string[], RegExp][] = [
      [['opp', 'add', 'Big', '--expected-close', '2026-02-30'], /expected_close "2026-02-30" is not a real calendar date/],
      [['opp', 'add', 'Big', '--amount', 'lots'], /amount "lots" is not an amount/],
      [['opp', 'add', 'Big', '--stage', 'maybe'], /stage "maybe" is not a pipeline stage/],
      [['lead', 'add', 'X', '--source', 'webb'], /source "webb" is not an allowed value.*did you mean "web"/],
      [['contact', 'add', 'X', '--account', 'ghost'], /account "ghost" refers to account\/ghost, which does not exist/],
      [['case', 'add', 'X', 'satisfaction=9'], /satisfaction 9 is out of range/],
    ];
    for (const [args, message] of bad) {
      const r = crm(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    for (const f of ['opportunities', 'leads', 'contacts', 'cases']) expect(readdirSync(join(dir, f)).filter((n) => n.endsWith('.md'))).toEqual([]);
    expect(commits(dir)).toHaveLength(1);
    expect(gitStatus(dir)).toBe('');
  });
});

describe('crm set / unset', () => {
  test('a status change appends to history (by, from, to) and touches only those lines', () => {
    const dir = seedRepo();
    ok(dir, ['set', 'jane-roe', 'status=contacted', 'score=60'], { CRM_USER: 'giulia' });
    const text = read(dir, 'leads/jane-roe.md');
    // jane-roe had no history: the implied first entry becomes explicit
    expect(text).toContain(`history:\n  - {at: 2026-11-02T09:00:00Z, to: new}\n  - {at: ${NOW}, from: new, to: contacted, by: giulia}\n---\n`);
    const diff = lastDiff(dir);
    expect(diff.removed).toEqual(['status: new', 'score: 40']);
    expect(diff.added).toEqual(['status: contacted', 'score: 60', `updated: ${NOW}`, 'history:', '  - {at: 2026-11-02T09:00:00Z, to: new}', `  - {at: ${NOW}, from: new, to: contacted, by: giulia}`]);
    expect(commits(dir)[0]).toBe('crm: set lead/jane-roe status, score');
  });

  test('an existing history only grows; earlier entries keep their bytes', () => {
    const dir = seedRepo();
    ok(dir, ['set', 'opp/acme-erp', 'stage=negotiation'], { CRM_USER: 'marco' });
    ok(dir, ['set', 'acme-erp', 'stage=won', 'closed_on=2026-11-20'], { CRM_USER: 'giulia' });
    const text = read(dir, 'opportunities/acme-erp.md');
    const before = SEED_FILES['opportunities/acme-erp.md']!;
    const oldHistory = before.slice(before.indexOf('history:\n'), before.lastIndexOf('---'));
    expect(text).toContain(oldHistory + `  - {at: ${NOW}, from: proposal, to: negotiation, by: marco}\n  - {at: ${NOW}, from: negotiation, to: won, by: giulia}\n---\n`);
    expect(text).toMatch(/^stage: won$/m);
    const history = (JSON.parse(ok(dir, ['show', 'acme-erp', '--json']).stdout) as { history: { to: string }[] }).history;
    expect(history.map((h) => h.to)).toEqual(['prospecting', 'proposal', 'negotiation', 'won']);
  });

  test('setting the same status again adds no history entry', () => {
    const dir = seedRepo();
    ok(dir, ['set', 'luca-verdi', 'status=contacted']);
    expect(read(dir, 'leads/luca-verdi.md').match(/^ {2}- \{/gm)).toHaveLength(2);
  });

  test('a map sub-key keeps the map in its style; a list is written as a list', () => {
    const dir = seedRepo();
    ok(dir, ['set', 'acme-srl', 'address.city=Torino', 'tags=[key-account, west]']);
    const diff = lastDiff(dir);
    expect(diff.removed).toEqual(['address: {city: Milano, country: IT}', 'tags: [key-account, north]']);
    expect(diff.added).toEqual(['address: {city: Torino, country: IT}', 'tags: [key-account, west]', `updated: ${NOW}`]);
    expect(read(dir, 'accounts/acme-srl.md').endsWith('---\nLong-standing customer. Prefers email.\n')).toBe(true);
  });

  test('custom keys are kept, set and removed; the body is never touched', () => {
    const dir = seedRepo();
    ok(dir, ['set', 'luca-verdi', 'budget_eur=9000', 'fair=Milano 2026']);
    expect(read(dir, 'leads/luca-verdi.md')).toMatch(/^budget_eur: 9000$/m);
    ok(dir, ['unset', 'luca-verdi', 'budget_eur', 'score']);
    const text = read(dir, 'leads/luca-verdi.md');
    expect(text).not.toMatch(/^(budget_eur|score):/m);
    expect(text).toMatch(/^fair: Milano 2026$/m);
    expect(text.endsWith('---\nMet at the Milano fair; wants a quote for the warehouse sensors.\n')).toBe(true);
    expect(commits(dir)[0]).toBe('crm: unset lead/luca-verdi budget_eur, score');
  });

  test('key= (empty) removes the field like unset', () => {
    const dir = seedRepo();
    ok(dir, ['set', 'jane-roe', 'company=']);
    expect(read(dir, 'leads/jane-roe.md')).not.toMatch(/^company:/m);
  });

  test('--json prints the updated record; --dry-run writes nothing', () => {
    const dir = seedRepo();
    const dry = crm(dir, ['set', 'jane-roe', 'score=99', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^score: 99$/m);
    expect(read(dir, 'leads/jane-roe.md')).toBe(SEED_FILES['leads/jane-roe.md']);
    expect(commits(dir)).toHaveLength(2);
    const r = ok(dir, ['set', 'jane-roe', 'score=99', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'jane-roe', type: 'lead', score: 99, updated: NOW });
  });

  test('an invalid result is refused: exit 2, the file unchanged, no commit', () => {
    const dir = seedRepo();
    const cases: [string[], RegExp][] = [
      [['set', 'jane-roe', 'status=bogus'], /status "bogus" is not an allowed value/],
      [['unset', 'jane-roe', 'name'], /missing required key "name"/],
      [['unset', 'jane-roe', 'status'], /missing required key "status"/],
      [['set', 'acme-erp', 'expected_close=15/12/2026'], /expected_close "15\/12\/2026" is not a date/],
      [['set', 'acme-erp', 'account=ghost'], /account "ghost" refers to account\/ghost, which does not exist/],
      [['set', 'marco-bianchi', 'birthday=1990-02-30'], /birthday "1990-02-30" is not a real calendar date/],
      [['set', 'invoice-wrong-vat', 'priority=asap'], /priority "asap" is not an allowed value/],
    ];
    for (const [args, message] of cases) {
      const r = crm(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/nothing was written/);
    }
    expect(gitStatus(dir)).toBe('');
    expect(commits(dir)).toHaveLength(2);
  });
});

describe('crm edit', () => {
  /** An $EDITOR that replaces text in the file it is given (ED_FROM → ED_TO). */
  function editor(): string {
    const script = join(tempDir(), 'edit.mjs');
    writeFileSync(
      script,
      `import fs from 'node:fs';
const file = process.argv[process.argv.length - 1];
const text = fs.readFileSync(file, 'utf8');
if (!text.includes(process.env.ED_FROM)) process.exit(0);
fs.writeFileSync(file, text.replace(process.env.ED_FROM, process.env.ED_TO));
`,
    );
    return `${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`;
  }

  test('a good edit is validated, keeps the text as typed, adds updated, and commits', () => {
    const dir = seedRepo();
    const r = ok(dir, ['edit', 'luca-verdi'], { EDITOR: editor(), ED_FROM: 'company: Verdi Impianti', ED_TO: 'company: Verdi Impianti Srl # renamed in 2026' });
    expect(r.stderr).toMatch(/Updated lead\/luca-verdi \(commit [0-9a-f]{7}\)/);
    const diff = lastDiff(dir);
    expect(diff.removed).toEqual(['company: Verdi Impianti']);
    expect(diff.added).toEqual(['company: Verdi Impianti Srl # renamed in 2026', `updated: ${NOW}`]);
    expect(commits(dir)[0]).toBe('crm: edit lead/luca-verdi');
  });

  test('changing the status by hand appends the history entry', () => {
    const dir = seedRepo();
    ok(dir, ['edit', 'lead/luca-verdi'], { EDITOR: editor(), ED_FROM: 'status: contacted', ED_TO: 'status: qualified', CRM_USER: 'marco' });
    const text = read(dir, 'leads/luca-verdi.md');
    expect(text).toMatch(/^status: qualified$/m);
    expect(text).toContain(`  - {at: 2026-10-03T14:10:00Z, from: new, to: contacted, by: marco}\n  - {at: ${NOW}, from: contacted, to: qualified, by: marco}\n---`);
    expect(crm(dir, ['validate']).code).toBe(0);
  });

  test('editing the body only keeps the front matter bytes', () => {
    const dir = seedRepo();
    ok(dir, ['edit', 'acme-srl'], { EDITOR: editor(), ED_FROM: 'Prefers email.', ED_TO: 'Prefers email.\n\n## 2026\nRenewal due in March.' });
    const diff = lastDiff(dir);
    expect(diff.removed).toEqual([]);
    expect(diff.added).toEqual([`updated: ${NOW}`, '', '## 2026', 'Renewal due in March.']);
  });

  test('no change: nothing written, no commit', () => {
    const dir = seedRepo();
    const r = ok(dir, ['edit', 'acme-srl'], { EDITOR: editor(), ED_FROM: 'not in the file', ED_TO: 'x' });
    expect(r.stderr).toMatch(/No changes/);
    expect(commits(dir)).toHaveLength(2);
  });

  test.each([
    ['broken YAML', 'status: contacted', 'status: [contacted', /broken YAML/],
    ['a missing required key', 'name: Luca Verdi\n', '', /missing required key "name"/],
    ['a bad value', 'source: event', 'source: tv', /source "tv" is not an allowed value/],
    ['a dangling reference', 'source: event', 'source: event\ncampaign: ghost', /campaign "ghost" refers to campaign\/ghost/],
    ['a bad date', 'source: event', 'source: event\nupdated: 2026-13-01', /updated "2026-13-01" is not a real calendar date/],
  ])('a bad edit (%s) without a terminal: exit 2, the problem shown, the file unchanged', (_name, from, to, message) => {
    const dir = seedRepo();
    const r = crm(dir, ['edit', 'luca-verdi'], { EDITOR: editor(), ED_FROM: from, ED_TO: to });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the edited lead is not valid, so nothing was written/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/leads\/luca-verdi.md:\d+:/);
    expect(read(dir, 'leads/luca-verdi.md')).toBe(SEED_FILES['leads/luca-verdi.md']);
    expect(commits(dir)).toHaveLength(2);
    expect(gitStatus(dir)).toBe('');
    expect(readdirSync(join(dir, '.crm', 'edit'))).toEqual([]); // no scratch copy left behind
  });

  test('an editor that fails: exit non-zero, nothing written', () => {
    const dir = seedRepo();
    const r = crm(dir, ['edit', 'luca-verdi'], { EDITOR: 'false' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the editor \(false\) exited with status 1; nothing was written/);
    expect(read(dir, 'leads/luca-verdi.md')).toBe(SEED_FILES['leads/luca-verdi.md']);
    expect(gitStatus(dir)).toBe('');
  });

  test('add --edit: the new record is reviewed in the editor before it is written', () => {
    const dir = seedRepo();
    const r = ok(dir, ['lead', 'add', 'Edited Lead', '--edit'], { EDITOR: editor(), ED_FROM: 'status: new', ED_TO: 'status: new\ncompany: Typed In Editor' });
    expect(r.stdout).toBe('edited-lead\n');
    expect(read(dir, 'leads/edited-lead.md')).toMatch(/^company: Typed In Editor$/m);
    const bad = crm(dir, ['lead', 'add', 'Bad Lead', '--edit'], { EDITOR: editor(), ED_FROM: 'status: new', ED_TO: 'status: nuovo' });
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir, 'leads/bad-lead.md'))).toBe(false);
    expect(gitStatus(dir)).toBe('');
  });
});

describe('crm delete', () => {
  test('without a terminal it needs --yes', () => {
    const dir = seedRepo();
    const r = crm(dir, ['delete', 'jane-roe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deleting lead\/jane-roe needs confirmation/);
    expect(r.stderr).toMatch(/hint: Pass --yes/);
    expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(true);
    const y = ok(dir, ['delete', 'jane-roe', '--yes']);
    expect(y.stderr).toMatch(/Deleted lead\/jane-roe \(leads\/jane-roe.md\) \(commit [0-9a-f]{7}\)/);
    expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(false);
    expect(commits(dir)[0]).toBe('crm: delete lead/jane-roe "Jane Roe"');
    expect(git(dir, ['show', '--name-status', '--format=', 'HEAD']).trim()).toBe('D\tleads/jane-roe.md');
  });

  test('refuses while other records reference it, naming them; --force deletes anyway', () => {
    const dir = seedRepo();
    const r = crm(dir, ['delete', 'acme-srl', '--yes']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/account\/acme-srl is referenced by 4 records; nothing was deleted/);
    for (const ref of ['contact/marco-bianchi', 'opportunity/acme-erp', 'case/invoice-wrong-vat', 'interaction/call-marco-2026-11-18']) expect(r.stderr).toContain(ref);
    expect(r.stderr).toMatch(/hint: .*--force/);
    expect(existsSync(join(dir, 'accounts/acme-srl.md'))).toBe(true);
    expect(commits(dir)).toHaveLength(2);
    ok(dir, ['delete', 'acme-srl', '--yes', '--force']);
    expect(existsSync(join(dir, 'accounts/acme-srl.md'))).toBe(false);
    // the references now dangle, and validate says so
    const v = crm(dir, ['validate']);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/contacts\/marco-bianchi.md:5: error: account "acme-srl" refers to account\/acme-srl, which does not exist/);
  });

  test('--dry-run deletes nothing', () => {
    const dir = seedRepo();
    const r = crm(dir, ['delete', 'jane-roe', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Would delete leads\/jane-roe.md/);
    expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(true);
    expect(commits(dir)).toHaveLength(2);
  });

  test('on a terminal it asks; only yes deletes', () => {
    const dir = seedRepo();
    const run = (answer: string) =>
      spawnSync('script', ['-qec', `${process.execPath} ${BIN} delete lead/jane-roe`, '/dev/null'], {
        cwd: dir,
        encoding: 'utf8',
        input: `${answer}\n`,
        env: { ...process.env, NO_COLOR: '1', CRM_NOW: NOW, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'Test Runner', GIT_AUTHOR_EMAIL: 'test@example.com' },
        timeout: 20_000,
      });
    const no = run('n');
    if (no.error) throw new Error(`script(1) is needed for this test: ${no.error.message}`);
    expect(no.stdout).toMatch(/Delete lead "Jane Roe" \(leads\/jane-roe.md\)\? \[y\/N\]/);
    expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(true);
    const yes = run('y');
    expect(yes.stdout).toMatch(/Deleted lead\/jane-roe/);
    expect(existsSync(join(dir, 'leads/jane-roe.md'))).toBe(false);
    expect(gitStatus(dir)).toBe('');
  });
});
