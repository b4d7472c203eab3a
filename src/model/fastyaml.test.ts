import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { generateRepository } from '../generate/generate.js';
import { splitFile } from './frontmatter.js';
import { parsePlainYaml } from './fastyaml.js';

const slow = (text: string) => jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) ?? {};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

describe('the plain front-matter reader', () => {
  it('reads every file of the example repository exactly as js-yaml does', () => {
    const root = join(import.meta.dirname, '..', '..', 'examples', 'crm-repo');
    let fast = 0;
    const folders = ['accounts', 'contacts', 'leads', 'opportunities', 'cases', 'campaigns', 'interactions'];
    for (const f of folders.flatMap((d) => walk(join(root, d)))) {
      const yaml = splitFile(readFileSync(f, 'utf8')).yaml;
      const got = parsePlainYaml(yaml);
      if (got !== undefined) {
        fast++;
        expect(got, f).toEqual(slow(yaml));
      }
    }
    expect(fast).toBeGreaterThan(300); // the point: crm's own files take the fast path
  });

  it('agrees with js-yaml on a generated repository of 3,000 records', () => {
    let fast = 0;
    let all = 0;
    for (const file of generateRepository({ size: 3000, seed: 11, end: new Date('2026-06-30T12:00:00Z') })) {
      if (!file.path.endsWith('.md')) continue;
      all++;
      const yaml = splitFile(file.content).yaml;
      const got = parsePlainYaml(yaml);
      if (got === undefined) continue;
      fast++;
      expect(got, file.path).toEqual(slow(yaml));
    }
    expect(fast / all).toBeGreaterThan(0.98);
  });

  const cases: [string, boolean][] = [
    ['a: 1\nb: 1.5\nc: -3\nd: true\ne: False\nf: ~\ng:\nh: null\n', true],
    ["name: 'O''Brien'\nx: \"quoted\"\n", true],
    ['tags: [a, b-c, 2026]\nempty: []\nm: {}\n', true],
    ['history:\n  - {at: 2026-01-01T00:00:00Z, to: new}\n- {at: 2026-01-02, to: x}\n', false],
    ['history:\n- {at: 2026-01-01T00:00:00Z, to: new, note: budget confirmed}\n', true],
    ['address:\n  street: Via Roma 1\n  city: Milano\n  postcode: "20100"\n', true],
    ['phone: +39 02 1234 5678\nother: 0212345\n', false],
    ['phone: +39 02 1234 5678\n', true],
    ['when: 2026-11-22 09:30\nv: 1.2.3\n', false],
    ['note: a: b\n', false],
    ['x: 1e3\n', false],
    ['x: 0x1F\n', false],
    ['x: .5\n', false],
    ['x: yes\ny: on\n', true],
    ['text: |\n  block\n', false],
    ['a: 1 # comment\n', false],
    ['a: &anchor 1\n', false],
    ['a: 1\na: 2\n', false],
    ['"quoted key": 1\n', false],
    ['list:\n  - one\n  - two\n', true],
    ['nested:\n  inner:\n    deep: 1\n', false],
    ['c: C#\n', true],
    ['k: [a, "b, c"]\n', true],
    ["k: {note: 'it''s, fine', to: x}\n", true],
    ['k: [a, [b]]\n', false],
    ['k: {a: "x: y"}\n', true],
    // Key lines and flow maps are read by character codes, dates and timestamps by shape: the same answers as the patterns.
    ['k: {at: 2026-01-01,   to: x,\tby: giulia}\n', false],
    ['k: {at: 2026-01-01,   to: x, by: giulia}\n', true],
    ['k: {at:x}\n', false],
    ['a:b\n', false],
    ['1k: v\n', false],
    ['_k-1: v\nK2:\n', true],
    ['a: \n', true],
    ['a:\n  b: 1\n  c:\n', false],
    ['a: x\u2028y\n', false],
    ['when: 2026-02-30T25:61:61Z\nd: 2026-99-99\ne: 2026-01-01T00:00:00+01:00\nf: 20260101\n', true],
    ['h:\n  - {at: 2026-06-22T13:14:05Z, to: new}\n  - {at: 2026-06-25T09:36:49Z, from: new, to: contacted, by: davide}\n', true],
  ];
  for (const [text, fastPath] of cases) {
    it(`${fastPath ? 'reads' : 'leaves to js-yaml'}: ${JSON.stringify(text).slice(0, 60)}`, () => {
      const got = parsePlainYaml(text);
      if (!fastPath) {
        expect(got).toBeUndefined();
        return;
      }
      expect(got).toEqual(slow(text));
    });
  }
});
