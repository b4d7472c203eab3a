import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../model/config.js';
import { recordPath, type CrmRecord } from '../model/record.js';
import type { RecordType } from '../model/schema.js';
import { frameLines, keyNames } from './app.js';
import { compact, fit, plain } from './lines.js';
import { initialState, reduce, type State, type TabId } from './state.js';
import { buildData } from './view.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const config = resolveConfig({ name: 'Test Srl', users: [{ handle: 'giulia' }] });

function rec(type: RecordType, id: string, data: Record<string, unknown>): CrmRecord {
  const full = { created: '2026-10-01T09:00:00Z', ...data };
  return { type, id, path: recordPath(type, id, full), data: full, body: '', raw: '' };
}

const records = [
  rec('account', 'acme', { name: 'Acme Industrie Meccaniche di Precisione Srl' }),
  ...Array.from({ length: 12 }, (_, i) =>
    rec('opportunity', `deal-${i}`, { name: `A rather long opportunity name number ${i}`, account: 'acme', amount: 1000 * (i + 1), stage: ['prospecting', 'qualification', 'proposal', 'negotiation'][i % 4], owner: 'giulia' }),
  ),
  rec('lead', 'l1', { name: 'Luca', status: 'new' }),
  rec('case', 'c1', { subject: 'Broken', status: 'open', priority: 'urgent' }),
];

function state(tab: TabId): State {
  return initialState(buildData(records, { config, now: NOW }), { tab });
}

const width = (line: string) => [...line].length;

describe('frame', () => {
  for (const [columns, rows] of [
    [80, 24],
    [60, 20],
    [132, 43],
  ] as const) {
    it(`fills ${columns}×${rows} exactly (one line less than the terminal), every screen`, () => {
      for (const tab of ['pipeline', 'leads', 'cases', 'lists', 'dashboard'] as const) {
        const lines = frameLines(state(tab), columns, rows, 'Test Srl');
        expect(lines).toHaveLength(rows - 1);
        for (const l of lines) expect(width(l.map((s) => s.text).join(''))).toBe(columns);
      }
    });
  }

  it('truncates long names with … and marks the selection without colour', () => {
    const text = plain(frameLines(state('pipeline'), 80, 24, 'Test Srl'));
    expect(text).toContain('▸ A rather long op…');
    expect(text).toContain('  Acme Industrie M…│');
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('shows the columns that fit and says how many more there are', () => {
    const text = plain(frameLines(state('pipeline'), 40, 24, 'Test Srl'));
    expect(text).toContain('Prospecting 3');
    expect(text).toContain('Qualification 3');
    expect(text).not.toContain('Proposal 3');
    expect(text).toContain('2 more ›');
  });

  it('the help overlay fits 80×24', () => {
    const s = reduce(state('pipeline'), { type: 'key', name: '?' });
    const lines = frameLines(s, 80, 24, 'Test Srl');
    expect(lines).toHaveLength(23);
    expect(plain(lines)).toContain('mark the opportunity won');
    // every binding of the screen is listed, even at 80×24
    for (const help of ['edit the record in $EDITOR', 'add a task', 'quit', 'next tab']) expect(plain(lines)).toContain(help);
  });
});

describe('text helpers', () => {
  it('fits, pads and abbreviates', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(compact(950)).toBe('950');
    expect(compact(24000)).toBe('24k');
    expect(compact(2500)).toBe('2.5k');
    expect(compact(1_250_000)).toBe('1.3M');
  });

  it('splits characters that arrive together into single key presses', () => {
    expect(keyNames('jjj', {})).toEqual(['j', 'j', 'j']);
    expect(keyNames('a\r', {})).toEqual(['a', 'enter']);
    expect(keyNames('', { upArrow: true })).toEqual(['up']);
    expect(keyNames('c', { ctrl: true })).toEqual(['ctrl+c']);
    expect(keyNames('3', { meta: true })).toEqual(['esc', '3']);
    expect(keyNames('', { escape: true, meta: true })).toEqual(['esc']);
  });
});
