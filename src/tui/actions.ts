/**
 * The effects the reducer asks for, run against the repository: each is
 * planned by the model functions the CLI uses (deals, leads, cases,
 * interactions, change) inside ONE `repo.mutate`, so it writes atomically
 * and makes one commit. A CrmError (validation, conflict, lock held, a
 * refused move) comes back as a message for the status line; nothing was
 * written in that case.
 */
import { ConflictError, CrmError } from '../errors.js';
import { assertValid, assign, timestamp, updateExisting, type Actor } from '../model/change.js';
import { assertRespondable, checkUser, planCaseAction, responseKind, type CaseAction } from '../model/cases.js';
import { planDealMove, closedStage, type DealPlan, type PlanContext } from '../model/deals.js';
import { linksFor, parseDirection, parseDue, planLog, type Links, type LogPlan } from '../model/interactions.js';
import { formatNumber } from '../format/text.js';
import { LEAD_VERBS, planConversion, planLeadTransition, type ConversionOptions } from '../model/leads.js';
import type { CrmRecord } from '../model/record.js';
import { recordTitle } from '../model/record.js';
import type { Change, MutateResult, RecordView as Records, Repository } from '../model/repo.js';
import type { Effect, Modal, Status, UndoEntry } from './state.js';

export interface ActionContext {
  repo: Repository;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** false: write files without committing (--no-commit). */
  commit: boolean;
  /** Leave the screen to the editor while `fn` runs (suspends Ink). */
  suspend: <T>(fn: () => T) => Promise<T>;
}

export interface Outcome {
  status: Status;
  undo?: UndoEntry;
  popUndo?: boolean;
  modal?: Modal;
  /** Reload the records afterwards. */
  reload: boolean;
}

function split(key: string): { type: string; id: string } {
  const i = key.indexOf('/');
  return { type: key.slice(0, i), id: key.slice(i + 1) };
}

function actor(ctx: ActionContext): Actor {
  return { now: ctx.now(), by: ctx.repo.author().handle };
}

/** The model's planning context over the lazy view of the records (reads only what it needs). */
function planContext(ctx: ActionContext, view: Records): PlanContext {
  return {
    config: ctx.repo.config,
    actor: actor(ctx),
    exists: (t, id) => view.exists(t, id),
    get: (t, id) => {
      if (!view.exists(t, id)) return undefined;
      return view.find(`${t}/${id}`);
    },
  };
}

/** `exists` for assertValid: the view, plus records about to be created. */
function existsWith(view: Records, extra: readonly CrmRecord[] = []): (type: CrmRecord['type'], id: string) => boolean {
  return (t, id) => extra.some((r) => r.type === t && r.id === id) || view.exists(t, id);
}

function short(commit: string | undefined): string {
  return commit ? ` (commit ${commit.slice(0, 7)})` : '';
}

/** Run one mutation; the outcome carries what undo needs. */
async function mutate(ctx: ActionContext, message: string | ((c: Change[]) => string), plan: (view: Records) => Change[], done: (r: MutateResult) => string): Promise<Outcome> {
  let label = '';
  const result = await ctx.repo.mutate(
    (changes) => {
      label = typeof message === 'function' ? message(changes) : message;
      return label;
    },
    plan,
    { commit: ctx.commit },
  );
  if (result.changes.length === 0) return { status: { text: done(result) || 'nothing changed', tone: 'info' }, reload: false };
  const note = result.commit ? short(result.commit) : ` (not committed: ${result.noCommitReason ?? 'no commit'})`;
  return {
    status: { text: `${done(result)}${note} — u undoes`, tone: 'ok' },
    undo: { label: label.replace(/^crm: /, ''), ...(result.commit ? { commit: result.commit } : {}), changes: result.changes },
    reload: true,
  };
}

/** A refusal computed while planning ("already there"): nothing is written, the message is shown. */
class Unchanged extends Error {}

async function run(ctx: ActionContext, message: string | ((c: Change[]) => string), plan: (view: Records) => Change[], done: (r: MutateResult) => string): Promise<Outcome> {
  try {
    return await mutate(ctx, message, plan, done);
  } catch (e) {
    if (e instanceof Unchanged) return { status: { text: e.message, tone: 'info' }, reload: false };
    throw e;
  }
}

// ---------------------------------------------------------------------------

