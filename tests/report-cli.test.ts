/**
 * `crm report …` end to end through the built binary: every report and
 * format on the example repository, the JSON envelope, periods, --as-of,
 * --as-of-commit, --by, --compare, and bad input (exit codes, warnings).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, NOW, ROOT, cleanup, commits, crm, emptyRepo, exampleRepo, git, gitStatus, read, write } from './helpers.js';

afterAll(cleanup);

describe('crm report on the example repository', () => {
  let dir: string;
  beforeAll(() => {
    dir = exampleRepo();
  });

  it('prints the KPI envelope as JSON for a quarter', () => {
    const r = crm(dir, ['report', 'kpi', '--period', '2026-Q3', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['report', 'from', 'to', 'as_of', 'currency', 'groups']);
    // CRM_NOW is 2026-11-20T10:00:00Z: 11:00 in Rome
    expect(json).toMatchObject({ report: 'kpi', from: '2026-07-01', to: '2026-09-30', as_of: '2026-11-20T11:00:00+01:00', currency: 'EUR' });
    expect(json.groups).toHaveLength(1);
    expect(json.groups[0].group).toBeNull();
    const v = json.groups[0].values;
    expect(v.leads_created).toBeGreaterThan(0);
    expect(v.opportunities_won).toBeGreaterThan(0);
    expect(typeof v.win_rate).toBe('number');
    expect(v.win_rate).toBeGreaterThan(0);
    expect(v.win_rate).toBeLessThanOrEqual(1);
    expect(v.interactions).toBeGreaterThan(0);
  });

  it('gives non-trivial output for every report in every format', () => {
    const reports: [string, ...string[]][] = [
      ['kpi', '--period', '2026'],
      ['funnel', '--period', '2026'],
      ['retention', '--period', '2026', '--cohorts'],
      ['pipeline'],
      ['cases', '--period', '2026'],
      ['activity', '--period', '2026'],
      ['ltv', '--period', '2026'],
      ['rfm', '--period', '2026'],
    ];
    for (const [name, ...args] of reports) {
      const out: Record<string, string> = {};
      for (const format of ['table', 'md', 'csv', 'json']) {
        const r = crm(dir, ['report', name, ...args, '--format', format]);
        expect(r.code, `${name} ${format}: ${r.stderr}`).toBe(0);
        expect(r.stderr, `${name} ${format}`).toBe('');
        expect(r.stdout.trim().split('\n').length, `${name} ${format}`).toBeGreaterThanOrEqual(2);
        out[format] = r.stdout;
      }
      const json = JSON.parse(out.json!);
      expect(json.report).toBe(name);
      // something other than zero and null somewhere in the figures
      expect(JSON.stringify(json.groups), name).toMatch(/":[1-9]/);
    }
  }, 120_000);

  it('reads well in 80 columns', () => {
    const r = crm(dir, ['report', 'kpi', '--period', '2026-Q3', '--compare', 'previous']);
    expect(r.code).toBe(0);
    for (const line of r.stdout.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/^SALES$/m);
    expect(r.stdout).toMatch(/^CUSTOMERS$/m);
    expect(r.stdout).toMatch(/^SERVICE$/m);
    expect(r.stdout).toMatch(/^ACTIVITY$/m);
    expect(r.stdout).toMatch(/[▲▼=]/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR and not a terminal
    // --compare alone means --compare previous
    expect(crm(dir, ['report', 'kpi', '--period', '2026-Q3', '--compare']).stdout).toBe(r.stdout);
  });

  it('defaults to the last full ISO week before today', () => {
    const json = JSON.parse(crm(dir, ['report', 'kpi', '--json']).stdout);
    expect([json.from, json.to]).toEqual(['2026-11-09', '2026-11-15']);
    const json2 = JSON.parse(crm(dir, ['report', 'kpi', '--json'], { CRM_NOW: '2026-11-23T08:00:00Z' }).stdout);
    expect([json2.from, json2.to]).toEqual(['2026-11-16', '2026-11-22']);
  });

  it('splits by owner with (all) last, and by a field nobody has with a warning', () => {
    const json = JSON.parse(crm(dir, ['report', 'pipeline', '--by', 'owner', '--json']).stdout);
    const groups = json.groups.map((g: { group: string }) => g.group);
    expect(groups[groups.length - 1]).toBe('(all)');
    expect(groups.length).toBeGreaterThan(2);
    const r = crm(dir, ['report', 'kpi', '--by', 'no_such_field', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*"no_such_field".*\(none\)/);
    expect(JSON.parse(r.stdout).groups.map((g: { group: string }) => g.group)).toEqual(['(none)', '(all)']);
  });

  it('reads the records as of a day', () => {
    const now = JSON.parse(crm(dir, ['report', 'pipeline', '--json']).stdout);
    const then = JSON.parse(crm(dir, ['report', 'pipeline', '--as-of', '2026-03-31', '--json']).stdout);
    expect(then.as_of).toBe('2026-03-31T23:59:59+02:00');
    expect(then.groups[0].values.total).not.toEqual(now.groups[0].values.total);
  });

  it('rejects malformed periods with exit 2 and the accepted forms', () => {
    for (const args of [['--period', '2026-W60'], ['--period', 'fortnight'], ['--from', '2026-13-01'], ['--to', '2026-11-01'], ['--period', '2026', '--from', '2026-01-01'], ['--as-of', 'soon']]) {
      const r = crm(dir, ['report', 'kpi', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).toMatch(/hint: /);
    }
    expect(crm(dir, ['report', 'kpi', '--period', 'fortnight']).stderr).toContain('2026-W47');
    expect(crm(dir, ['report', 'funnel', '--compare', 'previous']).code).toBe(2);
    expect(crm(dir, ['report', 'kpi', '--compare', 'last-year']).code).toBe(2);
    expect(crm(dir, ['report', 'kpi', '--format', 'xml']).code).toBe(2);
  });

  it('has help with examples', () => {
    const r = crm(dir, ['report', 'kpi', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--compare');
    expect(r.stdout).toContain('Examples:');
    expect(crm(dir, ['report', '--help']).stdout).toContain('retention');
  });
});

describe('crm report on hand-made records', () => {
  function lead(dir: string, id: string, created: string, extra = '') {
    write(dir, `leads/${id}.md`, `---\nname: ${id}\nstatus: new\n${extra}created: ${created}\n---\n`);
  }

  it('leaves records with bad dates or amounts out, and says which', () => {
    const dir = emptyRepo();
    lead(dir, 'good', '2026-11-17T09:00:00Z');
    lead(dir, 'bad-date', '2026-11-31T09:00:00Z');
    write(dir, 'opportunities/bad-amount.md', '---\nname: Bad\namount: lots\nstage: won\ncreated: 2026-11-17T09:00:00Z\n---\n');
    const r = crm(dir, ['report', 'kpi', '--period', '2026-W47', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('left 2 records out of the figures');
    expect(r.stderr).toContain('leads/bad-date: `created` "2026-11-31T09:00:00Z" is not a timestamp');
    expect(r.stderr).toContain('opportunities/bad-amount: `amount` "lots" is not an amount');
    expect(JSON.parse(r.stdout).groups[0].values.leads_created).toBe(1);
  });

  it('uses the time zone of crm.yaml for period boundaries', () => {
    const dir = emptyRepo(); // Europe/Rome
    lead(dir, 'sunday-night', '2026-11-15T23:30:00Z'); // Monday 16 at 00:30 in Rome
    lead(dir, 'monday-night', '2026-11-22T23:30:00Z'); // Monday 23 at 00:30 in Rome
    const later = { CRM_NOW: '2026-11-30T10:00:00Z' };
    const v = JSON.parse(crm(dir, ['report', 'kpi', '--period', '2026-W47', '--json'], later).stdout).groups[0].values;
    expect(v.leads_created).toBe(1);
    const csv = crm(dir, ['report', 'kpi', '--from', '2026-11-16', '--to', '2026-11-23', '--format', 'csv'], later).stdout.split('\r\n');
    expect(csv[1]!.split(',')[csv[0]!.split(',').indexOf('leads_created')]).toBe('2');
  });

  it('reads records and crm.yaml from a git commit with --as-of-commit', () => {
    const dir = emptyRepo();
    lead(dir, 'first', '2026-11-17T09:00:00Z');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'first lead']);
    const rev = git(dir, ['rev-parse', 'HEAD']).trim();
    lead(dir, 'second', '2026-11-18T09:00:00Z');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'second lead']);
    const count = (args: string[]) => JSON.parse(crm(dir, ['report', 'kpi', '--period', '2026-W47', '--json', ...args]).stdout).groups[0].values.leads_created;
    expect(count([])).toBe(2);
    expect(count(['--as-of-commit', rev])).toBe(1);
    expect(count(['--as-of-commit', 'HEAD~1'])).toBe(1);
    const bad = crm(dir, ['report', 'kpi', '--as-of-commit', 'no-such-branch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no-such-branch');
  });

  it('says so when crm.yaml names an unknown time zone', () => {
    const dir = emptyRepo();
    write(dir, 'crm.yaml', 'name: X\ntimezone: Mars/Olympus\n');
    const r = crm(dir, ['report', 'kpi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Mars/Olympus');
  });

  it('writes an empty report with null rates for an empty repository', () => {
    const dir = emptyRepo();
    mkdirSync(join(dir, 'cases'), { recursive: true });
    const r = crm(dir, ['report', 'cases', '--period', '2026', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const groups = JSON.parse(r.stdout).groups;
    expect(groups).toEqual([{ group: '(none)', values: expect.any(Object) }, { group: '(all)', values: expect.any(Object) }]);
    expect(groups[1].values.sla_breach_rate).toBeNull();
  });
});

describe('examples/weekly-report.sh', () => {
  it("writes last week's KPI report in Markdown to reports/YYYY-Www.md and commits it", () => {
    const dir = exampleRepo();
    const env = {
      ...process.env,
      CRM: `${process.execPath} ${BIN}`,
      CRM_NOW: NOW, // Friday 20 November 2026: last week is 2026-W46
      NO_COLOR: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Report Bot',
      GIT_AUTHOR_EMAIL: 'bot@example.com',
      GIT_COMMITTER_NAME: 'Report Bot',
      GIT_COMMITTER_EMAIL: 'bot@example.com',
    };
    const script = join(ROOT, 'examples', 'weekly-report.sh');
    const r = spawnSync('bash', [script, dir], { env, encoding: 'utf8' });
    expect(r.stderr).toContain('reports/2026-W46.md');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'reports', '2026-W46.md'))).toBe(true);
    const md = read(dir, 'reports/2026-W46.md');
    expect(md.startsWith('## KPI 2026-W46\n')).toBe(true);
    expect(md).toContain('Period: 2026-11-09 – 2026-11-15');
    expect(md).toContain('compared with 2026-11-02 – 2026-11-08');
    expect(md).toContain('| Win rate |');
    expect(commits(dir)[0]).toBe('reports: weekly KPI report 2026-W46');
    expect(gitStatus(dir)).toBe('');
    // a second run a day later (another "as of") with the same figures makes no commit
    const again = spawnSync('bash', [script, dir], { env: { ...env, CRM_NOW: '2026-11-21T10:00:00Z' }, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('up to date');
    expect(commits(dir).filter((c) => c.startsWith('reports:'))).toHaveLength(1);
    expect(read(dir, 'reports/2026-W46.md')).toBe(md);
  });
});
