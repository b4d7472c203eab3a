/** Finding a record by what a user typed: ids, TYPE/ID, ambiguity, typos, unreadable files. */
import { describe, expect, it } from 'vitest';
import { CrmError, NotFoundError, UsageError } from '../errors.js';
import { closest, editDistance, findRecord, parseRef } from './lookup.js';
import type { CrmRecord } from './record.js';
import type { Issue } from './issues.js';

function rec(type: CrmRecord['type'], id: string, name: string): CrmRecord {
  const key = type === 'case' ? 'subject' : 'name';
  return { type, id, path: `${type}s/${id}.md`, data: { [key]: name }, body: '', raw: '' };
}

const RECORDS = [
  rec('account', 'acme-srl', 'Acme Srl'),
  rec('lead', 'jane-roe', 'Jane Roe'),
  rec('contact', 'jane-roe', 'Jane Roe'),
  rec('opportunity', 'acme-erp', 'Acme: ERP rollout'),
  rec('case', 'wrong-vat', 'Invoice shows wrong VAT'),
];

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('editDistance and closest', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('acme', 'acme')).toBe(0);
    expect(editDistance('acme', 'acne')).toBe(1);
    expect(editDistance('acme', 'acmee')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests near ids and titles, best first, nothing for unrelated text', () => {
    expect(closest(RECORDS, 'acme-sr').map((r) => r.id)).toEqual(['acme-srl', 'acme-erp']);
    expect(closest(RECORDS, 'jane').map((r) => `${r.type}/${r.id}`).sort()).toEqual(['contact/jane-roe', 'lead/jane-roe']);
    expect(closest(RECORDS, 'zzzzzzzz')).toEqual([]);
  });
});

describe('parseRef', () => {
  it('ID or TYPE/ID with any type word', () => {
    expect(parseRef('jane-roe')).toEqual({ id: 'jane-roe' });
    expect(parseRef('lead/jane-roe')).toEqual({ type: 'lead', id: 'jane-roe' });
    expect(parseRef('leads/jane-roe')).toEqual({ type: 'lead', id: 'jane-roe' });
    expect(parseRef('opp/acme-erp')).toEqual({ type: 'opportunity', id: 'acme-erp' });
    expect(thrown(() => parseRef('widget/x'))).toBeInstanceOf(UsageError);
  });
});

describe('findRecord', () => {
  it('finds by id, and by TYPE/ID when ids are shared', () => {
    expect(findRecord(RECORDS, 'acme-srl').type).toBe('account');
    expect(findRecord(RECORDS, ' acme-erp ').type).toBe('opportunity');
    expect(findRecord(RECORDS, 'contact/jane-roe').type).toBe('contact');
    expect(findRecord(RECORDS, 'jane-roe', ['lead']).type).toBe('lead');
  });

  it('an id shared by several types is ambiguous: a usage error naming each TYPE/ID', () => {
    const e = thrown(() => findRecord(RECORDS, 'jane-roe')) as CrmError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('"jane-roe" is the id of 2 records: lead/jane-roe, contact/jane-roe');
    expect(e.hint).toMatch(/TYPE\/ID/);
  });

  it('not found: exit 2 with did-you-mean, or where to look', () => {
    const typo = thrown(() => findRecord(RECORDS, 'acme-slr')) as CrmError;
    expect(typo).toBeInstanceOf(NotFoundError);
    expect(typo.exitCode).toBe(2);
    expect(typo.message).toBe('no record with id "acme-slr"');
    expect(typo.hint).toBe('Did you mean account/acme-srl (Acme Srl)?');
    const typed = thrown(() => findRecord(RECORDS, 'lead/nobody-at-all')) as CrmError;
    expect(typed.message).toBe('no lead with id "nobody-at-all"');
    expect(typed.hint).toMatch(/crm list leads/);
  });

  it('a type that is not allowed here is a usage error', () => {
    const e = thrown(() => findRecord(RECORDS, 'account/acme-srl', ['lead'])) as CrmError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe("account/acme-srl is an account, but a lead is needed here");
    expect(() => findRecord(RECORDS, 'acme-srl', ['lead'])).toThrow(NotFoundError);
  });

  it('an id whose file cannot be read says what is wrong with that file', () => {
    const skipped: Issue[] = [
      { path: 'leads/broken.md', line: 4, code: 'yaml', message: 'broken YAML: bad indentation', severity: 'error' },
      { path: 'leads/sub/nested.md', line: 1, code: 'outside-layout', message: 'leads/ records must be directly in leads/', severity: 'error' },
      { path: 'accounts/Acme.md', line: 1, code: 'bad-id', message: 'bad id "Acme"', severity: 'error' },
    ];
    const e = thrown(() => findRecord(RECORDS, 'broken', undefined, skipped)) as CrmError;
    expect(e).toBeInstanceOf(CrmError);
    expect(e).not.toBeInstanceOf(NotFoundError);
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('leads/broken.md:4 cannot be read as a record: broken YAML: bad indentation');
    expect(e.where).toBe('leads/broken.md:4');
    expect(thrown(() => findRecord(RECORDS, 'nested', undefined, skipped)).message).toMatch(/^leads\/sub\/nested.md:1 cannot be read/);
    expect(thrown(() => findRecord(RECORDS, 'account/Acme', undefined, skipped)).message).toMatch(/^accounts\/Acme.md:1 cannot be read/);
    // another type, or a readable record with that id, is not affected
    expect(thrown(() => findRecord(RECORDS, 'contact/broken', undefined, skipped))).toBeInstanceOf(NotFoundError);
    expect(thrown(() => findRecord(RECORDS, 'broken', ['account'], skipped))).toBeInstanceOf(NotFoundError);
    expect(findRecord(RECORDS, 'acme-srl', undefined, [{ ...skipped[0]!, path: 'accounts/acme-srl.md' }]).id).toBe('acme-srl');
  });
});
