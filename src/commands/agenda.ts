/**
 * `crm agenda`: what needs doing, per owner: open tasks (overdue, today,
 * this week, later), cases breaching their SLA or due within a day, and
 * open deals expected to close this week.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Agenda } from '../model/interactions.js';
import { myHandle } from './case-common.js';
import { examples, openRepository, warnSkipped } from './shared.js';

export interface AgendaOptions {
  mine: boolean;
  owner?: string | undefined;
  json: boolean;
}

const BUCKET_TITLES = { overdue: 'Overdue', today: 'Today', this_week: 'This week', later: 'Later' } as const;

export async function runAgenda(io: Io, cmd: Command, o: AgendaOptions): Promise<Agenda> {
  const repo = await openRepository(io, cmd);
  const owner = o.mine ? await myHandle(repo) : o.owner;
  const { buildAgenda, DUE_BUCKETS } = await import('../model/interactions.js');
  const { slaSummary } = await import('../model/cases.js');
  const loaded = repo.load(['interaction', 'case', 'opportunity']);
  warnSkipped(io, loaded.issues);
  const now = io.now();
  const agenda = buildAgenda(loaded.records, repo.config, now, { owner });
  if (o.json) {
    io.out(JSON.stringify(agenda, null, 2));
    return agenda;
  }
  const { cellText, tsv } = await import('../format/text.js');
  const { money } = await import('../format/values.js');
  const { localTime } = await import('../format/values.js');
  const tz = repo.config.timezone;
  const who = (h: string | null) => h ?? '(no owner)';
  if (!io.isTTY) {
    const rows: string[][] = [];
    for (const g of agenda.owners) {
      for (const b of DUE_BUCKETS) for (const t of g.tasks[b]) rows.push([who(g.owner), `task:${b}`, cellText(t.due), t.id, t.subject, t.about.join(' ')]);
      for (const c of g.cases) rows.push([who(g.owner), 'case', c.sla.next?.due_at ?? '', c.id, c.subject, `${c.priority}; ${slaSummary(c.sla)}`]);
      for (const p of g.opportunities) rows.push([who(g.owner), 'closing', p.expected_close, p.id, p.name, `${cellText(p.stage)}${p.amount !== null ? `; ${p.amount} ${p.currency}` : ''}`]);
    }
    if (rows.length > 0) io.out(tsv(rows));
    return agenda;
  }
  const { palette } = await import('../format/color.js');
  const c = palette(io.color);
  const weekday = new Date(`${agenda.today}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const lines: string[] = [c.bold(`Agenda for ${weekday} ${agenda.today}`) + c.dim(` (week ${agenda.week_start} – ${agenda.week_end})`)];
  if (agenda.owners.length === 0) lines.push('', owner ? `Nothing on ${owner}'s agenda.` : 'Nothing on the agenda.');
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].length));
  for (const g of agenda.owners) {
    lines.push('', c.bold(who(g.owner)));
    for (const b of DUE_BUCKETS) {
      const tasks = g.tasks[b];
      if (tasks.length === 0) continue;
      const title = b === 'overdue' ? c.red(BUCKET_TITLES[b]) : b === 'today' ? c.yellow(BUCKET_TITLES[b]) : BUCKET_TITLES[b];
      lines.push(`  ${title}`);
      for (const t of tasks) {
        const due = t.due ? localTime(t.due, tz) : 'no due date';
        lines.push(`    ${pad(due, 16)}  ${t.subject}${t.about.length > 0 ? c.dim(`  (${t.about.join(', ')})`) : ''}  ${c.dim(t.id)}`);
      }
    }
    if (g.cases.length > 0) {
      lines.push(`  ${c.bold('Cases')}`);
      for (const k of g.cases) {
        const text = slaSummary(k.sla);
        const styled = k.sla.state === 'breached' ? c.red(text) : c.yellow(text);
        lines.push(`    ${pad(k.priority, 8)}  ${pad(text, 30).replace(text, styled)}  ${k.subject}  ${c.dim(k.id)}`);
      }
    }
    if (g.opportunities.length > 0) {
      lines.push(`  ${c.bold('Closing this week')}`);
      for (const p of g.opportunities) {
        const amount = p.amount !== null ? money(p.amount, p.currency) : '';
        lines.push(`    ${pad(p.expected_close, 16)}  ${p.name}  ${cellText(p.stage)}${amount ? `  ${amount}` : ''}  ${c.dim(p.id)}`);
      }
    }
  }
  io.out(lines.join('\n'));
  return agenda;
}

export function register(program: Command, io: Io): void {
  program
    .command('agenda')
    .description('open tasks (overdue, today, this week, later), urgent cases and deals closing this week, per owner')
    .option('--mine', 'only your agenda')
    .option('--owner <handle>', "only this user's agenda")
    .option('--json', 'the agenda as JSON')
    .addHelpText(
      'after',
      `
"This week" runs to Sunday of the current ISO week in crm.yaml's timezone.
Cases are listed when an SLA deadline has passed or falls within 24 hours.
${examples(['$ crm agenda --mine', '$ crm agenda --owner marco --json'])}`,
    )
    .action(async (opts: { mine?: boolean; owner?: string; json?: boolean }, command: Command) => {
      await runAgenda(io, command, { mine: Boolean(opts.mine), owner: opts.owner, json: Boolean(opts.json) });
    });
}
