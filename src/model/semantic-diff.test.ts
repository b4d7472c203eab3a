import { describe, expect, it } from 'vitest';
import type { Issue } from './issues.js';
import type { CrmRecord } from './record.js';
import type { RecordType } from './schema.js';
import { describeCounts, semanticDiff, totals } from './semantic-diff.js';

function rec(type: RecordType, id: string, data: Record<string, unknown>, body = '', path?: string): CrmRecord {
  const folder = { account: 'accounts', contact: 'contacts', lead: 'leads', opportunity: 'opportunities', case: 'cases', campaign: 'campaigns', interaction: 'interactions/2026/11' }[type];
  return { type, id, path: path ?? `${folder}/${id}.md`, data, body, raw: JSON.stringify([data, body, path]) };
}

const none: Issue[] = [];

describe('semanticDiff', () => {
  it('finds added, removed and changed records with old → new values', () => {
    const before = [rec('account', 'acme', { name: 'Acme', industry: 'retail', updated: '2026-01-01T00:00:00Z' }), rec('contact', 'old', { name: 'Old Guy' })];
    const after = [rec('account', 'acme', { name: 'Acme', industry: 'manufacturing', phone: '123', updated: '2026-02-01T00:00:00Z' }), rec('lead', 'new', { name: 'New One', status: 'new' })];
    const d = semanticDiff({ records: before, issues: none }, { records: after, issues: none });
    expect(d.changes.map((c) => [c.change, `${c.type}/${c.id}`])).toEqual([
      ['added', 'lead/new'],
      ['changed', 'account/acme'],
      ['removed', 'contact/old'],
    ]);
    expect(d.changes[1]!.fields).toEqual([
      { key: 'industry', before: 'retail', after: 'manufacturing' },
      { key: 'phone', before: undefined, after: '123' },
    ]);
    expect(d.counts).toEqual({ added: 1, changed: 1, removed: 1, unreadable: 0 });
    expect(describeCounts(d)).toBe('1 lead added, 1 account changed, 1 contact removed');
    expect(totals(d)).toBe('1 added, 1 changed, 1 removed');
  });

  it('reports stage moves and conversions, not history and updated noise', () => {
    const opp = { name: 'Deal', stage: 'proposal', history: [{ at: '2026-01-01T00:00:00Z', to: 'proposal' }] };
    const moved = { ...opp, stage: 'won', updated: '2026-02-01T00:00:00Z', history: [...opp.history, { at: '2026-02-01T00:00:00Z', from: 'proposal', to: 'won' }] };
    const lead = { name: 'Jane', status: 'qualified' };
    const converted = { ...lead, status: 'converted', converted: { at: '2026-02-01T00:00:00Z', account: 'roe', contact: 'jane', opportunity: 'roe-deal' } };
    const d = semanticDiff(
      { records: [rec('opportunity', 'deal', opp), rec('lead', 'jane', lead)], issues: none },
      { records: [rec('opportunity', 'deal', moved), rec('lead', 'jane', converted)], issues: none },
    );
    const o = d.changes.find((c) => c.id === 'deal')!;
    expect(o.move).toEqual({ key: 'stage', from: 'proposal', to: 'won' });
    expect(o.fields.map((f) => f.key)).toEqual(['stage']);
    expect(d.changes.find((c) => c.id === 'jane')!.conversion).toEqual({ lead: 'jane', account: 'roe', contact: 'jane', opportunity: 'roe-deal' });
    expect(totals(d)).toBe('0 added, 2 changed, 0 removed, 2 stage/status moves, 1 conversion');
  });

  it('notes body changes, history edits and an interaction that moved month', () => {
    const i1 = rec('interaction', 'call-1', { kind: 'call', at: '2026-11-03T10:00:00Z' }, '', 'interactions/2026/11/call-1.md');
    const i2 = rec('interaction', 'call-1', { kind: 'call', at: '2026-12-01T10:00:00Z' }, '', 'interactions/2026/12/call-1.md');
    const a1 = rec('account', 'acme', { name: 'Acme', history: [{ at: '2026-01-01T00:00:00Z', to: 'prospect', note: 'x' }] }, 'notes\n');
    const a2 = rec('account', 'acme', { name: 'Acme', history: [{ at: '2026-01-01T00:00:00Z', to: 'prospect', note: 'y' }] }, 'more notes\n');
    const d = semanticDiff({ records: [i1, a1], issues: none }, { records: [i2, a2], issues: none });
    const acme = d.changes.find((c) => c.id === 'acme')!;
    expect(acme.body).toBe(true);
    expect(acme.fields).toEqual([{ key: 'history', before: 1, after: 1 }]);
    const call = d.changes.find((c) => c.id === 'call-1')!;
    expect(call.change).toBe('changed');
    expect(call.fields[0]).toEqual({ key: 'path', before: 'interactions/2026/11/call-1.md', after: 'interactions/2026/12/call-1.md' });
  });

  it('calls a file that can no longer be read unreadable, not removed', () => {
    const before = [rec('opportunity', 'deal', { name: 'Deal', stage: 'proposal' })];
    const issue: Issue = { path: 'opportunities/deal.md', line: 4, code: 'yaml', message: 'broken YAML', severity: 'error' };
    const d = semanticDiff({ records: before, issues: none }, { records: [], issues: [issue] });
    expect(d.changes).toEqual([
      { change: 'unreadable', type: 'opportunity', id: 'deal', path: 'opportunities/deal.md', title: 'Deal', fields: [], body: false, problem: 'line 4: broken YAML' },
    ]);
  });

  it('finds nothing between equal snapshots', () => {
    const r = [rec('account', 'acme', { name: 'Acme' })];
    const d = semanticDiff({ records: r, issues: none }, { records: r, issues: none });
    expect(d.changes).toEqual([]);
    expect(describeCounts(d)).toBe('no record changes');
  });
});
