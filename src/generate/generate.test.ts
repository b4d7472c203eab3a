import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type Config } from '../model/config.js';
import { compileFilter } from '../model/filter.js';
import { parseRecord, parseYaml, type Data } from '../model/frontmatter.js';
import { serializeRecord } from '../model/frontmatter-write.js';
import { isValidId } from '../model/ids.js';
import { classifyPath } from '../model/layout.js';
import { historyOf, referencesOf, type HistoryEntry } from '../model/record.js';
import { TYPES, type RecordType } from '../model/schema.js';
import { generateRepository, planCounts, type GeneratedFile } from './generate.js';
import { Random } from './random.js';
import { easterMondayOf } from './time.js';

const END = new Date('2026-11-20T23:59:59Z');
const EXAMPLE = { size: 388, seed: 7, end: END };
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Rec {
  type: RecordType;
  id: string;
  path: string;
  data: Data;
  body: string;
}

interface Loaded {
  config: Config;
  records: Rec[];
  byKey: Map<string, Rec>;
  of: (type: RecordType) => Rec[];
}

function load(files: GeneratedFile[]): Loaded {
  const configFile = files.find((f) => f.path === 'crm.yaml');
  if (!configFile) throw new Error('no crm.yaml');
  const config = resolveConfig(parseYaml(configFile.content));
  const records: Rec[] = [];
  for (const f of files) {
    const c = classifyPath(f.path);
    if (c.kind === 'record') {
      const { data, body } = parseRecord(f.content);
      records.push({ type: c.type, id: c.id, path: f.path, data, body });
    }
  }
  const byKey = new Map(records.map((r) => [`${r.type}/${r.id}`, r]));
  const groups = new Map<RecordType, Rec[]>();
  for (const r of records) groups.set(r.type, [...(groups.get(r.type) ?? []), r]);
  return { config, records, byKey, of: (t) => groups.get(t) ?? [] };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const ms = (t: unknown): number => Date.parse(str(t));

/**
 * Every consistency rule the generator promises, as a list of problems
 * (empty when the repository is consistent).
 */
function problems(files: GeneratedFile[], end: Date): string[] {
  const out: string[] = [];
  const bad = (r: { path: string }, msg: string): void => {
    if (out.length < 50) out.push(`${r.path}: ${msg}`);
  };
  const E = end.getTime();
  const endDay = end.toISOString().slice(0, 10);
  const paths = new Set<string>();
  for (const f of files) {
    if (paths.has(f.path)) bad(f, 'duplicate path');
    paths.add(f.path);
    const c = classifyPath(f.path);
    if (c.kind === 'misplaced') bad(f, c.issue.message);
    if (c.kind === 'other' && f.path !== 'crm.yaml' && f.path !== '.gitignore') bad(f, 'unexpected file');
  }
  const repo = load(files);
  const { config, byKey } = repo;
  const handles = new Set(config.users.map((u) => u.handle));
  const stages = new Map(config.pipeline.stages.map((s) => [s.id, s]));
  const get = (type: RecordType, id: unknown): Rec | undefined => byKey.get(`${type}/${str(id)}`);

  for (const r of repo.records) {
    const d = r.data;
    const spec = TYPES[r.type];
    if (!isValidId(r.id)) bad(r, `bad id ${r.id}`);
    for (const [key, f] of Object.entries(spec.fields)) {
      if (f.required && (d[key] === undefined || d[key] === null || d[key] === '')) bad(r, `missing ${key}`);
      const allowed = config.values[r.type][key];
      if (allowed && d[key] !== undefined && !allowed.includes(str(d[key]))) bad(r, `${key} ${String(d[key])} not allowed`);
    }
    if (!TS.test(str(d.created)) || ms(d.created) > E) bad(r, `bad created ${String(d.created)}`);
    if (d.updated !== undefined && (!TS.test(str(d.updated)) || ms(d.updated) > E || ms(d.updated) <= ms(d.created))) bad(r, 'bad updated');
    if (!handles.has(str(d.owner))) bad(r, `owner ${String(d.owner)} is not a user`);
    for (const ref of referencesOf(r)) {
      const target = get(ref.type, ref.id);
      if (!target) bad(r, `${ref.key} → missing ${ref.type} ${ref.id}`);
      else if (ms(target.data.created) > ms(r.type === 'interaction' ? d.at : d.created) && ref.key !== 'parent' && !ref.key.startsWith('converted.'))
        bad(r, `${ref.key} → ${ref.id} created after this record`);
    }
    // History
    const life = spec.lifecycle;
    if (life) {
      const h = d.history as HistoryEntry[] | undefined;
      if (!Array.isArray(h) || h.length === 0) bad(r, 'no history');
      else {
        const first = h[0] as HistoryEntry;
        if (first.at !== d.created) bad(r, 'first history entry is not at created');
        if (Object.keys(first).sort().join() !== 'at,to') bad(r, 'first history entry has more than at/to');
        for (let i = 1; i < h.length; i++) {
          const e = h[i] as HistoryEntry;
          const p = h[i - 1] as HistoryEntry;
          if (!(ms(e.at) > ms(p.at))) bad(r, `history not strictly increasing at ${e.at}`);
          if (e.from !== p.to) bad(r, `history from ${e.from} != previous to ${p.to}`);
          if (!handles.has(str(e.by))) bad(r, `history by ${String(e.by)}`);
          if (e.from === e.to) bad(r, 'history entry to the same status');
        }
        for (const e of h) if (!TS.test(e.at) || ms(e.at) > E) bad(r, `history at ${e.at}`);
        if ((h[h.length - 1] as HistoryEntry).to !== d[life]) bad(r, `${life} disagrees with history`);
        if (d.updated !== (h.length > 1 ? (h[h.length - 1] as HistoryEntry).at : undefined) && r.type !== 'interaction')
          bad(r, 'updated is not the last change');
      }
    }
  }

  const enteredAt = (r: Rec, to: string): string | undefined => historyOf(r).find((e) => e.to === to)?.at;

  for (const l of repo.of('lead')) {
    const d = l.data;
    if (typeof d.score !== 'number' || d.score < 0 || d.score > 100) bad(l, 'score');
    if (d.source === 'campaign' && !d.campaign) bad(l, 'campaign lead without campaign');
    if (d.campaign && d.source !== 'campaign') bad(l, 'campaign without source campaign');
    if (d.campaign) {
      const c = get('campaign', d.campaign);
      if (c && str(d.created).slice(0, 10) < str(c.data.start)) bad(l, 'lead before its campaign started');
    }
    if ((d.status === 'disqualified') !== Boolean(d.disqualified_reason)) bad(l, 'disqualified_reason');
    const conv = d.converted as Data | undefined;
    if ((d.status === 'converted') !== Boolean(conv)) bad(l, 'converted map vs status');
    if (conv) {
      if (conv.at !== enteredAt(l, 'converted')) bad(l, 'converted.at is not the conversion time');
      const a = get('account', conv.account);
      const c = get('contact', conv.contact);
      const o = get('opportunity', conv.opportunity);
      if (!a || !c || !o) bad(l, 'conversion links missing');
      else {
        if (o.data.lead !== l.id) bad(l, 'opportunity does not point back');
        if (o.data.source !== d.source || o.data.campaign !== d.campaign) bad(l, 'opportunity source/campaign differ');
        if (o.data.created !== conv.at || c.data.created !== conv.at) bad(l, 'opportunity/contact not created at conversion');
        if (ms(a.data.created) > ms(conv.at)) bad(l, 'account created after conversion');
        if (c.data.account !== a.id || o.data.account !== a.id) bad(l, 'conversion records not on the account');
        if (c.data.name !== d.name || a.data.name !== d.company) bad(l, 'names differ from the lead');
      }
    }
  }

  const oppsByAccount = new Map<string, Rec[]>();
  for (const o of repo.of('opportunity')) {
    const d = o.data;
    const acc = str(d.account);
    oppsByAccount.set(acc, [...(oppsByAccount.get(acc) ?? []), o]);
    const stage = stages.get(str(d.stage));
    if (!stage) bad(o, `unknown stage ${String(d.stage)}`);
    if (typeof d.amount !== 'number' || d.amount < 3000 || d.amount > 120000) bad(o, `amount ${String(d.amount)}`);
    if (!DATE.test(str(d.expected_close))) bad(o, 'expected_close');
    const closedAt = stage?.closed ? enteredAt(o, str(d.stage)) : undefined;
    if (stage?.closed) {
      if (d.closed_on !== closedAt?.slice(0, 10)) bad(o, 'closed_on is not the day it closed');
      if (str(d.expected_close) > endDay) bad(o, 'closed deal expected to close in the future');
    } else if (d.closed_on !== undefined) bad(o, 'open deal with closed_on');
    if ((stage?.closed === 'lost') !== Boolean(d.lost_reason)) bad(o, 'lost_reason');
    if (historyOf(o).filter((e) => stages.get(e.to)?.closed).length > 1) bad(o, 'closed twice');
    for (const cid of (d.contacts as string[] | undefined) ?? []) {
      if (get('contact', cid)?.data.account !== d.account) bad(o, `contact ${cid} not at the account`);
    }
  }

  for (const a of repo.of('account')) {
    const d = a.data;
    const h = historyOf(a);
    const wins = (oppsByAccount.get(a.id) ?? [])
      .map((o) => ({ o, at: enteredAt(o, 'won') }))
      .filter((w): w is { o: Rec; at: string } => w.at !== undefined)
      .sort((x, y) => ms(x.at) - ms(y.at));
    const toCustomer = h.filter((e) => e.to === 'customer');
    if (wins.length === 0 && toCustomer.length > 0) bad(a, 'customer without a won deal');
    const firstWin = wins[0];
    if (firstWin) {
      const first = toCustomer[0];
      if (!first || first.at !== firstWin.at || first.by !== firstWin.o.data.owner) bad(a, 'not a customer from its first win');
    }
    for (const e of toCustomer) if (!wins.some((w) => w.at === e.at)) bad(a, `becomes customer at ${e.at} without a win`);
    if (h[0]?.to !== 'prospect') bad(a, 'does not start as a prospect');
    if ((d.status === 'former') !== Boolean(d.churn_reason)) bad(a, 'churn_reason');
    // While former, no deal is won except the one that brings it back.
    for (let i = 0; i < h.length; i++) {
      const e = h[i] as HistoryEntry;
      if (e.to !== 'former') continue;
      const next = h[i + 1];
      const lo = ms(e.at);
      const hi = next ? ms(next.at) : Infinity;
      for (const w of wins) if (ms(w.at) > lo && ms(w.at) < hi) bad(a, 'won a deal while former');
    }
    if (d.parent && !get('account', d.parent)) bad(a, 'parent missing');
    const domain = str(d.website).replace(/^https:\/\/www\./, '');
    if (d.website && !str(d.email).endsWith(`@${domain}`)) bad(a, 'email does not match website');
    if (!str(d.phone).startsWith('+39 ')) bad(a, 'phone');
  }

  for (const c of repo.of('contact')) {
    const a = get('account', c.data.account);
    if (a?.data.website && !str(c.data.email).endsWith(`@${str(a.data.website).replace(/^https:\/\/www\./, '')}`)) bad(c, 'email not at the account domain');
    const consent = c.data.consent as Data | undefined;
    if (consent && (typeof consent.marketing !== 'boolean' || ms(consent.at) < ms(c.data.created) || ms(consent.at) > E)) bad(c, 'consent');
  }

  for (const k of repo.of('case')) {
    const d = k.data;
    if (d.first_response_at !== enteredAt(k, 'open')) bad(k, 'first_response_at is not the first move to open');
    if (d.resolved_at !== enteredAt(k, 'resolved')) bad(k, 'resolved_at is not the move to resolved');
    if (d.satisfaction !== undefined && d.status !== 'resolved' && d.status !== 'closed') bad(k, 'satisfaction on an unresolved case');
    if (d.satisfaction !== undefined && ![1, 2, 3, 4, 5].includes(d.satisfaction as number)) bad(k, 'satisfaction');
    // Cases come from customers, unless nobody had become a customer yet.
    const a = get('account', d.account);
    const isCustomerAt = (acc: Rec, t: number): boolean => historyOf(acc).filter((e) => ms(e.at) <= t).pop()?.to === 'customer';
    if (a && !isCustomerAt(a, ms(d.created)) && repo.of('account').some((x) => historyOf(x).some((e) => e.to === 'customer')))
      bad(k, 'case from an account that is not a customer');
    if (d.contact && get('contact', d.contact)?.data.account !== d.account) bad(k, 'contact not at the account');
  }

  for (const c of repo.of('campaign')) {
    const d = c.data;
    if (!DATE.test(str(d.start)) || !DATE.test(str(d.end)) || str(d.start) > str(d.end)) bad(c, 'start/end');
    if (d.status === 'completed' && str(d.end) > endDay) bad(c, 'completed in the future');
    if (d.status === 'planned' && str(d.start) < endDay) bad(c, 'planned but started');
    if (d.status === 'active' && (str(d.start) > endDay || str(d.end) < str(enteredAt(c, 'active')).slice(0, 10))) bad(c, 'active dates');
    try {
      compileFilter(str(d.segment));
    } catch (e) {
      bad(c, `segment does not parse: ${(e as Error).message}`);
    }
  }

  const interactionIds = new Set<string>();
  for (const x of repo.of('interaction')) {
    const d = x.data;
    if (interactionIds.has(x.id)) bad(x, 'duplicate interaction id');
    interactionIds.add(x.id);
    const at = str(d.at);
    if (!TS.test(at) || ms(at) > E) bad(x, `bad at ${at}`);
    if (x.path.slice(13, 20) !== `${at.slice(0, 4)}/${at.slice(5, 7)}`) bad(x, 'folder does not match at');
    if (!x.id.startsWith(`${at.slice(0, 10)}-${str(d.kind)}-`)) bad(x, 'id is not <date>-<kind>-…');
    if (d.kind === 'task') {
      if (!DATE.test(str(d.due))) bad(x, 'task without due');
      if (d.done_at !== undefined && (ms(d.done_at) < ms(at) || ms(d.done_at) > E)) bad(x, 'done_at');
      if (d.direction !== undefined) bad(x, 'task with direction');
    } else if (d.due !== undefined || d.done_at !== undefined) bad(x, 'due/done_at on a non-task');
    const lead = get('lead', d.lead);
    const conv = lead?.data.converted as Data | undefined;
    if (conv && ms(at) > ms(conv.at)) bad(x, 'activity on a lead after its conversion');
    const opp = get('opportunity', d.opportunity);
    if (opp && d.account !== opp.data.account) bad(x, 'opportunity of another account');
    const kase = get('case', d.case);
    if (kase && d.account !== kase.data.account) bad(x, 'case of another account');
  }
  return out;
}

describe('generateRepository', () => {
  const files = generateRepository(EXAMPLE);

  it('is deterministic: the same options give identical files, another seed different ones', () => {
    expect(generateRepository(EXAMPLE)).toEqual(files);
    const other = generateRepository({ ...EXAMPLE, seed: 8 });
    expect(other.map((f) => f.content)).not.toEqual(files.map((f) => f.content));
  });

  it('produces a consistent example repository', () => {
    expect(problems(files, END)).toEqual([]);
  });

  it('round-trips every record file through parseRecord and serializeRecord', () => {
    for (const f of files) {
      const c = classifyPath(f.path);
      if (c.kind !== 'record') continue;
      const { data, body } = parseRecord(f.content);
      expect(serializeRecord(c.type, data, body), f.path).toBe(f.content);
    }
  });

  it('writes crm.yaml with the company settings and default pipeline and SLA', () => {
    const configFile = files.find((f) => f.path === 'crm.yaml');
    const config = resolveConfig(parseYaml(configFile?.content ?? ''));
    expect(config.name).toBe('Officine Digitali Srl');
    expect(config.currency).toBe('EUR');
    expect(config.timezone).toBe('Europe/Rome');
    expect(config.users.length).toBeGreaterThanOrEqual(4);
    expect(config.users.length).toBeLessThanOrEqual(5);
    expect(config.pipeline.stages.map((s) => s.id)).toEqual(['prospecting', 'qualification', 'proposal', 'negotiation', 'won', 'lost']);
    expect(config.cases.sla.urgent).toEqual({ first_response: 1, resolution: 8 });
    expect(files.find((f) => f.path === '.gitignore')?.content).toBe('.crm/\n');
  });

  it('has the counts and the variety of the example', () => {
    const repo = load(files);
    const n = (t: RecordType): number => repo.of(t).length;
    expect(n('account')).toBe(25);
    expect(n('contact')).toBe(50);
    expect(n('lead')).toBe(40);
    expect(n('opportunity')).toBe(35);
    expect(n('case')).toBe(20);
    expect(n('campaign')).toBe(3);
    expect(n('interaction')).toBe(215);
    const values = (t: RecordType, key: string): Map<string, number> => {
      const m = new Map<string, number>();
      for (const r of repo.of(t)) m.set(str(r.data[key]), (m.get(str(r.data[key])) ?? 0) + 1);
      return m;
    };
    const leads = values('lead', 'status');
    expect(leads.get('converted') ?? 0).toBeGreaterThanOrEqual(10);
    expect(leads.get('converted') ?? 0).toBeLessThanOrEqual(22);
    expect(leads.get('disqualified') ?? 0).toBeGreaterThanOrEqual(4);
    expect((leads.get('new') ?? 0) + (leads.get('contacted') ?? 0)).toBeGreaterThanOrEqual(5);
    expect([...values('lead', 'source').keys()].sort()).toEqual(['campaign', 'cold-call', 'event', 'partner', 'referral', 'social', 'web']);
    expect([...values('opportunity', 'stage').keys()].sort()).toEqual(['lost', 'negotiation', 'proposal', 'prospecting', 'qualification', 'won'].sort());
    expect([...values('account', 'status').keys()].sort()).toEqual(['customer', 'former', 'prospect']);
    const reactivated = repo.of('account').filter((a) => historyOf(a).filter((e) => e.to === 'customer').length > 1);
    expect(reactivated.length).toBeGreaterThanOrEqual(1);
    expect([...values('case', 'status').keys()].sort()).toEqual(['closed', 'new', 'open', 'pending', 'resolved']);
    expect([...values('case', 'priority').keys()].sort()).toEqual(['high', 'low', 'normal', 'urgent']);
    expect([...values('interaction', 'kind').keys()].sort()).toEqual(['call', 'chat', 'email', 'meeting', 'note', 'sms', 'social', 'task', 'visit']);
    // SLA: some cases meet the targets of crm.yaml and some breach them.
    const hours = (a: unknown, b: unknown): number => (ms(b) - ms(a)) / 3_600_000;
    const cases = repo.of('case');
    const sla = repo.config.cases.sla;
    const fr = cases.filter((k) => k.data.first_response_at).map((k) => hours(k.data.created, k.data.first_response_at) <= (sla[str(k.data.priority)]?.first_response ?? 0));
    expect(fr).toContain(true);
    expect(fr).toContain(false);
    const res = cases.filter((k) => k.data.resolved_at).map((k) => hours(k.data.created, k.data.resolved_at) <= (sla[str(k.data.priority)]?.resolution ?? 0));
    expect(res).toContain(true);
    expect(res).toContain(false);
    expect(cases.some((k) => k.data.satisfaction !== undefined)).toBe(true);
    // Tasks: some done, some overdue, some still to do.
    const tasks = repo.of('interaction').filter((x) => x.data.kind === 'task');
    expect(tasks.length).toBeGreaterThanOrEqual(10);
    const endDay = END.toISOString().slice(0, 10);
    expect(tasks.some((t) => t.data.done_at)).toBe(true);
    expect(tasks.some((t) => !t.data.done_at && str(t.data.due) < endDay)).toBe(true);
    expect(tasks.some((t) => !t.data.done_at && str(t.data.due) > endDay)).toBe(true);
    // Some records have no body, most accounts have one.
    expect(repo.records.some((r) => r.body === '')).toBe(true);
    expect(repo.of('account').filter((a) => a.body !== '').length).toBeGreaterThan(5);
  });

  it('matches the committed example in examples/crm-repo', () => {
    const dir = join(import.meta.dirname, '..', '..', 'examples', 'crm-repo');
    if (!existsSync(join(dir, 'crm.yaml'))) return;
    for (const f of files) expect(readFileSync(join(dir, f.path), 'utf8'), f.path).toBe(f.content);
  });

  it('scales the mix with the size and stays consistent for other seeds and spans', () => {
    for (const size of [30, 120, 900, 3000]) {
      const counts = planCounts(size);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(size);
      const gen = generateRepository({ size, seed: size, end: new Date('2025-03-01T12:00:00Z'), months: 12 });
      expect(gen.length).toBe(size + 2);
      expect(problems(gen, new Date('2025-03-01T12:00:00Z'))).toEqual([]);
    }
  });

  it('generates 20,000 consistent records, interactions the majority', () => {
    // Speed is measured by `npm run bench`, not here.
    const big = generateRepository({ size: 20000, seed: 3, end: END });
    expect(big.length).toBe(20002);
    const interactions = big.filter((f) => f.path.startsWith('interactions/')).length;
    expect(interactions / 20000).toBeGreaterThan(0.5);
    expect(problems(big, END)).toEqual([]);
    for (const f of big) {
      const c = classifyPath(f.path);
      if (c.kind !== 'record') continue;
      const { data, body } = parseRecord(f.content);
      if (serializeRecord(c.type, data, body) !== f.content) throw new Error(`${f.path} does not round-trip`);
    }
  }, 120_000);
});

describe('Random', () => {
  it('gives the same sequence for a seed and stays in range', () => {
    const a = new Random(42);
    const b = new Random(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Random(43).next()).not.toBe(xs[0]);
    const r = new Random(1);
    const ints = Array.from({ length: 2000 }, () => r.int(3, 7));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(7);
    const shuffled = r.shuffle([1, 2, 3, 4, 5, 6]);
    expect(shuffled.slice().sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(r.sample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)).size).toBe(4);
  });
});

describe('office calendar', () => {
  it('knows Easter Monday', () => {
    expect(easterMondayOf(2025)).toBe('04-21');
    expect(easterMondayOf(2026)).toBe('04-06');
    expect(easterMondayOf(2027)).toBe('03-29');
  });
});
