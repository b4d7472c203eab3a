/**
 * Cases (pure): the SLA clocks of a case at a moment, and the planned
 * changes of `crm case open|assign|respond|pending|resolve|close|reopen`.
 *
 * SLA: `crm.yaml` `cases.sla` gives, per priority, the hours allowed for the
 * first response and for the resolution, both counted from `created`. A
 * clock stops when its moment is known (`first_response_at`,
 * `resolved_at`, or the history's moment when the field is missing).
 * Clocks do not pause while a case is `pending`: the figures match
 * REPORTS.md's `resolved_at − created`.
 */
import { UsageError } from '../errors.js';
import { timestamp, transition, withLifecycle, type Actor } from './change.js';
import type { Config, Sla } from './config.js';
import type { Data } from './frontmatter.js';
import { historyOf } from './record.js';
import { instantOf } from './validate.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DONE_STATUSES: readonly string[] = ['resolved', 'closed'];
export const DEFAULT_PRIORITY = 'normal';

/** A case is open until it is resolved or closed. */
export function isCaseOpen(data: Data): boolean {
  return !DONE_STATUSES.includes(String(data.status ?? ''));
}

export function priorityOf(data: Data): string {
  return typeof data.priority === 'string' && data.priority ? data.priority : DEFAULT_PRIORITY;
}

// ---------------------------------------------------------------------------
// Durations

/** `4h`, `2d`, `30m`, `1w`, `1d12h`, `90` (hours) → milliseconds. */
export function parseDuration(text: string, flag = '--due-within'): number {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * HOUR;
  const re = /(\d+(?:\.\d+)?)\s*(w|d|h|m)/g;
  let total = 0;
  let consumed = '';
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * { w: 7 * DAY, d: DAY, h: HOUR, m: MINUTE }[m[2] as 'w' | 'd' | 'h' | 'm'];
    consumed += m[0];
  }
  if (!t || consumed.replace(/\s/g, '') !== t.replace(/\s/g, '')) {
    throw new UsageError(`${flag} "${text}" is not a duration`, { hint: 'Write durations as 30m, 4h, 2d, 1w or 1d12h.' });
  }
  return total;
}

/** 42 min → "42m"; 3 h 20 min → "3h 20m"; 50 h → "2d 2h". Minutes are rounded up when counting down. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / MINUTE);
  if (minutes < 1) return '<1m';
  const d = Math.floor(minutes / (24 * 60));
  const h = Math.floor((minutes % (24 * 60)) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  return `${m}m`;
}

function hours(ms: number): number {
  return Math.round((ms / HOUR) * 100) / 100;
}

function iso(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------------------
// SLA clocks

/** met: stopped in time; missed: stopped late; running: time left; breached: still running, past due. */
export type ClockState = 'met' | 'missed' | 'running' | 'breached';
export type ClockName = 'first_response' | 'resolution';

export interface SlaClock {
  target_hours: number;
  due_at: string;
  /** When the clock stopped, or null while it runs. */
  done_at: string | null;
  state: ClockState;
  /**
   * Running: hours from now until due (negative: overdue by).
   * Stopped: hours from done until due (negative: late by).
   */
  hours_left: number;
  /** Running, not yet due, with less than a quarter of the target left. */
  due_soon: boolean;
}

/** The whole case: breached/due-soon/on-track while open; met/missed once done; none without a target. */
export type SlaState = 'breached' | 'due-soon' | 'on-track' | 'met' | 'missed' | 'none';

export interface CaseSla {
  priority: string;
  target: Sla | null;
  first_response: SlaClock | null;
  resolution: SlaClock | null;
  state: SlaState;
  /** The running clock due first (what the team must do next), else null. */
  next: { clock: ClockName; due_at: string; hours_left: number; breached: boolean } | null;
}

/** When the case was first answered: the field, else the history leaving `new`, else (when done) its resolution. */
export function firstResponseMoment(data: Data): number | undefined {
  const field = instantOf(data.first_response_at);
  if (field !== undefined) return field;
  for (const h of historyOf({ type: 'case', data })) {
    if (h.from === 'new' && h.to !== 'new') {
      const t = instantOf(h.at);
      if (t !== undefined) return t;
    }
  }
  return isCaseOpen(data) ? undefined : resolutionMoment(data);
}

/**
 * When a done case was resolved: `resolved_at`, else the first entry of the
 * history's final run of resolved/closed entries. Undefined while open.
 */
