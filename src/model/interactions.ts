/**
 * Interactions and tasks (pure): reading the moments users type (`--at`,
 * `--due`) in the CRM's time zone, the links of a logged interaction, its
 * id, the first response it gives to a case, and the agenda of open tasks.
 *
 * Times are written in UTC with `Z` (docs/format.md); "local" means the
 * IANA zone of crm.yaml (`timezone`).
 */
import { NotFoundError, UsageError } from '../errors.js';
import { assertRespondable, caseSla, compareUrgency, isCaseOpen, withFirstResponse, type CaseSla } from './cases.js';
import { assertValid, createRecord, existsIn, timestamp, updateExisting, type Actor } from './change.js';
import type { Config } from './config.js';
import type { Data } from './frontmatter.js';
import { slugify } from './ids.js';
import { recordTitle, type CrmRecord } from './record.js';
import type { Change } from './repo.js';
import type { RecordType } from './schema.js';
import { instantOf } from './validate.js';

/** Kinds `crm log` writes (tasks come from `crm task add`). */
export const LOG_KINDS = ['call', 'email', 'meeting', 'note', 'sms', 'chat', 'social', 'visit'] as const;
export type LogKind = (typeof LOG_KINDS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------
// Time zones

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    partFormatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in `timeZone`. */
export function localParts(instant: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
export function zoneOffset(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which the clocks of `timeZone` read the given wall time.
 * A time skipped by a DST change resolves to the moment after the gap; a
 * repeated one to its first occurrence.
 */
export function zonedInstant(p: LocalParts, timeZone: string): number {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const first = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(first, timeZone);
  if (first === second) return first;
  // Around a DST change: prefer the earlier reading that matches.
  const candidates = [first, second].sort((a, b) => a - b);
  for (const c of candidates) {
    const q = localParts(c, timeZone);
    if (q.hour === p.hour && q.minute === p.minute && q.day === p.day) return c;
  }
  return Math.max(first, second);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD` of an instant in `timeZone`. */
export function localDate(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** A calendar date `n` days after `date` (YYYY-MM-DD). */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * DAY;
  return new Date(t).toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The first instant of a local calendar day. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return zonedInstant({ year: y ?? 1970, month: m ?? 1, day: d ?? 1, hour: 0, minute: 0, second: 0 }, timeZone);
}

// ---------------------------------------------------------------------------
// Moments typed by users

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const OFFSET_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const CLOCK_RE = /^(\d{1,2}):(\d{2})$/;
const RELATIVE_RE = /^([+-])(\d+)(m|min|h|d|w)$/;
const UNITS: Record<string, number> = { m: MINUTE, min: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/**
 * A moment as written in a file: either a bare date (kept as typed; it means
 * that whole day) or a UTC timestamp.
 */
export interface Moment {
  /** What to write: `2026-11-20` or `2026-11-20T09:30:00Z`. */
  value: string;
  /** The instant it stands for (a bare date: its local midnight). */
  instant: number;
  /** True when only a date was given. */
  dateOnly: boolean;
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function badMoment(text: string, flag: string): UsageError {
  return new UsageError(`${flag} "${text}" is not a date or time`, {
    hint: `Write ${flag} as 2026-11-20, "2026-11-20 14:30" (local time), 2026-11-20T13:30:00Z, "today 9:15", "yesterday 16:00", 14:30 or -2h.`,
  });
}

/**
 * Read a moment typed on the command line. Without an offset the time is
 * local (crm.yaml's zone). Accepted: ISO timestamps with Z or an offset;
 * `YYYY-MM-DD HH:MM[:SS]` (local); `YYYY-MM-DD` (a date); `today`,
 * `yesterday`, `tomorrow`, each optionally followed by `HH:MM`; `HH:MM`
 * (today); `-2h`, `-30m`, `+1d` (relative to now).
 */
export function parseMoment(text: string, timeZone: string, now: Date, flag = '--at'): Moment {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (OFFSET_RE.test(t)) {
    const ms = Date.parse(t.replace(' ', 'T'));
    const ymd = t.slice(0, 10).split('-').map(Number);
    if (Number.isNaN(ms) || !realDate(ymd[0] ?? 0, ymd[1] ?? 0, ymd[2] ?? 0)) throw badMoment(text, flag);
    return { value: iso(Math.floor(ms / 1000) * 1000), instant: ms, dateOnly: false };
  }
  const date = DATE_RE.exec(t);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!realDate(y, m, d)) throw badMoment(text, flag);
    return { value: t, instant: startOfLocalDay(t, timeZone), dateOnly: true };
  }
  const local = LOCAL_RE.exec(t);
  if (local) {
    const [y, m, d, h, mi, s] = local.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
    if (!realDate(y, m, d) || h > 23 || mi > 59 || s > 59) throw badMoment(text, flag);
    const ms = zonedInstant({ year: y, month: m, day: d, hour: h, minute: mi, second: s }, timeZone);
    return { value: iso(ms), instant: ms, dateOnly: false };
  }
  const rel = RELATIVE_RE.exec(lower);
  if (rel) {
    const ms = now.getTime() + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * (UNITS[rel[3] ?? 'm'] ?? MINUTE);
    const whole = Math.floor(ms / 1000) * 1000;
    return { value: iso(whole), instant: whole, dateOnly: false };
  }
  const words = /^(today|yesterday|tomorrow)(?:\s+(\d{1,2}):(\d{2}))?$/.exec(lower);
  const clock = CLOCK_RE.exec(lower);
  if (words || clock) {
    const today = localDate(now.getTime(), timeZone);
    const shift = words?.[1] === 'yesterday' ? -1 : words?.[1] === 'tomorrow' ? 1 : 0;
    const day = addDays(today, shift);
    const hh = words ? words[2] : clock?.[1];
    const mm = words ? words[3] : clock?.[2];
    if (hh === undefined || mm === undefined) {
      return { value: day, instant: startOfLocalDay(day, timeZone), dateOnly: true };
    }
    const [h, mi] = [Number(hh), Number(mm)];
    if (h > 23 || mi > 59) throw badMoment(text, flag);
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const ms = zonedInstant({ year: y, month: m, day: d, hour: h, minute: mi, second: 0 }, timeZone);
    return { value: iso(ms), instant: ms, dateOnly: false };
  }
  throw badMoment(text, flag);
}

/** True when `m` lies after `now` (a bare date: after today, locally). */
export function isFuture(m: Moment, now: Date, timeZone: string): boolean {
  if (m.dateOnly) return m.value > localDate(now.getTime(), timeZone);
  return m.instant > now.getTime();
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * A task's `--due`: a date (`2026-11-27`, `today`, `tomorrow`, `+3d`, `+2w`,
 * a weekday name meaning the next such day after today) or a time (anything
 * `parseMoment` reads with a time of day).
 */
export function parseDue(text: string, timeZone: string, now: Date): Moment {
  const lower = text.trim().toLowerCase();
  const today = localDate(now.getTime(), timeZone);
  const days = /^\+(\d+)(d|w)$/.exec(lower);
  if (days) {
    const date = addDays(today, Number(days[1]) * (days[2] === 'w' ? 7 : 1));
    return { value: date, instant: startOfLocalDay(date, timeZone), dateOnly: true };
  }
  const wd = WEEKDAYS.findIndex((w) => w === lower || w.slice(0, 3) === lower);
  if (wd >= 0) {
    const todayWd = isoWeekday(today);
    let ahead = wd + 1 - todayWd;
    if (ahead <= 0) ahead += 7;
    const date = addDays(today, ahead);
    return { value: date, instant: startOfLocalDay(date, timeZone), dateOnly: true };
  }
  return parseMoment(text, timeZone, now, '--due');
}

export function parseDirection(text: string): 'inbound' | 'outbound' {
  const t = text.trim().toLowerCase();
  if (['in', 'inbound', 'incoming'].includes(t)) return 'inbound';
  if (['out', 'outbound', 'outgoing'].includes(t)) return 'outbound';
  throw new UsageError(`--direction "${text}" is not in or out`, { hint: 'Use --direction in (they reached us) or --direction out (we reached them).' });
}

export function parseKind(text: string): LogKind {
  const t = text.trim().toLowerCase();
  if ((LOG_KINDS as readonly string[]).includes(t)) return t as LogKind;
  if (t === 'task') {
    throw new UsageError('tasks are added with `crm task add`', { hint: 'Run `crm task add "TEXT" --due DATE --about ID`.' });
  }
  throw new UsageError(`"${text}" is not a kind of interaction`, { hint: `Use one of: ${LOG_KINDS.join(', ')}.` });
}

// ---------------------------------------------------------------------------
// Links and ids

/** The reference fields of an interaction, as planned from --with and --about. */
export interface Links {
  account?: string;
  contacts: string[];
  lead?: string;
  opportunity?: string;
  case?: string;
  campaign?: string;
}

/** Types `--about` accepts (a contact there is the same as --with). */
export const ABOUT_TYPES: readonly RecordType[] = ['account', 'contact', 'lead', 'opportunity', 'case', 'campaign'];

/**
 * The links of a new interaction from the contacts it was with and the
 * records it is about. An interaction has at most one account, lead,
 * opportunity, case and campaign: naming two is a usage error. Without an
 * account, it is taken from the first contact that has one, else from the
 * opportunity, else from the case.
 */
export function linksFor(withContacts: readonly CrmRecord[], about: readonly CrmRecord[]): Links {
  const links: Links = { contacts: [] };
  const addContact = (c: CrmRecord) => {
    if (!links.contacts.includes(c.id)) links.contacts.push(c.id);
  };
  for (const c of withContacts) addContact(c);
  for (const r of about) {
    if (r.type === 'contact') {
      addContact(r);
      continue;
    }
    const key = r.type as Exclude<keyof Links, 'contacts'>;
    if (r.type === 'interaction' || !(key in { account: 1, lead: 1, opportunity: 1, case: 1, campaign: 1 })) {
      throw new UsageError(`--about ${r.type}/${r.id}: an interaction cannot be about a ${r.type}`, {
        hint: 'Use --about with an account, lead, opportunity, case or campaign.',
      });
    }
    const current = links[key];
    if (current !== undefined && current !== r.id) {
      throw new UsageError(`an interaction is about one ${r.type}, but --about names ${current} and ${r.id}`, {
        hint: `Log one interaction per ${r.type}, or keep the main one.`,
      });
    }
    links[key] = r.id;
  }
  if (links.account === undefined) {
    const fromContact = withContacts.concat(about.filter((r) => r.type === 'contact')).find((c) => typeof c.data.account === 'string' && c.data.account);
    const opp = about.find((r) => r.type === 'opportunity');
    const kase = about.find((r) => r.type === 'case');
    const derived = [fromContact, opp, kase].map((r) => r?.data.account).find((a): a is string => typeof a === 'string' && a !== '');
    if (derived) links.account = derived;
  }
  return links;
}

/** Front-matter keys for `links` (empty ones left out). */
export function linkData(links: Links): Data {
  const out: Data = {};
  if (links.account) out.account = links.account;
  if (links.contacts.length > 0) out.contacts = [...links.contacts];
  for (const k of ['lead', 'opportunity', 'case', 'campaign'] as const) if (links[k]) out[k] = links[k];
  return out;
}

/**
 * `<yyyy-mm-dd>-<kind>-<slug>`: the date of `at` as written (UTC, like its
 * month folder), the kind, and the slug of the subject, else of the first
 * contact, else of what it is about; `-2`, `-3` … when taken (interaction
 * ids are unique across all month folders).
 */
export function interactionId(at: string, kind: string, label: string | undefined, taken: (id: string) => boolean): string {
  const date = at.slice(0, 10);
  const slug = label ? slugify(label) : '';
  const base = slug ? `${date}-${kind}-${slug}` : `${date}-${kind}`;
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/** The label an id is made from: subject, else first contact, else the first record it is about. */
export function idLabel(subject: string | undefined, links: Links): string | undefined {
  if (subject?.trim()) return subject;
  return links.contacts[0] ?? links.case ?? links.opportunity ?? links.lead ?? links.account ?? links.campaign;
}

// ---------------------------------------------------------------------------
// Tasks

export function isTask(r: { type: RecordType; data: Data }): boolean {
  return r.type === 'interaction' && r.data.kind === 'task';
}

export function isOpenTask(r: { type: RecordType; data: Data }): boolean {
  return isTask(r) && (r.data.done_at === undefined || r.data.done_at === null || r.data.done_at === '');
}

export type DueBucket = 'overdue' | 'today' | 'this_week' | 'later';
export const DUE_BUCKETS: readonly DueBucket[] = ['overdue', 'today', 'this_week', 'later'];

/**
 * Where a due value falls for the agenda: `overdue` before today (a time:
 * before now), `today`, `this_week` (after today up to Sunday of the ISO
 * week), `later` (after that, or no due at all).
 */
export function dueBucket(due: unknown, now: Date, timeZone: string): DueBucket {
  if (typeof due !== 'string' || !due) return 'later';
  const today = localDate(now.getTime(), timeZone);
  const weekEnd = addDays(today, 7 - isoWeekday(today));
  let date: string;
  if (DATE_RE.test(due)) {
    date = due;
    if (date < today) return 'overdue';
  } else {
    const t = instantOf(due);
    if (t === undefined) return 'later';
    if (t < now.getTime()) return 'overdue';
    date = localDate(t, timeZone);
  }
  if (date === today) return 'today';
  if (date <= weekEnd) return 'this_week';
  return 'later';
}

/** Sort key of a due value: its instant (a date: local midnight); no due last. */
export function dueInstant(due: unknown, timeZone: string): number {
  if (typeof due !== 'string' || !due) return Number.POSITIVE_INFINITY;
  if (DATE_RE.test(due)) return startOfLocalDay(due, timeZone);
  return instantOf(due) ?? Number.POSITIVE_INFINITY;
}

/** Records an interaction links to, as `type/id` keys (for timelines and cards). */
export function interactionLinks(r: { data: Data }): string[] {
  const out: string[] = [];
  const d = r.data;
  for (const k of ['account', 'lead', 'opportunity', 'case', 'campaign'] as const) {
    if (typeof d[k] === 'string' && d[k]) out.push(`${k}/${d[k] as string}`);
  }
  const contacts = d.contacts;
  if (Array.isArray(contacts)) {
    for (const c of contacts) if (typeof c === 'string' && c) out.push(`contact/${c}`);
  } else if (typeof contacts === 'string' && contacts) {
    out.push(`contact/${contacts}`);
  }
  return out;
}

/** One line describing a task for lists: subject, else the notes' first line. */
export function taskText(r: CrmRecord): string {
  const s = r.data.subject;
  if (typeof s === 'string' && s.trim()) return s;
  const first = r.body.trim().split('\n')[0];
  return first || recordTitle(r);
}

// ---------------------------------------------------------------------------
// The agenda

export interface AgendaTask {
  id: string;
  subject: string;
  due: string | null;
  owner: string | null;
  /** `type/id` of what the task is about. */
  about: string[];
}

export interface AgendaCase {
  id: string;
  subject: string;
  priority: string;
  status: string | null;
  owner: string | null;
  sla: CaseSla;
}

export interface AgendaOpportunity {
  id: string;
  name: string;
  stage: string | null;
  amount: number | null;
  currency: string;
  expected_close: string;
  owner: string | null;
}

export interface AgendaOwner {
  owner: string | null;
  tasks: Record<DueBucket, AgendaTask[]>;
  cases: AgendaCase[];
  opportunities: AgendaOpportunity[];
}

export interface Agenda {
  now: string;
  today: string;
  week_start: string;
  week_end: string;
  /** Cases are listed when breached or due within this many hours. */
  case_window_hours: number;
  owners: AgendaOwner[];
}

export interface AgendaOptions {
  /** Only this owner's items (`--mine`, `--owner`). */
  owner?: string | undefined;
  /** Cases whose next SLA deadline is within this window are listed (default 24 h). */
  caseWindowMs?: number;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/**
 * The agenda at `now`, per owner (sorted by handle; no owner last): open
 * tasks in due buckets (overdue, today, this week, later), open cases whose
 * SLA is breached or due within the window (most urgent first), and open
 * opportunities expected to close this week (Monday to Sunday, local).
 */
export function buildAgenda(records: readonly CrmRecord[], config: Config, now: Date, options: AgendaOptions = {}): Agenda {
  const tz = config.timezone;
  const window = options.caseWindowMs ?? DAY;
  const today = localDate(now.getTime(), tz);
  const weekStart = addDays(today, 1 - isoWeekday(today));
  const weekEnd = addDays(weekStart, 6);
  const owners = new Map<string | null, AgendaOwner>();
  const slot = (owner: string | null): AgendaOwner => {
    let o = owners.get(owner);
    if (!o) {
      o = { owner, tasks: { overdue: [], today: [], this_week: [], later: [] }, cases: [], opportunities: [] };
      owners.set(owner, o);
    }
    return o;
  };
  const wanted = (owner: string | null) => options.owner === undefined || owner === options.owner;
  const open = new Set(config.pipeline.stages.filter((s) => !s.closed).map((s) => s.id));

  const tasks = records
    .filter((r) => isOpenTask(r))
    .sort((a, b) => dueInstant(a.data.due, tz) - dueInstant(b.data.due, tz) || (instantOf(a.data.at) ?? 0) - (instantOf(b.data.at) ?? 0) || a.id.localeCompare(b.id));
  for (const t of tasks) {
    const owner = text(t.data.owner);
    if (!wanted(owner)) continue;
    slot(owner).tasks[dueBucket(t.data.due, now, tz)].push({
      id: t.id,
      subject: taskText(t),
      due: text(t.data.due),
      owner,
      about: interactionLinks(t),
    });
  }

  const cases = records
    .filter((r) => r.type === 'case' && isCaseOpen(r.data))
    .map((r) => ({ r, sla: caseSla(r.data, config, now) }))
    .filter(({ sla }) => sla.next !== null && (sla.next.breached || sla.next.hours_left * HOUR <= window))
    .sort((a, b) => compareUrgency({ id: a.r.id, sla: a.sla }, { id: b.r.id, sla: b.sla }));
  for (const { r, sla } of cases) {
    const owner = text(r.data.owner);
    if (!wanted(owner)) continue;
    slot(owner).cases.push({ id: r.id, subject: recordTitle(r), priority: sla.priority, status: text(r.data.status), owner, sla });
  }

  const opps = records
    .filter((r) => r.type === 'opportunity' && open.has(String(r.data.stage)))
    .filter((r) => {
      const d = text(r.data.expected_close);
      return d !== null && d >= weekStart && d <= weekEnd;
    })
    .sort((a, b) => String(a.data.expected_close).localeCompare(String(b.data.expected_close)) || a.id.localeCompare(b.id));
  for (const r of opps) {
    const owner = text(r.data.owner);
    if (!wanted(owner)) continue;
    const amount = r.data.amount;
    const m = typeof amount === 'number' ? { amount, currency: config.currency } : amount && typeof amount === 'object' && typeof (amount as Data).amount === 'number' ? { amount: (amount as Data).amount as number, currency: text((amount as Data).currency) ?? config.currency } : null;
    slot(owner).opportunities.push({
      id: r.id,
      name: recordTitle(r),
      stage: text(r.data.stage),
      amount: m?.amount ?? null,
      currency: m?.currency ?? config.currency,
      expected_close: String(r.data.expected_close),
      owner,
    });
  }

  const list = [...owners.values()].sort((a, b) => (a.owner === null ? 1 : b.owner === null ? -1 : a.owner.localeCompare(b.owner)));
  return {
    now: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    today,
    week_start: weekStart,
    week_end: weekEnd,
    case_window_hours: window / HOUR,
    owners: list,
  };
}

// ---------------------------------------------------------------------------
// Planning new interactions and tasks

export interface LogDraft {
  kind: string;
  /** `at` as it will be written (a UTC timestamp or a bare date). */
  at: string;
  direction?: 'inbound' | 'outbound' | undefined;
  subject?: string | undefined;
  outcome?: string | undefined;
  links: Links;
  owner?: string | undefined;
  tags?: readonly string[] | undefined;
  /** Tasks only. */
  due?: string | undefined;
  /** Markdown notes (without the leading blank line). */
  notes?: string | undefined;
}

export interface LogPlan {
  record: CrmRecord;
  changes: Change[];
  /** The case whose first response (or status) this interaction changed. */
  caseUpdate?: { id: string; summary: string };
}

/**
 * The new interaction file, and the case it answers: an outbound
 * interaction on a case sets the case's `first_response_at` (when unset or
 * later) and moves a `new` case to `open`, in the same change. With
 * `respond` (crm case respond) the case must be open, and a pending case
 * moves back to open too.
 */
export function planLog(draft: LogDraft, records: readonly CrmRecord[], config: Config, actor: Actor, options: { respond?: boolean } = {}): LogPlan {
  const data: Data = { kind: draft.kind, at: draft.at };
  if (draft.direction) data.direction = draft.direction;
  if (draft.subject?.trim()) data.subject = draft.subject.trim();
  Object.assign(data, linkData(draft.links));
  if (draft.outcome?.trim()) data.outcome = draft.outcome.trim();
  if (draft.due) data.due = draft.due;
  if (draft.owner) data.owner = draft.owner;
  if (draft.tags && draft.tags.length > 0) data.tags = [...new Set(draft.tags)];
  data.created = timestamp(actor.now);
  const taken = new Set(records.filter((r) => r.type === 'interaction').map((r) => r.id));
  const id = interactionId(draft.at, draft.kind, idLabel(draft.subject, draft.links), (c) => taken.has(c));
  const body = draft.notes?.trim() ? `\n${draft.notes.replace(/\s+$/, '')}\n` : '';
  const created = createRecord('interaction', id, data, body);
  assertValid(created.record, config, existsIn(records, [created.record]));
  const plan: LogPlan = { record: created.record, changes: [created.change] };
  const caseId = draft.links.case;
  if (caseId && (draft.direction === 'outbound' || options.respond)) {
    const kase = records.find((r) => r.type === 'case' && r.id === caseId);
    if (!kase) throw new NotFoundError(`no case with id "${caseId}"`);
    if (options.respond) assertRespondable(kase.id, kase.data);
    const p = withFirstResponse(kase.id, kase.data, draft.at, actor, { reopenPending: Boolean(options.respond) });
    if (p.changed) {
      const u = updateExisting(kase, p.data);
      assertValid(u.record, config, existsIn(records, [created.record]));
      plan.changes.push(u.change);
      plan.caseUpdate = { id: kase.id, summary: p.summary };
    }
  }
  return plan;
}

/** Mark a task done now; a task already done is left as it is. */
export function planTaskDone(task: CrmRecord, actor: Actor, outcome?: string): { data: Data; changed: boolean } {
  if (!isTask(task)) {
    throw new UsageError(`${task.id} is a ${String(task.data.kind ?? 'record')}, not a task`, { hint: 'List open tasks with `crm task list`.' });
  }
  if (!isOpenTask(task)) return { data: task.data, changed: false };
  const stamp = timestamp(actor.now);
  return { data: { ...task.data, done_at: stamp, ...(outcome?.trim() ? { outcome: outcome.trim() } : {}), updated: stamp }, changed: true };
}
