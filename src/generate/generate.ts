/**
 * A deterministic generator of realistic CRM repositories (FORMAT.md v1).
 *
 * `generateRepository({size, seed, end})` returns every file of a repository
 * whose records are internally consistent: histories walk forward in time
 * and end in the current status/stage, converted leads link to records that
 * exist, an account becomes a customer when its first deal is won, cases
 * respond and resolve against the SLA table of crm.yaml, interactions happen
 * after the records they mention were created, and nothing happens after
 * `end` (only plans lie in the future: `expected_close`, a task's `due`, the
 * `start`/`end` of a planned or running campaign).
 *
 * Pure: the same options give byte-identical output.
 */
import { DEFAULT_SLA, DEFAULT_STAGES, type Sla } from '../model/config.js';
import type { Data } from '../model/frontmatter.js';
import { serializeRecord } from '../model/frontmatter-write.js';
import { newId, slugify } from '../model/ids.js';
import { recordPath } from '../model/record.js';
import type { RecordType } from '../model/schema.js';
import * as W from './data.js';
import { Random, WeightedPicker, deck } from './random.js';
import { DAY, HOUR, MINUTE, between, day, floorSecond, later, monthsBefore, officeForward, trendBetween, ts } from './time.js';

export interface GenerateOptions {
  /** Total number of records. */
  size: number;
  seed: number;
  /** The "today" of the data: nothing happens after this moment. */
  end: Date;
  /** Length of the history in months (default 18). */
  months?: number;
}

export interface GeneratedFile {
  path: string;
  content: string;
}

export type Counts = Record<RecordType, number>;

export const MIN_SIZE = 30;

// ------------------------------------------------------------------ counts

/** The proportions of the committed example (≈ 388 records). */
const SMALL_MIX: Omit<Counts, 'campaign'> = {
  account: 25,
  contact: 50,
  lead: 40,
  opportunity: 35,
  case: 20,
  interaction: 215,
};
const SMALL_TOTAL = Object.values(SMALL_MIX).reduce((a, b) => a + b, 0);

/** The mix of a large, mature CRM. */
const LARGE_MIX: Omit<Counts, 'campaign'> = {
  account: 0.06,
  contact: 0.15,
  lead: 0.12,
  opportunity: 0.07,
  case: 0.05,
  interaction: 0.55,
};

/** How many records of each type a repository of `size` records has. */
export function planCounts(size: number): Counts {
  if (!Number.isInteger(size) || size < MIN_SIZE) {
    throw new RangeError(`size must be an integer of at least ${MIN_SIZE}`);
  }
  const campaign = size <= 1000 ? Math.max(1, Math.min(3, Math.round((3 * size) / 388))) : 3 + Math.floor(size / 4000);
  const rest = size - campaign;
  // Blend from the small mix (size ≤ 500) to the large one (size ≥ 5000).
  const w = size <= 500 ? 0 : size >= 5000 ? 1 : (size - 500) / 4500;
  const frac = (k: keyof typeof SMALL_MIX): number => (1 - w) * (SMALL_MIX[k] / SMALL_TOTAL) + w * LARGE_MIX[k];
  const account = Math.max(2, Math.round(frac('account') * rest));
  const contact = Math.max(2, Math.round(frac('contact') * rest));
  const lead = Math.max(2, Math.round(frac('lead') * rest));
  const opportunity = Math.max(2, Math.round(frac('opportunity') * rest));
  const kase = Math.max(1, Math.round(frac('case') * rest));
  const interaction = rest - account - contact - lead - opportunity - kase;
  return { account, contact, lead, opportunity, case: kase, campaign, interaction };
}

// ------------------------------------------------------------------ model

interface Entry {
  at: number;
  to: string;
  from?: string;
  by?: string;
  note?: string;
}

interface User {
  handle: string;
  name: string;
  email: string;
  role: 'sales' | 'support' | 'marketing';
}

interface Campaign {
  id: string;
  name: string;
  channel: string;
  kind: W.CampaignKind['kind'];
  created: number;
  /** First moment of the campaign and the last day it runs. */
  startT: number;
  endT: number;
  owner: string;
  budget: number;
  cost?: number;
  segment: string;
  tags: string[];
  hist: Entry[];
  body: string;
  /** Until when leads and interactions may come from it (≤ end). */
  leadUntil: number;
}

interface Account {
  id: string;
  name: string;
  kind: 'company' | 'person';
  industry: W.Industry;
  city: W.City;
  street: string;
  domain: string;
  phone: string;
  email: string;
  website?: string;
  employees?: number;
  revenue?: number;
  parent?: Account;
  created: number;
  owner: string;
  tags: string[];
  body: string;
  contacts: Contact[];
  opps: Opportunity[];
  hist: Entry[];
  churnReason?: string;
  /** Customer intervals [from, to) derived from the history; to = Infinity when open. */
  intervals: [number, number][];
  weight: number;
}

interface Contact {
  id: string;
  name: string;
  email: string;
  phone?: string;
  title?: string;
  account?: Account;
  created: number;
  owner: string;
  consent?: { marketing: boolean; at: number; source: string };
  birthday?: string;
  address?: Data;
  tags: string[];
  body: string;
}

interface Lead {
  id: string;
  first: string;
  last: string;
  name: string;
  company: string;
  domain: string;
  industry: W.Industry;
  city: W.City;
  title: string;
  email: string;
  phone: string;
  source: string;
  campaign?: Campaign;
  score: number;
  created: number;
  owner: string;
  hist: Entry[];
  disqualifiedReason?: string;
  converted?: { at: number; account: Account; contact: Contact; opportunity: Opportunity };
  tags: string[];
  body: string;
}

interface Opportunity {
  id: string;
  name: string;
  product: string;
  account: Account;
  contacts: Contact[];
  amount: number;
  created: number;
  owner: string;
  hist: Entry[];
  expectedClose: string;
  closedAt?: number;
  won?: boolean;
  lostReason?: string;
  lead?: Lead;
  source?: string;
  campaign?: Campaign;
  tags: string[];
  body: string;
}

interface Case {
  id: string;
  subject: string;
  account?: Account;
  contact?: Contact;
  priority: string;
  channel: string;
  created: number;
  owner: string;
  hist: Entry[];
  firstResponseAt?: number;
  resolvedAt?: number;
  satisfaction?: number;
  tags: string[];
  body: string;
}

interface Interaction {
  id: string;
  kind: string;
  at: number;
  direction?: 'inbound' | 'outbound';
  subject: string;
  account?: Account;
  contacts: Contact[];
  lead?: Lead;
  opportunity?: Opportunity;
  kase?: Case;
  campaign?: Campaign;
  outcome?: string;
  due?: string;
  doneAt?: number;
  owner: string;
  tags: string[];
  body: string;
  /** Text the id is made from (after the date and kind). */
  idText: string;
}

function push(hist: Entry[], at: number, to: string, by?: string, note?: string): void {
  const last = hist[hist.length - 1];
  if (!last) {
    hist.push({ at, to });
    return;
  }
  if (at <= last.at) throw new Error(`history out of order: ${ts(at)} after ${ts(last.at)}`);
  const e: Entry = { at, from: last.to, to };
  if (by) e.by = by;
  if (note) e.note = note;
  hist.push(e);
}

function lastOf<T>(list: readonly T[]): T {
  const x = list[list.length - 1];
  if (x === undefined) throw new Error('empty list');
  return x;
}

function fill(template: string, vars: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => {
    const v = vars[k];
    return v === undefined ? m : String(v);
  });
}

function compact(text: string): string {
  return slugify(text).replace(/-/g, '');
}

function roundTo(n: number, step: number): number {
  return Math.max(step, Math.round(n / step) * step);
}

// ------------------------------------------------------------------ generator

class Generator {
  readonly rng: Random;
  readonly E: number;
  readonly S: number;
  readonly counts: Counts;
  users: User[] = [];
  sales: User[] = [];
  support: User[] = [];
  marketing: User[] = [];
  campaigns: Campaign[] = [];
  accounts: Account[] = [];
  contacts: Contact[] = [];
  leads: Lead[] = [];
  opps: Opportunity[] = [];
  cases: Case[] = [];
  interactions: Interaction[] = [];
  private domains = new Set<string>();
  private cores = new Set<string>();
  private groups: Account[] = [];
  private readonly sla: Record<string, Sla> = DEFAULT_SLA;
  private readonly openStages = DEFAULT_STAGES.filter((s) => !s.closed).map((s) => s.id);
  private readonly wonStage = DEFAULT_STAGES.find((s) => s.closed === 'won')?.id ?? 'won';
  private readonly lostStage = DEFAULT_STAGES.find((s) => s.closed === 'lost')?.id ?? 'lost';

  constructor(options: GenerateOptions) {
    this.rng = new Random(options.seed);
    this.E = floorSecond(options.end.getTime());
    if (!Number.isFinite(this.E)) throw new RangeError('end must be a valid date');
    this.S = monthsBefore(this.E, options.months ?? 18);
    this.counts = planCounts(options.size);
  }

  run(): GeneratedFile[] {
    this.makeUsers();
    this.makeCampaigns();
    this.makeLeads();
    this.makeAccountsAndConversions();
    this.makeContacts();
    this.makeOpportunities();
    this.makeAccountHistories();
    this.makeCases();
    this.makeInteractions();
    this.assignIds();
    return this.files();
  }

  // ---------------------------------------------------------------- people

