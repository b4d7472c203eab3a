import { describe, expect, it } from 'vitest';
import { CrmError, ExitCode } from '../errors.js';
import { createRecord } from './change.js';
import { resolveConfig } from './config.js';
import { parseRecord, type Data } from './frontmatter.js';
import { contextOf } from './deals.js';
import { planConversion, planLeadReopen, planLeadTransition, type ConversionInput, type ConversionOptions } from './leads.js';
import type { CrmRecord } from './record.js';
import type { RecordType } from './schema.js';

const T = '2026-10-01T09:00:00Z';
const NOW = new Date('2026-11-20T10:00:00Z');
const config = resolveConfig({ users: [{ handle: 'giulia' }] });
const actor = { now: NOW, by: 'giulia' };

function rec(type: RecordType, id: string, data: Data): CrmRecord {
  return createRecord(type, id, { created: T, ...data }, '').record;
}

function lead(data: Data = {}, id = 'jane-roe'): CrmRecord {
  return rec('lead', id, { name: 'Jane Roe', company: 'Acme Srl', email: 'jane@acme.example', phone: '+39 02 1234 5678', title: 'CFO', source: 'web', status: 'qualified', owner: 'giulia', ...data });
}

function convert(l: CrmRecord, records: CrmRecord[], options: ConversionOptions = {}) {
  const all = records.includes(l) ? records : [l, ...records];
  const input: ConversionInput = { lead: l, records: all, config, actor, options, idTaken: (type, id) => all.some((r) => r.type === type && r.id === id) };
  return planConversion(input);
}

function after(changes: { path: string; after: string | null }[], path: string): Data {
  const c = changes.find((x) => x.path === path);
  if (!c?.after) throw new Error(`no change of ${path}: ${changes.map((x) => x.path).join(', ')}`);
  return parseRecord(c.after).data;
}

function usage(fn: () => unknown): CrmError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CrmError);
    expect((e as CrmError).exitCode).toBe(ExitCode.usage);
    return e as CrmError;
  }
  throw new Error('expected a usage error');
}

