/**
 * Duplicate detection before a lead becomes a contact and an account (pure).
 *
 * Contacts: the same normalised email (strong) or phone (weak).
 * Accounts: the same web/email domain (strong; free-mail domains such as
 * gmail.com never count), the same name ignoring case, punctuation and
 * legal suffixes (strong when only case and punctuation differ, weak when
 * the legal suffixes differ too: "Acme Srl" and "Acme S.p.A." may be two
 * companies), the account of a contact that matched, and for a lead with no
 * company, a person account with the lead's email (strong) or name (weak).
 */
import type { Data } from './frontmatter.js';
import type { CrmRecord } from './record.js';
import { recordTitle } from './record.js';

export type Strength = 'strong' | 'weak';

export interface Candidate {
  id: string;
  name: string;
  /** Why it looks like the same one, for people: "same email jane@acme.example". */
  reason: string;
  strength: Strength;
}

export interface Candidates {
  accounts: Candidate[];
  contacts: Candidate[];
}

/** Shared mailbox providers: two people on gmail.com are not one company. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.it', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'ymail.com',
  'hotmail.com', 'hotmail.it', 'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'outlook.com', 'outlook.it',
  'live.com', 'live.it', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'gmx.com', 'gmx.de',
  'gmx.net', 'web.de', 't-online.de', 'orange.fr', 'free.fr', 'wanadoo.fr', 'laposte.net', 'mail.com',
  'proton.me', 'protonmail.com', 'pm.me', 'tutanota.com', 'yandex.com', 'yandex.ru', 'zoho.com', 'hey.com',
  'fastmail.com', 'qq.com', '163.com',
  // Italian providers and certified mail (PEC) services
  'libero.it', 'virgilio.it', 'tiscali.it', 'alice.it', 'tin.it', 'tim.it', 'fastwebnet.it', 'email.it',
  'inwind.it', 'iol.it', 'katamail.com', 'pec.it', 'legalmail.it', 'arubapec.it', 'postecert.it', 'pec.libero.it',
]);

/**
 * Legal-form words dropped from the end of a company name before comparing.
 * Dotted forms ("S.p.A.", "S. r. l.") are first joined into one word.
 */
export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  // Italy
  'srl', 'srls', 'spa', 'snc', 'sas', 'sapa', 'scarl', 'scrl', 'sc', 'scpa', 'ss', 'onlus',
  // English-speaking
  'ltd', 'limited', 'inc', 'incorporated', 'corp', 'corporation', 'llc', 'llp', 'lp', 'plc', 'pty',
  // German-speaking, Dutch, Nordic, French, Spanish, Central Europe
  'gmbh', 'ag', 'kg', 'ohg', 'ug', 'eg', 'kgaa', 'se', 'bv', 'nv', 'vof', 'oy', 'oyj', 'ab', 'as', 'asa', 'aps',
  'sa', 'sarl', 'sasu', 'eurl', 'sl', 'slu', 'sro', 'spzoo', 'kft', 'doo', 'ad',
]);

/** "  Jane.Roe@ACME.example " → "jane.roe@acme.example"; undefined when it is not an address. */
export function normalizeEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const e = value.trim().replace(/^mailto:/i, '').toLowerCase();
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e) ? e : undefined;
}

/**
 * Digits only, with the Italian country code removed so that national and
 * international spellings agree: "+39 02 1234 5678", "0039 02-12345678" and
 * "02 12345678" → "0212345678". Other international numbers keep their
 * country code behind a "+": "+44 20 7946 0000" → "+442079460000".
 * Fewer than 6 digits is not a phone number (undefined).
 */
export function normalizePhone(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  let s = String(value).trim();
  // an extension or a second number after the first is not part of it
  s = s.split(/\s*(?:[,;]|\b(?:ext|int|interno)\.?\s)/i)[0] ?? s;
  const international = s.startsWith('+') || s.startsWith('00');
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('00')) digits = digits.slice(2);
  let out: string;
  if (international) out = digits.startsWith('39') ? digits.slice(2) : `+${digits}`;
  else out = digits;
  return out.replace(/^\+/, '').length >= 6 ? out : undefined;
}

/** The domain of an email address, lowercased. */
export function emailDomain(value: unknown): string | undefined {
  const e = normalizeEmail(value);
  return e ? e.slice(e.indexOf('@') + 1) : undefined;
}

/** "https://www.Acme.example/it/" → "acme.example". */
export function websiteDomain(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^[^@/]*@/, '')
    .split(/[/?#:]/)[0];
  const d = (host ?? '').replace(/^www\d*\./, '').replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d) ? d : undefined;
}

/** Whether a domain is a shared mailbox provider (or a subdomain of one). */
export function isFreeMail(domain: string): boolean {
  if (FREE_MAIL_DOMAINS.has(domain)) return true;
  for (const d of FREE_MAIL_DOMAINS) if (domain.endsWith(`.${d}`)) return true;
  return false;
}

/** A company's own domain from an email or website, or undefined (none, or free mail). */
function companyDomain(value: unknown, kind: 'email' | 'website'): string | undefined {
  const d = kind === 'email' ? emailDomain(value) : websiteDomain(value);
  return d && !isFreeMail(d) ? d : undefined;
}

function words(name: string): string[] {
  const tokens = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/([a-z0-9])\.(?=[a-z0-9])/g, '$1') // "s.p.a." → "spa."
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  // "s r l" (from "S. r. l.") → "srl": join runs of single letters
  const out: string[] = [];
  let run = '';
  for (const t of tokens) {
    if (t.length === 1 && /[a-z]/.test(t)) {
      run += t;
      continue;
    }
    if (run) out.push(run);
    run = '';
    out.push(t);
  }
  if (run) out.push(run);
  return out;
}