  private makeUsers(): void {
    const rng = this.rng;
    const seeds: W.UserSeed[] = [...W.CORE_USERS];
    const size = this.counts.account + this.counts.contact + this.counts.interaction;
    const total = size <= 2000 ? seeds.length : Math.min(40, seeds.length + Math.round(size / 3000));
    const taken = new Set(seeds.map((u) => u.handle));
    const roles: W.UserSeed['role'][] = ['sales', 'support', 'sales', 'marketing', 'support', 'sales'];
    while (seeds.length < total) {
      const first = rng.pick(W.FIRST_NAMES);
      const last = rng.pick(W.LAST_NAMES);
      let handle = compact(first);
      if (taken.has(handle)) handle = `${compact(first)}-${compact(last)}`;
      if (taken.has(handle)) continue;
      taken.add(handle);
      seeds.push({ handle, name: `${first} ${last}`, role: roles[seeds.length % roles.length] ?? 'sales' });
    }
    this.users = seeds.map((u) => ({ ...u, email: `${u.handle}@${W.COMPANY.domain}` }));
    this.sales = this.users.filter((u) => u.role === 'sales');
    this.support = this.users.filter((u) => u.role === 'support');
    this.marketing = this.users.filter((u) => u.role === 'marketing');
  }

  private salesOwner(): string {
    return this.rng.pick(this.sales).handle;
  }

  private person(): { first: string; last: string; name: string } {
    const first = this.rng.pick(W.FIRST_NAMES);
    const last = this.rng.pick(W.LAST_NAMES);
    return { first, last, name: `${first} ${last}` };
  }

  private emailOf(first: string, last: string, domain: string): string {
    return `${compact(first)}.${compact(last)}@${domain}`;
  }

  private mobile(): string {
    const r = this.rng;
    return `+39 3${r.int(20, 49)} ${r.int(100, 999)} ${r.int(1000, 9999)}`;
  }

  private landline(city: W.City): string {
    const r = this.rng;
    const rest = city.area.length <= 2 ? `${r.int(1000, 9999)} ${r.int(1000, 9999)}` : `${r.int(100, 999)} ${r.int(1000, 9999)}`;
    return `+39 ${city.area} ${rest}`;
  }

  private city(): W.City {
    return this.rng.weighted(W.CITIES.map((c) => [c, c.weight] as const));
  }

  private domainFor(core: string): string {
    const base = compact(core.replace(/&/g, ' e ')) || 'azienda';
    let d = `${base}.example`;
    for (let n = 2; this.domains.has(d); n++) d = `${base}${n}.example`;
    this.domains.add(d);
    return d;
  }

  /** A company name: core (no legal form) and the full name with the legal suffix. */
  private companyName(industry: W.Industry): { core: string; name: string; suffix: string } {
    for (let k = 0; ; k++) {
      const c = this.companyNameOnce(industry);
      if (!this.cores.has(c.core) || k >= 20) {
        this.cores.add(c.core);
        return c;
      }
    }
  }

  private industryDeck: W.Industry[] = [];

  private industry(): W.Industry {
    if (this.industryDeck.length === 0) this.industryDeck = deck(this.rng, W.INDUSTRY_WEIGHTS, 50);
    return this.industryDeck.pop() ?? 'services';
  }

  private companyNameOnce(industry: W.Industry): { core: string; name: string; suffix: string } {
    const r = this.rng;
    const word = r.pick(W.INDUSTRY_WORDS[industry]);
    const sur = r.pick(W.LAST_NAMES);
    const brand = (): string => r.pick(W.BRAND_PREFIXES) + r.pick(W.BRAND_SUFFIXES);
    const pattern = r.weighted([
      ['word-sur', 30],
      ['sur-word', 8],
      ['brand', 18],
      ['word-region', 14],
      ['figli', 8],
      ['pair', 8],
      ['gruppo', 5],
      ['brand-region', 7],
    ] as const);
    let core: string;
    let suffix = r.weighted(W.LEGAL_SUFFIXES);
    switch (pattern) {
      case 'word-sur':
      case 'sur-word':
        // "Meccanica Rossi", "Rossi Digital"; sometimes "Rossi Meccanica".
        core = W.TRAILING_WORDS.has(word) || (pattern === 'sur-word' && !word.includes(' ')) ? `${sur} ${word}` : `${word} ${sur}`;
        break;
      case 'brand':
        core = brand();
        break;
      case 'word-region':
        core = `${word} ${r.pick(W.REGION_ADJECTIVES)}`;
        break;
      case 'figli':
        core = `${sur} & Figli`;
        suffix = r.pick(['Snc', 'Sas', 'Srl']);
        break;
      case 'pair': {
        let other = r.pick(W.LAST_NAMES);
        if (other === sur) other = r.pick(W.LAST_NAMES);
        core = `${sur} & ${other}`;
        suffix = r.pick(['Snc', 'Sas']);
        break;
      }
      case 'gruppo':
        core = `Gruppo ${sur}`;
        suffix = 'S.p.A.';
        break;
      default:
        core = `${brand()} ${r.pick(W.REGION_ADJECTIVES)}`;
    }
    return { core, name: `${core} ${suffix}`, suffix };
  }

  // ------------------------------------------------------------- campaigns

  private makeCampaigns(): void {
    const rng = this.rng;
    const n = this.counts.campaign;
    const span = this.E - this.S;
    const firstKinds: W.CampaignKind['kind'][] = ['fair', 'webinar', 'newsletter'];
    const owners = this.marketing.length > 0 ? this.marketing : this.sales;
    for (let i = 0; i < n; i++) {
      const kindName = i < firstKinds.length && n <= 3 + firstKinds.length ? firstKinds[i] : rng.pick(W.CAMPAIGN_KINDS).kind;
      const kind = W.CAMPAIGN_KINDS.find((k) => k.kind === kindName) ?? W.CAMPAIGN_KINDS[0];
      if (!kind) throw new Error('no campaign kinds');
      const days = rng.int(kind.days[0], kind.days[1]);
      let start: number;
      let planned = false;
      if (i === n - 1) {
        // The last campaign is running now.
        start = this.E - rng.int(Math.min(days - 1, 12), Math.min(days - 1, 40)) * DAY;
      } else if (n >= 6 && i === n - 2) {
        // One is planned for the coming weeks.
        start = this.E + rng.int(10, 40) * DAY;
        planned = true;
      } else {
        const slots = n >= 6 ? n - 2 : n - 1;
        const pos = 0.06 + (0.86 * (i + rng.float(0.15, 0.85))) / Math.max(1, slots);
        start = this.S + pos * span;
      }
      const startT = officeForward(Math.floor(start / DAY) * DAY + 7 * HOUR - MINUTE, rng);
      const endT = Math.floor(startT / DAY) * DAY + (days - 1) * DAY + 16 * HOUR;
      const createdLo = Math.max(this.S + HOUR, startT - rng.int(20, 50) * DAY);
      const created = between(rng, Math.min(createdLo, startT - 2 * DAY, this.E - 2 * DAY), Math.min(startT - DAY, this.E - HOUR));
      const owner = rng.pick(owners).handle;
      const year = new Date(startT).getUTCFullYear();
      const season = W.SEASONS[Math.floor(((new Date(startT).getUTCMonth() + 1) % 12) / 3)] ?? 'spring';
      const name = fill(rng.pick(kind.names), { year, season });
      const budget = roundTo(rng.int(kind.budget[0], kind.budget[1]), 100);
      const c: Campaign = {
        id: '',
        name,
        channel: kind.channel,
        kind: kind.kind,
        created,
        startT,
        endT,
        owner,
        budget,
        segment: rng.pick(W.SEGMENTS),
        tags: rng.chance(0.3) ? [rng.pick(['lead-gen', 'awareness', 'retention', 'upsell'])] : [],
        hist: [],
        body: '',
        leadUntil: Math.min(this.E, endT + 21 * DAY),
      };
      push(c.hist, created, 'planned');
      let cancelled = false;
      if (!planned && i !== n - 1 && n >= 5 && rng.chance(0.12) && startT - created > 3 * DAY) {
        const at = between(rng, created + DAY, Math.min(startT - HOUR, this.E));
        if (at > created && at < startT && at <= this.E) {
          push(c.hist, at, 'cancelled', owner, rng.pick(['budget moved to the fair', 'low registrations', 'speaker not available']));
          c.leadUntil = 0;
          c.cost = roundTo(budget * rng.float(0, 0.15), 50);
          cancelled = true;
        }
      }
      if (!cancelled && startT <= this.E) {
        push(c.hist, startT, 'active', owner);
        const doneT = officeForward(endT + DAY - 9 * HOUR - MINUTE, rng);
        if (doneT <= this.E) {
          push(c.hist, doneT, 'completed', owner);
          c.cost = roundTo(budget * rng.float(0.82, 1.12), 50);
        } else {
          c.cost = roundTo(budget * Math.min(1, (this.E - startT) / (endT - startT + DAY)) * rng.float(0.8, 1), 50);
        }
      }
      if (c.cost === 0) delete c.cost;
      c.body = `\n${campaignBody(c, kind)}\n`;
      this.campaigns.push(c);
    }
  }

  // ------------------------------------------------------------------ leads