describe('planConversion', () => {
  it('creates account, contact and opportunity, and marks the lead converted', () => {
    const l = lead({ campaign: 'spring', tags: ['fair'] });
    const campaign = rec('campaign', 'spring', { name: 'Spring', status: 'active' });
    const r = convert(l, [l, campaign], { amount: 12000, close: '2026-12-31' });
    expect(r.kind).toBe('plan');
    if (r.kind !== 'plan') return;
    expect(r.changes.map((c) => [c.path, c.before === null])).toEqual([
      ['accounts/acme-srl.md', true],
      ['contacts/jane-roe.md', true],
      ['opportunities/acme-srl-new-deal.md', true],
      ['leads/jane-roe.md', false],
    ]);
    expect(r.message).toBe('crm: convert lead jane-roe → contact jane-roe, account acme-srl, opportunity acme-srl-new-deal');
    expect(after(r.changes, 'accounts/acme-srl.md')).toEqual({
      name: 'Acme Srl',
      status: 'prospect',
      owner: 'giulia',
      created: '2026-11-20T10:00:00Z',
      history: [{ at: '2026-11-20T10:00:00Z', to: 'prospect', by: 'giulia', note: 'from lead jane-roe' }],
    });
    expect(after(r.changes, 'contacts/jane-roe.md')).toMatchObject({ name: 'Jane Roe', email: 'jane@acme.example', phone: '+39 02 1234 5678', title: 'CFO', account: 'acme-srl', tags: ['fair'] });
    const opp = after(r.changes, 'opportunities/acme-srl-new-deal.md');
    expect(opp).toMatchObject({
      name: 'Acme Srl: new deal',
      account: 'acme-srl',
      contacts: ['jane-roe'],
      amount: 12000,
      stage: 'prospecting',
      expected_close: '2026-12-31',
      lead: 'jane-roe',
      source: 'web',
      campaign: 'spring',
      owner: 'giulia',
    });
    expect(opp.history).toEqual([{ at: '2026-11-20T10:00:00Z', to: 'prospecting', by: 'giulia', note: 'from lead jane-roe' }]);
    const leadAfter = after(r.changes, 'leads/jane-roe.md');
    expect(leadAfter.status).toBe('converted');
    expect(leadAfter.converted).toEqual({ at: '2026-11-20T10:00:00Z', account: 'acme-srl', contact: 'jane-roe', opportunity: 'acme-srl-new-deal' });
    expect((leadAfter.history as Data[]).at(-1)).toMatchObject({ from: 'qualified', to: 'converted', by: 'giulia' });
    // the lead keeps its own data
    expect(leadAfter.email).toBe('jane@acme.example');
    expect(r.summary.created.map((c) => c.type)).toEqual(['account', 'contact', 'opportunity']);
    expect(r.summary.linked).toEqual([]);
  });

  it('honours --stage, --name and rejects a closed or unknown stage before planning', () => {
    const l = lead();
    const r = convert(l, [l], { stage: 'proposal', name: 'Acme ERP' });
    expect(r.kind === 'plan' && after(r.changes, 'opportunities/acme-erp.md').stage).toBe('proposal');
    expect(usage(() => convert(l, [l], { stage: 'won' })).message).toContain('cannot start in the won stage');
    expect(usage(() => convert(l, [l], { stage: 'nope' })).hint).toContain('prospecting');
    usage(() => convert(l, [l], { close: '2026-13-01' }));
    usage(() => convert(l, [l], { amount: -5 }));
  });

  it('with candidates and no choice asks for a decision (only about what is undecided)', () => {
    const l = lead();
    const acme = rec('account', 'acme', { name: 'ACME s.r.l.' });
    const jane = rec('contact', 'jane', { name: 'Jane R.', email: 'JANE@acme.example' });
    const r = convert(l, [l, acme, jane]);
    expect(r).toEqual({
      kind: 'decision',
      lead: 'jane-roe',
      candidates: {
        accounts: [{ id: 'acme', name: 'ACME s.r.l.', reason: 'same name "ACME s.r.l."', strength: 'strong' }],
        contacts: [{ id: 'jane', name: 'Jane R.', reason: 'same email jane@acme.example', strength: 'strong' }],
      },
    });
    const onlyContacts = convert(l, [l, acme, jane], { newAccount: true });
    expect(onlyContacts.kind === 'decision' && onlyContacts.candidates.accounts).toEqual([]);
    expect(convert(l, [l, acme, jane], { newAccount: true, newContact: true }).kind).toBe('plan');
  });

  it('links an existing account: nothing overwritten, the account file untouched when nothing is empty', () => {
    const l = lead();
    const acme = rec('account', 'acme', { name: 'ACME S.p.A.', website: 'acme.example', status: 'customer' });
    const r = convert(l, [l, acme], { account: 'acme' });
    if (r.kind !== 'plan') throw new Error(r.kind);
    expect(r.changes.map((c) => c.path)).not.toContain('accounts/acme.md');
    expect(r.summary.account).toBe('acme');
    expect(r.summary.linked).toEqual([{ type: 'account', id: 'acme', path: 'accounts/acme.md', filled: [] }]);
    expect(r.summary.differences).toEqual([{ type: 'account', id: 'acme', field: 'name', existing: 'ACME S.p.A.', lead: 'Acme Srl' }]);
    expect(after(r.changes, 'contacts/jane-roe.md').account).toBe('acme');
    expect(after(r.changes, 'opportunities/acme-srl-new-deal.md').account).toBe('acme');
  });

  it('links an existing contact: fills empty fields, lists differing values, defaults to its account', () => {
    const l = lead();
    const acme = rec('account', 'acme', { name: 'Acme Srl' });
    const jane = rec('contact', 'jane', { name: 'Jane Roe', email: 'jane@acme.example', phone: '333 000 1111', account: 'acme' });
    const r = convert(l, [l, acme, jane], { contact: 'jane' });
    if (r.kind !== 'plan') throw new Error(r.kind);
    expect(r.summary.account).toBe('acme');
    const janeAfter = after(r.changes, 'contacts/jane.md');
    expect(janeAfter).toMatchObject({ name: 'Jane Roe', email: 'jane@acme.example', phone: '333 000 1111', title: 'CFO', account: 'acme', updated: '2026-11-20T10:00:00Z' });
    expect(r.summary.linked).toEqual([
      { type: 'account', id: 'acme', path: 'accounts/acme.md', filled: [] },
      { type: 'contact', id: 'jane', path: 'contacts/jane.md', filled: ['title'] },
    ]);
    expect(r.summary.differences).toEqual([{ type: 'contact', id: 'jane', field: 'phone', existing: '333 000 1111', lead: '+39 02 1234 5678' }]);
    // the same phone written differently is not a difference
    const jane2 = rec('contact', 'jane', { name: 'Jane Roe', phone: '02 12345678', account: 'acme' });
    const r2 = convert(l, [l, acme, jane2], { contact: 'jane' });
    expect(r2.kind === 'plan' && r2.summary.differences).toEqual([]);
  });

  it('a linked contact at another account keeps its account; the difference is listed', () => {
    const l = lead();
    const other = rec('account', 'other', { name: 'Other Spa' });
    const jane = rec('contact', 'jane', { name: 'Jane Roe', email: 'jane@acme.example', phone: '02 12345678', title: 'CFO', account: 'other' });
    const r = convert(l, [l, other, jane], { contact: 'jane', newAccount: true });
    if (r.kind !== 'plan') throw new Error(r.kind);
    expect(r.summary.account).toBe('acme-srl');
    expect(r.changes.map((c) => c.path)).not.toContain('contacts/jane.md');
    expect(r.summary.differences).toEqual([{ type: 'contact', id: 'jane', field: 'account', existing: 'other', lead: 'acme-srl' }]);
  });

  it('a lead without a company gets a person account named after it (B2C)', () => {
    const l = lead({ company: undefined, email: 'mario@gmail.com', name: 'Mario Rossi', title: undefined }, 'mario-rossi');
    const r = convert(l, [l]);
    if (r.kind !== 'plan') throw new Error(r.kind);
    expect(after(r.changes, 'accounts/mario-rossi.md')).toMatchObject({ name: 'Mario Rossi', kind: 'person', email: 'mario@gmail.com', phone: '+39 02 1234 5678', status: 'prospect' });
    expect(after(r.changes, 'opportunities/mario-rossi-new-deal.md').name).toBe('Mario Rossi: new deal');
  });

  it('--no-opportunity converts without a deal', () => {
    const l = lead();
    const r = convert(l, [l], { opportunity: false });
    if (r.kind !== 'plan') throw new Error(r.kind);
    expect(r.changes.map((c) => c.path)).toEqual(['accounts/acme-srl.md', 'contacts/jane-roe.md', 'leads/jane-roe.md']);
    expect(r.summary.opportunity).toBeNull();
    expect(after(r.changes, 'leads/jane-roe.md').converted).toEqual({ at: '2026-11-20T10:00:00Z', account: 'acme-srl', contact: 'jane-roe' });
    expect(r.message).toBe('crm: convert lead jane-roe → contact jane-roe, account acme-srl, no opportunity');
    usage(() => convert(l, [l], { opportunity: false, amount: 5 }));
  });

  it('a converted lead is not converted again: its links come back and nothing is planned', () => {
    const l = lead({ status: 'converted', converted: { at: T, account: 'acme', contact: 'jane', opportunity: 'deal' } });
    expect(convert(l, [l], { newAccount: true })).toEqual({
      kind: 'converted',
      lead: 'jane-roe',
      links: { at: T, account: 'acme', contact: 'jane', opportunity: 'deal' },
    });
  });

  it('the plan of a conversion applied to its own output is "already converted"', () => {
    const l = lead();
    const r = convert(l, [l]);
    if (r.kind !== 'plan') throw new Error(r.kind);
    const raw = r.changes.find((c) => c.path === l.path)!.after!;
    const again = convert({ ...l, raw, data: parseRecord(raw).data }, []);
    expect(again.kind).toBe('converted');
  });

  it('interactions of the lead gain the contact and the opportunity as references', () => {
    const l = lead();
    const call = rec('interaction', 'call-1', { kind: 'call', at: '2026-11-02T09:00:00Z', lead: 'jane-roe', subject: 'first call' });
    const mail = rec('interaction', 'mail-1', { kind: 'email', at: '2026-11-03T09:00:00Z', lead: 'jane-roe', contacts: ['boss'], opportunity: 'older-deal' });
    const boss = rec('contact', 'boss', { name: 'The Boss' });
    const older = rec('opportunity', 'older-deal', { name: 'Older', stage: 'proposal' });
    const unrelated = rec('interaction', 'other', { kind: 'note', at: '2026-11-03T09:00:00Z', lead: 'someone-else' });
    const r = convert(l, [l, call, mail, boss, older, unrelated]);
    if (r.kind !== 'plan') throw new Error(r.kind);
    expect(r.summary.interactions.map((x) => x.id)).toEqual(['call-1', 'mail-1']);
    expect(after(r.changes, call.path)).toMatchObject({ lead: 'jane-roe', contacts: ['jane-roe'], opportunity: 'acme-srl-new-deal', subject: 'first call' });
    const mailAfter = after(r.changes, mail.path);
    expect(mailAfter.contacts).toEqual(['boss', 'jane-roe']);
    expect(mailAfter.opportunity).toBe('older-deal');
    expect(r.changes.map((c) => c.path)).not.toContain(unrelated.path);
  });

  it('refuses a disqualified lead without --reopen, and converts it with --reopen (clearing the reason)', () => {
    const l = lead({ status: 'disqualified', disqualified_reason: 'no budget' });
    usage(() => convert(l, [l]));
    const r = convert(l, [l], { reopen: true });
    expect(r.kind === 'plan' && after(r.changes, l.path).disqualified_reason).toBeUndefined();
  });

  it('new ids avoid taken ones and every planned record is valid', () => {
    const l = lead();
    const taken = rec('account', 'acme-srl', { name: 'Acme Products' }); // same slug, different company
    const r = convert(l, [l, taken]);
    if (r.kind !== 'plan') throw new Error(r.kind);
    expect(r.summary.account).toBe('acme-srl-2');
  });
});

