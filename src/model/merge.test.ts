import { describe, expect, it } from 'vitest';
import { commonLines, diff3, mergeFile, mergeHistory, mergeSet, mergeText, splitLines } from './merge.js';
import { parseRecord } from './frontmatter.js';
import { checkRaw } from './validate.js';

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const dp: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  return dp[0]![0]!;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('line diff', () => {
  it('splits lines keeping their endings', () => {
    expect(splitLines('a\nb\r\nc')).toEqual(['a\n', 'b\r\n', 'c']);
    expect(splitLines('')).toEqual([]);
  });

  it('finds a longest common subsequence (checked against dynamic programming)', () => {
    const next = rng(7);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(next() * 12) }, () => 'abcd'[Math.floor(next() * 4)]!);
      const b = Array.from({ length: Math.floor(next() * 12) }, () => 'abcd'[Math.floor(next() * 4)]!);
      const pairs = commonLines(a, b);
      expect(pairs.length).toBe(lcsLength(a, b));
      for (let k = 0; k < pairs.length; k++) {
        const [i, j] = pairs[k]!;
        expect(a[i]).toBe(b[j]);
        if (k > 0) {
          expect(i).toBeGreaterThan(pairs[k - 1]![0]);
          expect(j).toBeGreaterThan(pairs[k - 1]![1]);
        }
      }
    }
  });

  it('diff3 takes changes of either side and flags overlapping ones', () => {
    const base = ['1', '2', '3', '4', '5'];
    expect(diff3(base, ['1', 'two', '3', '4', '5'], ['1', '2', '3', '4', 'five'])).toEqual([{ ok: ['1', 'two', '3', '4', 'five'] }]);
    const c = diff3(base, ['1', 'two', '3', '4', '5'], ['1', 'TWO', '3', '4', '5']);
    expect(c).toEqual([{ ok: ['1'] }, { conflict: { ours: ['two'], base: ['2'], theirs: ['TWO'] } }, { ok: ['3', '4', '5'] }]);
  });

  it('writes git-style markers and their line numbers', () => {
    const m = mergeText('a\nb\nc\n', 'a\nB1\nc\n', 'a\nB2\nc\n', { ours: 'HEAD', theirs: 'origin/main' });
    expect(m.text).toBe('a\n<<<<<<< HEAD\nB1\n=======\nB2\n>>>>>>> origin/main\nc\n');
    expect(m.conflictLines).toEqual([2]);
  });
});

describe('lists', () => {
  it('merges sets: additions from both sides, removals from either', () => {
    expect(mergeSet(['eu', 'hot'], ['eu'], ['eu', 'hot', 'vip'])).toEqual(['eu', 'vip']);
    expect(mergeSet([], ['a'], ['a', 'b'])).toEqual(['a', 'b']);
  });

  it('merges history by time, identical entries once', () => {
    const first = { at: '2026-10-01T09:00:00Z', to: 'new' };
    const mine = { at: '2026-10-05T09:00:00Z', from: 'new', to: 'contacted', by: 'giulia' };
    const theirs = { at: '2026-10-03T09:00:00Z', from: 'new', to: 'contacted', by: 'marco' };
    expect(mergeHistory([first], [first, mine], [first, theirs])).toEqual([first, theirs, mine]);
  });
});

const BASE = `---
name: Acme renewal
account: acme-srl
amount: 12000
stage: proposal
expected_close: 2026-12-15
owner: giulia
tags: [renewal]
created: 2026-09-01T09:00:00Z
updated: 2026-10-01T09:00:00Z
history:
  - {at: 2026-09-01T09:00:00Z, to: qualification}
  - {at: 2026-10-01T09:00:00Z, from: qualification, to: proposal, by: giulia}
---
Call notes.

Second paragraph.
`;

