import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import type { Issue } from './issues.js';
import type { RecordType } from './schema.js';
import {
  checkBeforeWrite,
  checkRaw,
  checkRecord,
  checkRepository,
  readRecordFile,
  timestampProblem,
  validateFiles,
} from './validate.js';

const config = resolveConfig({ users: [{ handle: 'giulia' }, { handle: 'marco' }] });

const world = new Set([
  'account/acme-corp',
  'contact/jane-doe',
  'lead/jane-roe',
  'opportunity/acme-renewal',
  'case/broken-login',
  'campaign/autumn-fair',
]);
const exists = (type: RecordType, id: string): boolean => world.has(`${type}/${id}`);

/** Read and check one file as `crm validate` would, without repository checks. */
function check(path: string, raw: string): Issue[] {
  const read = readRecordFile(path, raw);
  if (!read.record) return read.issues;
  return [...read.issues, ...checkRecord(read.record, config, exists)];
}

/** The essentials of issues: line, code, severity. */
function found(issues: Issue[]): [number, string, string][] {
  return issues.map((i) => [i.line, i.code, i.severity]);
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const VALID: Record<RecordType, [string, string]> = {
  account: [
    'accounts/acme-corp.md',
    lines(
      '---',
      'name: Acme Corp',
      'kind: company',
      'status: customer',
      'industry: manufacturing',
      'website: https://acme.example',
      'address:',
      '  street: Via Roma 1',
      '  city: Milano',
      '  postcode: "20121"',
      '  country: IT',
      'employees: 250',
      'annual_revenue: {amount: 12000000, currency: EUR}',
      'parent: acme-corp',
      'owner: giulia',
      'tags: [key-account, eu]',
      'favourite_colour: blue',
      'created: 2026-01-10T09:00:00Z',
      'updated: 2026-10-01T10:00:00+02:00',
      'history:',
      '  - {at: 2026-01-10T09:00:00Z, to: prospect}',
      '  - {at: 2026-03-01, from: prospect, to: customer, by: giulia}',
      '---',
      '',
      'Key account since March.',
    ),
  ],
  contact: [
    'contacts/jane-doe.md',
    lines(
      '---',
      'name: Jane Doe',
      'email: jane@acme.example',
      'title: CTO',
      'account: acme-corp',
      'consent: {marketing: true, at: 2026-02-01T08:00:00Z, source: web form}',
      'birthday: 1988-02-29',
      'created: 2026-01-10T09:05:00Z',
      '---',
    ),
  ],
  lead: [
    'leads/jane-roe.md',
    lines(
      '---',
      'name: Jane Roe',
      'company: Roe Ltd',
      'source: campaign',
      'campaign: autumn-fair',
      'status: converted',
      'score: 72.5',
      'converted: {at: 2026-10-09T11:00:00Z, account: acme-corp, contact: jane-doe, opportunity: acme-renewal}',
      'created: 2026-10-01T09:00:00Z',
      'history:',
      '  - {at: 2026-10-01T09:00:00Z, to: new}',
      '  - {at: 2026-10-09T11:00:00Z, from: new, to: converted, by: marco, note: "budget: confirmed"}',
      '---',
    ),
  ],
  opportunity: [
    'opportunities/acme-renewal.md',
    lines(
      '---',
      'name: Acme renewal 2027',
      'account: acme-corp',
      'contacts: [jane-doe]',
      'amount: 12500',
      'stage: negotiation',
      'expected_close: 2026-12-15',
      'lead: jane-roe',
      'campaign: autumn-fair',
      'owner: giulia',
      'created: 2026-10-09T11:00:00Z',
      'history:',
      '  - {at: 2026-10-09T11:00:00Z, to: qualification}',
      '  - {at: 2026-11-02T15:30:00+01:00, from: qualification, to: negotiation}',
      '---',
    ),
  ],
  case: [
    'cases/broken-login.md',
    lines(
      '---',
      'subject: Cannot log in',
      'account: acme-corp',
      'contact: jane-doe',
      'priority: urgent',
      'status: resolved',
      'channel: email',
      'first_response_at: 2026-11-03T09:40:00Z',
      'resolved_at: 2026-11-03T15:00:00Z',
      'satisfaction: 5',
      'created: 2026-11-03T09:00:00Z',
      'history:',
      '  - at: 2026-11-03T09:00:00Z',
      '    to: new',
      '  - at: 2026-11-03T15:00:00Z',
      '    from: new',
      '    to: resolved',
      '---',
    ),
  ],
  campaign: [
    'campaigns/autumn-fair.md',
    lines(
      '---',
      'name: Autumn trade fair',
      'status: completed',
      'channel: event',
      'start: 2026-09-20',
      'end: 2026-09-22',
      'budget: 5000',
      'cost: {amount: 4800.5}',
      'segment: industry = manufacturing',
      'template: fair-invite.md',
      'created: 2026-08-01',
      '---',
    ),
  ],
  interaction: [
    'interactions/2026/11/call-jane-doe.md',
    lines(
      '---',
      'kind: task',
      'at: 2026-11-03T10:00:00Z',
      'direction: outbound',
      'subject: Call back about the renewal',
      'account: acme-corp',
      'contacts: [jane-doe]',
      'opportunity: acme-renewal',
      'case: broken-login',
      'due: 2026-11-05',
      'done_at: 2026-11-04T16:20:00-05:00',
      'created: 2026-11-03T10:00:00Z',
      '---',
      'Wants the new price list.',
    ),
  ],
};

/** A valid record with some lines replaced (1-based file lines) or appended before the closing fence. */
function edit(type: RecordType, replace: Record<number, string | null>, add: string[] = []): string {
  const [, raw] = VALID[type];
  const out = raw.split('\n').flatMap((l, i) => {
    const r = replace[i + 1];
    return r === undefined ? [l] : r === null ? [] : [r];
  });
  const close = out.lastIndexOf('---');
  out.splice(close, 0, ...add);
  return out.join('\n');
}

describe('valid records', () => {
  for (const [type, [path, raw]] of Object.entries(VALID)) {
    it(`a valid ${type} has no issues`, () => {
      expect(check(path, raw)).toEqual([]);
    });
  }

  it('validateFiles reads all seven and finds nothing', () => {
    const files = Object.values(VALID).map(([path, raw]) => ({ path, raw }));
    const { records, issues } = validateFiles(files, config);
    expect(issues).toEqual([]);
    expect(records.map((r) => `${r.type}/${r.id}`).sort()).toEqual([
      'account/acme-corp',
      'campaign/autumn-fair',
      'case/broken-login',
      'contact/jane-doe',
      'interaction/call-jane-doe',
      'lead/jane-roe',
      'opportunity/acme-renewal',
    ]);
  });

  it('custom keys are never flagged, whatever they hold', () => {
    const raw = edit('contact', {}, ['region: [north, {x: 1}]', 'vip: 3', 'renewal_date: someday']);
    expect(check('contacts/jane-doe.md', raw)).toEqual([]);
  });

  it('null, empty and absent optional keys mean the same', () => {
    const raw = edit('contact', { 3: 'email:', 4: 'title: ""', 7: 'birthday: ~' });
    expect(check('contacts/jane-doe.md', raw)).toEqual([]);
  });
});

describe('file-level codes', () => {
  it('conflict-markers: each marker line, not a Markdown heading underline', () => {
    const raw = lines(
      '---',
      'name: Acme Corp',
      'created: 2026-01-10T09:00:00Z',
      '---',
      'Notes',
      '=======',
      '<<<<<<< HEAD',
      'Called on Monday.',
      '=======',
      'Called on Tuesday.',
      '>>>>>>> origin/main',
    );
    const issues = checkRaw('accounts/acme-corp.md', raw);
    expect(found(issues)).toEqual([
      [7, 'conflict-markers', 'error'],
      [9, 'conflict-markers', 'error'],
      [11, 'conflict-markers', 'error'],
    ]);
    expect(issues[0]?.message).toContain('<<<<<<< HEAD');
    expect(issues[0]?.message).toContain('delete the marker lines');
  });

  it('conflict markers inside the front matter are found too (CRLF files)', () => {
    const raw = ['---', '<<<<<<< ours', 'status: customer', '=======', 'status: former', '>>>>>>> theirs', '---', ''].join('\r\n');
    expect(found(checkRaw('accounts/acme-corp.md', raw)).map((f) => f[0])).toEqual([2, 4, 6]);
  });

  it('no-front-matter', () => {
    expect(found(check('accounts/acme-corp.md', 'name: Acme\n'))).toEqual([[1, 'no-front-matter', 'error']]);
  });

  it('unclosed-front-matter', () => {
    const issues = check('accounts/acme-corp.md', lines('---', 'name: Acme', 'created: 2026-01-10T09:00:00Z'));
    expect(found(issues)).toEqual([[4, 'unclosed-front-matter', 'error']]);
    expect(issues[0]?.message).toContain('add a `---` line');
  });

  it('yaml: broken YAML with the file line and the parser message', () => {
    const raw = lines('---', 'name: Acme', 'created: 2026-01-10T09:00:00Z', 'name: Again', '---');
    const issues = check('accounts/acme-corp.md', raw);
    expect(found(issues)).toEqual([[4, 'yaml', 'error']]);
    expect(issues[0]?.message).toMatch(/^broken YAML: duplicated mapping key/);
  });

  it('not-a-map', () => {
    expect(found(check('accounts/acme-corp.md', lines('---', '- Acme', '- Corp', '---')))).toEqual([
      [2, 'not-a-map', 'error'],
    ]);
  });

  it('outside-layout', () => {
    const [, raw] = VALID.account;
    expect(found(check('accounts/eu/acme-corp.md', raw))).toEqual([[1, 'outside-layout', 'error']]);
    expect(found(check('interactions/2026/13/call.md', raw))).toEqual([[1, 'outside-layout', 'error']]);
  });

  it('bad-id', () => {
    const [, raw] = VALID.account;
    const issues = check('accounts/Acme_Corp.md', raw);
    expect(found(issues)).toEqual([[1, 'bad-id', 'error']]);
    expect(issues[0]?.message).toContain('rename the file');
  });

  it('files outside the record folders are not records and not issues', () => {
    expect(readRecordFile('README.md', '# Our CRM\n')).toEqual({ issues: [] });
  });
});

describe('record codes', () => {
  it('missing-required: a lead without status, at the first front-matter line', () => {
    const issues = check('leads/jane-roe.md', edit('lead', { 6: null, 10: null, 11: null, 12: null }));
    expect(found(issues)).toEqual([[2, 'missing-required', 'error']]);
    expect(issues[0]?.message).toContain('"status"');
    expect(issues[0]?.message).toContain('add a line "status: new"');
  });

  it('missing-required: created, and an empty required key at its own line', () => {
    const raw = lines('---', 'name:', 'stage: prospecting', '---');
    expect(found(check('opportunities/acme-renewal.md', raw))).toEqual([
      [2, 'missing-required', 'error'],
      [2, 'missing-required', 'error'],
    ]);
    const messages = check('opportunities/acme-renewal.md', raw).map((i) => i.message);
    expect(messages.some((m) => m.includes('"created"'))).toBe(true);
  });

  it('bad-value: a stage that is not a pipeline stage', () => {
    const issues = check('opportunities/acme-renewal.md', edit('opportunity', { 6: 'stage: negociation', 12: null, 13: null, 14: null }));
    expect(found(issues)).toEqual([[6, 'bad-value', 'error']]);
    expect(issues[0]?.message).toBe(
      'stage "negociation" is not a pipeline stage (prospecting, qualification, proposal, negotiation, won, lost); did you mean "negotiation"? fix the value or add the stage to pipeline.stages in crm.yaml',
    );
  });

  it('bad-value: enumerations come from crm.yaml and replace the defaults', () => {
    const custom = resolveConfig({ leads: { source: ['web', 'trade-fair'] } });
    const read = readRecordFile('leads/jane-roe.md', VALID.lead[1]);
    const issues = checkRecord(read.record!, custom, exists);
    expect(found(issues)).toEqual([[4, 'bad-value', 'error']]);
    expect(issues[0]?.message).toContain('add it to leads.source in crm.yaml');
  });

  it('bad-value: an unknown owner is a warning; no users means any owner', () => {
    const raw = edit('opportunity', { 10: 'owner: gulia' });
    expect(found(check('opportunities/acme-renewal.md', raw))).toEqual([[10, 'bad-value', 'warning']]);
    const read = readRecordFile('opportunities/acme-renewal.md', raw);
    expect(checkRecord(read.record!, resolveConfig({}), exists)).toEqual([]);
  });

  it('bad-date: not a real calendar date', () => {
    const issues = check('opportunities/acme-renewal.md', edit('opportunity', { 7: 'expected_close: 2026-02-30' }));
    expect(found(issues)).toEqual([[7, 'bad-date', 'error']]);
    expect(issues[0]?.message).toContain('YYYY-MM-DD');
  });

  it('bad-date: a date written another way', () => {
    expect(found(check('contacts/jane-doe.md', edit('contact', { 7: 'birthday: 29/02/1988' })))).toEqual([
      [7, 'bad-date', 'error'],
    ]);
  });

  it('bad-timestamp: no time zone', () => {
    const issues = check('contacts/jane-doe.md', edit('contact', { 8: 'created: 2026-01-10T09:05:00' }));
    expect(found(issues)).toEqual([[8, 'bad-timestamp', 'error']]);
    expect(issues[0]?.message).toContain('add Z for UTC');
  });

  it('bad-timestamp: not a real instant', () => {
    expect(found(check('cases/broken-login.md', edit('case', { 9: 'resolved_at: 2026-11-03T25:00:00Z' })))).toEqual([
      [9, 'bad-timestamp', 'error'],
    ]);
  });

  it('bad-number: satisfaction out of 1..5', () => {
    const issues = check('cases/broken-login.md', edit('case', { 10: 'satisfaction: 6' }));
    expect(found(issues)).toEqual([[10, 'bad-number', 'error']]);
    expect(issues[0]?.message).toContain('from 1 to 5');
  });

  it('bad-number: money with a thousands separator, and a money map without amount', () => {
    expect(found(check('opportunities/acme-renewal.md', edit('opportunity', { 5: 'amount: 12,500' })))).toEqual([
      [5, 'bad-number', 'error'],
    ]);
    expect(found(check('campaigns/autumn-fair.md', edit('campaign', { 8: 'cost: {currency: EUR}' })))).toEqual([
      [8, 'bad-number', 'error'],
    ]);
  });

  it('bad-type: tags that are not a list, references list that is not a list', () => {
    const issues = check('opportunities/acme-renewal.md', edit('opportunity', { 4: 'contacts: jane-doe' }, ['tags: vip']));
    expect(found(issues)).toEqual([
      [4, 'bad-type', 'error'],
      [15, 'bad-type', 'error'],
    ]);
    expect(issues[1]?.message).toContain('tags: [vip]');
  });

  it('bad-type: tags with a non-text item; a map where a map is expected', () => {
    expect(found(check('accounts/acme-corp.md', edit('account', { 16: 'tags: [eu, {x: 1}]' })))).toEqual([
      [16, 'bad-type', 'error'],
    ]);
    expect(found(check('contacts/jane-doe.md', edit('contact', { 6: 'consent: yes' })))).toEqual([
      [6, 'bad-type', 'error'],
    ]);
  });

  it('bad-type (warning): a phone number that YAML read as a number lost its leading zero', () => {
    const issues = check('contacts/jane-doe.md', edit('contact', {}, ['phone: 0212345678']));
    expect(found(issues)).toEqual([[9, 'bad-type', 'warning']]);
    expect(issues[0]?.message).toContain('phone: "0212345678"');
  });

  it('dangling-reference: names the key, the missing record and the fix', () => {
    const issues = check('contacts/jane-doe.md', edit('contact', { 5: 'account: acme-crop' }));
    expect(found(issues)).toEqual([[5, 'dangling-reference', 'error']]);
    expect(issues[0]?.message).toBe(
      'account "acme-crop" refers to account/acme-crop, which does not exist; fix the id or create the account (accounts/acme-crop.md)',
    );
  });

  it('dangling-reference in a list and in a map', () => {
    const issues = check(
      'leads/jane-roe.md',
      edit('lead', { 8: 'converted:', 9: '  at: 2026-10-09T11:00:00Z\n  contact: john-doe\ncreated: 2026-10-01T09:00:00Z' }),
    );
    expect(found(issues)).toEqual([[10, 'dangling-reference', 'error']]);
    expect(issues[0]?.message).toContain('converted.contact "john-doe"');
    const list = check('interactions/2026/11/call-jane-doe.md', edit('interaction', { 7: 'contacts: [jane-doe, john-doe]' }));
    expect(found(list)).toEqual([[7, 'dangling-reference', 'error']]);
  });

  it('bad-history: an entry without `to`, at its own line', () => {
    const raw = edit('account', { 21: '  - {at: 2026-01-10T09:00:00Z}' });
    const issues = check('accounts/acme-corp.md', raw);
    expect(found(issues)).toEqual([[21, 'bad-history', 'error']]);
    expect(issues[0]?.message).toContain('has no "to"');
  });

  it('bad-history: entries out of time order are a warning at the later entry', () => {
    const raw = edit('account', { 22: '  - {at: 2025-03-01, from: prospect, to: customer, by: giulia}' });
    expect(found(check('accounts/acme-corp.md', raw))).toEqual([[22, 'bad-history', 'warning']]);
  });

  it('bad-history: a bad `at` in a block-style entry points at the entry', () => {
    const raw = edit('case', { 15: '  - at: 2026-11-31T15:00:00Z' });
    expect(found(check('cases/broken-login.md', raw))).toEqual([[15, 'bad-history', 'error']]);
  });

  it('bad-history: not a list, at the history key', () => {
    const raw = edit('account', { 20: 'history: customer since March', 21: null, 22: null });
    expect(found(check('accounts/acme-corp.md', raw))).toEqual([[20, 'bad-history', 'error']]);
  });

  it('bad-value (warning): a history `by` who is not a user', () => {
    const raw = edit('account', { 22: '  - {at: 2026-03-01, from: prospect, to: customer, by: luca}' });
    expect(found(check('accounts/acme-corp.md', raw))).toEqual([[22, 'bad-value', 'warning']]);
  });

  it('history-mismatch: current stage differs from the last entry', () => {
    const issues = check('opportunities/acme-renewal.md', edit('opportunity', { 6: 'stage: proposal' }));
    expect(found(issues)).toEqual([[6, 'history-mismatch', 'error']]);
    expect(issues[0]?.message).toBe(
      'stage is "proposal" but the last history entry says "negotiation"; set stage: negotiation, or append a history entry {at: …, from: negotiation, to: proposal}',
    );
  });

  it('history-mismatch: an absent optional status, at the history key', () => {
    const raw = edit('account', { 4: null });
    expect(found(check('accounts/acme-corp.md', raw))).toEqual([[19, 'history-mismatch', 'error']]);
  });

  it('bad-map-value: a sub-field checked by its kind, at its own line', () => {
    const raw = edit('contact', { 6: 'consent:\n  marketing: yes\n  at: 2026-02-01T08:00:00Z' });
    const issues = check('contacts/jane-doe.md', raw);
    expect(found(issues)).toEqual([[7, 'bad-map-value', 'error']]);
    expect(issues[0]?.message).toContain('consent.marketing "yes" must be true or false');
  });

  it('bad-map-value: in a flow map, at the key line', () => {
    const raw = edit('lead', { 8: 'converted: {at: 2026-10-32T11:00:00Z, account: acme-corp}' });
    expect(found(check('leads/jane-roe.md', raw))).toEqual([[8, 'bad-map-value', 'error']]);
  });

  it('checkBeforeWrite is the record check', () => {
    expect(checkBeforeWrite).toBe(checkRecord);
  });
});

describe('timestamps', () => {
  it('accept Z, offsets and bare dates; reject the rest', () => {
    for (const ok of ['2026-11-22T09:30:00Z', '2026-11-22T09:30:00.123+01:00', '2026-11-22T09:30Z', '2028-02-29', '2026-11-22T09:30:00+0100']) {
      expect(timestampProblem(ok), ok).toBeUndefined();
    }
    for (const bad of ['2026-11-22T09:30:00', '2027-02-29', '2026-11-22T24:00:00Z', '22/11/2026', '2026-11-22T09:30:00+25:00', 20261122]) {
      expect(timestampProblem(bad), String(bad)).toBeDefined();
    }
  });
});

describe('repository checks', () => {
  const call = (at: string): string => lines('---', 'kind: call', `at: ${at}`, 'created: 2026-11-03T10:00:00Z', '---');

  it('duplicate-id: the same interaction id in two month folders', () => {
    const { issues } = validateFiles(
      [
        { path: 'interactions/2026/10/weekly-call.md', raw: call('2026-10-05T10:00:00Z') },
        { path: 'interactions/2026/11/weekly-call.md', raw: call('2026-11-05T10:00:00Z') },
      ],
      config,
    );
    expect(issues.map((i) => [i.path, i.line, i.code])).toEqual([
      ['interactions/2026/10/weekly-call.md', 1, 'duplicate-id'],
      ['interactions/2026/11/weekly-call.md', 1, 'duplicate-id'],
    ]);
    expect(issues[0]?.message).toContain('interactions/2026/11/weekly-call.md');
  });

  it('wrong-month: folder month disagrees with `at` (warning at the `at` line)', () => {
    const read = readRecordFile('interactions/2026/10/late-call.md', call('2026-11-05T10:00:00Z'));
    const issues = checkRepository([read.record!]);
    expect(found(issues)).toEqual([[3, 'wrong-month', 'warning']]);
    expect(issues[0]?.message).toContain('move it to interactions/2026/11/late-call.md');
  });

  it('validateFiles: every file is read, issues sorted by path then line, broken records still exist', () => {
    const broken = lines('---', 'name: Acme', 'tags: [a, b', '---');
    const contact = edit('contact', { 7: 'birthday: 1988-13-01' });
    const conflicted = `${VALID.campaign[1]}<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> main\n`;
    const { records, issues } = validateFiles(
      [
        { path: 'contacts/jane-doe.md', raw: contact },
        { path: 'accounts/acme-corp.md', raw: broken },
        { path: 'campaigns/autumn-fair.md', raw: conflicted },
        { path: 'crm.yaml', raw: 'name: Example\n' },
      ],
      config,
    );
    expect(records.map((r) => r.path)).toEqual(['contacts/jane-doe.md', 'campaigns/autumn-fair.md']);
    // The contact's `account: acme-corp` is not dangling: the file exists, it is broken.
    expect(issues.map((i) => [i.path, i.line, i.code])).toEqual([
      ['accounts/acme-corp.md', 4, 'yaml'],
      ['campaigns/autumn-fair.md', 13, 'conflict-markers'],
      ['campaigns/autumn-fair.md', 15, 'conflict-markers'],
      ['campaigns/autumn-fair.md', 17, 'conflict-markers'],
      ['contacts/jane-doe.md', 7, 'bad-date'],
    ]);
  });
});
