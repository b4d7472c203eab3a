import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../model/config.js';
import type { CrmRecord } from '../model/record.js';
import { recordPath } from '../model/record.js';
import type { RecordType } from '../model/schema.js';
import { KEYMAP, helpFor, keyName, resolveKey } from './keymap.js';
import { initialState, listRows, reduce, screenOf, selectedKey, visibleColumns, type Event, type State } from './state.js';
import { buildData, columnTotals } from './view.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const config = resolveConfig({ users: [{ handle: 'giulia' }, { handle: 'marco' }] });

function rec(type: RecordType, id: string, data: Record<string, unknown>): CrmRecord {
  const full = { created: '2026-10-01T09:00:00Z', ...data };
  return { type, id, path: recordPath(type, id, full), data: full, body: '', raw: '' };
}

function records(): CrmRecord[] {
  return [
    rec('account', 'acme', { name: 'Acme Srl' }),
    rec('account', 'beta', { name: 'Beta SpA' }),
    rec('contact', 'jane', { name: 'Jane Roe', account: 'acme' }),
    rec('opportunity', 'acme-erp', { name: 'Acme ERP', account: 'acme', amount: 20000, stage: 'proposal', owner: 'giulia', expected_close: '2026-12-01', history: [{ at: '2026-11-10T09:00:00Z', to: 'proposal' }] }),
    rec('opportunity', 'acme-crm', { name: 'Acme CRM', account: 'acme', amount: 10000, stage: 'proposal', owner: 'marco', expected_close: '2026-12-15' }),
    rec('opportunity', 'beta-web', { name: 'Beta website', account: 'beta', amount: 5000, stage: 'prospecting', owner: 'marco' }),
    rec('opportunity', 'old-win', { name: 'Old win', account: 'beta', amount: 7000, stage: 'won' }),
    rec('lead', 'luca', { name: 'Luca Neri', company: 'Neri Srl', status: 'new', score: 40 }),
    rec('lead', 'anna', { name: 'Anna Blu', company: 'Blu Srl', status: 'qualified', score: 80 }),
    rec('lead', 'gone', { name: 'Gone Lead', status: 'disqualified' }),
    rec('case', 'vat', { subject: 'Wrong VAT', account: 'acme', status: 'open', priority: 'high' }),
    rec('interaction', 'call-1', { kind: 'call', at: '2026-11-12T10:00:00Z', subject: 'Kickoff', opportunity: 'acme-erp' }),
  ];
}

function start(rs = records()): State {
  return initialState(buildData(rs, { config, now: NOW }), { pageSize: 5 });
}

function keys(s: State, ...names: string[]): State {
  return names.reduce((acc, name) => reduce(acc, { type: 'key', name }), s);
}

describe('view', () => {
  it('puts open stages in columns, folds won/lost, and totals a column', () => {
    const data = buildData(records(), { config, now: NOW });
    const p = data.boards.pipeline;
    expect(p.columns.map((c) => c.id)).toEqual(['prospecting', 'qualification', 'proposal', 'negotiation']);
    const proposal = p.columns[2]!;
    expect(proposal.keys).toEqual(['opportunity/acme-erp', 'opportunity/acme-crm']);
    expect(columnTotals(data, proposal)).toEqual({ count: 2, total: 30000, weighted: 15000 });
    expect(p.summary.find((x) => x.label === 'won')).toEqual({ label: 'won', count: 1, amount: 7000 });
    expect(data.cards.get('opportunity/acme-erp')).toMatchObject({ sub: 'Acme Srl', owner: 'giulia', days: 10 });
    expect(data.boards.leads.columns.map((c) => c.id)).toEqual(['new', 'contacted', 'qualified']);
    expect(data.boards.leads.summary.find((x) => x.label === 'disqualified')?.count).toBe(1);
  });
});

describe('keymap', () => {
  it('names keys and resolves them per screen', () => {
    expect(keyName('', { upArrow: true })).toBe('up');
    expect(keyName('c', { ctrl: true })).toBe('ctrl+c');
    expect(keyName('', { delete: true })).toBe('backspace');
    expect(resolveKey('pipeline', 'L')).toBe('stage-next');
    expect(resolveKey('lists', 's')).toBe('sort');
    expect(resolveKey('cases', 's')).toBe('resolve');
    expect(resolveKey('dashboard', 'w')).toBeUndefined();
  });

  it('every action in the keymap is reachable and the help lists it', () => {
    const { local, global } = helpFor('pipeline');
    expect(global.map((b) => b.action)).toContain('quit');
    expect(local.map((b) => b.action)).toContain('win');
    for (const b of KEYMAP) expect(b.keys.length).toBeGreaterThan(0);
  });
});

