/**
 * `crm task add|done|list`: follow-ups as interactions of kind `task`
 * (subject = the text, `due`, `done_at`), filed under the month they were
 * created in.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { CrmRecord } from '../model/record.js';
import { myHandle, printDryRun, resolveRefs } from './case-common.js';
import { collect, examples, globals, openRepository, recordJson, reportMutation, warnSkipped } from './shared.js';

export interface TaskAddOptions {
  text: string;
  due?: string | undefined;
  about: string[];
  with: string[];
  owner?: string | undefined;
  message?: string | undefined;
  tags: string[];
  json: boolean;
  dryRun: boolean;
}

export async function runTaskAdd(io: Io, cmd: Command, o: TaskAddOptions): Promise<string | undefined> {
  const { UsageError } = await import('../errors.js');
  if (!o.text.trim()) throw new UsageError('a task needs a text', { hint: 'crm task add "Call Jane back" --due tomorrow --about jane-roe' });
  const repo = await openRepository(io, cmd);
  const config = repo.config;
  const now = io.now();
  const { parseDue, linksFor, planLog } = await import('../model/interactions.js');
  const { timestamp } = await import('../model/change.js');
  const due = o.due !== undefined ? parseDue(o.due, config.timezone, now) : undefined;
  if (o.owner) {
    const { checkUser } = await import('../model/cases.js');
    checkUser(o.owner, config);
  }
  const author = repo.author();
  const actor = { now, by: author.handle };
  let planned: import('../model/interactions.js').LogPlan | undefined;
  const result = await repo.mutate(
    () => `crm: task add ${planned?.record.id ?? ''} "${o.text.trim()}"${due ? ` due ${due.value}` : ''}${o.owner ?? author.handle ? ` for ${o.owner ?? author.handle}` : ''}`,
    async (loaded) => {
      const refs = await resolveRefs(loaded.records, o.with, o.about);
      planned = planLog(
        {
          kind: 'task',
          at: timestamp(now),
          subject: o.text,
          links: linksFor(refs.contacts, refs.about),
          owner: o.owner ?? author.handle,
          tags: o.tags,
          due: due?.value,
          notes: o.message,
        },
        loaded.records,
        config,
        actor,
      );
      return planned.changes;
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );
  if (!planned) return undefined;
  if (o.dryRun) {
    printDryRun(io, result.changes);
    return planned.record.id;
  }
  if (o.json) io.out(JSON.stringify(recordJson(planned.record, true), null, 2));
  else io.out(planned.record.id);
  const { dueBucket } = await import('../model/interactions.js');
  if (due && dueBucket(due.value, now, config.timezone) === 'overdue') io.err(`note: ${due.value} has already passed; the task is overdue.`);
  reportMutation(io, result, `Added task ${planned.record.id}${due ? ` due ${due.value}` : ''}`);
  return planned.record.id;
}

export async function runTaskDone(io: Io, cmd: Command, ref: string, o: { outcome?: string | undefined; dryRun: boolean; json: boolean }): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { findRecord } = await import('../model/lookup.js');
  const { planTaskDone } = await import('../model/interactions.js');
  const { updateExisting, assertValid, existsIn } = await import('../model/change.js');
  const actor = { now: io.now(), by: repo.author().handle };
  let after: CrmRecord | undefined;
  let already = false;
  let subject = '';
  const result = await repo.mutate(
    () => `crm: task done ${after?.id ?? ref} "${subject}"`,
    (loaded) => {
      const record = findRecord(loaded.records, ref, ['interaction']);
      subject = String(record.data.subject ?? '');
      const p = planTaskDone(record, actor, o.outcome);
      if (!p.changed) {
        already = true;
        after = record;
        return [];
      }
      const u = updateExisting(record, p.data);
      assertValid(u.record, repo.config, existsIn(loaded.records));
      after = u.record;
      return [u.change];
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );
  if (o.dryRun) {
    printDryRun(io, result.changes);
    return;
  }
  if (o.json && after) io.out(JSON.stringify(recordJson(after, true), null, 2));
  if (already) {
    io.err(`Task ${after?.id} was already done on ${String(after?.data.done_at)}; nothing changed.`);
    return;
  }
  reportMutation(io, result, `Done: task ${after?.id}`);
}

export async function runTaskList(io: Io, cmd: Command, o: { all: boolean; owner?: string | undefined; mine: boolean; json: boolean }): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { isTask, isOpenTask, dueInstant, dueBucket, taskText, interactionLinks } = await import('../model/interactions.js');
  const { instantOf } = await import('../model/validate.js');
  const loaded = repo.load(['interaction']);
  warnSkipped(io, loaded.issues);
  const owner = o.mine ? await myHandle(repo) : o.owner;
  const tz = repo.config.timezone;
  const now = io.now();
  const tasks = loaded.records
    .filter((r) => (o.all ? isTask(r) : isOpenTask(r)))
    .filter((r) => owner === undefined || r.data.owner === owner)
    .sort((a, b) => dueInstant(a.data.due, tz) - dueInstant(b.data.due, tz) || (instantOf(a.data.at) ?? 0) - (instantOf(b.data.at) ?? 0) || a.id.localeCompare(b.id));
  if (o.json) {
    io.out(JSON.stringify(tasks.map((t) => ({ ...recordJson(t), bucket: isOpenTask(t) ? dueBucket(t.data.due, now, tz) : 'done' })), null, 2));
    return;
  }
  const { cellText, alignedTable, tsv } = await import('../format/text.js');
  const rows = tasks.map((t) => [
    cellText(t.data.due),
    isOpenTask(t) ? dueBucket(t.data.due, now, tz).replace('_', ' ') : 'done',
    taskText(t),
    cellText(t.data.owner),
    interactionLinks(t).join(' '),
    t.id,
  ]);
  if (!io.isTTY) {
    if (rows.length > 0) io.out(tsv(rows));
    return;
  }
  if (rows.length === 0) {
    io.err(o.all ? 'No tasks.' : 'No open tasks.');
    return;
  }
  const { palette } = await import('../format/color.js');
  const { localTime } = await import('../format/values.js');
  const c = palette(io.color);
  io.out(
    alignedTable(
      ['DUE', 'WHEN', 'TASK', 'OWNER', 'ABOUT', 'ID'],
      rows.map((r) => {
        const when = r[1] === 'overdue' ? c.red(r[1]!) : r[1] === 'today' ? c.yellow(r[1]!) : r[1]!;
        return [localTime(r[0]!, tz), when, r[2]!, r[3]!, r[4]!, c.dim(r[5]!)];
      }),
      { maxWidth: io.columns, header: (s) => c.bold(s) },
    ),
  );
  io.err(c.dim(`${rows.length} ${o.all ? '' : 'open '}task${rows.length === 1 ? '' : 's'}`));
}

export function register(program: Command, io: Io): void {
  const task = program.command('task').description('follow-up tasks (interactions of kind task)');
  task
    .command('add')
    .description('add a task')
    .argument('<text>', 'what to do (the subject)')
    .option('--due <when>', 'due date: 2026-11-27, today, tomorrow, +3d, +2w, friday, or a time "2026-11-27 17:00"')
    .option('-a, --about <id>', 'what it is about: account, lead, opportunity, case, campaign (repeatable)', collect, [])
    .option('-w, --with <contact>', 'a contact it concerns (repeatable)', collect, [])
    .option('--owner <handle>', 'who has to do it (default: you)')
    .option('-m, --message <text>', 'notes (Markdown)')
    .option('--tag <tag>', 'add a tag (repeatable)', collect, [])
    .option('--dry-run', 'print the file that would be written; change nothing')
    .option('--json', 'print the new task as JSON instead of its id')
    .addHelpText('after', examples(['$ crm task add "Send the revised offer" --due friday --about opp/acme-erp', '$ crm task add "Call Jane back" --due tomorrow --with jane-roe --owner marco']))
    .action(async (text: string, opts: Record<string, unknown>, command: Command) => {
      await runTaskAdd(io, command, {
        text,
        due: opts.due as string | undefined,
        about: (opts.about as string[]) ?? [],
        with: (opts.with as string[]) ?? [],
        owner: opts.owner as string | undefined,
        message: opts.message as string | undefined,
        tags: (opts.tag as string[]) ?? [],
        json: Boolean(opts.json),
        dryRun: Boolean(opts.dryRun),
      });
    });
  task
    .command('done')
    .description('mark a task done (sets done_at)')
    .argument('<id>', 'the task id (see `crm task list`)')
    .option('-o, --outcome <text>', 'what came of it')
    .option('--dry-run', 'print the new file; change nothing')
    .option('--json', 'print the task as JSON')
    .addHelpText('after', examples(['$ crm task done 2026-11-20-task-send-the-revised-offer', '$ crm task done 2026-11-20-task-call-jane-back --outcome "agreed on Tuesday"']))
    .action(async (ref: string, opts: { outcome?: string; dryRun?: boolean; json?: boolean }, command: Command) => {
      await runTaskDone(io, command, ref, { outcome: opts.outcome, dryRun: Boolean(opts.dryRun), json: Boolean(opts.json) });
    });
  task
    .command('list')
    .alias('ls')
    .description('open tasks, by due date (overdue first)')
    .option('--all', 'done tasks too')
    .option('--owner <handle>', "only this owner's tasks")
    .option('--mine', 'only your tasks')
    .option('--json', 'print the tasks as JSON')
    .addHelpText('after', examples(['$ crm task list --mine', '$ crm task list --owner marco --json']))
    .action(async (opts: { all?: boolean; owner?: string; mine?: boolean; json?: boolean }, command: Command) => {
      await runTaskList(io, command, { all: Boolean(opts.all), owner: opts.owner, mine: Boolean(opts.mine), json: Boolean(opts.json) });
    });
}