  private makeLeads(): void {
    const rng = this.rng;
    const n = this.counts.lead;
    const campaignsForLeads = this.campaigns.filter((c) => c.leadUntil > c.startT + 2 * HOUR);
    const sources = deck(rng, W.LEAD_SOURCES, n);
    const plans = deck(
      rng,
      [
        ['converted', 46],
        ['disqualified', 24],
        ['qualified', 10],
        ['contacted', 11],
        ['new', 9],
      ] as const,
      n,
    );
    for (let i = 0; i < n; i++) {
      let source = sources[i] ?? 'web';
      let campaign: Campaign | undefined;
      let created: number;
      if (source === 'campaign' && campaignsForLeads.length > 0) {
        campaign = rng.weighted(campaignsForLeads.map((c) => [c, Math.max(1, (c.leadUntil - c.startT) / DAY) ** 0.5] as const));
        created = between(rng, campaign.startT + HOUR, campaign.leadUntil);
      } else {
        if (source === 'campaign') source = 'web';
        created = trendBetween(rng, this.S + HOUR, this.E - HOUR);
      }
      const industry = this.industry();
      const company = this.companyName(industry);
      const p = this.person();
      const domain = this.domainFor(company.core);
      const owner = this.salesOwner();
      const lead: Lead = {
        id: '',
        first: p.first,
        last: p.last,
        name: p.name,
        company: company.name,
        domain,
        industry,
        city: this.city(),
        title: rng.weighted(W.JOB_TITLES),
        email: this.emailOf(p.first, p.last, domain),
        phone: this.mobile(),
        source,
        ...(campaign ? { campaign } : {}),
        score: 0,
        created,
        owner,
        hist: [],
        tags: rng.chance(0.25) ? [rng.pick(W.LEAD_TAGS)] : [],
        body: '',
      };
      const plan = plans[i] ?? 'new';
      const disqAt = rng.weighted([
        ['new', 25],
        ['contacted', 45],
        ['qualified', 30],
      ] as const);
      push(lead.hist, created, 'new');
      const steps: [string, number, number][] = [
        ['contacted', 0.1, 5],
        ['qualified', 2, 20],
        ['converted', 2, 18],
      ];
      const stopAt = plan === 'disqualified' ? disqAt : plan;
      let t = created;
      for (const [to, lo, hi] of steps) {
        if (lastOf(lead.hist).to === stopAt) break;
        t = later(rng, t, lo, hi);
        if (t > this.E) break;
        push(lead.hist, t, to, owner);
      }
      if (plan === 'disqualified' && lastOf(lead.hist).to === disqAt) {
        t = later(rng, t, 1, 15);
        if (t <= this.E) {
          const reason = rng.pick(W.DISQUALIFIED_REASONS);
          push(lead.hist, t, 'disqualified', owner);
          lead.disqualifiedReason = reason;
        }
      }
      const status = lastOf(lead.hist).to;
      lead.score =
        status === 'converted'
          ? rng.int(55, 96)
          : status === 'qualified'
            ? rng.int(45, 85)
            : status === 'disqualified'
              ? rng.int(3, 40)
              : rng.int(12, 70);
      if (rng.chance(0.5)) lead.body = `\n${fill(rng.pick(W.LEAD_NOTES), { employees: rng.int(8, 120) })}\n`;
      this.leads.push(lead);
    }
    this.leads.sort((a, b) => a.created - b.created);
  }

  // ------------------------------------------------ accounts and conversions

  private newAccount(created: number, seed?: { name: string; industry: W.Industry; city: W.City; domain: string; owner: string }): Account {
    const rng = this.rng;
    let name: string;
    let industry: W.Industry;
    let domain: string;
    let kind: 'company' | 'person' = 'company';
    let suffix = 'Srl';
    let parent: Account | undefined;
    const city = seed?.city ?? this.city();
    if (seed) {
      name = seed.name;
      industry = seed.industry;
      domain = seed.domain;
      suffix = name.endsWith('S.p.A.') ? 'S.p.A.' : name.endsWith('Srl') ? 'Srl' : 'Snc';
    } else if (rng.chance(0.04)) {
      kind = 'person';
      const p = this.person();
      name = p.name;
      industry = rng.pick(['services', 'healthcare', 'construction'] as const);
      domain = this.domainFor(`studio ${p.last} ${p.first}`);
    } else {
      industry = this.industry();
      const groups = this.groups.filter((a) => a.created < created - 30 * DAY);
      if (groups.length > 0 && rng.chance(0.25)) {
        parent = rng.pick(groups);
        const family = parent.name.replace(/^Gruppo /, '').replace(/ S\.p\.A\.$/, '');
        const core = `${family} ${rng.pick(W.DIVISIONS)}`;
        name = `${core} Srl`;
        domain = this.domainFor(core);
        industry = parent.industry;
      } else {
        const c = this.companyName(industry);
        name = c.name;
        suffix = c.suffix;
        domain = this.domainFor(c.core);
      }
    }
    const employees =
      kind === 'person'
        ? undefined
        : suffix === 'S.p.A.'
          ? rng.int(60, 900)
          : suffix === 'Srl'
            ? rng.int(6, 220)
            : rng.int(2, 28);
    const a: Account = {
      id: '',
      name,
      kind,
      industry,
      city,
      street: `${rng.pick(W.STREETS)} ${rng.int(1, 180)}`,
      domain,
      phone: kind === 'person' ? this.mobile() : this.landline(city),
      email: kind === 'person' ? `${compact(name.split(' ')[0] ?? name)}@${domain}` : `${rng.pick(['info', 'info', 'amministrazione', 'commerciale'])}@${domain}`,
      ...(kind === 'company' ? { website: `https://www.${domain}` } : {}),
      ...(employees !== undefined ? { employees, revenue: roundTo(employees * rng.int(70, 260) * 1000, 10000) } : {}),
      ...(parent ? { parent } : {}),
      created,
      owner: seed?.owner ?? this.salesOwner(),
      tags: rng.chance(0.3) ? rng.sample(W.ACCOUNT_TAGS, rng.int(1, 2)) : [],
      body: rng.chance(0.6) ? `\n${rng.sample(W.ACCOUNT_NOTES, rng.int(1, 2)).join('\n\n')}\n` : '',
      contacts: [],
      opps: [],
      hist: [],
      intervals: [],
      weight: rng.float(0.3, 2.2),
    };
    if (parent && !a.tags.includes('multi-site')) a.tags.push('multi-site');
    if (kind === 'company' && name.startsWith('Gruppo ')) this.groups.push(a);
    this.accounts.push(a);
    return a;
  }

  private directAccountTime(): number {
    const rng = this.rng;
    // A third came in with the initial import, the rest over time.
    if (rng.chance(0.45)) return between(rng, this.S + HOUR, Math.min(this.S + 30 * DAY, this.E - 10 * DAY));
    return trendBetween(rng, this.S + HOUR, this.E - 5 * DAY);
  }

  private makeAccountsAndConversions(): void {
    const rng = this.rng;
    const nA = this.counts.account;
    const conversions = this.leads.filter((l) => lastOf(l.hist).to === 'converted');
    // Conversions need an opportunity and a contact each; keep room for
    // direct deals and win-backs.
    const maxConv = Math.max(0, Math.min(this.counts.opportunity - this.winbackQuota() - Math.ceil(this.counts.opportunity * 0.3), this.counts.contact - 1));
    while (conversions.length > maxConv) {
      const lead = conversions.pop();
      if (lead) lead.hist.pop(); // stays qualified
    }
    let newLeft = Math.min(Math.round(conversions.length * 0.6), nA - 1);
    const nDirect = nA - newLeft;
    for (let i = 0; i < nDirect; i++) this.newAccount(this.directAccountTime());
    this.accounts.sort((a, b) => a.created - b.created);
    const direct = this.accounts.slice();

    conversions.sort((a, b) => lastOf(a.hist).at - lastOf(b.hist).at);
    for (let i = 0; i < conversions.length; i++) {
      const lead = conversions[i] as Lead;
      const at = lastOf(lead.hist).at;
      const nCandidates = countBefore(direct, at - DAY);
      const remaining = conversions.length - i;
      let account: Account;
      if (newLeft > 0 && (nCandidates === 0 || rng.next() < newLeft / remaining)) {
        account = this.newAccount(at, { name: lead.company, industry: lead.industry, city: lead.city, domain: lead.domain, owner: lead.owner });
        newLeft--;
      } else if (nCandidates > 0) {
        account = direct[rng.int(0, nCandidates - 1)] as Account;
        if (account.kind === 'person') account = direct[rng.int(0, nCandidates - 1)] as Account;
        lead.company = account.name;
        lead.domain = account.domain;
        lead.industry = account.industry;
        lead.email = this.emailOf(lead.first, lead.last, account.domain);
      } else {
        lead.hist.pop();
        continue;
      }
      const contact: Contact = {
        id: '',
        name: lead.name,
        email: lead.email,
        phone: lead.phone,
        title: lead.title,
        account,
        created: at,
        owner: account.owner,
        tags: rng.chance(0.3) ? ['decision-maker'] : [],
        body: '',
      };
      if (rng.chance(0.5)) contact.consent = { marketing: rng.chance(0.75), at, source: 'lead-conversion' };
      account.contacts.push(contact);
      this.contacts.push(contact);
      const opp = this.newOpportunity(account, at, lead.owner, { lead });
      lead.converted = { at, account, contact, opportunity: opp };
      opp.contacts = [contact];
    }
    // Fill up with direct accounts if conversions used fewer than planned.
    while (this.accounts.length < nA) this.newAccount(this.directAccountTime());
    this.accounts.sort((a, b) => a.created - b.created);
  }

  private winbackQuota(): number {
    const n = this.counts.account;
    if (n < 10) return 0;
    return Math.max(1, Math.round(n * (n < 100 ? 0.04 : 0.012)));
  }

  // --------------------------------------------------------------- contacts