describe('reducer: boards', () => {
  it('starts on the first card of the first non-empty position and moves with h j k l', () => {
    let s = start();
    expect(screenOf(s)).toBe('pipeline');
    expect(selectedKey(s)).toBe('opportunity/beta-web');
    s = keys(s, 'l');
    // qualification is empty: skipped to proposal
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
    s = keys(s, 'j');
    expect(selectedKey(s)).toBe('opportunity/acme-crm');
    s = keys(s, 'j', 'j');
    expect(selectedKey(s)).toBe('opportunity/acme-crm');
    s = keys(s, 'k', 'h');
    expect(selectedKey(s)).toBe('opportunity/beta-web');
  });

  it('asks for a move to the next stage and only one action at a time', () => {
    let s = keys(start(), 'l');
    s = keys(s, '>');
    expect(s.pending?.effect).toEqual({ kind: 'move', key: 'opportunity/acme-erp', to: 'negotiation' });
    const id = s.pending!.id;
    const blocked = keys(s, '<');
    expect(blocked.pending?.id).toBe(id);
    s = reduce(s, { type: 'done', id, status: { text: 'moved', tone: 'ok' }, undo: { label: 'move', commit: 'abc', changes: [] } });
    expect(s.pending).toBeUndefined();
    expect(s.undo).toHaveLength(1);
    expect(s.status?.text).toBe('moved');
  });

  it('refuses to move past the last open stage and says what to do', () => {
    const rs = records().map((r) => (r.id === 'acme-erp' ? { ...r, data: { ...r.data, stage: 'negotiation' } } : r));
    let s = start(rs);
    s = keys(s, 'l', 'l');
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
    s = keys(s, 'L');
    expect(s.pending).toBeUndefined();
    expect(s.status).toEqual({ text: 'negotiation is the last open stage: press w to mark it won', tone: 'error' });
  });

  it('keeps the selection by key when the data reloads and the card moved', () => {
    let s = keys(start(), 'l');
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
    const moved = records().map((r) => (r.id === 'acme-erp' ? { ...r, data: { ...r.data, stage: 'negotiation' } } : r));
    s = reduce(s, { type: 'loaded', data: buildData(moved, { config, now: NOW }) });
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
    expect(s.boards.pipeline.col).toBe(3);
  });

  it('falls back to the same position when the selected card disappears', () => {
    let s = keys(start(), 'l', 'j');
    expect(selectedKey(s)).toBe('opportunity/acme-crm');
    const gone = records().filter((r) => r.id !== 'acme-crm');
    s = reduce(s, { type: 'loaded', data: buildData(gone, { config, now: NOW }) });
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
  });

  it('filters by owner (cycling) and by text, and esc clears the filters', () => {
    let s = keys(start(), 'o');
    expect(s.boards.pipeline.owner).toBe('giulia');
    expect(visibleColumns(s, 'pipeline').flatMap((c) => c.keys)).toEqual(['opportunity/acme-erp']);
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
    s = keys(s, 'o');
    expect(s.boards.pipeline.owner).toBe('marco');
    s = keys(s, 'esc');
    expect(s.boards.pipeline.owner).toBeUndefined();
    s = keys(s, '/', 'b', 'e', 't');
    expect(s.modal?.kind).toBe('filter');
    expect(visibleColumns(s, 'pipeline').flatMap((c) => c.keys)).toEqual(['opportunity/beta-web']);
    s = keys(s, 'enter');
    expect(s.modal).toBeUndefined();
    expect(s.boards.pipeline.text).toBe('bet');
    s = keys(s, '/', 'x', 'esc');
    expect(s.boards.pipeline.text).toBe('bet');
  });

  it('x on an opportunity asks the reason in a form; enter with no reason is refused', () => {
    let s = keys(start(), 'x');
    expect(s.modal?.kind).toBe('form');
    s = keys(s, 'enter');
    expect(s.pending).toBeUndefined();
    expect(s.modal?.kind === 'form' && s.modal.form.error).toBe('reason is required');
    s = keys(s, 'p', 'r', 'i', 'c', 'e', 'enter');
    expect(s.modal).toBeUndefined();
    expect(s.pending?.effect).toEqual({ kind: 'lose', key: 'opportunity/beta-web', reason: 'price' });
  });

  it('a failed action shows the message and clears the pending action', () => {
    let s = keys(start(), 'w');
    const id = s.pending!.id;
    s = reduce(s, { type: 'failed', id, message: 'opportunities/beta-web.md changed on disk' });
    expect(s.pending).toBeUndefined();
    expect(s.status).toEqual({ text: 'opportunities/beta-web.md changed on disk', tone: 'error' });
    expect(s.undo).toEqual([]);
  });

  it('w on a lead is refused with a message', () => {
    const s = keys(start(), '2', 'w');
    // w is not bound on the leads board
    expect(s.pending).toBeUndefined();
    const t = keys(start(), '2', 'x');
    expect(t.modal?.kind === 'form' && t.modal.form.purpose).toBe('disqualify');
  });

  it('leads: c converts; > past qualified says to convert', () => {
    let s = keys(start(), '2');
    expect(selectedKey(s)).toBe('lead/luca');
    s = keys(s, 'l', 'l');
    expect(selectedKey(s)).toBe('lead/anna');
    s = keys(s, '>');
    expect(s.status?.text).toMatch(/press c to convert/);
    s = keys(s, 'c');
    expect(s.pending?.effect).toEqual({ kind: 'convert', key: 'lead/anna' });
  });

  it('cases: > into resolved asks the resolve action', () => {
    let s = keys(start(), '3');
    expect(selectedKey(s)).toBe('case/vat');
    s = keys(s, '>');
    expect(s.pending?.effect).toEqual({ kind: 'move', key: 'case/vat', to: 'pending' });
  });
});

