import { describe, expect, it } from 'vitest';
import { createRecord } from './change.js';
import {
  accountCandidates,
  contactCandidates,
  findDuplicates,
  isFreeMail,
  normalizeCompanyName,
  normalizeEmail,
  normalizePhone,
  websiteDomain,
} from './duplicates.js';
import type { Data } from './frontmatter.js';
import type { CrmRecord } from './record.js';
import type { RecordType } from './schema.js';

const T = '2026-10-01T09:00:00Z';
function rec(type: RecordType, id: string, data: Data): CrmRecord {
  return createRecord(type, id, { created: T, ...data }, '').record;
}

describe('normalisation', () => {
  it('emails: trimmed and lowercased; non-addresses are undefined', () => {
    expect(normalizeEmail('  Jane.Roe@ACME.Example ')).toBe('jane.roe@acme.example');
    expect(normalizeEmail('mailto:jane@acme.example')).toBe('jane@acme.example');
    expect(normalizeEmail('jane at acme')).toBeUndefined();
    expect(normalizeEmail(42)).toBeUndefined();
  });

  it('phones: digits only, the Italian +39 / 0039 prefix removed, other country codes kept', () => {
    expect(normalizePhone('+39 02 1234 5678')).toBe('0212345678');
    expect(normalizePhone('0039 (02) 12345678')).toBe('0212345678');
    expect(normalizePhone('02-1234.5678')).toBe('0212345678');
    expect(normalizePhone('02/12345678')).toBe('0212345678');
    expect(normalizePhone('+39 333 123 4567')).toBe('3331234567');
    expect(normalizePhone('+44 20 7946 0000')).toBe('+442079460000');
    expect(normalizePhone('+44 20 7946 0000')).not.toBe(normalizePhone('20 7946 0000'));
    expect(normalizePhone('02 1234567 ext. 12')).toBe('021234567');
    expect(normalizePhone('123')).toBeUndefined();
  });

  it('websites: scheme, www, path and port removed', () => {
    expect(websiteDomain('https://www.Acme.example/it/contatti')).toBe('acme.example');
    expect(websiteDomain('acme.example')).toBe('acme.example');
    expect(websiteDomain('http://shop.acme.example:8080')).toBe('shop.acme.example');
    expect(websiteDomain('not a site')).toBeUndefined();
  });

  it('company names: case, accents, punctuation and legal suffixes ignored', () => {
    const acme = normalizeCompanyName('Acme');
    for (const n of ['ACME S.r.l.', 'Acme Srl', 'acme s.p.a.', 'Acme SpA', 'Acme, Inc.', 'Acme Ltd', 'Acme GmbH', 'Acme LLC', 'Acme S.A.', 'Acme AG', 'Acme B.V.', 'Acme Snc', 'Acme S.a.s.', 'Acme S. r. l.']) {
      expect(normalizeCompanyName(n), n).toBe(acme);
    }
    expect(normalizeCompanyName('Rossi & C. S.n.c.')).toBe('rossi');
    expect(normalizeCompanyName('Caffè Nero S.p.A.')).toBe('caffe nero');
    expect(normalizeCompanyName('Acme Tools Srl')).not.toBe(acme);
    // a name that is only a legal form keeps it
    expect(normalizeCompanyName('SpA')).toBe('spa');
  });

  it('free-mail domains, including subdomains of them', () => {
    expect(isFreeMail('gmail.com')).toBe(true);
    expect(isFreeMail('libero.it')).toBe(true);
    expect(isFreeMail('pec.libero.it')).toBe(true);
    expect(isFreeMail('acme.example')).toBe(false);
  });
});

describe('contact candidates', () => {
  const contacts = [
    rec('contact', 'jane-roe', { name: 'Jane Roe', email: 'JANE@acme.example', phone: '+39 02 1234 5678' }),
    rec('contact', 'john-doe', { name: 'John Doe', email: 'john@other.example', phone: '02 12345678' }),
    rec('contact', 'nobody', { name: 'Nobody', email: 'nobody@acme.example' }),
  ];

  it('the same normalised email is a strong candidate', () => {
    const c = contactCandidates({ name: 'J. Roe', email: ' jane@ACME.example' }, contacts);
    expect(c).toEqual([{ id: 'jane-roe', name: 'Jane Roe', reason: 'same email jane@acme.example', strength: 'strong' }]);
  });

  it('the same normalised phone is a weak candidate', () => {
    const c = contactCandidates({ name: 'Someone', phone: '0039 02 1234 5678' }, contacts);
    expect(c.map((x) => [x.id, x.strength])).toEqual([
      ['jane-roe', 'weak'],
      ['john-doe', 'weak'],
    ]);
  });

  it('email and phone on the same contact merge into one strong candidate with both reasons', () => {
    const c = contactCandidates({ name: 'Jane', email: 'jane@acme.example', phone: '02 12345678' }, contacts);
    const jane = c.find((x) => x.id === 'jane-roe')!;
    expect(jane.strength).toBe('strong');
    expect(jane.reason).toContain('same email');
    expect(jane.reason).toContain('same phone');
    expect(c[0]!.id).toBe('jane-roe'); // strong first
  });

  it('no email and no phone: no candidates', () => {
    expect(contactCandidates({ name: 'Jane Roe' }, contacts)).toEqual([]);
  });
});

