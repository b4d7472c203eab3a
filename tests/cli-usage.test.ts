/**
 * Help and usage errors through the built binary: every command documents
 * itself with examples, and every mistake a user can type exits 2 with a
 * one-line reason and a hint, without touching the repository.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanup, commits, crm, gitStatus } from './helpers.js';
import { seedRepo } from './fixtures/seed.js';

const COMMANDS = [
  [],
  ['init'],
  ['account', 'add'],
  ['contact', 'add'],
  ['lead', 'add'],
  ['opportunity', 'add'],
  ['opp', 'add'],
  ['case', 'add'],
  ['campaign', 'add'],
  ['show'],
  ['list'],
  ['set'],
  ['unset'],
  ['edit'],
  ['delete'],
  ['search'],
  ['validate'],
];

let dir: string;
beforeAll(() => {
  dir = seedRepo();
});
afterAll(cleanup);

describe('--help', () => {
  test.each(COMMANDS.map((c) => [c.join(' ') || 'crm', c] as const))('%s --help has usage and examples', (_name, args) => {
    const r = crm(dir, [...args, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: crm/m);
    expect(r.stdout).toContain('Examples:');
    // each example is a runnable crm command line
    expect(r.stdout).toMatch(/^\s+\$ (EDITOR="[^"]+" )?crm /m);
    expect(r.stderr).toBe('');
  });

  test('list --help explains the filter language', () => {
    const r = crm(dir, ['list', '--help']);
    for (const op of ['!=', '<=', '>=', '~', 'has', 'and, or, not']) expect(r.stdout).toContain(op);
  });

  test('the add commands offer flags for the main fields', () => {
    expect(crm(dir, ['lead', 'add', '--help']).stdout).toMatch(/--source <value>[\s\S]*--score <value>/);
    expect(crm(dir, ['opp', 'add', '--help']).stdout).toMatch(/--expected-close <value>/);
    expect(crm(dir, ['case', 'add', '--help']).stdout).toMatch(/<subject>/);
  });

  test('--version prints the version', () => {
    const r = crm(dir, ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('usage errors exit 2 with a one-line reason and a hint, and change nothing', () => {
  const CASES: [string, string[], RegExp][] = [
    ['unknown command', ['lisst'], /unknown command 'lisst'/],
    ['unknown flag', ['lead', 'add', 'X', '--bogus', '1'], /unknown option '--bogus'/],
    ['misspelt flag', ['list', 'leads', '--wher', 'x = 1'], /unknown option '--wher'/],
    ['missing argument', ['show'], /missing required argument/],
    ['non-numeric --limit', ['list', 'leads', '--limit', 'abc'], /'abc' is invalid/],
    ['negative --limit', ['search', 'acme', '--limit', '-3'], /'-3' is invalid/],
    ['unknown --format', ['list', 'leads', '--format', 'xml'], /'xml' is invalid.*table, tsv, csv, json/],
    ['unknown validate --format', ['validate', '--format', 'xml'], /'xml' is invalid/],
    ['unknown type', ['list', 'widgets'], /"widgets" is not a record type/],
    ['unknown type in TYPE/ID', ['show', 'widget/x'], /"widget" is not a record type/],
    ['unknown id', ['show', 'nobody'], /no record with id "nobody"/],
    ['unknown id for set', ['set', 'nobody', 'score=1'], /no record with id "nobody"/],
    ['unknown id for delete', ['delete', 'nobody', '--yes'], /no record with id "nobody"/],
    ['unknown id for edit', ['edit', 'nobody'], /no record with id "nobody"/],
    ['not key=value', ['set', 'jane-roe', 'score'], /"score" is not key=value/],
    ['bad field name', ['set', 'jane-roe', '1bad=3'], /"1bad" is not a valid field name/],
    ['setting history', ['set', 'jane-roe', 'history=x'], /history is appended by crm/],
    ['setting the id', ['set', 'jane-roe', 'id=x'], /the id is the file name/],
    ['empty search', ['search', ' '], /nothing to search for/],
    ['bad time zone', ['init', 'sub', '--timezone', 'Mars/Olympus'], /unknown time zone "Mars\/Olympus"/],
    ['repo that is not one', ['--repo', '/nonexistent-crm', 'list'], /is not a CRM repository/],
  ];

  test.each(CASES)('%s', (_name, args, message) => {
    const before = commits(dir).length;
    const r = crm(dir, args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    // a hint: ours ("hint: …") or commander's ("(add --help for usage)")
    expect(lines.slice(1).join('\n')).toMatch(/^(hint: |\(add --help for usage\))/m);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(commits(dir).length).toBe(before);
    expect(gitStatus(dir)).toBe('');
  });

  test('a misspelt command or flag gets a suggestion', () => {
    expect(crm(dir, ['lisst']).stderr).toContain('Did you mean list?');
    expect(crm(dir, ['list', '--wher', 'x']).stderr).toContain('Did you mean --where?');
  });

  test('a misspelt id gets a did-you-mean', () => {
    const r = crm(dir, ['show', 'jane-rooe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hint: Did you mean lead\/jane-roe \(Jane Roe\)/);
  });

  test('a value the record cannot hold exits 2 and names the field, the value and the fix', () => {
    const r = crm(dir, ['set', 'jane-roe', 'score=lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: leads\/jane-roe.md would not be valid, so nothing was written/);
    expect(r.stderr).toMatch(/score "lots" is not a number.*\[bad-number\]/);
    expect(r.stderr).toMatch(/^hint: /m);
  });
});