  private makeContacts(): void {
    const rng = this.rng;
    let left = this.counts.contact - this.contacts.length;
    const addContact = (account: Account | undefined, created: number): void => {
      let p = this.person();
      for (let k = 0; k < 5 && account?.contacts.some((c) => c.name === p.name); k++) p = this.person();
      const c: Contact = {
        id: '',
        name: p.name,
        email: account ? this.emailOf(p.first, p.last, account.domain) : `${compact(p.first)}.${compact(p.last)}@${rng.pick(['mail', 'posta', 'studio'])}.example`,
        ...(rng.chance(0.8) ? { phone: this.mobile() } : {}),
        ...(account?.kind === 'person' ? {} : { title: account ? rng.weighted(W.JOB_TITLES) : rng.pick(W.FREELANCE_TITLES) }),
        ...(account ? { account } : {}),
        created,
        owner: account?.owner ?? this.salesOwner(),
        tags: rng.chance(0.2) ? [rng.pick(W.CONTACT_TAGS)] : [],
        body: rng.chance(0.15) ? `\n${rng.pick(CONTACT_NOTES)}\n` : '',
      };
      if (rng.chance(0.4)) {
        c.consent = {
          marketing: rng.chance(0.7),
          at: between(rng, created, Math.min(this.E, created + 60 * DAY)),
          source: rng.pick(['web-form', 'event', 'email', 'phone', 'contract']),
        };
      }
      if (rng.chance(0.1)) c.birthday = `${rng.int(1958, 1998)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
      if (!account) {
        const city = this.city();
        if (rng.chance(0.4)) c.address = { street: `${rng.pick(W.STREETS)} ${rng.int(1, 90)}`, city: city.city, postcode: city.postcode, region: city.region, country: 'IT' };
      }
      if (account) account.contacts.push(c);
      this.contacts.push(c);
      left--;
    };
    // Every account has somebody to talk to, from the day it was created.
    for (const a of this.accounts) {
      if (left <= 0) break;
      if (a.contacts.length === 0) addContact(a, Math.min(this.E, between(rng, a.created, a.created + 2 * DAY)));
    }
    const picker = new WeightedPicker(this.accounts, (x) => x.weight * (x.kind === 'person' ? 0.1 : 1));
    while (left > 0) {
      if (rng.chance(0.08)) {
        addContact(undefined, trendBetween(rng, this.S + HOUR, this.E));
        continue;
      }
      const a = picker.pick(rng);
      addContact(a, between(rng, a.created, this.E));
    }
    for (const a of this.accounts) a.contacts.sort((x, y) => x.created - y.created);
    this.contacts.sort((x, y) => x.created - y.created);
  }

  // ---------------------------------------------------------- opportunities

  private newOpportunity(
    account: Account,
    created: number,
    owner: string,
    opts: { lead?: Lead; outcome?: 'won' | 'lost' | 'open'; fast?: boolean; first?: string } = {},
  ): Opportunity {
    const rng = this.rng;
    const product = rng.pick(W.PRODUCTS);
    const pattern = rng.weighted(W.DEAL_PATTERNS);
    const dealName = fill(pattern, { product: product.name, city: account.city.city, year: new Date(created).getUTCFullYear() });
    const lead = opts.lead;
    const amount = roundTo(Math.min(120000, Math.max(3000, product.min + (product.max - product.min) * rng.next() * rng.next())), 500);
    const o: Opportunity = {
      id: '',
      name: `${shortName(account.name)} - ${dealName}`,
      product: product.name,
      account,
      contacts: account.contacts.filter((c) => c.created <= created).slice(-3),
      amount,
      created,
      owner,
      hist: [],
      expectedClose: day(created + rng.int(25, 120) * DAY),
      tags: [],
      body: rng.chance(0.6) ? `\n${fill(rng.pick(W.OPP_NOTES), { product: product.name })}\n` : '',
    };
    if (o.contacts.length > 1) o.contacts = rng.sample(o.contacts, rng.int(1, o.contacts.length));
    if (lead) {
      o.lead = lead;
      o.source = lead.source;
      if (lead.campaign) o.campaign = lead.campaign;
    } else if (account.opps.some((x) => x.won)) {
      o.tags.push(rng.pick(['upsell', 'renewal']));
    } else if (rng.chance(0.5)) {
      o.source = rng.weighted(W.LEAD_SOURCES.filter(([s]) => s !== 'campaign'));
    }
    if (rng.chance(0.2)) {
      const t = rng.pick(W.OPP_TAGS);
      if (!o.tags.includes(t)) o.tags.push(t);
    }
    if (o.body) o.body = fill(o.body, { contact: o.contacts[0]?.name ?? 'the IT manager' });
    const first = opts.first ?? (lead ? (rng.chance(0.6) ? 'qualification' : 'prospecting') : rng.chance(0.75) ? 'prospecting' : 'qualification');
    this.walkOpportunity(o, first, opts);
    account.opps.push(o);
    this.opps.push(o);
    return o;
  }

  private outcomes: ('won' | 'lost' | 'open')[] = [];

  private walkOpportunity(o: Opportunity, first: string, opts: { outcome?: 'won' | 'lost' | 'open'; fast?: boolean }): void {
    const rng = this.rng;
    const stages = this.openStages;
    if (this.outcomes.length === 0) this.outcomes = deck(rng, [['won', 50], ['lost', 30], ['open', 20]] as const, 20);
    const outcome = opts.outcome ?? this.outcomes.pop() ?? 'open';
    const startIdx = Math.max(0, stages.indexOf(first));
    const lastIdx = stages.length - 1;
    // Stage index where the walk stops: the last open stage before closing.
    const stopIdx =
      outcome === 'won' ? lastIdx : outcome === 'lost' ? rng.int(startIdx, lastIdx) : rng.int(startIdx, lastIdx);
    push(o.hist, o.created, stages[startIdx] ?? 'prospecting');
    const span = (): [number, number] => (opts.fast ? [2, 9] : [4, 24]);
    let idx = startIdx;
    let t = o.created;
    let movedBack = false;
    while (idx < stopIdx) {
      let next = idx + 1;
      if (next < stopIdx && !opts.fast && rng.chance(0.12)) next++; // skipped a stage
      const [lo, hi] = span();
      t = later(rng, t, lo, hi);
      if (t > this.E) return this.finishOpp(o);
      push(o.hist, t, stages[next] ?? 'negotiation', o.owner);
      if (!movedBack && !opts.fast && next >= 2 && next < stopIdx + 1 && rng.chance(0.08)) {
        // Sent back one stage (a new stakeholder, a revised scope) and then on again.
        movedBack = true;
        t = later(rng, t, 3, 12);
        if (t > this.E) return this.finishOpp(o);
        push(o.hist, t, stages[next - 1] ?? 'proposal', o.owner, rng.pick(['scope changed', 'new decision maker', 'budget review']));
        next = next - 1;
      }
      idx = next;
    }
    if (outcome === 'open') return this.finishOpp(o);
    const [lo, hi] = span();
    t = later(rng, t, lo, hi);
    if (t > this.E) return this.finishOpp(o);
    if (outcome === 'won') {
      push(o.hist, t, this.wonStage, o.owner);
      o.won = true;
    } else {
      o.lostReason = rng.pick(W.LOST_REASONS);
      push(o.hist, t, this.lostStage, o.owner, rng.chance(0.3) ? o.lostReason : undefined);
      o.won = false;
    }
    o.closedAt = t;
    this.finishOpp(o);
  }

  private finishOpp(o: Opportunity): void {
    const rng = this.rng;
    if (o.closedAt !== undefined) {
      // The last estimate before closing was close to the real date.
      o.expectedClose = day(Math.min(this.E, o.closedAt + rng.int(-20, 25) * DAY));
      if (o.expectedClose < day(o.created)) o.expectedClose = day(o.closedAt);
    }
  }

  private makeOpportunities(): void {
    const rng = this.rng;
    const reserve = this.winbackQuota();
    const nDirect = this.counts.opportunity - this.opps.length - reserve;
    const picker = this.accountPicker();
    if (picker.size === 0) return;
    // The accounts imported when the CRM started came with deals about to
    // close: most of them are customers within the first weeks.
    let made = 0;
    for (const a of this.accounts) {
      if (made >= nDirect / 3) break;
      if (a.created > this.S + 31 * DAY || a.kind !== 'company' || a.opps.length > 0 || !rng.chance(0.6)) continue;
      const created = between(rng, a.created, a.created + 3 * DAY);
      this.newOpportunity(a, created, a.owner, { outcome: 'won', fast: true, first: rng.chance(0.5) ? 'proposal' : 'negotiation' });
      made++;
    }
    // Half of the deals go to accounts that have none yet, the rest to any.
    const fresh = rng.shuffle(this.accounts.filter((a) => a.opps.length === 0 && a.kind === 'company' && a.created < this.E - 10 * DAY));
    for (let i = made; i < nDirect; i++) this.directOpportunity(picker, undefined, i < nDirect / 2 ? fresh.pop() : undefined);
    this.opps.sort((a, b) => a.created - b.created);
  }

  private accountPicker(): WeightedPicker<Account> {
    const eligible = this.accounts.filter((a) => a.created < this.E - 10 * DAY);
    return new WeightedPicker(eligible, (x) => x.weight * (x.kind === 'person' ? 0.3 : 1) * Math.min(1, (this.E - x.created) / (120 * DAY) + 0.2));
  }

  private directOpportunity(picker: WeightedPicker<Account>, outcome?: 'lost' | 'open', account?: Account): Opportunity {
    const rng = this.rng;
    const a = account ?? picker.pick(rng);
    const created = between(rng, a.created + 3 * DAY, this.E - DAY);
    const owner = rng.chance(0.85) ? a.owner : this.salesOwner();
    return this.newOpportunity(a, created, owner, outcome ? { outcome } : {});
  }

  // -------------------------------------------------------- account history

  private makeAccountHistories(): void {
    const rng = this.rng;
    interface Plan {
      account: Account;
      firstWin?: Opportunity;
      churn?: { at: number; reason: string };
      winback?: Opportunity;
    }
    const plans: Plan[] = this.accounts.map((account) => {
      const wins = account.opps.filter((o) => o.won).sort((x, y) => (x.closedAt ?? 0) - (y.closedAt ?? 0));
      const plan: Plan = { account };
      const first = wins[0];
      if (first) plan.firstWin = first;
      const lastWin = wins[wins.length - 1]?.closedAt;
      if (lastWin !== undefined && lastWin <= this.E - 150 * DAY && rng.chance(0.4)) {
        const at = later(rng, lastWin, 90, 330);
        if (at <= this.E - DAY) plan.churn = { at, reason: rng.pick(W.CHURN_REASONS) };
      }
      return plan;
    });
    // Win-backs: a former customer signs again.
    const quota = this.winbackQuota();
    let made = 0;
    // Leave most former customers gone: win back at most half of them.
    const formers = rng
      .shuffle(plans.filter((p) => p.churn && p.churn.at <= this.E - 75 * DAY))
      .slice(0, Math.floor(plans.filter((p) => p.churn).length / 2));
    const sleepers = rng.shuffle(
      plans.filter((p) => !p.churn && p.firstWin && lastWinOf(p.account) <= this.E - 200 * DAY),
    );
    for (const p of [...formers, ...sleepers]) {
      if (made >= quota) break;
      if (!p.churn) {
        const at = later(rng, lastWinOf(p.account), 90, Math.max(91, (this.E - 75 * DAY - lastWinOf(p.account)) / DAY));
        if (at > this.E - 75 * DAY) continue;
        p.churn = { at, reason: rng.pick(W.CHURN_REASONS) };
      }
      const created = between(rng, p.churn.at + 10 * DAY, Math.max(p.churn.at + 10 * DAY, this.E - 55 * DAY));
      const opp = this.newOpportunity(p.account, created, rng.chance(0.7) ? p.account.owner : this.salesOwner(), {
        outcome: 'won',
        fast: true,
      });
      if (!opp.won) {
        // Could not close in time (should not happen): keep it as an open deal.
        continue;
      }
      opp.tags = ['win-back'];
      p.winback = opp;
      made++;
    }
    // Small repositories show a few former customers whatever the dice said.
    const minFormers = this.counts.account < 100 ? Math.max(1, Math.round(this.counts.account * 0.08)) : 0;
    for (const p of plans) {
      if (plans.filter((x) => x.churn && !x.winback).length >= minFormers) break;
      if (p.churn || !p.firstWin || lastWinOf(p.account) > this.E - 180 * DAY) continue;
      p.churn = { at: between(rng, lastWinOf(p.account) + 120 * DAY, this.E - DAY), reason: rng.pick(W.CHURN_REASONS) };
    }
    // Whatever the win-backs did not use goes to ordinary deals that did not close.
    const picker = this.accountPicker();
    while (this.opps.length < this.counts.opportunity && picker.size > 0) {
      this.directOpportunity(picker, rng.chance(0.5) ? 'lost' : 'open');
    }
    this.opps.sort((a, b) => a.created - b.created);

    for (const p of plans) {
      const a = p.account;
      push(a.hist, a.created, 'prospect');
      if (p.firstWin?.closedAt !== undefined) {
        push(a.hist, p.firstWin.closedAt, 'customer', p.firstWin.owner);
        if (p.churn) {
          push(a.hist, p.churn.at, 'former', a.owner, p.churn.reason);
          if (p.winback?.closedAt !== undefined) push(a.hist, p.winback.closedAt, 'customer', p.winback.owner);
          else a.churnReason = p.churn.reason;
        }
      }
      let from: number | undefined;
      for (const e of a.hist) {
        if (e.to === 'customer') from = e.at;
        else if (from !== undefined) {
          a.intervals.push([from, e.at]);
          from = undefined;
        }
      }
      if (from !== undefined) a.intervals.push([from, Infinity]);
    }
  }

  // ------------------------------------------------------------------ cases

  private makeCases(): void {
    const rng = this.rng;
    const n = this.counts.case;
    const customers = this.accounts.filter((a) => a.intervals.length > 0);
    const spanDays = (this.E - this.S) / DAY;
    const recent = Math.min(n, Math.max(5, Math.round((n * 14) / spanDays)));
    const owners = this.support.length > 0 ? this.support : this.users;
    // Customer intervals overlapping [lo, hi] by more than an hour.
    const live = (a: Account, lo: number, hi: number): [number, number][] =>
      a.intervals.filter(([f, t]) => Math.min(t, hi) > Math.max(f, lo) + HOUR);
    const pools = new Map<string, WeightedPicker<Account>>();
    const poolFor = (lo: number, hi: number): WeightedPicker<Account> => {
      const key = `${lo}-${hi}`;
      let p = pools.get(key);
      if (!p) {
        p = new WeightedPicker(
          customers.filter((a) => live(a, lo, hi).length > 0),
          (a) => live(a, lo, hi).reduce((s, [f, t]) => s + Math.min(t, hi) - Math.max(f, lo), 0) / DAY + 1,
        );
        pools.set(key, p);
      }
      return p;
    };
    for (let i = 0; i < n; i++) {
      const isRecent = i >= n - recent;
      const j = i - (n - recent);
      const plan = isRecent ? (['new', 'open', 'pending', 'resolved', 'natural'] as const)[j % 5] ?? 'natural' : rng.chance(0.05) ? 'pending' : 'natural';
      let lo = isRecent ? this.E - (plan === 'new' ? 2 : 14) * DAY : this.S + DAY;
      let hi = plan === 'open' || plan === 'pending' ? this.E - 3 * DAY : plan === 'resolved' ? this.E - 8 * DAY : this.E;
      let pool = poolFor(lo, hi);
      if (pool.size === 0) {
        // No customer in the recent window (tiny repositories): any time will do.
        lo = this.S;
        hi = this.E;
        pool = poolFor(lo, hi);
      }
      let account: Account;
      let created: number;
      if (pool.size > 0) {
        account = pool.pick(rng);
        const [f, t] = rng.pick(live(account, lo, hi));
        created = between(rng, Math.max(f, lo) + MINUTE, Math.min(t, hi) - MINUTE);
      } else {
        // Nobody ever became a customer: requests come from prospects.
        account = rng.pick(this.accounts);
        created = between(rng, account.created, this.E);
      }
      const contacts = account.contacts.filter((c) => c.created <= created);
      const contact = contacts.length > 0 ? rng.pick(contacts) : undefined;
      const priority = rng.weighted(W.PRIORITIES);
      const subject = rng.pick(W.CASE_SUBJECTS);
      const owner = rng.pick(owners).handle;
      const k: Case = {
        id: '',
        subject,
        account,
        ...(contact ? { contact } : {}),
        priority,
        channel: rng.weighted(W.CASE_CHANNELS),
        created,
        owner,
        hist: [],
        tags: rng.chance(0.35) ? [rng.pick(W.CASE_TAGS)] : [],
        body: rng.chance(0.8) ? `\n${fill(rng.pick(W.CASE_NOTES), { contact: contact?.name ?? 'the customer' })}\n` : '',
      };
      this.walkCase(k, plan);
      this.cases.push(k);
    }
    this.cases.sort((a, b) => a.created - b.created);
  }

  private walkCase(k: Case, plan: 'new' | 'open' | 'pending' | 'resolved' | 'natural'): void {
    const rng = this.rng;
    const sla = this.sla[k.priority] ?? { first_response: 8, resolution: 72 };
    const snap = (t: number): number => (k.priority === 'urgent' ? t : officeForward(t, rng));
    push(k.hist, k.created, 'new');
    if (plan === 'new') return;
    // Recent cases held at a status answered on time (so that they got there before `end`).
    const frBreach = plan === 'natural' ? rng.chance(0.2) : false;
    const frH = frBreach ? rng.float(1.15, 3.5) * sla.first_response : rng.float(0.05, 0.9) * sla.first_response;
    let fr = snap(floorSecond(k.created + Math.max(2 * MINUTE, frH * HOUR)));
    if (fr <= k.created) fr = k.created + 2 * MINUTE;
    if (fr > this.E) return;
    push(k.hist, fr, 'open', k.owner);
    k.firstResponseAt = fr;
    if (plan === 'open') return;
    const resH = plan === 'resolved' || rng.chance(0.72) ? rng.float(0.15, 0.95) * sla.resolution : rng.float(1.05, 4) * sla.resolution;
    let res = snap(floorSecond(k.created + resH * HOUR));
    if (res <= fr + 10 * MINUTE) res = fr + rng.int(10, 120) * MINUTE;
    if (plan === 'pending' || rng.chance(0.3)) {
      const pendingAt = floorSecond(fr + Math.min(res - fr, 2 * DAY) * rng.float(0.2, 0.5));
      if (pendingAt > fr && pendingAt <= this.E) {
        push(k.hist, pendingAt, 'pending', k.owner, rng.pick(['waiting for the customer', 'waiting for logs', 'waiting for a part', undefined]));
        if (plan === 'pending') return;
        const reopen = floorSecond(pendingAt + (res - pendingAt) * rng.float(0.3, 0.8));
        if (reopen <= pendingAt || reopen > this.E) return;
        push(k.hist, reopen, 'open', k.owner);
      } else if (plan === 'pending') return;
    }
    if (res > this.E) return;
    push(k.hist, res, 'resolved', k.owner);
    k.resolvedAt = res;
    const breached = res - k.created > sla.resolution * HOUR;
    if (rng.chance(0.6)) {
      k.satisfaction = breached
        ? rng.weighted([[1, 15], [2, 20], [3, 30], [4, 25], [5, 10]] as const)
        : rng.weighted([[1, 3], [2, 7], [3, 15], [4, 35], [5, 40]] as const);
    }
    if (plan === 'resolved') return; // waiting for the customer to confirm
    const closed = later(rng, res, 2, 7);
    if (closed <= this.E) push(k.hist, closed, 'closed', k.owner);
  }

  // ----------------------------------------------------------- interactions

  private makeInteractions(): void {
    const rng = this.rng;
    const total = this.counts.interaction;
    const nTask = Math.max(total >= 20 ? 3 : 0, Math.round(total * 0.07));
    const nNormal = total - nTask;

    // Anchored: the moments the histories already tell about.
    type Anchor = () => Interaction | undefined;
    const anchors: Anchor[] = [];
    for (const l of this.leads) {
      if (l.source === 'web' || l.source === 'social') anchors.push(() => this.leadInteraction(l, l.created, 'enquiry'));
      for (const e of l.hist) if (e.to === 'contacted') anchors.push(() => this.leadInteraction(l, e.at, 'contacted'));
    }
    for (const o of this.opps) {
      for (const e of o.hist.slice(1)) anchors.push(() => this.oppInteraction(o, e.at, e.to));
    }
    for (const k of this.cases) {
      anchors.push(() => this.caseInteraction(k, k.created, 'opened'));
      if (k.firstResponseAt !== undefined) {
        const at = k.firstResponseAt;
        anchors.push(() => this.caseInteraction(k, at, 'response'));
      }
    }
    const nAnchored = Math.min(anchors.length, Math.round(nNormal * 0.55));
    const chosen = rng.sample(anchors, nAnchored);
    for (const make of chosen) {
      const x = make();
      if (x) this.interactions.push(x);
    }
    // Filler: everyday activity. Pick the moment first (a gently growing
    // business), then a record that is alive at that moment.
    const E = this.E;
    const oppIndex = new TimeIndex(this.S, E, this.opps, (o) => o.created, (o) => o.closedAt ?? E);
    const leadIndex = new TimeIndex(this.S, E, this.leads, (l) => l.created, (l) =>
      l.converted ? l.converted.at : Math.min(E, lastOf(l.hist).at + 10 * DAY),
    );
    const caseIndex = new TimeIndex(this.S, E, this.cases, (k) => k.created, (k) => k.resolvedAt ?? E);
    const campaignIndex = new TimeIndex(
      this.S,
      E,
      this.campaigns.filter((c) => c.startT <= E && c.leadUntil > c.startT),
      (c) => c.startT,
      (c) => Math.min(c.endT, E),
    );
    const contexts = [
      ['opp', 32],
      ['account', 26],
      ['lead', 14],
      ['case', 14],
      ['campaign', 14],
    ] as const;
    let guard = 0;
    while (this.interactions.length < nNormal && guard++ < nNormal * 50) {
      const at = trendBetween(rng, this.S + HOUR, E, 1.4);
      const ctx = rng.weighted(contexts);
      let x: Interaction | undefined;
      if (ctx === 'opp') {
        const o = oppIndex.pick(rng, at);
        if (o) x = this.oppInteraction(o, at, 'filler');
      } else if (ctx === 'account') {
        const n = countBefore(this.accounts, at + 1);
        if (n > 0) x = this.accountInteraction(this.accounts[rng.int(0, n - 1)] as Account, at);
      } else if (ctx === 'lead') {
        const l = leadIndex.pick(rng, at);
        if (l) x = this.leadInteraction(l, at, 'filler');
      } else if (ctx === 'case') {
        const k = caseIndex.pick(rng, at);
        if (k) x = this.caseInteraction(k, at, 'filler');
      } else {
        const c = campaignIndex.pick(rng, at);
        if (c) x = this.campaignInteraction(c, at);
      }
      if (x) this.interactions.push(x);
    }
    this.makeTasks(nTask, total);
    this.interactions.sort((a, b) => a.at - b.at);
  }

  private contactsAt(list: readonly Contact[], at: number, k: number): Contact[] {
    const ok = list.filter((c) => c.created <= at);
    return ok.length <= k ? ok : this.rng.sample(ok, k);
  }

  private kindAndDirection(
    kinds: readonly (readonly [string, number])[],
    inbound: number,
  ): { kind: string; direction?: 'inbound' | 'outbound' } {
    const rng = this.rng;
    const kind = rng.weighted(kinds);
    if (kind === 'note' || kind === 'meeting' || kind === 'task') return { kind };
    if (kind === 'visit') return { kind, direction: rng.chance(0.85) ? 'outbound' : 'inbound' };
    return { kind, direction: rng.chance(inbound) ? 'inbound' : 'outbound' };
  }

  private notes(vars: Record<string, string | undefined>, p = 0.75, pool: readonly string[] = W.INTERACTION_NOTES): string {
    const rng = this.rng;
    if (!rng.chance(p)) return '';
    const n = rng.chance(0.25) ? 2 : 1;
    return `\n${rng.sample(pool, n).map((t) => fill(t, vars)).join('\n\n')}\n`;
  }

  private outcomeFor(kind: string): string | undefined {
    const rng = this.rng;
    if (kind === 'call' && rng.chance(0.6)) return rng.pick(W.CALL_OUTCOMES);
    if ((kind === 'meeting' || kind === 'visit') && rng.chance(0.5)) return rng.pick(W.MEETING_OUTCOMES);
    return undefined;
  }

  private base(kd: { kind: string; direction?: 'inbound' | 'outbound' }, at: number, subject: string, owner: string, who?: string): Interaction {
    const personal = kd.kind === 'call' || kd.kind === 'sms' || kd.kind === 'chat' || kd.kind === 'visit' || kd.kind === 'meeting';
    const outcome = this.outcomeFor(kd.kind);
    return {
      id: '',
      kind: kd.kind,
      at,
      ...(kd.direction ? { direction: kd.direction } : {}),
      subject,
      contacts: [],
      ...(outcome ? { outcome } : {}),
      owner,
      tags: this.rng.chance(0.05) ? [this.rng.pick(['follow-up', 'important', 'internal'])] : [],
      body: '',
      idText: personal && who ? who : subject,
    };
  }

  private leadInteraction(l: Lead, at: number, why: 'enquiry' | 'contacted' | 'filler'): Interaction | undefined {
    const rng = this.rng;
    if (at < l.created || at > this.E) return undefined;
    let kd: { kind: string; direction?: 'inbound' | 'outbound' };
    let subject: string;
    const product = rng.pick(W.PRODUCTS).name;
    if (why === 'enquiry') {
      kd = l.source === 'social' ? { kind: 'social', direction: 'inbound' } : { kind: 'email', direction: 'inbound' };
      subject = fill(rng.pick(['Information on {product}', 'Request for a quote', 'Contact form: {product}']), { product });
    } else if (why === 'contacted') {
      kd = { kind: rng.chance(0.55) ? 'call' : 'email', direction: 'outbound' };
      subject = rng.pick(['First call', 'Intro email', 'Follow-up on the web enquiry', 'Sent company profile']);
    } else {
      kd = this.kindAndDirection([['call', 35], ['email', 40], ['social', 10], ['sms', 7], ['chat', 8]], 0.25);
      subject = fill(rng.pick(W.LEAD_SUBJECTS), { product });
    }
    const x = this.base(kd, at, subject, l.owner, l.name);
    x.lead = l;
    if (l.campaign && at <= l.campaign.leadUntil) x.campaign = l.campaign;
    x.body = this.notes({ contact: l.first, company: l.company, product, city: l.city.city }, 0.6);
    return x;
  }

  private oppInteraction(o: Opportunity, at: number, why: string): Interaction | undefined {
    const rng = this.rng;
    if (at < o.created || at > this.E) return undefined;
    let kd: { kind: string; direction?: 'inbound' | 'outbound' };
    let subject: string;
    switch (why) {
      case 'qualification':
        kd = rng.chance(0.5) ? { kind: 'meeting' } : { kind: 'call', direction: 'outbound' };
        subject = kd.kind === 'meeting' ? 'Discovery meeting' : 'Discovery call';
        break;
      case 'proposal':
        kd = { kind: 'email', direction: 'outbound' };
        subject = rng.pick(['Sent the proposal', 'Revised offer']);
        break;
      case 'negotiation':
        kd = rng.chance(0.5) ? { kind: 'meeting' } : { kind: 'call', direction: 'outbound' };
        subject = 'Negotiation on price and payment terms';
        break;
      case this.wonStage:
        kd = { kind: 'email', direction: 'inbound' };
        subject = 'Signed order received';
        break;
      case this.lostStage:
        kd = rng.chance(0.5) ? { kind: 'note' } : { kind: 'call', direction: 'inbound' };
        subject = `Lost: ${o.lostReason ?? 'no decision'}`;
        break;
      default:
        kd = this.kindAndDirection([['meeting', 22], ['call', 28], ['email', 30], ['visit', 10], ['note', 8], ['sms', 2]], 0.35);
        subject = fill(rng.pick(W.OPP_SUBJECTS), { product: o.product });
    }
    const contacts = this.contactsAt(o.contacts.length > 0 ? o.contacts : o.account.contacts, at, kd.kind === 'meeting' ? 2 : 1);
    const x = this.base(kd, at, subject, o.owner, contacts[0]?.name ?? o.account.name);
    x.account = o.account;
    x.opportunity = o;
    x.contacts = kd.kind === 'note' ? [] : contacts;
    x.body = this.notes({ contact: contacts[0]?.name ?? 'the buyer', company: o.account.name, product: o.product, city: o.account.city.city });
    return x;
  }

  private accountInteraction(a: Account, at: number): Interaction | undefined {
    const rng = this.rng;
    if (at < a.created || at > this.E) return undefined;
    const kd = this.kindAndDirection([['call', 25], ['email', 25], ['visit', 15], ['note', 18], ['meeting', 10], ['sms', 4], ['chat', 3]], 0.4);
    const contacts = this.contactsAt(a.contacts, at, kd.kind === 'meeting' ? 2 : 1);
    const x = this.base(kd, at, rng.pick(W.ACCOUNT_SUBJECTS), a.owner, contacts[0]?.name ?? a.name);
    x.account = a;
    x.contacts = kd.kind === 'note' ? [] : contacts;
    x.body = this.notes({ contact: contacts[0]?.name ?? 'the owner', company: a.name, product: rng.pick(W.PRODUCTS).name, city: a.city.city });
    return x;
  }

  private caseInteraction(k: Case, at: number, why: 'opened' | 'response' | 'filler'): Interaction | undefined {
    const rng = this.rng;
    if (at < k.created || at > this.E) return undefined;
    const byChannel: Record<string, string> = { email: 'email', phone: 'call', web: 'email', chat: 'chat', social: 'social', visit: 'visit', other: 'note' };
    const channelKind = byChannel[k.channel] ?? 'email';
    let kd: { kind: string; direction?: 'inbound' | 'outbound' };
    let subject: string;
    if (why === 'opened') {
      kd = channelKind === 'note' ? { kind: 'note' } : { kind: channelKind, direction: 'inbound' };
      subject = k.subject;
    } else if (why === 'response') {
      kd = channelKind === 'note' || channelKind === 'visit' ? { kind: 'call', direction: 'outbound' } : { kind: channelKind, direction: 'outbound' };
      subject = `Re: ${k.subject}`;
    } else {
      kd = this.kindAndDirection([['email', 35], ['call', 25], ['chat', 20], ['note', 12], ['sms', 3], ['visit', 5]], 0.5);
      subject = fill(rng.pick(W.CASE_INTERACTION_SUBJECTS), { case: k.subject });
    }
    const x = this.base(kd, at, subject, k.owner, k.contact?.name);
    if (k.account) x.account = k.account;
    x.kase = k;
    if (k.contact && kd.kind !== 'note') x.contacts = [k.contact];
    x.body = this.notes({ contact: k.contact?.name ?? 'the customer' }, 0.7, W.SUPPORT_NOTES);
    return x;
  }

  private campaignInteraction(c: Campaign, at: number): Interaction | undefined {
    const rng = this.rng;
    if (at < c.startT || at > this.E) return undefined;
    const contact = this.contactCreatedBy(at);
    const kd = this.kindAndDirection(W.CAMPAIGN_TOUCHES[c.kind], 0.15);
    const subject = fill(rng.pick(W.CAMPAIGN_SUBJECTS[c.kind]), { campaign: c.name });
    const x = this.base(kd, at, subject, c.owner, contact?.name);
    if (subject.startsWith('Reply to:') && x.direction) x.direction = 'inbound';
    x.campaign = c;
    if (contact) {
      x.contacts = [contact];
      if (contact.account) x.account = contact.account;
    }
    x.body = this.notes({}, 0.3, W.CAMPAIGN_NOTES);
    return x;
  }

  /** A random contact created at or before `at` (contacts are sorted by creation). */
  private contactCreatedBy(at: number): Contact | undefined {
    let lo = 0;
    let hi = this.contacts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.contacts[mid] as Contact).created <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.contacts[this.rng.int(0, lo - 1)];
  }

  private makeTasks(nTask: number, total: number): void {
    const rng = this.rng;
    const nOverdue = Math.round(nTask * 0.25);
    const nUpcoming = Math.max(nTask >= 3 ? 1 : 0, Math.round(nTask * 0.15));
    const openOpps = this.opps.filter((o) => o.closedAt === undefined);
    let guard = 0;
    let made = 0;
    while (made < nTask && this.interactions.length < total && guard++ < nTask * 100) {
      const category = made < nOverdue ? 'overdue' : made < nOverdue + nUpcoming ? 'upcoming' : 'done';
      let ctx = rng.weighted([['opp', 50], ['account', 25], ['lead', 15], ['case', 10]] as const);
      if (category === 'upcoming') ctx = openOpps.length > 0 && rng.chance(0.7) ? 'opp' : 'account';
      const lo = category === 'upcoming' ? this.E - 7 * DAY : this.S;
      const hi = category === 'upcoming' ? this.E : this.E - 3 * DAY;
      let owner: string;
      let from: number;
      let until: number;
      let who: string;
      let company: string | undefined;
      let contacts: Contact[] = [];
      const ref: Partial<Interaction> = {};
      if (ctx === 'opp') {
        const pool = category === 'upcoming' ? openOpps : this.opps;
        if (pool.length === 0) continue;
        const o = rng.pick(pool);
        owner = o.owner;
        from = o.created;
        until = o.closedAt ?? this.E;
        contacts = o.contacts;
        company = o.account.name;
        ref.opportunity = o;
        ref.account = o.account;
      } else if (ctx === 'account') {
        const a = rng.pick(this.accounts);
        owner = a.owner;
        from = a.created;
        until = this.E;
        contacts = a.contacts;
        company = a.name;
        ref.account = a;
      } else if (ctx === 'lead') {
        const l = rng.pick(this.leads);
        owner = l.owner;
        from = l.created;
        until = l.converted ? l.converted.at : lastOf(l.hist).at + 5 * DAY;
        company = l.company;
        who = l.name;
        ref.lead = l;
      } else {
        if (this.cases.length === 0) continue;
        const k = rng.pick(this.cases);
        owner = k.owner;
        from = k.created;
        until = k.resolvedAt ?? this.E;
        contacts = k.contact ? [k.contact] : [];
        company = k.account?.name;
        ref.kase = k;
        if (k.account) ref.account = k.account;
      }
      const a0 = Math.max(from, lo);
      const a1 = Math.min(until, hi);
      if (a1 <= a0 + HOUR) continue;
      const at = between(rng, a0, a1);
      const cs = this.contactsAt(contacts, at, 1);
      who = cs[0]?.name ?? (ref.lead ? ref.lead.name : 'the customer');
      const subject = fill(rng.pick(W.TASK_SUBJECTS), { contact: who, company: company ? shortName(company) : 'the customer', product: rng.pick(W.PRODUCTS).name });
      const x = this.base({ kind: 'task' }, at, subject, owner);
      Object.assign(x, ref);
      x.contacts = cs;
      const today = Math.floor(this.E / DAY) * DAY;
      if (category === 'upcoming') {
        x.due = day(today + rng.int(1, 14) * DAY);
      } else if (category === 'overdue') {
        x.due = day(Math.min(today - DAY, Math.floor(at / DAY) * DAY + rng.int(1, 10) * DAY));
      } else {
        const dueT = Math.min(today, Math.floor(at / DAY) * DAY + rng.int(1, 10) * DAY);
        x.due = day(dueT);
        const doneHi = Math.min(this.E, dueT + (rng.chance(0.8) ? 16 * HOUR : rng.int(2, 6) * DAY));
        if (doneHi <= at + 30 * MINUTE) continue;
        x.doneAt = between(rng, at + 30 * MINUTE, doneHi);
      }
      x.body = rng.chance(0.4) ? `\n${fill(rng.pick(W.INTERACTION_NOTES), { contact: who, company, product: 'the offer', city: 'Bologna' })}\n` : '';
      this.interactions.push(x);
      made++;
    }
    // Tiny repositories may not find room for every task: pad with notes.
    while (this.interactions.length < total) {
      const a = rng.pick(this.accounts);
      const x = this.accountInteraction(a, between(rng, a.created, this.E));
      if (x) this.interactions.push(x);
    }
  }

  // -------------------------------------------------------------------- ids

  private assignIds(): void {
    const assign = <T extends { id: string; created: number }>(list: T[], text: (x: T) => string, fallback: string): void => {
      const taken = new Set<string>();
      const sorted = list.slice().sort((a, b) => a.created - b.created);
      for (const x of sorted) {
        x.id = newId(text(x), (id) => taken.has(id), fallback);
        taken.add(x.id);
      }
    };
    assign(this.campaigns, (c) => c.name, 'campaign');
    assign(this.accounts, (a) => a.name, 'account');
    assign(this.contacts, (c) => c.name, 'contact');
    assign(this.leads, (l) => l.name, 'lead');
    assign(this.opps, (o) => o.name, 'opportunity');
    assign(this.cases, (k) => k.subject, 'case');
    const taken = new Set<string>();
    for (const x of this.interactions) {
      x.id = newId(`${day(x.at)} ${x.kind} ${x.idText}`, (id) => taken.has(id), 'interaction');
      taken.add(x.id);
    }
  }

  // ------------------------------------------------------------------ files

  private files(): GeneratedFile[] {
    const out: GeneratedFile[] = [
      { path: 'crm.yaml', content: this.configYaml() },
      { path: '.gitignore', content: '.crm/\n' },
    ];
    const write = (type: RecordType, id: string, data: Data, body: string): void => {
      out.push({ path: recordPath(type, id, data), content: serializeRecord(type, data, body) });
    };
    for (const a of byId(this.accounts)) write('account', a.id, accountData(a), a.body);
    for (const c of byId(this.contacts)) write('contact', c.id, contactData(c), c.body);
    for (const l of byId(this.leads)) write('lead', l.id, leadData(l), l.body);
    for (const o of byId(this.opps)) write('opportunity', o.id, oppData(o), o.body);
    for (const k of byId(this.cases)) write('case', k.id, caseData(k), k.body);
    for (const c of byId(this.campaigns)) write('campaign', c.id, campaignData(c), c.body);
    for (const x of this.interactions) write('interaction', x.id, interactionData(x), x.body);
    return out;
  }

  private configYaml(): string {
    const prob = (p: number): string => (Number.isInteger(p) ? p.toFixed(1) : String(p));
    const lines = [
      `name: ${W.COMPANY.name}`,
      'currency: EUR',
      'timezone: Europe/Rome',
      'users:',
      ...this.users.map((u) => `  - {handle: ${u.handle}, name: ${u.name}, email: ${u.email}}`),
      'pipeline:',
      '  stages:                 # in order; probabilities feed the weighted pipeline',
      ...DEFAULT_STAGES.map((s) => `    - {id: ${s.id}, probability: ${prob(s.probability)}${s.closed ? `, closed: ${s.closed}` : ''}}`),
      'cases:',
      '  sla:                    # hours; first response and resolution targets per priority',
      ...Object.entries(this.sla).map(([p, v]) => `    ${`${p}:`.padEnd(7)} {first_response: ${v.first_response}, resolution: ${v.resolution}}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}

/** Records alive in an interval, bucketed by week, to find one alive at a moment. */
class TimeIndex<T> {
  private readonly buckets: T[][] = [];
  private static readonly WIDTH = 7 * DAY;

  constructor(
    private readonly start: number,
    end: number,
    items: readonly T[],
    private readonly from: (x: T) => number,
    private readonly to: (x: T) => number,
  ) {
    const n = Math.floor((end - start) / TimeIndex.WIDTH) + 1;
    for (let i = 0; i < n; i++) this.buckets.push([]);
    for (const it of items) {
      const a = Math.max(0, Math.floor((from(it) - start) / TimeIndex.WIDTH));
      const b = Math.min(n - 1, Math.floor((to(it) - start) / TimeIndex.WIDTH));
      for (let i = a; i <= b; i++) this.buckets[i]?.push(it);
    }
  }

  /** A random item alive at `t` (from ≤ t ≤ to), or undefined after a few tries. */
  pick(rng: Random, t: number): T | undefined {
    const bucket = this.buckets[Math.floor((t - this.start) / TimeIndex.WIDTH)];
    if (!bucket || bucket.length === 0) return undefined;
    for (let k = 0; k < 6; k++) {
      const it = bucket[rng.int(0, bucket.length - 1)] as T;
      if (this.from(it) <= t && t <= this.to(it)) return it;
    }
    return undefined;
  }
}

/** How many of `list` (sorted by created) were created before `t`. */
function countBefore(list: readonly { created: number }[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as { created: number }).created < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lastWinOf(a: Account): number {
  let t = -Infinity;
  for (const o of a.opps) if (o.won && o.closedAt !== undefined && o.closedAt > t) t = o.closedAt;
  return t;
}

function shortName(name: string): string {
  return name.replace(/ (Srl|S\.p\.A\.|Snc|Sas)$/, '');
}

function byId<T extends { id: string }>(list: T[]): T[] {
  return list.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const CONTACT_NOTES: readonly string[] = [
  'Prefers a call to email.',
  'Speaks German and English.',
  'Reachable on WhatsApp.',
  'Back from parental leave in March.',
  'Signs off every order above 10k.',
  'Ex customer of a competitor; knows the market well.',
];

function campaignBody(c: Campaign, kind: W.CampaignKind): string {
  const goal: Record<W.CampaignKind['kind'], string> = {
    fair: 'Stand with live demos of the MES and IoT kits. Goal: 40 qualified conversations.',
    newsletter: 'Monthly mailing to customers and prospects: case studies, tax-credit news, webinars.',
    webinar: 'Free one-hour webinar with a customer testimonial and a Q&A session.',
    social: 'Sponsored posts and lead-gen forms targeting operations and IT managers.',
    mail: 'Printed mailing with a voucher for a free assessment.',
    roadshow: 'Breakfast seminars with local industrial associations.',
  };
  return `## Goal\n\n${goal[kind.kind]}\n\nSegment: \`${c.segment}\``;
}

// ------------------------------------------------------------- front matter

function history(hist: Entry[]): Data[] {
  return hist.map((e) => {
    const d: Data = { at: ts(e.at) };
    if (e.from !== undefined) d.from = e.from;
    d.to = e.to;
    if (e.by !== undefined) d.by = e.by;
    if (e.note !== undefined) d.note = e.note;
    return d;
  });
}

function updated(created: number, ...times: (number | undefined)[]): string | undefined {
  let max = created;
  for (const t of times) if (t !== undefined && t > max) max = t;
  return max > created ? ts(max) : undefined;
}

function accountData(a: Account): Data {
  const status = lastOf(a.hist).to;
  return {
    name: a.name,
    ...(a.kind === 'person' ? { kind: 'person' } : {}),
    status,
    industry: a.industry,
    website: a.website,
    email: a.email,
    phone: a.phone,
    address: { street: a.street, city: a.city.city, postcode: a.city.postcode, region: a.city.region, country: 'IT' },
    employees: a.employees,
    annual_revenue: a.revenue,
    parent: a.parent?.id,
    churn_reason: status === 'former' ? a.churnReason : undefined,
    owner: a.owner,
    tags: a.tags,
    created: ts(a.created),
    updated: updated(a.created, lastOf(a.hist).at),
    history: history(a.hist),
  };
}

function contactData(c: Contact): Data {
  return {
    name: c.name,
    email: c.email,
    phone: c.phone,
    title: c.title,
    account: c.account?.id,
    consent: c.consent ? { marketing: c.consent.marketing, at: ts(c.consent.at), source: c.consent.source } : undefined,
    address: c.address,
    birthday: c.birthday,
    owner: c.owner,
    tags: c.tags,
    created: ts(c.created),
  };
}

function leadData(l: Lead): Data {
  return {
    name: l.name,
    company: l.company,
    title: l.title,
    email: l.email,
    phone: l.phone,
    source: l.source,
    campaign: l.campaign?.id,
    status: lastOf(l.hist).to,
    score: l.score,
    disqualified_reason: l.disqualifiedReason,
    converted: l.converted
      ? {
          at: ts(l.converted.at),
          account: l.converted.account.id,
          contact: l.converted.contact.id,
          opportunity: l.converted.opportunity.id,
        }
      : undefined,
    owner: l.owner,
    tags: l.tags,
    created: ts(l.created),
    updated: updated(l.created, lastOf(l.hist).at),
    history: history(l.hist),
  };
}

function oppData(o: Opportunity): Data {
  return {
    name: o.name,
    account: o.account.id,
    contacts: o.contacts.map((c) => c.id),
    amount: o.amount,
    stage: lastOf(o.hist).to,
    expected_close: o.expectedClose,
    closed_on: o.closedAt !== undefined ? day(o.closedAt) : undefined,
    lost_reason: o.lostReason,
    lead: o.lead?.id,
    source: o.source,
    campaign: o.campaign?.id,
    owner: o.owner,
    tags: o.tags,
    created: ts(o.created),
    updated: updated(o.created, lastOf(o.hist).at),
    history: history(o.hist),
  };
}

function caseData(k: Case): Data {
  return {
    subject: k.subject,
    account: k.account?.id,
    contact: k.contact?.id,
    priority: k.priority,
    status: lastOf(k.hist).to,
    channel: k.channel,
    first_response_at: k.firstResponseAt !== undefined ? ts(k.firstResponseAt) : undefined,
    resolved_at: k.resolvedAt !== undefined ? ts(k.resolvedAt) : undefined,
    satisfaction: k.satisfaction,
    owner: k.owner,
    tags: k.tags,
    created: ts(k.created),
    updated: updated(k.created, lastOf(k.hist).at),
    history: history(k.hist),
  };
}

function campaignData(c: Campaign): Data {
  return {
    name: c.name,
    status: lastOf(c.hist).to,
    channel: c.channel,
    start: day(c.startT),
    end: day(c.endT),
    budget: c.budget,
    cost: c.cost,
    segment: c.segment,
    owner: c.owner,
    tags: c.tags,
    created: ts(c.created),
    updated: updated(c.created, lastOf(c.hist).at),
    history: history(c.hist),
  };
}

function interactionData(x: Interaction): Data {
  return {
    kind: x.kind,
    at: ts(x.at),
    direction: x.direction,
    subject: x.subject,
    account: x.account?.id,
    contacts: x.contacts.map((c) => c.id),
    lead: x.lead?.id,
    opportunity: x.opportunity?.id,
    case: x.kase?.id,
    campaign: x.campaign?.id,
    outcome: x.outcome,
    due: x.due,
    done_at: x.doneAt !== undefined ? ts(x.doneAt) : undefined,
    owner: x.owner,
    tags: x.tags,
    created: ts(x.at),
    updated: x.doneAt !== undefined ? ts(x.doneAt) : undefined,
  };
}

/** Generate a whole repository: crm.yaml, .gitignore and every record file. */
export function generateRepository(options: GenerateOptions): GeneratedFile[] {
  return new Generator(options).run();
}
