/**
 * `crm case list`: cases by SLA urgency (most overdue first) with the time
 * left or overdue; `--breaching` and `--due-within 4h` narrow it to what is
 * late or about to be.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Nouns } from './index.js';
import { myHandle } from './case-common.js';
import { examples, openRepository, recordJson, warnSkipped, compileWhere } from './shared.js';

export interface CaseListOptions {
  all: boolean;
  breaching: boolean;
  dueWithin?: string | undefined;
  where?: string | undefined;
  owner?: string | undefined;
  mine: boolean;
  json: boolean;
}

export async function runCaseList(io: Io, cmd: Command, o: CaseListOptions): Promise<void> {
  const { caseSla, compareUrgency, isCaseOpen, parseDuration, slaSummary } = await import('../model/cases.js');
  const { UsageError } = await import('../errors.js');
  const window = o.dueWithin !== undefined ? parseDuration(o.dueWithin) : undefined;
  const filter = o.where ? await compileWhere(io, o.where) : undefined;
  const repo = await openRepository(io, cmd);
  const owner = o.mine ? await myHandle(repo) : o.owner;
  const loaded = repo.load(['case', 'account']);
  warnSkipped(io, loaded.issues);
  const now = io.now();
  const rows = loaded.records
    .filter((r) => r.type === 'case')
    .filter((r) => o.all || o.breaching || window !== undefined || isCaseOpen(r.data))
    .filter((r) => owner === undefined || r.data.owner === owner)
    .filter((r) => !filter || filter(r))
    .map((r) => ({ r, id: r.id, sla: caseSla(r.data, repo.config, now) }))
    .filter(({ sla }) => !o.breaching || sla.next?.breached === true)
    .filter(({ sla }) => window === undefined || (sla.next !== null && sla.next.hours_left * 3_600_000 <= window))
    .sort(compareUrgency);

  if (o.json) {
    io.out(JSON.stringify(rows.map(({ r, sla }) => ({ ...recordJson(r), sla })), null, 2));
    return;
  }
  const { cellText, alignedTable, tsv } = await import('../format/text.js');
  if (!io.isTTY) {
    if (rows.length > 0) {
      io.out(
        tsv(
          rows.map(({ r, sla }) => [
            r.id,
            sla.priority,
            cellText(r.data.status),
            sla.state,
            sla.next?.clock ?? '',
            sla.next?.due_at ?? '',
            sla.next ? String(sla.next.hours_left) : '',
            slaSummary(sla),
            cellText(r.data.owner),
            cellText(r.data.account),
            cellText(r.data.subject),
          ]),
        ),
      );
    }
    return;
  }
  const what = o.breaching ? 'breaching cases' : window !== undefined ? `cases due within ${o.dueWithin}` : o.all ? 'cases' : 'open cases';
  if (rows.length === 0) {
    io.err(`No ${what}.`);
    return;
  }
  const { palette } = await import('../format/color.js');
  const { localTime } = await import('../format/values.js');
  const { recordTitle } = await import('../model/record.js');
  const c = palette(io.color);
  const accounts = new Map(loaded.records.filter((r) => r.type === 'account').map((r) => [r.id, recordTitle(r)]));
  const tz = repo.config.timezone;
  io.out(
    alignedTable(
      ['ID', 'PRIORITY', 'STATUS', 'SLA', 'DUE', 'OWNER', 'ACCOUNT', 'SUBJECT'],
      rows.map(({ r, sla }) => {
        const text = slaSummary(sla);
        const styled = sla.state === 'breached' || sla.state === 'missed' ? c.red(text) : sla.state === 'due-soon' ? c.yellow(text) : text;
        const account = typeof r.data.account === 'string' ? accounts.get(r.data.account) ?? r.data.account : '';
        return [r.id, sla.priority, cellText(r.data.status), styled, sla.next ? localTime(sla.next.due_at, tz) : '', cellText(r.data.owner), account, cellText(r.data.subject)];
      }),
      { maxWidth: io.columns, header: (s) => c.bold(s) },
    ),
  );
  io.err(c.dim(`${rows.length} ${rows.length === 1 ? what.replace('cases', 'case') : what}`));
}

export function register(nouns: Nouns, io: Io): void {
  nouns.case
    .command('list')
    .alias('ls')
    .description('cases by SLA urgency (most overdue first), with the time left or overdue')
    .option('--all', 'resolved and closed cases too (default: open ones: new, open, pending)')
    .option('--breaching', 'only cases past an SLA deadline (first response or resolution)')
    .option('--due-within <duration>', 'only cases whose next SLA deadline is within the duration (4h, 2d, 90m); overdue ones included')
    .option('-w, --where <expr>', 'only cases matching the filter expression (as in crm list)')
    .option('--owner <handle>', "only this owner's cases")
    .option('--mine', 'only your cases')
    .option('--json', 'the cases with their SLA as JSON')
    .addHelpText(
      'after',
      `
SLA targets come from crm.yaml (cases.sla, hours per priority), counted from
\`created\`: first response (first_response_at) and resolution (resolved_at).
${examples(['$ crm case list --breaching', '$ crm case list --due-within 4h --mine', "$ crm case list --where 'priority = urgent or priority = high' --json"])}`,
    )
    .action(async (opts: { all?: boolean; breaching?: boolean; dueWithin?: string; where?: string; owner?: string; mine?: boolean; json?: boolean }, command: Command) => {
      await runCaseList(io, command, {
        all: Boolean(opts.all),
        breaching: Boolean(opts.breaching),
        dueWithin: opts.dueWithin,
        where: opts.where,
        owner: opts.owner,
        mine: Boolean(opts.mine),
        json: Boolean(opts.json),
      });
    });
}
