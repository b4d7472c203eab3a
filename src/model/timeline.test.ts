import { describe, expect, it } from 'vitest';
import type { Data } from './frontmatter.js';
import type { CrmRecord } from './record.js';
import type { RecordType } from './schema.js';
import { buildTimeline, timelineScope } from './timeline.js';

function rec(type: RecordType, id: string, data: Data): CrmRecord {
  return { type, id, path: `${type}/${id}.md`, data, body: '', raw: '' };
}

const records: CrmRecord[] = [
  rec('account', 'acme', {
    name: 'Acme Srl',
    status: 'customer',
    created: '2026-10-05T10:00:00Z',
    history: [
      { at: '2026-10-05T10:00:00Z', to: 'prospect', by: 'giulia' },
      { at: '2026-11-02T09:00:00Z', from: 'prospect', to: 'customer', by: 'giulia', note: 'first deal won' },
    ],
  }),
  rec('contact', 'jane', { name: 'Jane Roe', account: 'acme', created: '2026-10-05T10:00:00Z', owner: 'giulia' }),
  rec('contact', 'stranger', { name: 'Stranger', created: '2026-10-01T10:00:00Z' }),
  rec('lead', 'jane-lead', {
    name: 'Jane Roe',
    status: 'converted',
    created: '2026-10-01T08:00:00Z',
    converted: { at: '2026-10-05T10:00:00Z', account: 'acme', contact: 'jane', opportunity: 'erp' },
    history: [
      { at: '2026-10-01T08:00:00Z', to: 'new' },
      { at: '2026-10-03T08:00:00Z', from: 'new', to: 'qualified', by: 'giulia' },
      { at: '2026-10-05T10:00:00Z', from: 'qualified', to: 'converted', by: 'giulia' },
    ],
  }),
  rec('opportunity', 'erp', {
    name: 'ERP rollout',
    account: 'acme',
    stage: 'won',
    lead: 'jane-lead',
    created: '2026-10-05T10:00:00Z',
    history: [
      { at: '2026-10-05T10:00:00Z', to: 'qualification', by: 'giulia' },
      { at: '2026-11-02T09:00:00Z', from: 'qualification', to: 'won', by: 'giulia' },
    ],
  }),
  rec('case', 'vat', {
    subject: 'Wrong VAT',
    account: 'acme',
    contact: 'jane',
    status: 'open',
    created: '2026-11-10T08:00:00Z',
    history: [
      { at: '2026-11-10T08:00:00Z', to: 'new' },
      { at: '2026-11-10T09:00:00Z', from: 'new', to: 'open', by: 'marco', note: 'first response' },
    ],
  }),
  rec('opportunity', 'other-deal', { name: 'Other', account: 'globex', stage: 'proposal', created: '2026-11-01T08:00:00Z' }),
  // the lead's first call, before conversion
  rec('interaction', '2026-10-02-call-jane-roe', { kind: 'call', at: '2026-10-02T14:00:00Z', direction: 'outbound', lead: 'jane-lead', subject: 'Intro', owner: 'giulia' }),
  // an email with the contact only (no account key): still on the account
  rec('interaction', '2026-11-12-email-jane', { kind: 'email', at: '2026-11-12T10:00:00Z', direction: 'inbound', contacts: ['jane'], subject: 'Thanks', outcome: 'happy' }),
  // the response on the case, same instant as the status change
  rec('interaction', '2026-11-10-email-wrong-vat', { kind: 'email', at: '2026-11-10T09:00:00Z', direction: 'outbound', case: 'vat', contacts: ['jane'] }),
  rec('interaction', '2026-11-15-task-call-back', { kind: 'task', at: '2026-11-15T08:00:00Z', subject: 'Call back', due: '2026-11-25', account: 'acme', done_at: '2026-11-16T08:00:00Z' }),
  rec('interaction', '2026-11-11-call-globex', { kind: 'call', at: '2026-11-11T08:00:00Z', opportunity: 'other-deal' }),
  rec('interaction', '2026-11-11-call-stranger', { kind: 'call', at: '2026-11-11T08:00:00Z', contacts: ['stranger'] }),
];
const byId = (id: string) => records.find((r) => r.id === id)!;