function edit(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe('record merge', () => {
  const path = 'opportunities/acme-renewal.md';

  it('takes a key changed on one side and another key changed on the other', () => {
    const ours = edit(edit(BASE, 'amount: 12000', 'amount: 15000'), 'updated: 2026-10-01T09:00:00Z', 'updated: 2026-11-02T09:00:00Z');
    const theirs = edit(edit(BASE, 'expected_close: 2026-12-15', 'expected_close: 2027-01-31'), 'updated: 2026-10-01T09:00:00Z', 'updated: 2026-11-03T09:00:00Z');
    const m = mergeFile({ base: BASE, ours, theirs, path });
    expect(m.clean).toBe(true);
    const data = parseRecord(m.text).data;
    expect(data.amount).toBe(15000);
    expect(data.expected_close).toBe('2027-01-31');
    expect(data.updated).toBe('2026-11-03T09:00:00Z');
    // Everything else keeps its bytes.
    expect(m.text).toBe(BASE.replace('amount: 12000', 'amount: 15000').replace('expected_close: 2026-12-15', 'expected_close: 2027-01-31').replace('updated: 2026-10-01T09:00:00Z', 'updated: 2026-11-03T09:00:00Z'));
  });

  it('keeps both sides\' history entries in time order and both tag additions', () => {
    const ours = edit(
      edit(BASE, 'stage: proposal', 'stage: negotiation'),
      '  - {at: 2026-10-01T09:00:00Z, from: qualification, to: proposal, by: giulia}\n',
      '  - {at: 2026-10-01T09:00:00Z, from: qualification, to: proposal, by: giulia}\n  - {at: 2026-11-05T09:00:00Z, from: proposal, to: negotiation, by: giulia}\n',
    );
    const theirs = edit(
      edit(BASE, 'tags: [renewal]', 'tags: [renewal, key-account]'),
      '  - {at: 2026-10-01T09:00:00Z, from: qualification, to: proposal, by: giulia}\n',
      '  - {at: 2026-10-01T09:00:00Z, from: qualification, to: proposal, by: giulia, note: sent}\n',
    );
    const m = mergeFile({ base: BASE, ours, theirs, path });
    expect(m.clean).toBe(true);
    const data = parseRecord(m.text).data;
    expect(data.stage).toBe('negotiation');
    expect(data.tags).toEqual(['renewal', 'key-account']);
    expect(data.history).toEqual([
      { at: '2026-09-01T09:00:00Z', to: 'qualification' },
      { at: '2026-10-01T09:00:00Z', from: 'qualification', to: 'proposal', by: 'giulia', note: 'sent' },
      { at: '2026-11-05T09:00:00Z', from: 'proposal', to: 'negotiation', by: 'giulia' },
    ]);
  });

  it('merges history appended on both sides (union ordered by time)', () => {
    const add = (entry: string, stage: string) =>
      edit(edit(BASE, 'stage: proposal', `stage: ${stage}`), 'to: proposal, by: giulia}\n', `to: proposal, by: giulia}\n  - ${entry}\n`);
    const ours = add('{at: 2026-11-05T09:00:00Z, from: proposal, to: negotiation, by: giulia}', 'negotiation');
    const theirs = add('{at: 2026-11-04T09:00:00Z, from: proposal, to: negotiation, by: marco}', 'negotiation');
    const m = mergeFile({ base: BASE, ours, theirs, path });
    expect(m.clean).toBe(true);
    const h = parseRecord(m.text).data.history as { by?: string }[];
    expect(h.map((e) => e.by)).toEqual([undefined, 'giulia', 'marco', 'giulia']);
  });

  it('merges the body line by line', () => {
    const ours = edit(BASE, 'Call notes.\n', 'Call notes, updated.\n');
    const theirs = edit(BASE, 'Second paragraph.\n', 'Second paragraph.\n\nThird.\n');
    const m = mergeFile({ base: BASE, ours, theirs, path });
    expect(m.clean).toBe(true);
    expect(parseRecord(m.text).body).toBe('Call notes, updated.\n\nSecond paragraph.\n\nThird.\n');
  });

  it('puts conflict markers around the conflicting key only', () => {
    const ours = edit(edit(BASE, 'amount: 12000', 'amount: 15000'), 'owner: giulia', 'owner: marco');
    const theirs = edit(edit(BASE, 'amount: 12000', 'amount: 14000'), 'expected_close: 2026-12-15', 'expected_close: 2027-01-31');
    const m = mergeFile({ base: BASE, ours, theirs, path, labels: { ours: 'HEAD', theirs: 'origin/main' } });
    expect(m.clean).toBe(false);
    expect(m.conflicts).toEqual([{ key: 'amount', line: 4 }]);
    expect(m.text.split('\n').slice(0, 12)).toEqual([
      '---',
      'name: Acme renewal',
      'account: acme-srl',
      '<<<<<<< HEAD',
      'amount: 15000',
      '=======',
      'amount: 14000',
      '>>>>>>> origin/main',
      'stage: proposal',
      'expected_close: 2027-01-31',
      'owner: marco',
      'tags: [renewal]',
    ]);
    const issues = checkRaw(path, m.text);
    expect(issues.map((i) => i.line)).toEqual([4, 6, 8]);
    // Keeping one value makes a valid record again.
    const fixed = m.text.replace('<<<<<<< HEAD\namount: 15000\n=======\n', '').replace('>>>>>>> origin/main\n', '');
    expect(parseRecord(fixed).data.amount).toBe(14000);
  });

  it('conflicts when one side removes a key the other changes, showing an empty side', () => {
    const ours = edit(BASE, 'owner: giulia\n', '');
    const theirs = edit(BASE, 'owner: giulia', 'owner: marco');
    const m = mergeFile({ base: BASE, ours, theirs, path });
    expect(m.conflicts.map((c) => c.key)).toEqual(['owner']);
    expect(m.text).toContain('<<<<<<< ours\n=======\nowner: marco\n>>>>>>> theirs\n');
  });

  it('merges maps sub-key by sub-key', () => {
    const base = '---\nname: Acme Srl\naddress: {city: Milano, street: Via Roma 1}\ncreated: 2026-01-01T00:00:00Z\n---\n';
    const ours = base.replace('city: Milano', 'city: Torino');
    const theirs = base.replace('street: Via Roma 1', 'street: Via Po 2');
    const m = mergeFile({ base, ours, theirs, path: 'accounts/acme-srl.md' });
    expect(m.clean).toBe(true);
    expect(parseRecord(m.text).data.address).toEqual({ city: 'Torino', street: 'Via Po 2' });
  });

  it('conflicts on a block list as a whole, with its own lines', () => {
    const base = '---\nname: Deal\nstage: proposal\nlost_reason: none\ncreated: 2026-01-01T00:00:00Z\n---\n';
    const ours = base.replace('lost_reason: none', 'lost_reason: |\n  price\n  too high');
    const theirs = base.replace('lost_reason: none', 'lost_reason: timing');
    const m = mergeFile({ base, ours, theirs, path: 'opportunities/deal.md' });
    expect(m.text).toBe('---\nname: Deal\nstage: proposal\n<<<<<<< ours\nlost_reason: |\n  price\n  too high\n=======\nlost_reason: timing\n>>>>>>> theirs\ncreated: 2026-01-01T00:00:00Z\n---\n');
  });

  it('finds keys written with quotes, and never drops a value it cannot mark', () => {
    const base = '---\nname: Deal\n"stage": proposal\ncreated: 2026-01-01T00:00:00Z\n---\n';
    const m = mergeFile({ base, ours: base.replace('proposal', 'won'), theirs: base.replace('proposal', 'lost'), path: 'opportunities/deal.md' });
    expect(m.clean).toBe(false);
    expect(m.text).toContain('<<<<<<< ours\n"stage": won\n=======\n"stage": lost\n>>>>>>> theirs\n');
    // A top-level flow map has no line per key: the whole file is line-merged instead.
    const flow = '---\n{name: Deal, stage: proposal, created: 2026-01-01T00:00:00Z}\n---\n';
    const f = mergeFile({ base: flow, ours: flow.replace('proposal', 'won'), theirs: flow.replace('proposal', 'lost'), path: 'opportunities/deal.md' });
    expect(f.clean).toBe(false);
    expect(f.text).toContain('stage: won');
    expect(f.text).toContain('stage: lost');
  });

  it('merges files both sides added (no base)', () => {
    const ours = '---\nname: Jane Roe\nstatus: new\ncreated: 2026-11-01T09:00:00Z\n---\n';
    const theirs = '---\nname: Jane Roe\nstatus: new\nemail: jane@example.com\ncreated: 2026-11-01T09:00:00Z\n---\n';
    const m = mergeFile({ base: null, ours, theirs, path: 'leads/jane-roe.md' });
    expect(m.clean).toBe(true);
    expect(parseRecord(m.text).data.email).toBe('jane@example.com');
  });

  it('reports body conflicts with their file line', () => {
    const ours = edit(BASE, 'Call notes.', 'Call notes A.');
    const theirs = edit(BASE, 'Call notes.', 'Call notes B.');
    const m = mergeFile({ base: BASE, ours, theirs, path });
    expect(m.conflicts).toEqual([{ key: '(body)', line: 15 }]);
    expect(m.text.split('\n')[14]).toBe('<<<<<<< ours');
  });

  it('line-merges files that are not records, or not readable', () => {
    const m = mergeFile({ base: 'a\nb\nc\n', ours: 'A\nb\nc\n', theirs: 'a\nb\nC\n', path: 'README.md' });
    expect(m).toEqual({ text: 'A\nb\nC\n', clean: true, conflicts: [] });
    const broken = mergeFile({ base: 'x\n', ours: 'y\n', theirs: 'z\n', path: 'leads/x.md' });
    expect(broken.clean).toBe(false);
    expect(broken.conflicts[0]?.key).toBe('(file)');
  });

  it('recognises records in a CRM kept in a subfolder of the git repository', () => {
    const ours = edit(BASE, 'amount: 12000', 'amount: 15000');
    const theirs = edit(BASE, 'owner: giulia', 'owner: marco');
    expect(mergeFile({ base: BASE, ours, theirs, path: 'crm/opportunities/acme-renewal.md' }).clean).toBe(true);
  });
});
