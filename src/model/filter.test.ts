import { describe, expect, it } from 'vitest';
import { compileFilter, describeFilterError, FilterError, type FilterContext } from './filter.js';

const lead = {
  name: 'Jane Roe',
  company: 'Acme Srl',
  status: 'qualified',
  source: 'web',
  score: 10,
  owner: 'giulia',
  tags: ['key-account', 'EU'],
  created: '2026-10-01T09:00:00Z',
  expected_close: '2026-11-15',
  address: { city: 'Firenze', country: 'IT' },
  converted: { account: 'acme-srl' },
  amount: { amount: 12500, currency: 'EUR' },
  notes: '',
  contacts: [],
  consent: { marketing: true },
  history: [
    { at: '2026-10-01T09:00:00Z', to: 'new' },
    { at: '2026-10-03T14:10:00Z', from: 'new', to: 'qualified' },
  ],
};

const now = new Date('2026-11-20T15:00:00Z');
const match = (expr: string, data: Record<string, unknown> = lead, ctx?: FilterContext) =>
  compileFilter(expr, { now })(data, ctx);

function failure(expr: string): FilterError {
  try {
    compileFilter(expr);
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to be rejected`);
}

describe('comparison operators', () => {
  it('= and != compare strings case-insensitively', () => {
    expect(match('status = qualified')).toBe(true);
    expect(match('status = QUALIFIED')).toBe(true);
    expect(match('status = new')).toBe(false);
    expect(match('status != new')).toBe(true);
    expect(match('status != Qualified')).toBe(false);
  });

  it('< > <= >= compare numbers numerically, not as strings', () => {
    expect(match('score > 9')).toBe(true); // as strings "10" < "9"
    expect(match('score < 9')).toBe(false);
    expect(match('score >= 10')).toBe(true);
    expect(match('score <= 10')).toBe(true);
    expect(match('score < 10')).toBe(false);
    expect(match('score = 10.0')).toBe(true);
    expect(match('score > 9', { score: '10' })).toBe(true);
    expect(match('score > -5.5')).toBe(true);
  });

  it('orders non-numeric strings case-insensitively', () => {
    expect(match('name < k')).toBe(true);
    expect(match('name > JANE')).toBe(true);
    expect(match('owner >= GIULIA')).toBe(true);
    expect(match('owner <= giulia')).toBe(true);
  });

  it('~ means contains, ignoring case', () => {
    expect(match('company ~ acme')).toBe(true);
    expect(match('company ~ "ME S"')).toBe(true);
    expect(match('company ~ globex')).toBe(false);
    expect(match('score ~ 1')).toBe(true);
  });

  it('has looks for the value in a list and acts like = on a scalar', () => {
    expect(match('tags has key-account')).toBe(true);
    expect(match('tags has eu')).toBe(true);
    expect(match('tags has us')).toBe(false);
    expect(match('status has qualified')).toBe(true);
    expect(match('status has qual')).toBe(false);
  });

  it('applies =, != and ~ to any element of a list', () => {
    expect(match('tags = key-account')).toBe(true);
    expect(match('tags != key-account')).toBe(false);
    expect(match('tags != us')).toBe(true);
    expect(match('tags ~ KEY')).toBe(true);
    expect(match('tags ~ acc')).toBe(true);
    expect(match('tags ~ asia')).toBe(false);
  });

  it('reads booleans as true / false', () => {
    expect(match('consent.marketing = true')).toBe(true);
    expect(match('consent.marketing = false')).toBe(false);
  });
});

describe('combining', () => {
  it('and, or, not', () => {
    expect(match('status = qualified and score > 5')).toBe(true);
    expect(match('status = qualified and score > 50')).toBe(false);
    expect(match('status = new or score > 5')).toBe(true);
    expect(match('status = new or score > 50')).toBe(false);
    expect(match('not status = new')).toBe(true);
    expect(match('not not status = new')).toBe(false);
  });

  it('binds not tighter than and, and tighter than or', () => {
    // or is lowest: true or (false and false)
    expect(match('status = qualified or source = event and score > 50')).toBe(true);
    // (false and x) or true
    expect(match('source = event and score > 50 or owner = giulia')).toBe(true);
    // (not true) or true, not: not (true or true)
    expect(match('not status = qualified or owner = giulia')).toBe(true);
    // (not true) and false, not: not (true and false)
    expect(match('not owner = giulia and status = new')).toBe(false);
    expect(match('not (status = new and owner = nobody)')).toBe(true);
  });

  it('parentheses override precedence', () => {
    expect(match('(status = qualified or source = event) and score > 50')).toBe(false);
    expect(match('status = qualified or (source = event and score > 50)')).toBe(true);
    expect(match('((status = qualified))')).toBe(true);
    expect(match('not (status = new or status = qualified)')).toBe(false);
  });

  it('takes keywords in any case', () => {
    expect(match('NOT status = new AND tags HAS eu Or score > 100')).toBe(true);
  });
});

describe('values', () => {
  it('accepts single- and double-quoted strings with escapes', () => {
    expect(match('name = "jane roe"')).toBe(true);
    expect(match("name = 'Jane Roe'")).toBe(true);
    expect(match(String.raw`name = "Jane \"JR\" Roe"`, { name: 'Jane "JR" Roe' })).toBe(true);
    expect(match(String.raw`name = 'O\'Brien'`, { name: "O'Brien" })).toBe(true);
    expect(match('name = "and"', { name: 'and' })).toBe(true);
  });

  it('keeps quotes inside a bare word', () => {
    expect(match("name = O'Brien", { name: "o'brien" })).toBe(true);
  });

  it('reads quoted null as text, bare null and empty as absent', () => {
    expect(match('owner = "null"', { owner: 'null' })).toBe(true);
    expect(match('owner = "null"', {})).toBe(false);
    expect(match('owner = null', {})).toBe(true);
  });

  it('treats missing, null, empty string and empty list as absent', () => {
    for (const value of [undefined, null, '', []]) {
      const data = { x: value };
      expect(match('x = null', data)).toBe(true);
      expect(match('x = empty', data)).toBe(true);
      expect(match('x != null', data)).toBe(false);
      expect(match('x has null', data)).toBe(true);
    }
    expect(match('notes = empty')).toBe(true);
    expect(match('contacts = null')).toBe(true);
    expect(match('tags != empty')).toBe(true);
    expect(match('score = null')).toBe(false);
  });

  it('makes every comparison with a missing field false except != and = null', () => {
    const none = {};
    for (const expr of ['x = a', 'x < 5', 'x > 5', 'x <= 5', 'x >= 5', 'x ~ a', 'x has a', 'x != null']) {
      expect(match(expr, none), expr).toBe(false);
    }
    expect(match('x != a', none)).toBe(true);
    expect(match('x = null', none)).toBe(true);
  });
});

describe('fields', () => {
  it('follows dotted paths into maps', () => {
    expect(match('address.city = firenze')).toBe(true);
    expect(match('converted.account = acme-srl')).toBe(true);
    expect(match('converted.contact = null')).toBe(true);
    expect(match('address.city.name = x')).toBe(false);
    expect(match('name.first = jane')).toBe(false);
  });

  it('follows a path through a list into each element', () => {
    expect(match('history.to = qualified')).toBe(true);
    expect(match('history.to = won')).toBe(false);
    expect(match('history.by = null')).toBe(true);
  });

  it('compares a money map by its amount', () => {
    expect(match('amount > 10000')).toBe(true);
    expect(match('amount = 12500')).toBe(true);
    expect(match('amount < 12500')).toBe(false);
    expect(match('amount > 10000', { amount: 12500 })).toBe(true);
    expect(match('amount.currency = eur')).toBe(true);
  });

  it('takes id and type from the context unless the record has them', () => {
    const ctx = { id: 'jane-roe', type: 'leads' };
    expect(match('id = jane-roe', lead, ctx)).toBe(true);
    expect(match('type = leads and id ~ jane', lead, ctx)).toBe(true);
    expect(match('type = contacts', lead, ctx)).toBe(false);
    expect(match('id = null', lead)).toBe(true);
    expect(match('type = custom', { type: 'custom' }, ctx)).toBe(true);
  });

  it('lists the fields used, once each', () => {
    expect(compileFilter('status = new and (tags has eu or status = x) and not address.city = null').fields).toEqual([
      'status',
      'tags',
      'address.city',
    ]);
  });
});

describe('dates', () => {
  it('compares dates with timestamps as instants, a date being midnight UTC', () => {
    expect(match('created >= 2026-10-01')).toBe(true);
    expect(match('created > 2026-10-01')).toBe(true);
    expect(match('created = 2026-10-01')).toBe(false);
    expect(match('created < 2026-10-02')).toBe(true);
    expect(match('created = 2026-10-01T11:00:00+02:00')).toBe(true);
    expect(match('created < 2026-10-01T10:00:00+02:00')).toBe(false);
    expect(match('expected_close < 2026-11-15T00:00:01Z')).toBe(true);
    expect(match('expected_close = 2026-11-15T00:00:00Z')).toBe(true);
    expect(match('created >= 2026-10-01', { created: '2026-10-01' })).toBe(true);
    expect(match('created > 2026-9-30', { created: '2026-10-01' })).toBe(false); // not a date: compared as text
  });

  it('resolves relative dates against options.now in UTC', () => {
    const at = (date: string) => ({ due: date });
    expect(match('due = today', at('2026-11-20'))).toBe(true);
    expect(match('due = YESTERDAY', at('2026-11-19'))).toBe(true);
    expect(match('due = tomorrow', at('2026-11-21'))).toBe(true);
    expect(match('due = -7d', at('2026-11-13'))).toBe(true);
    expect(match('due = +2w', at('2026-12-04'))).toBe(true);
    expect(match('due = -3m', at('2026-08-20'))).toBe(true);
    expect(match('due = -1y', at('2025-11-20'))).toBe(true);
    expect(match('due = +2d', at('2026-11-22'))).toBe(true);
    expect(match('created >= -60d')).toBe(true);
    expect(match('created >= -30d')).toBe(false);
  });

  it('clamps month steps to the end of the month and honours ctx.now', () => {
    const filter = compileFilter('due = -1m');
    expect(filter({ due: '2026-02-28' }, { now: new Date('2026-03-31T23:00:00Z') })).toBe(true);
    expect(filter({ due: '2024-02-29' }, { now: new Date('2025-02-28T00:00:00Z') })).toBe(false);
    expect(compileFilter('due = -1y')({ due: '2023-02-28' }, { now: new Date('2024-02-29T12:00:00Z') })).toBe(true);
    // ctx.now wins over options.now
    expect(compileFilter('due = today', { now })({ due: '2027-01-01' }, { now: new Date('2027-01-01T00:00:00Z') })).toBe(true);
  });
});

describe('errors', () => {
  const cases: [string, number, string][] = [
    ['status = and x', 10, 'expected a value after "=", found "and"'],
    ['status = ', 10, 'expected a value after "=", found the end'],
    ['a = 1 and (b = 2', 17, 'unclosed parenthesis opened at column 11'],
    ['(a = 1 b = 2', 8, 'expected ")" to close the parenthesis opened at column 1, found "b"'],
    ['a = 1)', 6, 'unexpected ")" with no matching "("'],
    ['status == new', 8, 'unknown operator "=="? use "="'],
    ['status <> new', 8, 'unknown operator "<>"? use "!="'],
    ['status !~ new', 8, 'unknown operator "!~"; expected =, !=, <, >, <=, >=, ~ or has'],
    ['and status = new', 1, 'unexpected "and" at the start'],
    ['status = new and', 17, 'expected a field name after "and", found the end'],
    ['status = new and or x = 1', 18, 'expected a field name after "and", found "or"'],
    ['status new', 8, 'expected an operator (=, !=, <, >, <=, >=, ~ or has) after "status", found "new"'],
    ['name = "Jane', 13, 'unclosed quote " opened at column 8'],
    ['name = Jane Roe', 13, 'expected "and", "or" or the end, found "Roe"; quote a value that contains spaces'],
    ['status = new && x = 1', 14, 'expected "and", "or" or the end, found "&&"; use "and"'],
    ['2026 = x', 1, '"2026" is not a field name: use letters, digits, "_" and "-", starting with a letter, dotted like address.city'],
    ['score > null', 9, '"null" means absent and works only with =, != or has'],
    ['created > -7days', 11, 'unknown relative date "-7days": write e.g. -7d, +2w, -3m or -1y'],
    ['  ', 3, 'empty filter: expected a comparison such as status = qualified'],
  ];
  for (const [expr, column, message] of cases) {
    it(`rejects ${JSON.stringify(expr)} at column ${column}`, () => {
      const e = failure(expr);
      expect(e.message).toBe(message);
      expect(e.column).toBe(column);
      expect(e.expr).toBe(expr);
    });
  }

  it('renders the expression with a caret under the column', () => {
    expect(describeFilterError(failure('status = and x'))).toBe(
      'status = and x\n         ^ expected a value after "=", found "and"',
    );
    expect(describeFilterError(failure('a = 1 and\t(b = 2'))).toBe(
      'a = 1 and (b = 2\n                ^ unclosed parenthesis opened at column 11',
    );
  });
});