describe('timeline scope', () => {
  it('an account takes its contacts, opportunities, cases and converted leads', () => {
    expect([...timelineScope(byId('acme'), records)].sort()).toEqual(['account/acme', 'case/vat', 'contact/jane', 'lead/jane-lead', 'opportunity/erp']);
  });
  it('a contact takes its cases, opportunities by contacts, and its lead', () => {
    expect([...timelineScope(byId('jane'), records)].sort()).toEqual(['case/vat', 'contact/jane', 'lead/jane-lead']);
  });
  it('an opportunity takes the lead it came from', () => {
    expect([...timelineScope(byId('erp'), records)].sort()).toEqual(['lead/jane-lead', 'opportunity/erp']);
  });
});

describe('buildTimeline', () => {
  it('merges interactions, transitions and conversions of an account, newest first', () => {
    const t = buildTimeline(byId('acme'), records);
    expect(t.map((e) => `${e.at} ${e.kind} ${e.record.type}/${e.record.id}`)).toEqual([
      '2026-11-16T08:00:00Z task-done interaction/2026-11-15-task-call-back',
      '2026-11-15T08:00:00Z task interaction/2026-11-15-task-call-back',
      '2026-11-12T10:00:00Z interaction interaction/2026-11-12-email-jane',
      '2026-11-10T09:00:00Z transition case/vat',
      '2026-11-10T09:00:00Z interaction interaction/2026-11-10-email-wrong-vat',
      '2026-11-10T08:00:00Z created case/vat',
      '2026-11-02T09:00:00Z transition account/acme',
      '2026-11-02T09:00:00Z transition opportunity/erp',
      '2026-10-05T10:00:00Z created account/acme',
      '2026-10-05T10:00:00Z created contact/jane',
      '2026-10-05T10:00:00Z conversion lead/jane-lead',
      '2026-10-05T10:00:00Z created opportunity/erp',
      '2026-10-03T08:00:00Z transition lead/jane-lead',
      '2026-10-02T14:00:00Z interaction interaction/2026-10-02-call-jane-roe',
      '2026-10-01T08:00:00Z created lead/jane-lead',
    ]);
  });

  it('shows the lead conversion once, with its links', () => {
    const t = buildTimeline(byId('jane-lead'), records);
    const conv = t.filter((e) => e.kind === 'conversion');
    expect(conv).toHaveLength(1);
    expect(conv[0]).toMatchObject({ from: 'qualified', to: 'converted', by: 'giulia', converted: { account: 'acme', contact: 'jane', opportunity: 'erp' } });
    expect(conv[0]?.summary).toBe('lead converted → contact Jane Roe, account Acme Srl, opportunity ERP rollout');
    expect(t.some((e) => e.kind === 'transition' && e.to === 'converted')).toBe(false);
  });

  it('describes entries for people', () => {
    const t = buildTimeline(byId('vat'), records);
    expect(t.map((e) => e.summary)).toEqual(['new → open — first response', 'email out with Jane Roe', 'case created (new)']);
    const email = buildTimeline(byId('jane'), records).find((e) => e.record.id === '2026-11-12-email-jane');
    expect(email).toMatchObject({ direction: 'inbound', outcome: 'happy', summary: 'email in with Jane Roe: Thanks — happy' });
  });

  it('leaves out what is not linked', () => {
    const ids = buildTimeline(byId('acme'), records).map((e) => e.record.id);
    expect(ids).not.toContain('2026-11-11-call-globex');
    expect(ids).not.toContain('2026-11-11-call-stranger');
    expect(ids).not.toContain('other-deal');
  });
});
