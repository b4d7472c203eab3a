/**
 * Reading commands end to end on the hand-written seed repository: list
 * (TSV when piped, table on a terminal, JSON, CSV, --where, --sort,
 * --limit), show (ID, TYPE/ID, references resolved), search (ranking,
 * typos) and validate on a clean repository.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, cleanup, crm, NOW } from './helpers.js';
import { seedRepo } from './fixtures/seed.js';

let dir: string;
beforeAll(() => {
  dir = seedRepo();
});
afterAll(cleanup);

/** ids in the first column of TSV output */
function ids(stdout: string): string[] {
  return stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]!);
}

function where(type: string, expr: string, ...more: string[]): string[] {
  const r = crm(dir, ['list', type, '--where', expr, ...more]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return ids(r.stdout);
}

describe('crm list', () => {
  test('piped: tab-separated rows, no header, default columns, sorted by name', () => {
    const r = crm(dir, ['list', 'leads']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'jane-roe\tJane Roe\tRoe & Co\tnew\tweb\tgiulia',
      'luca-verdi\tLuca Verdi\tVerdi Impianti\tcontacted\tevent\tmarco',
      'paolo-russo\tPaolo Russo\tRusso Logistica\tqualified\treferral\t',
    ]);
    expect(r.stderr).toBe('');
  });

  test('type names: singular, plural and opp all work', () => {
    expect(ids(crm(dir, ['list', 'lead']).stdout)).toEqual(ids(crm(dir, ['list', 'leads']).stdout));
    expect(ids(crm(dir, ['list', 'opps']).stdout)).toEqual(['acme-erp', 'acne-pilot']);
  });

  test('without a type: every record of every type', () => {
    const r = crm(dir, ['list']);
    expect(r.code).toBe(0);
    const types = new Set(r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]));
    expect([...types].sort()).toEqual(['account', 'campaign', 'case', 'contact', 'interaction', 'lead', 'opportunity']);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(13);
  });

  test('--json: parseable array with id, type, path and every field', () => {
    const r = crm(dir, ['list', 'opportunities', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => x.id)).toEqual(['acme-erp', 'acne-pilot']);
    expect(rows[0]).toMatchObject({
      id: 'acme-erp',
      type: 'opportunity',
      path: 'opportunities/acme-erp.md',
      name: 'Acme: ERP rollout',
      amount: 24000,
      stage: 'proposal',
      expected_close: '2026-12-15',
      contacts: ['marco-bianchi'],
    });
    expect(JSON.parse(crm(dir, ['list', 'cases', '--format', 'json']).stdout)).toHaveLength(1);
  });

  test('--json of nothing is an empty array', () => {
    const r = crm(dir, ['list', 'leads', '--where', 'score > 1000', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  test('--format csv: header row and quoted values', () => {
    const r = crm(dir, ['list', 'opps', '--format', 'csv', '--columns', 'id,name,amount,account']);
    expect(r.code).toBe(0);
    expect(r.stdout.split(/\r?\n/).filter(Boolean)).toEqual([
      'id,name,amount,account',
      'acme-erp,Acme: ERP rollout,24000,acme-srl',
      'acne-pilot,Acne pilot,5000,acne-industries',
    ]);
    const tricky = crm(dir, ['list', 'accounts', '--format', 'csv', '--columns', 'id,tags,address.city', '--where', 'id = acme-srl']);
    expect(tricky.stdout.split(/\r?\n/)[1]).toMatch(/^acme-srl,"key-account, ?north",Milano$/);
  });

  test('--columns picks any field, custom and dotted ones too', () => {
    const r = crm(dir, ['list', 'accounts', '--columns', 'id,churn_reason,address.country']);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['acme-srl\t\tIT', 'acne-industries\t\t', 'bianchi-trasporti\tprice\t']);
  });

  test('on a terminal: an aligned table with a header and a count', () => {
    const run = spawnSync('script', ['-qec', `${process.execPath} ${BIN} list leads`, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CRM_NOW: NOW, COLUMNS: '120' },
    });
    if (run.error) throw new Error(`script(1) is needed for this test: ${run.error.message}`);
    const lines = run.stdout.replace(/\r/g, '').split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^ID\s+NAME\s+COMPANY\s+STATUS\s+SOURCE\s+OWNER$/);
    expect(lines[1]).toMatch(/^jane-roe\s+Jane Roe\s+Roe & Co\s+new\s+web\s+giulia$/);
    // columns line up: NAME starts at the same offset in every row
    const at = lines[0]!.indexOf('NAME');
    for (const l of lines.slice(1, 4)) expect(l.slice(at, at + 1)).toMatch(/[A-Z]/);
    expect(lines).toContain('3 leads');
    expect(run.stdout).not.toContain('\t');
  });

  describe('--where', () => {
    test.each([
      ['status = new', ['jane-roe']],
      ['status != new', ['luca-verdi', 'paolo-russo']],
      ['score < 75', ['jane-roe']],
      ['score > 75', ['paolo-russo']],
      ['score <= 75', ['jane-roe', 'luca-verdi']],
      ['score >= 75', ['luca-verdi', 'paolo-russo']],
      ['company ~ VERDI', ['luca-verdi']],
      ['tags has hot', ['paolo-russo']],
      ['owner = null', ['paolo-russo']],
      ['not status = new', ['luca-verdi', 'paolo-russo']],
      ['(source = web or source = referral) and score > 50', ['paolo-russo']],
      ['source = web or source = event and score > 80', ['jane-roe']],
      // numbers compare as numbers: "40" > "9" is false as text
      ['score > 9', ['jane-roe', 'luca-verdi', 'paolo-russo']],
      // dates as dates: a bare date is midnight UTC of that day
      ['created >= 2026-10-01', ['jane-roe', 'luca-verdi']],
      ['created < 2026-10-01T09:00:01Z and created > 2026-09-30', ['luca-verdi']],
      ['name ~ "jane roe"', ['jane-roe']],
    ])('%s', (expr, expected) => {
      expect(where('leads', expr)).toEqual(expected);
    });

    test('dates and money on opportunities', () => {
      expect(where('opps', 'expected_close < 2027-01-01')).toEqual(['acme-erp']);
      expect(where('opps', 'amount >= 10000')).toEqual(['acme-erp']);
      expect(where('opps', 'contacts has marco-bianchi')).toEqual(['acme-erp']);
      expect(where('accounts', 'address.city = milano')).toEqual(['acme-srl']);
    });

    test('a bad expression exits 2 and points at the column', () => {
      const expr = 'status = new and score >> 3';
      const r = crm(dir, ['list', 'leads', '--where', expr]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      const i = lines.indexOf(expr);
      expect(i).toBeGreaterThan(0);
      expect(lines[i + 1]).toBe(`${' '.repeat(expr.indexOf('>>'))}^ unknown operator ">>"; expected =, !=, <, >, <=, >=, ~ or has`);
      expect(r.stderr).toMatch(/^hint: /m);
    });

    test.each([
      ['status = new and (', '('],
      ['= new', '='],
      ['name ~ "unclosed', null],
    ])('bad expression %j: exit 2 with a caret', (expr, at) => {
      const r = crm(dir, ['list', 'leads', '--where', expr]);
      expect(r.code).toBe(2);
      const lines = r.stderr.split('\n');
      const caret = lines[lines.indexOf(expr) + 1]!;
      expect(caret).toMatch(/^ *\^ \S/);
      if (at) expect(caret.indexOf('^')).toBeGreaterThanOrEqual(expr.indexOf(at));
    });
  });

  test('--sort field, -field, several fields; missing values last', () => {
    expect(ids(crm(dir, ['list', 'leads', '--sort', 'score']).stdout)).toEqual(['jane-roe', 'luca-verdi', 'paolo-russo']);
    expect(ids(crm(dir, ['list', 'leads', '--sort', '-score']).stdout)).toEqual(['paolo-russo', 'luca-verdi', 'jane-roe']);
    expect(ids(crm(dir, ['list', 'leads', '--sort', '-owner']).stdout)).toEqual(['luca-verdi', 'jane-roe', 'paolo-russo']);
    expect(ids(crm(dir, ['list', 'leads', '--sort', 'owner']).stdout)).toEqual(['jane-roe', 'luca-verdi', 'paolo-russo']);
    expect(ids(crm(dir, ['list', 'accounts', '--sort', 'industry']).stdout)).toEqual(['acme-srl', 'acne-industries', 'bianchi-trasporti']);
    expect(ids(crm(dir, ['list', 'opps', '--sort', '-amount']).stdout)).toEqual(['acme-erp', 'acne-pilot']);
    expect(ids(crm(dir, ['list', 'opps', '--sort', 'amount']).stdout)).toEqual(['acne-pilot', 'acme-erp']);
  });

  test('--limit after --where and --sort', () => {
    expect(ids(crm(dir, ['list', 'leads', '--sort', '-score', '--limit', '2']).stdout)).toEqual(['paolo-russo', 'luca-verdi']);
    expect(ids(crm(dir, ['list', 'leads', '--where', 'score >= 40', '--sort', 'score', '-n', '1']).stdout)).toEqual(['jane-roe']);
    const none = crm(dir, ['list', 'leads', '--limit', '0']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
  });

  test('an empty result is success', () => {
    const r = crm(dir, ['list', 'cases', '--where', 'priority = low']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });
});

describe('crm show', () => {
  test('ID: the record with references resolved to names, history and notes', () => {
    const r = crm(dir, ['show', 'invoice-wrong-vat']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Invoice shows wrong VAT');
    expect(r.stdout).toMatch(/account\s+Acme Srl \(acme-srl\)/);
    expect(r.stdout).toMatch(/contact\s+Marco Bianchi \(marco-bianchi\)/);
    expect(r.stdout).toMatch(/priority\s+high/);
    expect(r.stdout).toMatch(/History[\s\S]*new[\s\S]*open\s+marco/);
    expect(r.stdout).toContain('The October invoice applied 10% instead of 22%.');
    expect(r.stderr).toBe('');
  });

  test('TYPE/ID with any type word', () => {
    for (const ref of ['opportunity/acme-erp', 'opp/acme-erp', 'opportunities/acme-erp', 'acme-erp']) {
      const r = crm(dir, ['show', ref]);
      expect(r.code, ref).toBe(0);
      expect(r.stdout).toContain('Acme: ERP rollout');
    }
    const wrongType = crm(dir, ['show', 'lead/acme-erp']);
    expect(wrongType.code).toBe(2);
    expect(wrongType.stderr).toMatch(/no lead with id "acme-erp"/);
  });

  test('--json: the record, its body, references with titles, and what links to it', () => {
    const r = crm(dir, ['show', 'account/acme-srl', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { linked_from: { type: string; id: string }[] };
    expect(j).toMatchObject({ id: 'acme-srl', type: 'account', name: 'Acme Srl', status: 'customer', body: 'Long-standing customer. Prefers email.\n' });
    expect(j.linked_from.map((x) => `${x.type}/${x.id}`).sort()).toEqual([
      'case/invoice-wrong-vat',
      'contact/marco-bianchi',
      'interaction/call-marco-2026-11-18',
      'opportunity/acme-erp',
    ]);
    const opp = JSON.parse(crm(dir, ['show', 'acme-erp', '--json']).stdout) as { references: { key: string; id: string; title: string | null }[] };
    expect(opp.references).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'account', id: 'acme-srl', title: 'Acme Srl' }),
        expect.objectContaining({ key: 'contacts', id: 'marco-bianchi', title: 'Marco Bianchi' }),
      ]),
    );
  });

  test('interactions are found across month folders', () => {
    const r = crm(dir, ['show', 'call-marco-2026-11-18']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Promised a credit note by Friday.');
  });
});

describe('crm search', () => {
  interface Hit {
    type: string;
    id: string;
    title: string;
    score: number;
    matched: string[];
  }
  const search = (...args: string[]): Hit[] => {
    const r = crm(dir, ['search', ...args, '--json']);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Hit[];
  };

  test('best matches first: an exact name before emails, and exact before fuzzy', () => {
    const hits = search('acme');
    expect(hits[0]).toMatchObject({ type: 'account', id: 'acme-srl' });
    const keys = hits.map((h) => `${h.type}/${h.id}`);
    expect(keys).toContain('contact/marco-bianchi'); // marco@acme.example
    expect(keys).toContain('opportunity/acme-erp');
    // "Acne" is only a fuzzy match of "acme": after every exact one
    const fuzzy = keys.indexOf('account/acne-industries');
    for (const exact of ['account/acme-srl', 'contact/marco-bianchi', 'opportunity/acme-erp']) {
      expect(keys.indexOf(exact)).toBeLessThan(fuzzy === -1 ? Infinity : fuzzy);
    }
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeGreaterThanOrEqual(hits[i - 1]!.score);
  });

  test('typos are tolerated', () => {
    expect(search('Luca Verdy')[0]).toMatchObject({ id: 'luca-verdi' });
    expect(search('acmee')[0]).toMatchObject({ id: 'acme-srl' });
    expect(search('invoce')[0]).toMatchObject({ type: 'case', id: 'invoice-wrong-vat' });
  });

  test('searches emails, companies, subjects and notes of every type', () => {
    expect(search('sara@acne.example')[0]).toMatchObject({ id: 'sara-neri', matched: ['email'] });
    expect(search('Russo Logistica')[0]).toMatchObject({ id: 'paolo-russo' });
    expect(search('credit note')[0]).toMatchObject({ type: 'interaction', id: 'call-marco-2026-11-18' });
    expect(search('warehouse sensors')[0]).toMatchObject({ id: 'luca-verdi' }); // only in the notes
  });

  test('--type and --limit', () => {
    const contacts = search('acme', '--type', 'contacts');
    expect(contacts[0]).toMatchObject({ type: 'contact', id: 'marco-bianchi' });
    expect(new Set(contacts.map((h) => h.type))).toEqual(new Set(['contact']));
    expect(search('acme', '--limit', '1')).toHaveLength(1);
  });

  test('piped: tab-separated rows; nothing found is still success', () => {
    const r = crm(dir, ['search', 'acme']);
    expect(r.stdout.split('\n')[0]).toMatch(/^account\tacme-srl\tAcme Srl\ttitle/);
    const none = crm(dir, ['search', 'zzqqxxj']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/Nothing matches "zzqqxxj"/);
  });
});

describe('crm validate on a clean repository', () => {
  test('exit 0, a summary on stderr, nothing on stdout', () => {
    const r = crm(dir, ['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/13 files, 13 records: 0 errors, 0 warnings/);
  });

  test('--format json', () => {
    const r = crm(dir, ['validate', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ files: 13, records: 13, errors: 0, warnings: 0, issues: [] });
  });
});