/**
 * A company name reduced for comparison: lowercase, no accents or
 * punctuation, legal suffixes ("Srl", "S.p.A.", "GmbH", "& C.") dropped from
 * the end. "ACME S.r.l." and "Acme srl" and "Acme" → "acme".
 */
export function normalizeCompanyName(name: unknown): string {
  if (typeof name !== 'string') return '';
  const w = words(name);
  for (;;) {
    const last = w[w.length - 1];
    if (w.length > 1 && last !== undefined && LEGAL_SUFFIXES.has(last)) {
      w.pop();
      continue;
    }
    // "Rossi & C." / "Rossi e C." / "Smith & Co"
    if (w.length > 2 && (last === 'c' || last === 'co') && (w[w.length - 2] === 'and' || w[w.length - 2] === 'e')) {
      w.splice(-2, 2);
      continue;
    }
    break;
  }
  return w.join(' ');
}

/** The name as words, without the suffix stripping: "Acme S.r.l." → "acme srl". */
function plainName(name: unknown): string {
  return typeof name === 'string' ? words(name).join(' ') : '';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

interface Hit {
  record: CrmRecord;
  reason: string;
  strength: Strength;
}

function merge(hits: Hit[]): Candidate[] {
  const byId = new Map<string, { record: CrmRecord; reasons: string[]; strength: Strength }>();
  for (const h of hits) {
    const seen = byId.get(h.record.id);
    if (!seen) byId.set(h.record.id, { record: h.record, reasons: [h.reason], strength: h.strength });
    else {
      if (!seen.reasons.includes(h.reason)) seen.reasons.push(h.reason);
      if (h.strength === 'strong') seen.strength = 'strong';
    }
  }
  return [...byId.values()]
    .sort((a, b) => (a.strength === b.strength ? a.record.id.localeCompare(b.record.id) : a.strength === 'strong' ? -1 : 1))
    .map((x) => ({ id: x.record.id, name: recordTitle(x.record), reason: x.reasons.join('; '), strength: x.strength }));
}

/** Contacts that may be the lead's person: same email (strong), same phone (weak). */
export function contactCandidates(lead: Data, records: readonly CrmRecord[]): Candidate[] {
  const email = normalizeEmail(lead.email);
  const phone = normalizePhone(lead.phone);
  const hits: Hit[] = [];
  for (const r of records) {
    if (r.type !== 'contact') continue;
    if (email && normalizeEmail(r.data.email) === email) hits.push({ record: r, reason: `same email ${email}`, strength: 'strong' });
    if (phone && normalizePhone(r.data.phone) === phone) hits.push({ record: r, reason: `same phone ${String(r.data.phone)}`, strength: 'weak' });
  }
  return merge(hits);
}

/**
 * Accounts that may be the lead's company (or, with no company, the lead's
 * person account). `contacts` are the contact candidates: their accounts
 * are candidates too, as strong or weak as the contact match.
 */
export function accountCandidates(lead: Data, records: readonly CrmRecord[], contacts: readonly Candidate[] = []): Candidate[] {
  const company = str(lead.company);
  const domains = new Set<string>();
  for (const d of [companyDomain(lead.email, 'email'), companyDomain(lead.website, 'website')]) if (d) domains.add(d);
  const wanted = company ? normalizeCompanyName(company) : '';
  const wantedPlain = company ? plainName(company) : '';
  const leadEmail = normalizeEmail(lead.email);
  const leadName = plainName(lead.name);
  const accounts = records.filter((r) => r.type === 'account');
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const hits: Hit[] = [];

  for (const a of accounts) {
    const person = a.data.kind === 'person';
    for (const [key, kind] of [['website', 'website'], ['email', 'email']] as const) {
      const d = companyDomain(a.data[key], kind);
      if (d && domains.has(d)) hits.push({ record: a, reason: `same domain ${d} (${key})`, strength: 'strong' });
    }
    if (company && !person && wanted) {
      if (normalizeCompanyName(a.data.name) === wanted) {
        const exact = plainName(a.data.name) === wantedPlain;
        hits.push({
          record: a,
          reason: exact ? `same name "${String(a.data.name)}"` : `same name ignoring legal form ("${String(a.data.name)}")`,
          strength: exact ? 'strong' : 'weak',
        });
      }
    }
    if (!company && person) {
      if (leadEmail && normalizeEmail(a.data.email) === leadEmail) hits.push({ record: a, reason: `person account with email ${leadEmail}`, strength: 'strong' });
      if (leadName && plainName(a.data.name) === leadName) hits.push({ record: a, reason: `person account named "${String(a.data.name)}"`, strength: 'weak' });
    }
  }

  // Accounts whose contacts share the lead's company domain or matched the lead.
  const matched = new Map(contacts.map((c) => [c.id, c]));
  for (const c of records) {
    if (c.type !== 'contact') continue;
    const accountId = str(c.data.account);
    const account = accountId ? byId.get(accountId) : undefined;
    if (!account) continue;
    const m = matched.get(c.id);
    if (m) hits.push({ record: account, reason: `account of contact ${c.id} (${m.reason})`, strength: m.strength });
    const d = companyDomain(c.data.email, 'email');
    if (d && domains.has(d)) hits.push({ record: account, reason: `contact ${c.id} has an address at ${d}`, strength: 'strong' });
  }
  return merge(hits);
}

/** All duplicate candidates of a lead. */
export function findDuplicates(lead: Data, records: readonly CrmRecord[]): Candidates {
  const contacts = contactCandidates(lead, records);
  return { accounts: accountCandidates(lead, records, contacts), contacts };
}
