/** Planning changes: field assignment, lifecycle history, new and updated records, validity gate. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { resolveConfig } from './config.js';
import { assertValid, assign, completeLifecycle, createRecord, existsIn, setPath, timestamp, transition, updateExisting, withLifecycle } from './change.js';
import { parseRecord } from './frontmatter.js';
import type { CrmRecord } from './record.js';

const now = new Date('2026-11-20T10:00:00.123Z');
const actor = { now, by: 'giulia' };
const config = resolveConfig({ users: [{ handle: 'giulia' }] });

function record(type: CrmRecord['type'], id: string, raw: string): CrmRecord {
  const { data, body } = parseRecord(raw);
  const folder = { lead: 'leads', account: 'accounts', opportunity: 'opportunities', contact: 'contacts', case: 'cases', campaign: 'campaigns', interaction: 'interactions' }[type];
  return { type, id, path: `${folder}/${id}.md`, data, body, raw };
}

const LEAD = `---
name: Jane Roe
company: Acme Srl
status: new
created: 2026-11-01T09:00:00Z
---
Notes stay.
`;

describe('timestamp and setPath', () => {
  it('timestamps drop milliseconds', () => {
    expect(timestamp(now)).toBe('2026-11-20T10:00:00Z');
  });

  it('sets, replaces and removes plain and dotted keys without touching the input', () => {
    const data = { name: 'A', address: { city: 'Milano', country: 'IT' } };
    expect(setPath(data, 'name', 'B')).toEqual({ name: 'B', address: { city: 'Milano', country: 'IT' } });
    expect(setPath(data, 'address.city', 'Torino')).toEqual({ name: 'A', address: { city: 'Torino', country: 'IT' } });
    expect(setPath(data, 'address.city', null)).toEqual({ name: 'A', address: { country: 'IT' } });
    expect(setPath(setPath(data, 'address.city', null), 'address.country', '')).toEqual({ name: 'A' });
    expect(setPath({ name: 'A' }, 'consent.marketing', true)).toEqual({ name: 'A', consent: { marketing: true } });
    expect(setPath(data, 'name', undefined)).toEqual({ address: { city: 'Milano', country: 'IT' } });
    expect(data).toEqual({ name: 'A', address: { city: 'Milano', country: 'IT' } });
  });
});

describe('lifecycle history', () => {
  it('transition: from, to, by and note when given', () => {
    expect(transition('new', 'contacted', actor, 'called')).toEqual({ at: '2026-11-20T10:00:00Z', from: 'new', to: 'contacted', by: 'giulia', note: 'called' });
    expect(transition(undefined, 'new', { now })).toEqual({ at: '2026-11-20T10:00:00Z', to: 'new' });
  });

  it('withLifecycle makes the implied first entry explicit, then appends', () => {
    const data = parseRecord(LEAD).data;
    const next = withLifecycle('lead', data, 'contacted', actor);
    expect(next.status).toBe('contacted');
    expect(next.history).toEqual([
      { at: '2026-11-01T09:00:00Z', to: 'new' },
      { at: '2026-11-20T10:00:00Z', from: 'new', to: 'contacted', by: 'giulia' },
    ]);
    expect(withLifecycle('contact', { name: 'X' }, 'whatever', actor)).toEqual({ name: 'X' });
  });

  it('assign: status changes go through history, other keys are set, updated is stamped', () => {
    const data = parseRecord(LEAD).data;
    const next = assign('lead', data, [{ key: 'status', value: 'qualified' }, { key: 'score', value: 80 }, { key: 'company', value: null }], actor);
    expect(next).toMatchObject({ status: 'qualified', score: 80, updated: '2026-11-20T10:00:00Z' });
    expect(next.company).toBeUndefined();
    expect((next.history as { to: string }[]).map((h) => h.to)).toEqual(['new', 'qualified']);
  });

  it('assign: the same status again adds no entry; history cannot be assigned', () => {
    const data = parseRecord(LEAD).data;
    const next = assign('lead', data, [{ key: 'status', value: 'new' }, { key: 'history', value: [] }], actor);
    expect(next.history).toBeUndefined();
    expect(next.status).toBe('new');
  });

  it('assign: an opportunity stage moves the same way', () => {
    const next = assign('opportunity', { name: 'Deal', stage: 'prospecting', created: '2026-10-01T00:00:00Z' }, [{ key: 'stage', value: 'won' }], actor);
    expect(next.history).toEqual([
      { at: '2026-10-01T00:00:00Z', to: 'prospecting' },
      { at: '2026-11-20T10:00:00Z', from: 'prospecting', to: 'won', by: 'giulia' },
    ]);
  });

  it('completeLifecycle: a status changed by hand gets its entry; unchanged or consistent edits are left alone', () => {
    const before = { name: 'X', status: 'new', created: '2026-11-01T09:00:00Z', history: [{ at: '2026-11-01T09:00:00Z', to: 'new' }] };
    const changed = completeLifecycle('lead', before, { ...before, status: 'contacted' }, actor);
    expect(changed.history).toEqual([
      { at: '2026-11-01T09:00:00Z', to: 'new' },
      { at: '2026-11-20T10:00:00Z', from: 'new', to: 'contacted', by: 'giulia' },
    ]);
    const same = { ...before, name: 'Y' };
    expect(completeLifecycle('lead', before, same, actor)).toBe(same);
    const consistent = { ...before, status: 'lost', history: [...before.history, { at: '2026-11-05T00:00:00Z', from: 'new', to: 'lost' }] };
    expect(completeLifecycle('lead', before, consistent, actor)).toBe(consistent);
  });

  it('completeLifecycle: without a history in the file, the implied one of the record before is continued', () => {
    const before = { name: 'X', status: 'new', created: '2026-11-01T09:00:00Z' };
    const after = completeLifecycle('lead', before, { ...before, status: 'qualified' }, actor);
    expect((after.history as { from?: string; to: string }[]).map((h) => [h.from, h.to])).toEqual([
      [undefined, 'new'],
      ['new', 'qualified'],
    ]);
    expect(completeLifecycle('lead', before, { ...before, status: 'new' }, actor).history).toBeUndefined();
  });
});

describe('records and changes', () => {
  it('createRecord: canonical file at the type folder (interactions by month), a change from nothing', () => {
    const { record: r, change } = createRecord('lead', 'jane-roe', { status: 'new', name: 'Jane Roe', created: '2026-11-20T10:00:00Z' }, '\nHello\n');
    expect(r.path).toBe('leads/jane-roe.md');
    expect(change).toEqual({ path: 'leads/jane-roe.md', before: null, after: '---\nname: Jane Roe\nstatus: new\ncreated: 2026-11-20T10:00:00Z\n---\n\nHello\n' });
    expect(createRecord('interaction', 'call-1', { kind: 'call', at: '2026-03-05T10:00:00Z' }, '').record.path).toBe('interactions/2026/03/call-1.md');
  });

  it('updateExisting: only the changed keys, the body kept', () => {
    const r = record('lead', 'jane-roe', LEAD);
    const { record: next, change } = updateExisting(r, { ...r.data, company: 'Roe & Co' });
    expect(change.before).toBe(LEAD);
    expect(change.after).toBe(LEAD.replace('company: Acme Srl', 'company: Roe & Co'));
    expect(next.data.company).toBe('Roe & Co');
    expect(next.body).toBe('Notes stay.\n');
    expect(updateExisting(r, r.data).change.after).toBe(LEAD);
  });

  it('existsIn answers for loaded records and records about to be created', () => {
    const a = record('account', 'acme', '---\nname: Acme\ncreated: 2026-01-01T00:00:00Z\n---\n');
    const exists = existsIn([a], [record('contact', 'jane', '---\nname: Jane\ncreated: 2026-01-01T00:00:00Z\n---\n')]);
    expect(exists('account', 'acme')).toBe(true);
    expect(exists('contact', 'jane')).toBe(true);
    expect(exists('contact', 'acme')).toBe(false);
  });

  it('assertValid throws a ValidationError listing every error (exit 2), and passes warnings', () => {
    const bad = createRecord('opportunity', 'x', { name: 'X', stage: 'maybe', expected_close: '2026-02-30', account: 'ghost', created: '2026-11-20T10:00:00Z' }, '').record;
    let error: unknown;
    try {
      assertValid(bad, config, existsIn([]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const v = error as ValidationError;
    expect(v.exitCode).toBe(2);
    expect(v.issues.map((i) => i.code).sort()).toEqual(['bad-date', 'bad-value', 'dangling-reference']);
    expect(v.message).toMatch(/^opportunities\/x.md would not be valid, so nothing was written:/);
    const warnOnly = createRecord('lead', 'y', { name: 'Y', status: 'new', owner: 'stranger', created: '2026-11-20T10:00:00Z' }, '').record;
    expect(assertValid(warnOnly, config, existsIn([])).map((i) => i.severity)).toEqual(['warning']);
  });
});