describe('account candidates', () => {
  const accounts = [
    rec('account', 'acme-srl', { name: 'ACME S.r.l.', website: 'https://www.acme.example' }),
    rec('account', 'beta-spa', { name: 'Beta SpA', email: 'info@beta.example' }),
    rec('account', 'gamma', { name: 'Gamma', email: 'gamma.owner@gmail.com' }),
    rec('account', 'mario-rossi', { name: 'Mario Rossi', kind: 'person', email: 'mario@gmail.com' }),
  ];

  it('the same website domain as the lead email is a strong candidate', () => {
    const c = accountCandidates({ name: 'Jane', company: 'Totally Different', email: 'jane@acme.example' }, accounts);
    expect(c).toEqual([{ id: 'acme-srl', name: 'ACME S.r.l.', reason: 'same domain acme.example (website)', strength: 'strong' }]);
  });

  it('the same account email domain is a candidate too', () => {
    const c = accountCandidates({ name: 'Jane', company: 'X', email: 'sales@beta.example' }, accounts);
    expect(c.map((x) => x.id)).toEqual(['beta-spa']);
  });

  it('free-mail domains are ignored', () => {
    expect(accountCandidates({ name: 'Jane', company: 'Delta', email: 'someone@gmail.com' }, accounts)).toEqual([]);
  });

  it('the same name ignoring case and punctuation is strong; with a different legal form it is weak', () => {
    const exact = accountCandidates({ name: 'Jane', company: 'acme srl' }, accounts);
    expect(exact.map((x) => [x.id, x.strength])).toEqual([['acme-srl', 'strong']]);
    const other = accountCandidates({ name: 'Jane', company: 'Acme S.p.A.' }, accounts);
    expect(other.map((x) => [x.id, x.strength])).toEqual([['acme-srl', 'weak']]);
    const bare = accountCandidates({ name: 'Jane', company: 'Beta' }, accounts);
    expect(bare.map((x) => x.id)).toEqual(['beta-spa']);
    expect(accountCandidates({ name: 'Jane', company: 'Acme Tools' }, accounts)).toEqual([]);
  });

  it('a contact at the account with the lead\'s company domain makes it a candidate', () => {
    const records = [...accounts, rec('contact', 'piero', { name: 'Piero', email: 'piero@delta.example', account: 'gamma' })];
    const c = accountCandidates({ name: 'Jane', company: 'Something', email: 'jane@delta.example' }, records);
    expect(c.map((x) => x.id)).toEqual(['gamma']);
    expect(c[0]!.reason).toContain('piero');
  });

  it('the account of a matching contact is a candidate with the contact match\'s strength', () => {
    const records = [...accounts, rec('contact', 'jane', { name: 'Jane', email: 'jane@gmail.com', account: 'beta-spa' })];
    const d = findDuplicates({ name: 'Jane', company: 'Unrelated', email: 'jane@gmail.com' }, records);
    expect(d.contacts.map((x) => x.id)).toEqual(['jane']);
    expect(d.accounts.map((x) => [x.id, x.strength])).toEqual([['beta-spa', 'strong']]);
  });

  it('a lead without a company matches person accounts by email (strong) or name (weak), not companies by name', () => {
    expect(accountCandidates({ name: 'Mario Rossi', email: 'mario@gmail.com' }, accounts).map((x) => [x.id, x.strength])).toEqual([['mario-rossi', 'strong']]);
    expect(accountCandidates({ name: 'mario  rossi' }, accounts).map((x) => [x.id, x.strength])).toEqual([['mario-rossi', 'weak']]);
    expect(accountCandidates({ name: 'Gamma' }, accounts)).toEqual([]);
  });
});
