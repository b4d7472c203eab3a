import { describe, expect, it } from 'vitest';
import type { CrmRecord } from './record.js';
import { searchRecords, segmentOf } from './search.js';
import { headOf } from './search-text.js';

function rec(type: CrmRecord['type'], id: string, data: Record<string, unknown>, body = ''): CrmRecord {
  return { type, id, path: `${type}s/${id}.md`, data, body, raw: '' };
}

const records: CrmRecord[] = [
  rec('contact', 'mario-rossi', { name: 'Mario Rossi', email: 'mario@rossi.example', tags: ['vip'] }, 'Met at the fair.'),
  rec('account', 'acme-srl', { name: 'Acme Srl', website: 'acme.example' }, 'Sent the fattura for March.'),
  rec('lead', 'giulia-verdi', { name: 'Giulia Verdi', company: 'Verdi Trasporti' }, 'Wants a demo of the invoicing module.'),
];

const ids = (q: string) => searchRecords(records, q, 20, [segmentOf(records)]).map((h) => h.record.id);

describe('search', () => {
  it('finds exact words in fields and notes, fields first', () => {
    expect(ids('rossi')[0]).toBe('mario-rossi');
    expect(ids('fattura')).toEqual(['acme-srl']);
    expect(ids('verdi trasporti')).toEqual(['giulia-verdi']);
  });

  it('tolerates typos in the fields (name, email, company, tags)', () => {
    expect(ids('mrio rossi')[0]).toBe('mario-rossi');
    expect(ids('verdi trasprti')[0]).toBe('giulia-verdi');
  });

  it('matches notes by exact words only', () => {
    expect(ids('invoicing')).toEqual(['giulia-verdi']);
    expect(ids('invoiceing')).not.toContain('giulia-verdi');
  });

  it('with more exact matches than it ranks, keeps those matching in their fields', () => {
    const many: CrmRecord[] = [];
    for (let i = 0; i < 700; i++) many.push(rec('interaction', `note-${String(i).padStart(3, '0')}`, { subject: `Call ${i}` }, 'Talked about the fattura.'));
    for (let i = 0; i < 5; i++) many.push(rec('account', `zz-fattura-${i}`, { name: `Fattura Servizi ${i}` }, 'No notes.'));
    const found = searchRecords(many, 'fattura', 5, [segmentOf(many)]).map((h) => h.record.id);
    expect(found.sort()).toEqual(['zz-fattura-0', 'zz-fattura-1', 'zz-fattura-2', 'zz-fattura-3', 'zz-fattura-4']);
    // Two words: a field match needs the other word anywhere in the record.
    const two = searchRecords(many, 'fattura notes', 5, [segmentOf(many)]).map((h) => h.record.id);
    expect(two.sort()).toEqual(['zz-fattura-0', 'zz-fattura-1', 'zz-fattura-2', 'zz-fattura-3', 'zz-fattura-4']);
  });

  it('cuts the fields part of the text at the eighth line', () => {
    expect(headOf('a\nb\nc\nd\ne\nf\ng\nh\nnotes\nmore')).toBe('a\nb\nc\nd\ne\nf\ng\nh');
    expect(headOf('short')).toBe('short');
  });
});