describe('lead transitions', () => {
  const ctx = (records: CrmRecord[] = []) => contextOf(records, config, actor);

  it('appends a history entry with by and note; disqualify sets disqualified_reason', () => {
    const l = lead({ status: 'new' });
    const r = planLeadTransition(l, { to: 'disqualified', reason: 'no budget' }, ctx([l]));
    if (r.kind !== 'planned') throw new Error(r.kind);
    const d = parseRecord(r.plan.lead.change.after!).data;
    expect(d.status).toBe('disqualified');
    expect(d.disqualified_reason).toBe('no budget');
    expect(d.history).toEqual([
      { at: T, to: 'new' },
      { at: '2026-11-20T10:00:00Z', from: 'new', to: 'disqualified', by: 'giulia', note: 'no budget' },
    ]);
  });

  it('the same status again changes nothing', () => {
    const l = lead({ status: 'contacted' });
    const r = planLeadTransition(l, { to: 'contacted' }, ctx([l]));
    expect(r).toEqual({ kind: 'unchanged', message: 'lead jane-roe is already contacted; nothing changed' });
  });

  it('leaving disqualified or converted needs reopen; reopening clears the reason', () => {
    const d = lead({ status: 'disqualified', disqualified_reason: 'x' });
    usage(() => planLeadTransition(d, { to: 'qualified' }, ctx([d])));
    const r = planLeadTransition(d, { to: 'qualified', reopen: true }, ctx([d]));
    expect(r.kind === 'planned' && parseRecord(r.plan.lead.change.after!).data.disqualified_reason).toBeUndefined();
    const c = lead({ status: 'converted' });
    expect(usage(() => planLeadTransition(c, { to: 'qualified' }, ctx([c]))).hint).toContain('--reopen');
  });

  it('unknown or conversion-only statuses are refused', () => {
    const l = lead({ status: 'new' });
    usage(() => planLeadTransition(l, { to: 'hot' }, ctx([l])));
    expect(usage(() => planLeadTransition(l, { to: 'converted' }, ctx([l]))).hint).toContain('crm lead convert');
  });

  it('a status missing from crm.yaml\'s list is refused', () => {
    const custom = resolveConfig({ leads: { status: ['new', 'qualified', 'disqualified', 'converted'] } });
    const l = lead({ status: 'new' });
    usage(() => planLeadTransition(l, { to: 'contacted' }, contextOf([l], custom, actor)));
  });

  it('reopen goes back to the status before disqualification', () => {
    const l = lead({
      status: 'disqualified',
      history: [
        { at: T, to: 'new' },
        { at: '2026-10-02T09:00:00Z', from: 'new', to: 'contacted' },
        { at: '2026-10-03T09:00:00Z', from: 'contacted', to: 'disqualified' },
      ],
    });
    const r = planLeadReopen(l, undefined, ctx([l]));
    expect(r.kind === 'planned' && r.plan.to).toBe('contacted');
    expect(planLeadReopen(lead({ status: 'new' }), undefined, ctx()).kind).toBe('unchanged');
  });
});