describe('reducer: tabs, record view, lists', () => {
  it('switches tabs with numbers and [ ], and q quits', () => {
    let s = keys(start(), '3');
    expect(s.tab).toBe('cases');
    s = keys(s, ']', ']');
    expect(s.tab).toBe('dashboard');
    s = keys(s, ']');
    expect(s.tab).toBe('pipeline');
    s = keys(s, '[');
    expect(s.tab).toBe('dashboard');
    expect(keys(s, 'q').quit).toBe(true);
  });

  it('? opens the help and any key closes it', () => {
    let s = keys(start(), '?');
    expect(s.modal).toEqual({ kind: 'help' });
    s = keys(s, 'j');
    expect(s.modal).toBeUndefined();
    expect(selectedKey(s)).toBe('opportunity/beta-web');
  });

  it('enter opens the record, enter on a reference opens it, esc goes back', () => {
    let s = keys(start(), 'l', 'enter');
    expect(screenOf(s)).toBe('record');
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
    // first selectable line is the account reference
    s = keys(s, 'enter');
    expect(selectedKey(s)).toBe('account/acme');
    expect(s.stack).toHaveLength(2);
    s = keys(s, 'esc');
    expect(selectedKey(s)).toBe('opportunity/acme-erp');
    s = keys(s, 'j', 'enter');
    // the second selectable line is the timeline's call
    expect(selectedKey(s)).toBe('interaction/call-1');
    s = keys(s, 'esc', 'esc');
    expect(screenOf(s)).toBe('pipeline');
  });

  it('i opens the interaction form on the selected record; typing fills the focused field', () => {
    let s = keys(start(), 'i');
    expect(s.modal?.kind).toBe('form');
    s = keys(s, 'H', 'i', 'enter');
    expect(s.pending?.effect).toMatchObject({ kind: 'interaction', key: 'opportunity/beta-web', values: { kind: 'call', subject: 'Hi' } });
  });

  it('form option fields cycle with left/right and esc cancels', () => {
    let s = keys(start(), 'i', 'up', 'up', 'right');
    expect(s.modal?.kind === 'form' && s.modal.form.fields[0]!.value).toBe('email');
    s = keys(s, 'esc');
    expect(s.modal).toBeUndefined();
    expect(s.pending).toBeUndefined();
    expect(s.status?.text).toMatch(/nothing changed/);
  });

  it('lists: h/l change type, / filters fuzzily as you type, s sorts', () => {
    let s = keys(start(), '4');
    expect(s.list.type).toBe('account');
    expect(listRows(s)).toEqual(['account/acme', 'account/beta']);
    s = keys(s, 'l', 'l', 'l');
    expect(s.list.type).toBe('opportunity');
    s = keys(s, '/', 'w', 'e', 'b');
    expect(listRows(s)[0]).toBe('opportunity/beta-web');
    s = keys(s, 'enter', 'esc');
    expect(s.list.query).toBe('');
    s = keys(s, 's', 's', 's', 's');
    expect(listRows(s)[0]).toBe('opportunity/acme-erp'); // amount, descending
  });

  it('u with nothing done says so; with a change asks to revert it', () => {
    let s = keys(start(), 'u');
    expect(s.status?.tone).toBe('error');
    const entry = { label: 'move acme-erp', commit: 'abc1234', changes: [] };
    s = { ...s, undo: [entry] };
    s = keys(s, 'u');
    expect(s.pending?.effect).toEqual({ kind: 'undo', entry });
    const e: Event = { type: 'done', id: s.pending!.id, status: { text: 'undone', tone: 'ok' }, popUndo: true };
    s = reduce(s, e);
    expect(s.undo).toEqual([]);
  });

  it('an opened record deleted outside is closed with a message on reload', () => {
    let s = keys(start(), 'enter');
    expect(screenOf(s)).toBe('record');
    s = reduce(s, { type: 'loaded', data: buildData(records().filter((r) => r.id !== 'beta-web'), { config, now: NOW }) });
    expect(screenOf(s)).toBe('pipeline');
    expect(s.status?.text).toMatch(/no longer exists/);
  });
});