export function resolutionMoment(data: Data): number | undefined {
  if (isCaseOpen(data)) return undefined;
  const field = instantOf(data.resolved_at);
  if (field !== undefined) return field;
  const h = historyOf({ type: 'case', data });
  let found: number | undefined;
  for (let i = h.length - 1; i >= 0; i--) {
    const e = h[i];
    if (!e || !DONE_STATUSES.includes(String(e.to))) break;
    found = instantOf(e.at) ?? found;
  }
  return found;
}

function clock(targetHours: number, start: number, done: number | undefined, now: number): SlaClock {
  const due = start + targetHours * HOUR;
  if (done !== undefined) {
    return {
      target_hours: targetHours,
      due_at: iso(due),
      done_at: iso(done),
      state: done <= due ? 'met' : 'missed',
      hours_left: hours(due - done),
      due_soon: false,
    };
  }
  const left = due - now;
  return {
    target_hours: targetHours,
    due_at: iso(due),
    done_at: null,
    state: left < 0 ? 'breached' : 'running',
    hours_left: hours(left),
    due_soon: left >= 0 && left <= (targetHours * HOUR) / 4,
  };
}

/** The SLA of a case at `now`, with targets from crm.yaml for its priority. */
export function caseSla(data: Data, config: Config, now: Date): CaseSla {
  const priority = priorityOf(data);
  const target = config.cases.sla[priority] ?? null;
  const created = instantOf(data.created);
  if (!target || created === undefined) {
    return { priority, target, first_response: null, resolution: null, state: 'none', next: null };
  }
  const t = now.getTime();
  const first = clock(target.first_response, created, firstResponseMoment(data), t);
  const resolution = clock(target.resolution, created, resolutionMoment(data), t);
  const running = ([['first_response', first], ['resolution', resolution]] as const)
    .filter(([, c]) => c.done_at === null)
    .sort((a, b) => a[1].hours_left - b[1].hours_left);
  const head = running[0];
  let state: SlaState;
  if (head) {
    if (running.some(([, c]) => c.state === 'breached')) state = 'breached';
    else if (running.some(([, c]) => c.due_soon)) state = 'due-soon';
    else state = 'on-track';
  } else {
    state = first.state === 'missed' || resolution.state === 'missed' ? 'missed' : 'met';
  }
  return {
    priority,
    target,
    first_response: first,
    resolution,
    state,
    next: head ? { clock: head[0], due_at: head[1].due_at, hours_left: head[1].hours_left, breached: head[1].state === 'breached' } : null,
  };
}

/** Milliseconds until the next deadline (negative: overdue); +Infinity when nothing runs. */
export function timeToNext(sla: CaseSla): number {
  return sla.next ? sla.next.hours_left * HOUR : Number.POSITIVE_INFINITY;
}

/** Most urgent first: the earliest running deadline; cases with none last. */
export function compareUrgency(a: { id: string; sla: CaseSla }, b: { id: string; sla: CaseSla }): number {
  const ta = timeToNext(a.sla);
  const tb = timeToNext(b.sla);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id.localeCompare(b.id);
}

const CLOCK_WORDS: Record<ClockName, string> = { first_response: 'first response', resolution: 'resolution' };

/** "3h 20m left", "2d 1h overdue", "met", "missed by 2h". */
export function clockText(c: SlaClock): string {
  const ms = c.hours_left * HOUR;
  switch (c.state) {
    case 'running':
      return `${formatDuration(ms)} left`;
    case 'breached':
      return `${formatDuration(ms)} overdue`;
    case 'met':
      return 'met';
    case 'missed':
      return `missed by ${formatDuration(ms)}`;
  }
}

/** One phrase for a case: what is due next and how long is left, or how it ended. */
export function slaSummary(sla: CaseSla): string {
  if (sla.state === 'none') return sla.target ? 'no SLA' : `no SLA for priority ${sla.priority}`;
  if (sla.next) {
    const c = sla.next.clock === 'first_response' ? sla.first_response : sla.resolution;
    return c ? `${CLOCK_WORDS[sla.next.clock]} ${clockText(c)}` : '';
  }
  const parts: string[] = [];
  if (sla.first_response) parts.push(`first response ${clockText(sla.first_response)}`);
  if (sla.resolution) parts.push(`resolution ${clockText(sla.resolution)}`);
  return parts.join(', ');
}

