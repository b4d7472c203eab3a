/**
 * Deals through the pipeline and the customer lifecycle of accounts (pure).
 *
 * - `planDealMove`: an opportunity moves to a stage of crm.yaml's pipeline.
 *   Entering a won or lost stage sets `closed_on` (a date in crm.yaml's time
 *   zone) and, when lost, `lost_reason`; leaving a closed stage needs
 *   `reopen` and clears both (the history keeps them). Winning the first
 *   deal of an account that is not a customer makes it one, at that moment.
 * - `planAccountLifecycle`: churn (customer → former, `churn_reason`) and
 *   reactivate (former → customer).
 *
 * Refusals are UsageErrors (exit 2); "already there" is a `unchanged` result.
 */
import { UsageError } from '../errors.js';
import { assertValid, timestamp, transition, updateExisting, type Actor } from './change.js';
import { stageById, type Config, type Stage } from './config.js';
import type { Data } from './frontmatter.js';
import { historyOf, type CrmRecord } from './record.js';
import type { Change } from './repo.js';
import type { RecordType } from './schema.js';

// ---------------------------------------------------------------------------
// Days in crm.yaml's time zone

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(d: Date, timeZone: string): Record<string, number> {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** The calendar date of `now` in `timeZone`: "2026-11-20". */
export function todayIn(now: Date, timeZone: string): string {
  const p = parts(now, safeZone(timeZone));
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The first instant of `date` (YYYY-MM-DD) in `timeZone`. */
export function startOfDayIn(date: string, timeZone: string): Date {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const zone = safeZone(timeZone);
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const offsetAt = (t: number): number => {
    const p = parts(new Date(t), zone);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
  };
  let t = utc - offsetAt(utc);
  t = utc - offsetAt(t); // once more across a DST change
  return new Date(t);
}

/** A `--on`/`--close` value checked as a real YYYY-MM-DD date (UsageError otherwise). */
export function checkDate(text: string, flag: string): string {
  const m = DATE_RE.exec(text.trim());
  const ok = m && (() => {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  })();
  if (!ok) throw new UsageError(`${flag} "${text}" is not a date`, { hint: `Write it as YYYY-MM-DD, e.g. ${flag} 2026-11-22.` });
  return text.trim();
}

/**
 * When a change said to happen on `on` (a past date, or today) is recorded:
 * today → now; an earlier day → its first instant in the time zone, or the
 * last history entry's moment when that is later on the same day. A day in
 * the future, or before the last recorded change, is refused.
 */
export function momentOn(on: string | undefined, now: Date, timeZone: string, lastAt: string | undefined, flag = '--on'): Date {
  const today = todayIn(now, timeZone);
  if (on === undefined || on === today) return now;
  if (on > today) {
    throw new UsageError(`${flag} ${on} is in the future (today is ${today} in ${timeZone})`, {
      hint: `Record it on the day it happens, or leave out ${flag} for today.`,
    });
  }
  const start = startOfDayIn(on, timeZone);
  const last = lastAt !== undefined ? new Date(lastAt) : undefined;
  if (last && !Number.isNaN(last.getTime()) && last.getTime() > start.getTime()) {
    if (todayIn(last, timeZone) > on) {
      throw new UsageError(`${flag} ${on} is before the record's last recorded change (${lastAt})`, {
        hint: 'History is kept oldest first: pick a date on or after that change.',
      });
    }
    return last;
  }
  return start;
}

function lastAt(record: { type: CrmRecord['type']; data: Data }): string | undefined {
  const h = historyOf(record);
  const at = h[h.length - 1]?.at;
  return typeof at === 'string' ? at : undefined;
}

// ---------------------------------------------------------------------------
// Opportunities

export function stageList(config: Config): string {
  return config.pipeline.stages.map((s) => (s.closed ? `${s.id} (${s.closed})` : s.id)).join(', ');
}

/** The first stage of the pipeline closed as `kind`. */
export function closedStage(config: Config, kind: 'won' | 'lost'): Stage {
  const s = config.pipeline.stages.find((x) => x.closed === kind);
  if (!s) {
    throw new UsageError(`crm.yaml's pipeline has no ${kind} stage`, {
      hint: `Add one under pipeline.stages, e.g. {id: ${kind}, closed: ${kind}}.`,
    });
  }
  return s;
}

/** A stage named by the user, or a UsageError listing the configured ones. */
export function requireStage(config: Config, id: string): Stage {
  const s = stageById(config, id);
  if (!s) {
    throw new UsageError(`"${id}" is not a stage of this pipeline`, {
      hint: `Stages in crm.yaml: ${stageList(config)}.`,
    });
  }
  return s;
}

export interface DealMove {
  /** Target stage id. */
  to: string;
  /** History note. */
  note?: string | undefined;
  /** Why the deal was lost (required when entering a lost stage). */
  reason?: string | undefined;
  /** Allow leaving a won or lost stage. */
  reopen?: boolean | undefined;
  /** Set the amount (when winning). */
  amount?: number | undefined;
  /** The day it closed (YYYY-MM-DD), default today. */
  on?: string | undefined;
}

export interface PlanContext {
  config: Config;
  actor: Actor;
  /** Whether a record exists (reference checks before writing). */
  exists: (type: RecordType, id: string) => boolean;
  /** A record by type and id, if there is one. */
  get: (type: RecordType, id: string) => CrmRecord | undefined;
}

/** A PlanContext over records in memory. */
export function contextOf(records: readonly CrmRecord[], config: Config, actor: Actor): PlanContext {
  const byKey = new Map(records.map((r) => [`${r.type}/${r.id}`, r]));
  return { config, actor, exists: (t, id) => byKey.has(`${t}/${id}`), get: (t, id) => byKey.get(`${t}/${id}`) };
}

export interface PlannedRecord {
  record: CrmRecord;
  change: Change;
}

export interface DealPlan {
  from: string | undefined;
  to: string;
  /** The target stage's closed kind, if it is closed. */
  outcome: 'won' | 'lost' | undefined;
  reopened: boolean;
  opportunity: PlannedRecord;
  /** The account, when this win makes it a customer. */
  account?: PlannedRecord | undefined;
  changes: Change[];
}

export type DealResult = { kind: 'unchanged'; message: string } | { kind: 'planned'; plan: DealPlan };

function withAmount(current: unknown, amount: number): unknown {
  if (current && typeof current === 'object' && !Array.isArray(current) && 'amount' in current) {
    return { ...(current as Data), amount };
  }
  return amount;
}

/** Make an account a customer (status, history at `actor.now`, churn_reason cleared). */
export function becomeCustomer(account: CrmRecord, actor: Actor, updatedAt: Date, note: string): Data {
  const h = historyOf(account);
  const from = typeof account.data.status === 'string' ? account.data.status : 'prospect';
  const next: Data = { ...account.data, status: 'customer', history: [...h, transition(from, 'customer', actor, note)], updated: timestamp(updatedAt) };
  delete next.churn_reason;
  return next;
}

export function planDealMove(opp: CrmRecord, move: DealMove, ctx: PlanContext): DealResult {
  const { config } = ctx;
  const target = requireStage(config, move.to);
  const from = typeof opp.data.stage === 'string' ? opp.data.stage : undefined;
  const current = from !== undefined ? stageById(config, from) : undefined;
  const outcome = target.closed;

  if (from === target.id) {
    return { kind: 'unchanged', message: `opportunity ${opp.id} is already in stage ${target.id}${outcome ? ` (${outcome}${opp.data.closed_on ? ` on ${String(opp.data.closed_on)}` : ''})` : ''}; nothing changed` };
  }
  const reopening = Boolean(current?.closed);
  if (reopening && !move.reopen) {
    const verb = outcome === 'won' ? 'win' : outcome === 'lost' ? 'lose' : `move back to ${target.id}`;
    throw new UsageError(`opportunity ${opp.id} is ${current!.closed}${opp.data.closed_on ? ` (closed on ${String(opp.data.closed_on)})` : ''}; to ${verb} it, reopen it`, {
      hint: `Pass --reopen to ${outcome ? `mark it ${outcome} instead` : `move it back to ${target.id}`}; the history keeps the earlier outcome.`,
    });
  }
  const reason = move.reason?.trim() || undefined;
  if (outcome === 'lost' && !reason) {
    throw new UsageError(`losing opportunity ${opp.id} needs a reason`, { hint: 'Pass --reason TEXT, e.g. --reason "price too high".' });
  }
  if (move.amount !== undefined && (!Number.isFinite(move.amount) || move.amount < 0)) {
    throw new UsageError(`--amount ${move.amount} is not an amount`, { hint: 'Write a number in the currency of crm.yaml, e.g. --amount 12500.' });
  }
  if (move.on !== undefined && !outcome) {
    throw new UsageError('--on is for closing a deal (won or lost)', { hint: 'Stage moves are recorded at the moment you make them.' });
  }

  const at = outcome ? momentOn(move.on, ctx.actor.now, config.timezone, lastAt(opp)) : ctx.actor.now;
  const actorAt: Actor = { now: at, by: ctx.actor.by };
  const extra = move.note?.trim() || undefined;
  const lostNote = outcome === 'lost' ? reason : undefined;
  const note = [lostNote, extra !== lostNote ? extra : undefined].filter(Boolean).join('; ') || undefined;

  const data: Data = { ...opp.data, stage: target.id, history: [...historyOf(opp), transition(from, target.id, actorAt, note)] };
  if (outcome) data.closed_on = move.on ?? todayIn(ctx.actor.now, config.timezone);
  else delete data.closed_on;
  if (outcome === 'lost') data.lost_reason = reason;
  else delete data.lost_reason;
  if (move.amount !== undefined) data.amount = withAmount(data.amount, move.amount);
  data.updated = timestamp(ctx.actor.now);

  const exists = ctx.exists;
  const opportunity = updateExisting(opp, data);
  assertValid(opportunity.record, config, exists);
  const changes = [opportunity.change];

  let account: PlannedRecord | undefined;
  if (outcome === 'won' && typeof opp.data.account === 'string') {
    const a = ctx.get('account', opp.data.account);
    if (a && a.data.status !== 'customer') {
      account = updateExisting(a, becomeCustomer(a, actorAt, ctx.actor.now, `won ${opp.id}`));
      assertValid(account.record, config, exists);
      changes.push(account.change);
    }
  }
  return { kind: 'planned', plan: { from, to: target.id, outcome, reopened: reopening, opportunity, account, changes } };
}

// ---------------------------------------------------------------------------
// Accounts: churn and reactivation

export type AccountAction = 'churn' | 'reactivate';

export interface AccountPlan {
  from: string | undefined;
  to: string;
  account: PlannedRecord;
}

export type AccountResult = { kind: 'unchanged'; message: string } | { kind: 'planned'; plan: AccountPlan };

export function planAccountLifecycle(
  account: CrmRecord,
  action: AccountAction,
  options: { reason?: string | undefined; note?: string | undefined; on?: string | undefined },
  ctx: PlanContext,
): AccountResult {
  const { config } = ctx;
  const status = typeof account.data.status === 'string' ? account.data.status : 'prospect';
  const to = action === 'churn' ? 'former' : 'customer';
  const allowed = config.values.account.status ?? [];
  if (allowed.length > 0 && !allowed.includes(to)) {
    throw new UsageError(`"${to}" is not an account status in crm.yaml (${allowed.join(', ')})`, {
      hint: `Add ${to} under accounts.status in crm.yaml to record the customer lifecycle.`,
    });
  }
  if (status === to) {
    return { kind: 'unchanged', message: `account ${account.id} is already ${to}; nothing changed` };
  }
  const reason = options.reason?.trim() || undefined;
  if (action === 'churn') {
    if (status !== 'customer') {
      throw new UsageError(`account ${account.id} is ${status}, not a customer, so it cannot churn`, {
        hint: 'Only customers churn. Check the id, or see its status with `crm show`.',
      });
    }
    if (!reason) throw new UsageError(`churning account ${account.id} needs a reason`, { hint: 'Pass --reason TEXT, e.g. --reason "moved to a competitor".' });
  } else if (status !== 'former') {
    throw new UsageError(`account ${account.id} is ${status}, not a former customer, so it cannot be reactivated`, {
      hint: 'An account becomes a customer when one of its deals is won (`crm opp win ID`).',
    });
  }
  const at = momentOn(options.on, ctx.actor.now, config.timezone, lastAt(account));
  const actorAt: Actor = { now: at, by: ctx.actor.by };
  const note = [reason, options.note?.trim() || undefined].filter(Boolean).join('; ') || undefined;
  const data: Data = { ...account.data, status: to, history: [...historyOf(account), transition(status, to, actorAt, note)], updated: timestamp(ctx.actor.now) };
  if (action === 'churn') data.churn_reason = reason;
  else delete data.churn_reason;
  const planned = updateExisting(account, data);
  assertValid(planned.record, config, ctx.exists);
  return { kind: 'planned', plan: { from: status, to, account: planned } };
}

// ---------------------------------------------------------------------------
// Plans as text (for --dry-run)

/** The lines removed (-) and added (+) between two texts (longest common subsequence). */
export function lineDiff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`-${a[i]}`);
      i++;
    } else {
      out.push(`+${b[j]}`);
      j++;
    }
  }
  return out;
}

/** "create accounts/acme.md" / "change leads/jane.md" with the lines added and removed. */
export function describeChanges(changes: readonly Change[]): string {
  const out: string[] = [];
  for (const c of changes) {
    const action = c.before === null ? 'create' : c.after === null ? 'delete' : 'change';
    out.push(`${action} ${c.path}`);
    const lines = c.before === null ? (c.after ?? '').replace(/\n$/, '').split('\n').map((l) => `+${l}`) : c.after === null ? [] : lineDiff(c.before, c.after);
    for (const l of lines) out.push(`  ${l}`);
  }
  return out.join('\n');
}

export function changeAction(c: Change): 'create' | 'change' | 'delete' {
  return c.before === null ? 'create' : c.after === null ? 'delete' : 'change';
}
