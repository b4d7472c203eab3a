import { describe, expect, it } from 'vitest';
import { keyLines, parseRecord, splitFile, FrontMatterError } from './frontmatter.js';
import { serializeRecord, updateRecord } from './frontmatter-write.js';

const lead = `---
name: Jane Roe
company: Acme Srl
email: jane@acme.example
source: web
status: contacted
owner: giulia
tags: [eu, hot]
created: 2026-10-01T09:00:00Z
history:
  - {at: 2026-10-01T09:00:00Z, to: new}
  - {at: 2026-10-03T14:10:00Z, from: new, to: contacted, by: giulia}
---

Met at the fair. Wants a demo.
`;

describe('front matter', () => {
  it('parses keys as plain values, timestamps as strings', () => {
    const { data, body } = parseRecord(lead);
    expect(data.name).toBe('Jane Roe');
    expect(data.created).toBe('2026-10-01T09:00:00Z');
    expect(data.tags).toEqual(['eu', 'hot']);
    expect((data.history as unknown[])[1]).toEqual({
      at: '2026-10-03T14:10:00Z',
      from: 'new',
      to: 'contacted',
      by: 'giulia',
    });
    expect(body).toBe('\nMet at the fair. Wants a demo.\n');
  });

  it('serialises a new record canonically and byte-identically to the hand-written form', () => {
    const { data, body } = parseRecord(lead);
    // Keys given in a scrambled order come out in canonical order.
    const scrambled = Object.fromEntries(Object.entries(data).reverse());
    expect(serializeRecord('lead', scrambled, body)).toBe(lead);
  });

  it('leaves a file untouched when nothing changed', () => {
    const odd = lead.replace('name: Jane Roe', "name: 'Jane Roe'  # quoted");
    const { data } = parseRecord(odd);
    expect(updateRecord('lead', odd, { ...data })).toBe(odd);
  });

  it('changes one key as a one-line diff, keeping comments and custom keys', () => {
    const custom = lead.replace('owner: giulia', 'owner: giulia # account manager\nfavourite_colour: blue');
    const { data } = parseRecord(custom);
    const out = updateRecord('lead', custom, { ...data, email: 'jane@roe.example' });
    const before = custom.split('\n');
    const after = out.split('\n');
    expect(after.length).toBe(before.length);
    const diff = after.filter((l, i) => l !== before[i]);
    expect(diff).toEqual(['email: jane@roe.example']);
  });

  it('appends history entries in flow style and inserts new keys in canonical place', () => {
    const { data } = parseRecord(lead);
    const history = [...(data.history as unknown[]), { at: '2026-10-09T11:00:00Z', from: 'contacted', to: 'qualified', by: 'giulia', note: 'budget confirmed' }];
    const out = updateRecord('lead', lead, { ...data, status: 'qualified', score: 80, history });
    expect(out).toContain('status: qualified\nscore: 80\nowner: giulia');
    expect(out).toContain(
      '  - {at: 2026-10-03T14:10:00Z, from: new, to: contacted, by: giulia}\n  - {at: 2026-10-09T11:00:00Z, from: contacted, to: qualified, by: giulia, note: budget confirmed}\n---\n',
    );
    expect(parseRecord(out).data.score).toBe(80);
  });

  it('removes a key that is set to null', () => {
    const { data } = parseRecord(lead);
    const out = updateRecord('lead', lead, { ...data, tags: null });
    expect(out).not.toContain('tags:');
    expect(out.split('\n').length).toBe(lead.split('\n').length - 1);
  });

  it('keeps CRLF line endings and the body byte for byte', () => {
    const crlf = lead.replace(/\n/g, '\r\n');
    const { data } = parseRecord(crlf);
    const out = updateRecord('lead', crlf, { ...data, score: 5 });
    expect(out).not.toMatch(/[^\r]\n/);
    expect(out.endsWith('\r\nMet at the fair. Wants a demo.\r\n')).toBe(true);
  });

  it('reports the file line of broken YAML', () => {
    const broken = lead.replace('source: web', 'source: [web');
    try {
      parseRecord(broken);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FrontMatterError);
      expect((e as FrontMatterError).line).toBeGreaterThanOrEqual(5);
      expect((e as FrontMatterError).line).toBeLessThanOrEqual(7);
    }
  });

  it('refuses files without front matter or with an unclosed one', () => {
    expect(() => splitFile('hello\n')).toThrow(/does not start/);
    expect(() => splitFile('---\nname: x\n')).toThrow(/not closed/);
  });

  it('finds key lines without parsing', () => {
    const lines = keyLines(lead);
    expect(lines.get('name')).toBe(2);
    expect(lines.get('history')).toBe(10);
  });
});

describe('editing hand-written files', () => {
  const hand = `---
# Written by hand
name:   Acme   Srl   # legal name
kind: company
status: prospect
industry:    "manufacturing"
address:
    street: Via Roma 1
    city: Milano
tags: [ a,  b ]
notes_for_me: >
  folded text that
  spans two lines
created: 2026-01-05T10:00:00Z
history:
- {at: 2026-01-05T10:00:00Z, to: prospect}
---
Body.
`;

  it('changes only the lines of the changed keys', () => {
    const { data } = parseRecord(hand);
    const out = updateRecord('account', hand, { ...data, industry: 'retail', phone: '+39 02 1234' });
    const before = hand.split('\n');
    const after = out.split('\n');
    const removed = before.filter((l) => !after.includes(l));
    const added = after.filter((l) => !before.includes(l));
    expect(removed).toEqual(['industry:    "manufacturing"']);
    expect(added).toEqual(['industry: retail', 'phone: +39 02 1234']);
    expect(out).toContain('name:   Acme   Srl   # legal name\n');
    expect(out).toContain('    street: Via Roma 1\n');
    expect(out).toContain('notes_for_me: >\n  folded text that\n  spans two lines\n');
    expect(parseRecord(out).data.phone).toBe('+39 02 1234');
  });

  it('appends history with the indentation already used, and keeps a trailing comment', () => {
    const { data } = parseRecord(hand);
    const history = [...(data.history as unknown[]), { at: '2026-02-01T09:00:00Z', from: 'prospect', to: 'customer', by: 'giulia' }];
    const out = updateRecord('account', hand, { ...data, status: 'customer', history, name: 'Acme S.r.l.' });
    expect(out).toContain('- {at: 2026-01-05T10:00:00Z, to: prospect}\n- {at: 2026-02-01T09:00:00Z, from: prospect, to: customer, by: giulia}\n---\n');
    expect(out).toContain('name: Acme S.r.l. # legal name\n');
    expect(out).toContain('status: customer\n');
    expect(parseRecord(out).data.history).toEqual(history);
  });

  it('removes a key with its continuation lines, and inserts a new one before `created`', () => {
    const { data } = parseRecord(hand);
    const { address: _drop, ...rest } = data;
    const out = updateRecord('account', hand, { ...rest, website: 'acme.example' });
    expect(out).not.toContain('street');
    expect(out).toContain('website: acme.example\n');
    expect(out.indexOf('website:')).toBeLessThan(out.indexOf('created:'));
    expect(parseRecord(out).data.address).toBeUndefined();
  });
});