/** `crm opp move|win|lose`: planDealMove, with the command's commit message. */
async function moveDeal(ctx: ActionContext, key: string, to: string, reason?: string): Promise<Outcome> {
  const { id } = split(key);
  let plan: DealPlan | undefined;
  return run(
    ctx,
    () => {
      const p = plan!;
      const amount = p.opportunity.record.data.amount;
      const money = typeof amount === 'number' ? ` (${formatNumber(amount)} ${ctx.repo.config.currency})` : '';
      let head: string;
      if (p.outcome === 'won') head = `${p.reopened ? 'reopen and ' : ''}win opportunity ${id}${money}`;
      else if (p.outcome === 'lost') head = `${p.reopened ? 'reopen and ' : ''}lose opportunity ${id}: ${String(p.opportunity.record.data.lost_reason ?? '')}`;
      else head = `${p.reopened ? 'reopen' : 'move'} opportunity ${id} ${p.from ?? 'none'} → ${p.to}`;
      return `crm: ${head}${p.account ? `; account ${p.account.record.id} becomes a customer` : ''}`;
    },
    (view) => {
      const opp = view.find(`opportunity/${id}`, ['opportunity']);
      const r = planDealMove(opp, { to, reason }, planContext(ctx, view));
      if (r.kind === 'unchanged') throw new Unchanged(r.message);
      plan = r.plan;
      return r.plan.changes;
    },
    () => `${id}: ${plan?.from ?? 'none'} → ${plan?.to ?? to}${plan?.account ? `; ${plan.account.record.id} is now a customer` : ''}`,
  );
}

/** `crm lead contact|qualify|disqualify`: planLeadTransition, with the command's commit message. */
async function moveLead(ctx: ActionContext, key: string, to: string, reason?: string): Promise<Outcome> {
  const { id } = split(key);
  const verb = (Object.entries(LEAD_VERBS) as [string, string][]).find(([, s]) => s === to)?.[0];
  let from: string | undefined;
  return run(
    ctx,
    () => {
      const head = verb === 'contact' ? `mark lead ${id} contacted` : verb ? `${verb} lead ${id}` : `move lead ${id}`;
      return `crm: ${head} (${from ?? 'none'} → ${to})${reason?.trim() ? `: ${reason.trim()}` : ''}`;
    },
    (view) => {
      const lead = view.find(`lead/${id}`, ['lead']);
      const r = planLeadTransition(lead, { to, reason }, planContext(ctx, view));
      if (r.kind === 'unchanged') throw new Unchanged(r.message);
      from = r.plan.from;
      return [r.plan.lead.change];
    },
    () => `${id}: ${from ?? 'none'} → ${to}`,
  );
}

/** Move a record's status with the generic assignment (`crm set ID status=…`). */
async function setStatus(ctx: ActionContext, key: string, to: string): Promise<Outcome> {
  const { type, id } = split(key);
  let from = '';
  return run(
    ctx,
    () => `crm: set ${key} status`,
    (view) => {
      const r = view.find(key);
      from = String(r.data.status ?? '');
      const planned = updateExisting(r, assign(r.type, r.data, [{ key: 'status', value: to }], actor(ctx)));
      assertValid(planned.record, ctx.repo.config, existsWith(view));
      return [planned.change];
    },
    () => `${type} ${id}: ${from} → ${to}`,
  );
}

async function caseAction(ctx: ActionContext, key: string, action: CaseAction): Promise<Outcome> {
  const { id } = split(key);
  let summary = '';
  return run(
    ctx,
    () => `crm: case ${action} ${id}: ${summary}`,
    (view) => {
      const r = view.find(`case/${id}`);
      const p = planCaseAction(id, r.data, action, ctx.repo.config, actor(ctx));
      summary = p.summary;
      if (!p.changed) throw new Unchanged(`case ${id} is ${p.summary}; nothing changed`);
      const planned = updateExisting(r, p.data);
      assertValid(planned.record, ctx.repo.config, existsWith(view));
      return [planned.change];
    },
    () => `case ${id}: ${summary}`,
  );
}

async function moveCase(ctx: ActionContext, key: string, to: string): Promise<Outcome> {
  if (to === 'pending') return caseAction(ctx, key, 'pending');
  if (to === 'resolved') return caseAction(ctx, key, 'resolve');
  if (to === 'closed') return caseAction(ctx, key, 'close');
  return setStatus(ctx, key, to);
}

function describeLinks(links: Links): string {
  const parts: string[] = [];
  if (links.contacts.length > 0) parts.push(`with ${links.contacts.join(', ')}`);
  const about = (['case', 'opportunity', 'lead', 'campaign', 'account'] as const).filter((k) => links[k]).map((k) => `${k}/${links[k]}`);
  if (about.length > 0) parts.push(`about ${about.join(', ')}`);
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}