/** Both clocks, for a case view. */
export function slaLines(sla: CaseSla): { clock: string; target: string; due: string; status: string }[] {
  const out: { clock: string; target: string; due: string; status: string }[] = [];
  for (const name of ['first_response', 'resolution'] as const) {
    const c = sla[name];
    if (!c) continue;
    out.push({ clock: CLOCK_WORDS[name], target: `${c.target_hours}h`, due: c.due_at, status: clockText(c) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Planning changes

export interface CaseOptions {
  note?: string | undefined;
  satisfaction?: number | undefined;
}

export type CaseAction = 'pending' | 'resolve' | 'close' | 'reopen';

const TARGET: Record<CaseAction, string> = { pending: 'pending', resolve: 'resolved', close: 'closed', reopen: 'open' };

/** `--satisfaction N`: a whole number from 1 to 5. */
export function parseSatisfaction(text: string): number {
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > 5) {
    throw new UsageError(`--satisfaction "${text}" is not a whole number from 1 to 5`, { hint: 'Use --satisfaction 1 (very unhappy) … 5 (very happy).' });
  }
  return n;
}

/** A priority given on the command line must be one crm.yaml allows. */
export function checkPriority(priority: string, config: Config): string {
  const allowed = config.values.case.priority ?? [];
  if (allowed.length > 0 && !allowed.includes(priority)) {
    throw new UsageError(`priority "${priority}" is not one of ${allowed.join(', ')}`, {
      hint: 'Use one of those, or add it to cases.priority in crm.yaml (and give it a target under cases.sla).',
    });
  }
  return priority;
}

function checkStatusAllowed(status: string, config: Config): void {
  const allowed = config.values.case.status ?? [];
  if (allowed.length > 0 && !allowed.includes(status)) {
    throw new UsageError(`status "${status}" is not one of the case statuses in crm.yaml (${allowed.join(', ')})`, {
      hint: 'Add it to cases.status in crm.yaml, or change the status with `crm set ID status=…`.',
    });
  }
}

export interface Planned {
  data: Data;
  /** False when the case already was as asked: nothing to write. */
  changed: boolean;
  /** What happened, for messages: "new → open", "already resolved". */
  summary: string;
}

/**
 * Move a case for `crm case pending|resolve|close|reopen`. Rules:
 * - pending: from new or open. resolve: from new, open or pending; sets
 *   `resolved_at`. close: from any open status or resolved; sets
 *   `resolved_at` when it was not set (closing ends the work).
 *   reopen: from resolved or closed to open; removes `resolved_at` (the
 *   history keeps the earlier resolution).
 * - Asking for the status a case already has changes nothing (except a new
 *   `--satisfaction` on a resolved or closed case).
 * - Anything else (resolving or pending a closed case, reopening an open
 *   one) is a usage error: nothing is written.
 */
export function planCaseAction(id: string, data: Data, action: CaseAction, config: Config, actor: Actor, options: CaseOptions = {}): Planned {
  const from = String(data.status ?? 'new');
  const to = TARGET[action];
  checkStatusAllowed(to, config);
  const done = DONE_STATUSES.includes(from);
  const refuse = (why: string, hint: string): never => {
    throw new UsageError(`case ${id} is ${from}: ${why}; nothing was written`, { hint });
  };
  if (options.satisfaction !== undefined && action !== 'resolve' && action !== 'close') {
    throw new UsageError('--satisfaction goes with resolve or close');
  }
  if (action === 'pending' && done) refuse('a resolved or closed case cannot wait for the customer', `Reopen it first: \`crm case reopen ${id}\`.`);
  if (action === 'resolve' && from === 'closed') refuse('a closed case cannot be resolved again', `Reopen it first: \`crm case reopen ${id}\`, or leave it closed.`);
  if (action === 'reopen' && !done) refuse('only resolved or closed cases can be reopened', `It is still open; see it with \`crm show case/${id}\`.`);

  let next: Data = { ...data };
  const stamp = timestamp(actor.now);
  if (from === to) {
    if (options.satisfaction !== undefined && options.satisfaction !== data.satisfaction) {
      next.satisfaction = options.satisfaction;
      next.updated = stamp;
      return { data: next, changed: true, summary: `satisfaction ${options.satisfaction}` };
    }
    return { data, changed: false, summary: `already ${to}` };
  }
  next = withLifecycle('case', next, to, actor, options.note);
  if (action === 'resolve' || action === 'close') {
    const keep = from === 'resolved' && typeof next.resolved_at === 'string' && next.resolved_at !== '';
    if (!keep) next.resolved_at = stamp;
    if (options.satisfaction !== undefined) next.satisfaction = options.satisfaction;
  }
  if (action === 'reopen') delete next.resolved_at;
  next.updated = stamp;
  return { data: next, changed: true, summary: `${from} → ${to}` };
}

/**
 * A first response given at `at` (an outbound interaction on the case):
 * sets `first_response_at` when unset or later than `at`, and moves a `new`
 * case to `open`. With `reopenPending` (crm case respond) a pending case
 * moves to open too.
 */
export function withFirstResponse(id: string, data: Data, at: string, actor: Actor, options: { reopenPending?: boolean; note?: string } = {}): Planned {
  let next: Data = { ...data };
  const parts: string[] = [];
  const current = instantOf(data.first_response_at);
  const given = instantOf(at);
  if (given !== undefined && (current === undefined || given < current)) {
    next.first_response_at = at;
    parts.push('first response');
  }
  const status = String(data.status ?? 'new');
  if (status === 'new' || (options.reopenPending && status === 'pending')) {
    next = withLifecycle('case', next, 'open', actor, options.note ?? (status === 'new' ? 'first response' : 'responded'));
    parts.push(`${status} → open`);
  }
  if (parts.length === 0) return { data, changed: false, summary: `case ${id} unchanged` };
  next.updated = timestamp(actor.now);
  return { data: next, changed: true, summary: parts.join(', ') };
}

/** `crm case respond` refuses a resolved or closed case (reopen it first). */
export function assertRespondable(id: string, data: Data): void {
  if (!isCaseOpen(data)) {
    throw new UsageError(`case ${id} is ${String(data.status)}: there is nothing to respond to; nothing was written`, {
      hint: `Reopen it first with \`crm case reopen ${id}\`, or log the message with \`crm log email --about case/${id} --direction out\`.`,
    });
  }
}

/** A handle typed for `owner` must be a crm.yaml user (when users are listed). */
export function checkUser(handle: string, config: Config): string {
  const users = config.users.map((u) => u.handle);
  if (users.length > 0 && !users.includes(handle)) {
    throw new UsageError(`"${handle}" is not a user in crm.yaml (${users.join(', ')})`, {
      hint: 'Use one of those handles, or add the user under users in crm.yaml.',
    });
  }
  return handle;
}

/** Give the case to `handle` (a crm.yaml user when users are listed). */
export function planAssign(data: Data, handle: string, config: Config, actor: Actor): Planned {
  checkUser(handle, config);
  if (data.owner === handle) return { data, changed: false, summary: `already assigned to ${handle}` };
  const before = typeof data.owner === 'string' && data.owner ? data.owner : undefined;
  return {
    data: { ...data, owner: handle, updated: timestamp(actor.now) },
    changed: true,
    summary: before ? `${before} → ${handle}` : `assigned to ${handle}`,
  };
}

/** The interaction kind that answers a case coming in on `channel`. */
export function responseKind(channel: unknown): string {
  switch (channel) {
    case 'phone':
      return 'call';
    case 'chat':
      return 'chat';
    case 'social':
      return 'social';
    case 'visit':
      return 'visit';
    default:
      return 'email';
  }
}

export interface NewCase {
  subject: string;
  account?: string | undefined;
  contact?: string | undefined;
  priority?: string | undefined;
  channel?: string | undefined;
  owner?: string | undefined;
  tags?: readonly string[] | undefined;
}

/**
 * The front matter of a case opened now: status `new` (nobody has answered
 * yet; the first response moves it to `open`), priority `normal` unless
 * given, and its first history entry.
 */
export function newCaseData(input: NewCase, config: Config, actor: Actor): Data {
  const data: Data = { subject: input.subject.trim() };
  if (input.account) data.account = input.account;
  if (input.contact) data.contact = input.contact;
  data.priority = checkPriority(input.priority ?? DEFAULT_PRIORITY, config);
  if (input.channel) data.channel = input.channel;
  if (input.owner) data.owner = checkUser(input.owner, config);
  if (input.tags && input.tags.length > 0) data.tags = [...new Set(input.tags)];
  data.created = timestamp(actor.now);
  return { ...data, status: 'new', history: [transition(undefined, 'new', actor)] };
}