/** `crm case respond`: an outbound interaction on the case (planLog with respond), one commit. */
async function respond(ctx: ActionContext, key: string): Promise<Outcome> {
  const { id } = split(key);
  let planned: LogPlan | undefined;
  let kind = '';
  return run(
    ctx,
    () => `crm: case respond ${id}: ${kind} ${planned?.record.id ?? ''}${planned?.caseUpdate ? ` (${planned.caseUpdate.summary})` : ''}`,
    (view) => {
      const kase = view.find(`case/${id}`, ['case']);
      assertRespondable(kase.id, kase.data);
      const a = actor(ctx);
      const contact = typeof kase.data.contact === 'string' && kase.data.contact && view.exists('contact', kase.data.contact) ? [view.find(`contact/${kase.data.contact}`, ['contact'])] : [];
      kind = responseKind(kase.data.channel);
      planned = planLog(
        { kind, at: timestamp(a.now), direction: 'outbound', subject: `Re: ${String(kase.data.subject ?? kase.id)}`, links: linksFor(contact, [kase]), owner: a.by },
        view.records,
        ctx.repo.config,
        a,
        { respond: true },
      );
      return planned.changes;
    },
    () => `case ${id}: ${kind} ${planned?.record.id ?? ''} logged${planned?.caseUpdate ? ` (${planned.caseUpdate.summary})` : ''}`,
  );
}

/** `crm log KIND --about …` and `crm task add … --about …` on the selected record: planLog, one commit. */
async function logInteraction(ctx: ActionContext, key: string, values: Record<string, string>, task: boolean): Promise<Outcome> {
  const kind = task ? 'task' : values.kind || 'note';
  let planned: LogPlan | undefined;
  let links: Links = { contacts: [] };
  let due: string | undefined;
  const a = actor(ctx);
  const owner = values.owner || a.by;
  return run(
    ctx,
    () => {
      const id = planned?.record.id ?? '';
      if (task) return `crm: task add ${id} "${values.subject ?? ''}"${due ? ` due ${due}` : ''}${owner ? ` for ${owner}` : ''}`;
      const extra = planned?.caseUpdate ? ` (case ${planned.caseUpdate.id}: ${planned.caseUpdate.summary})` : '';
      return `crm: log ${kind} ${id}${describeLinks(links)}${extra}`;
    },
    (view) => {
      const target = view.find(key);
      links = linksFor(target.type === 'contact' ? [target] : [], target.type === 'contact' ? [] : [target]);
      if (task && values.due) due = parseDue(values.due, ctx.repo.config.timezone, a.now).value;
      if (values.owner) checkUser(values.owner, ctx.repo.config);
      planned = planLog(
        {
          kind,
          at: timestamp(a.now),
          direction: !task && values.direction ? parseDirection(values.direction) : undefined,
          subject: values.subject || undefined,
          outcome: task ? undefined : values.outcome || undefined,
          links,
          owner,
          due,
          notes: values.notes || undefined,
        },
        view.records,
        ctx.repo.config,
        a,
      );
      return planned.changes;
    },
    () => (task ? `task ${planned?.record.id ?? ''} added${due ? ` due ${due}` : ''}` : `${kind} ${planned?.record.id ?? ''} logged${planned?.caseUpdate ? `; case ${planned.caseUpdate.id}: ${planned.caseUpdate.summary}` : ''}`),
  );
}

function pickFor(key: string, candidates: { accounts: { id: string; name: string; reason: string }[]; contacts: { id: string; name: string; reason: string }[] }, options: ConversionOptions): Modal {
  const contact = candidates.contacts.length > 0;
  const list = contact ? candidates.contacts : candidates.accounts;
  const noun = contact ? 'contact' : 'account';
  return {
    kind: 'pick',
    purpose: 'convert',
    target: key,
    title: `Possible duplicate ${noun}s for ${key}: link to one, or create a new ${noun}`,
    options: [...list.map((c) => ({ label: `use ${noun} ${c.name} (${c.id}): ${c.reason}`, value: `${noun}:${c.id}` })), { label: `create a new ${noun}`, value: `${noun}:` }],
    index: 0,
    data: options,
  };
}

async function convert(ctx: ActionContext, key: string, choice: string | undefined, data: unknown): Promise<Outcome> {
  const { id } = split(key);
  const options: ConversionOptions = { ...((data as ConversionOptions | undefined) ?? {}) };
  if (choice) {
    const [noun, value] = choice.split(':') as ['contact' | 'account', string];
    if (noun === 'contact') {
      if (value) options.contact = value;
      else options.newContact = true;
    } else if (value) options.account = value;
    else options.newAccount = true;
  }
  let message = '';
  let decision: Modal | undefined;
  let already = '';
  const outcome = await run(
    ctx,
    () => message,
    (view) => {
      const lead = view.find(`lead/${id}`);
      const r = planConversion({ lead, records: view.records, config: ctx.repo.config, actor: actor(ctx), options, idTaken: (type, x) => ctx.repo.idTaken(type, x, view) });
      if (r.kind === 'converted') {
        already = `lead ${id} is already converted (${[r.links.contact, r.links.account, r.links.opportunity].filter(Boolean).join(', ')})`;
        return [];
      }
      if (r.kind === 'decision') {
        decision = pickFor(key, r.candidates, options);
        return [];
      }
      message = r.message;
      return r.changes;
    },
    () => message.replace(/^crm: /, ''),
  );
  if (decision) return { status: { text: 'possible duplicates: choose what to link (esc cancels)', tone: 'info' }, modal: decision, reload: false };
  if (already) return { status: { text: already, tone: 'info' }, reload: false };
  return outcome;
}

async function undo(ctx: ActionContext, entry: UndoEntry): Promise<Outcome> {
  const message = entry.commit ? `Revert "crm: ${entry.label}"\n\nThis reverts commit ${entry.commit}.\n` : `crm: undo ${entry.label}`;
  try {
    const result = await ctx.repo.mutate(message, () => entry.changes.map((c) => ({ path: c.path, before: c.after, after: c.before })), { commit: ctx.commit });
    return {
      status: { text: `undone: ${entry.label}${short(result.commit)}`, tone: 'ok' },
      popUndo: true,
      reload: true,
    };
  } catch (e) {
    if (e instanceof ConflictError) {
      throw new CrmError(`cannot undo "${entry.label}": ${e.where ?? 'a file'} changed since; nothing was written`, {
        hint: entry.commit ? `Revert it by hand: git revert ${entry.commit.slice(0, 7)}` : undefined,
      });
    }
    throw e;
  }
}

async function edit(ctx: ActionContext, key: string): Promise<Outcome> {
  const { editUntilValid } = await import('../commands/edit.js');
  const { timestamp: ts } = await import('../model/change.js');
  const { parseRecord } = await import('../model/frontmatter.js');
  const { updateRecord } = await import('../model/frontmatter-write.js');
  const loaded = ctx.repo.load();
  const record = loaded.records.find((r) => `${r.type}/${r.id}` === key);
  if (!record) throw new CrmError(`${key} no longer exists`);
  // The editor owns the terminal meanwhile; an invalid edit is reported, not re-prompted.
  const io = {
    out: () => {},
    err: () => {},
    isTTY: true,
    canPrompt: false,
    color: false,
    columns: 80,
    now: ctx.now,
    cwd: () => ctx.repo.root,
    env: ctx.env,
    prompt: () => Promise.reject(new Error('no prompt in the TUI')),
  };
  const edited = await ctx.suspend(() => editUntilValid(io, ctx.repo, record, loaded.records));
  if (!edited) return { status: { text: 'edit discarded; nothing changed', tone: 'info' }, reload: false };
  if (edited.raw === record.raw) return { status: { text: `${key}: no changes`, tone: 'info' }, reload: false };
  const raw = updateRecord(record.type, edited.raw, { ...edited.data, updated: ts(ctx.now()) });
  return run(
    ctx,
    `crm: edit ${key}`,
    (view) => {
      const parsed = parseRecord(raw);
      assertValid({ ...record, data: parsed.data, body: parsed.body, raw }, ctx.repo.config, existsWith(view));
      return [{ path: record.path, before: record.raw, after: raw }];
    },
    () => `${key} saved`,
  );
}

/** Run an effect. CrmErrors propagate (the app shows them); nothing else is caught here. */
export async function runEffect(effect: Effect, ctx: ActionContext): Promise<Outcome> {
  switch (effect.kind) {
    case 'move': {
      const { type } = split(effect.key);
      if (type === 'opportunity') return moveDeal(ctx, effect.key, effect.to);
      if (type === 'lead') return moveLead(ctx, effect.key, effect.to);
      if (type === 'case') return moveCase(ctx, effect.key, effect.to);
      return setStatus(ctx, effect.key, effect.to);
    }
    case 'win':
      return moveDeal(ctx, effect.key, closedStage(ctx.repo.config, 'won').id);
    case 'lose':
      return moveDeal(ctx, effect.key, closedStage(ctx.repo.config, 'lost').id, effect.reason);
    case 'disqualify':
      return moveLead(ctx, effect.key, 'disqualified', effect.reason);
    case 'convert':
      return convert(ctx, effect.key, effect.choice, effect.data);
    case 'respond':
      return respond(ctx, effect.key);
    case 'resolve':
      return caseAction(ctx, effect.key, 'resolve');
    case 'reopen':
      return caseAction(ctx, effect.key, 'reopen');
    case 'interaction':
      return logInteraction(ctx, effect.key, effect.values, false);
    case 'task':
      return logInteraction(ctx, effect.key, effect.values, true);
    case 'edit':
      return edit(ctx, effect.key);
    case 'undo':
      return undo(ctx, effect.entry);
    case 'reload':
      return { status: { text: 'reloaded', tone: 'info' }, reload: true };
  }
}
