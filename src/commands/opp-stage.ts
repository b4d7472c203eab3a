/**
 * `crm opp move ID STAGE`, `crm opp win ID`, `crm opp lose ID --reason`:
 * deals through crm.yaml's pipeline. Closing sets `closed_on`; the first won
 * deal of an account that is not a customer makes it one, in the same commit.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { Nouns } from './index.js';
import { examples, globals, openRepository, recordJson, reportMutation } from './shared.js';

export interface OppStageOptions {
  ref: string;
  /** Target stage id, or the won/lost stage for win/lose. */
  stage?: string | undefined;
  outcome?: 'won' | 'lost' | undefined;
  note?: string | undefined;
  reason?: string | undefined;
  reopen: boolean;
  amount?: number | undefined;
  on?: string | undefined;
  json: boolean;
  dryRun: boolean;
}

/** "12500", "12_500", "12500.50" → a number; anything else is a usage error. */
export function parseAmount(text: string, flag = '--amount'): number {
  const t = text.trim().replace(/_/g, '');
  const n = /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
  if (!Number.isFinite(n)) {
    throw new UsageError(`${flag} "${text}" is not an amount`, { hint: `Write a plain number in the currency of crm.yaml, e.g. ${flag} 12500 (no thousands separators).` });
  }
  return n;
}

export async function runOppStage(io: Io, cmd: Command, o: OppStageOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { planDealMove, closedStage, describeChanges, checkDate } = await import('../model/deals.js');
  const { formatNumber } = await import('../format/text.js');
  const author = repo.author();
  const actor = { now: io.now(), by: author.handle };
  const on = o.on !== undefined ? checkDate(o.on, '--on') : undefined;
  const stage = o.stage ?? closedStage(repo.config, o.outcome!).id;
  let outcome: import('../model/deals.js').DealResult | undefined;
  let current: import('../model/record.js').CrmRecord | undefined;

  const message = (): string => {
    if (outcome?.kind !== 'planned') return 'crm: opportunity';
    const p = outcome.plan;
    const id = p.opportunity.record.id;
    const amount = p.opportunity.record.data.amount;
    const money = typeof amount === 'number' ? ` (${formatNumber(amount)} ${repo.config.currency})` : '';
    let head: string;
    if (p.outcome === 'won') head = `${p.reopened ? 'reopen and ' : ''}win opportunity ${id}${money}`;
    else if (p.outcome === 'lost') head = `${p.reopened ? 'reopen and ' : ''}lose opportunity ${id}: ${String(p.opportunity.record.data.lost_reason ?? '')}`;
    else head = `${p.reopened ? 'reopen' : 'move'} opportunity ${id} ${p.from ?? 'none'} → ${p.to}`;
    const account = p.account ? `; account ${p.account.record.id} becomes a customer` : '';
    return `crm: ${head}${account}`;
  };

  const result = await repo.mutate(
    message,
    (view) => {
      const opp = view.find(o.ref, ['opportunity']);
      current = opp;
      outcome = planDealMove(
        opp,
        { to: stage, note: o.note, reason: o.reason ?? (o.outcome === undefined ? o.note : undefined), reopen: o.reopen, amount: o.amount, on },
        {
          config: repo.config,
          actor,
          exists: (t, id) => view.exists(t, id),
          get: (t, id) => (view.exists(t, id) ? view.find(`${t}/${id}`, [t]) : undefined),
        },
      );
      return outcome.kind === 'planned' ? outcome.plan.changes : [];
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );

  if (!outcome || !current) return;
  if (outcome.kind === 'unchanged') {
    io.err(`${outcome.message[0]!.toUpperCase()}${outcome.message.slice(1)}.`);
    if (o.json) io.out(JSON.stringify(recordJson(current, true), null, 2));
    return;
  }
  const p = outcome.plan;
  const what = `Opportunity ${p.opportunity.record.id}: ${p.from ?? 'none'} → ${p.to}`;
  if (o.dryRun) {
    if (o.json) io.out(JSON.stringify({ dry_run: true, ...recordJson(p.opportunity.record, true) }, null, 2));
    else io.out(describeChanges(result.changes));
    io.err(`Dry run: ${what[0]!.toLowerCase()}${what.slice(1)}${p.account ? `, account ${p.account.record.id} would become a customer` : ''}; nothing was written.`);
    return;
  }
  if (o.json) io.out(JSON.stringify(recordJson(p.opportunity.record, true), null, 2));
  if (p.outcome === 'won' && p.opportunity.record.data.amount === undefined) {
    io.err(`warning: opportunity ${p.opportunity.record.id} was won without an amount; revenue reports count it as 0 (set it with \`crm set opp/${p.opportunity.record.id} amount=N\`).`);
  }
  reportMutation(io, result, `${what}${p.account ? `; account ${p.account.record.id} is now a customer` : ''}`);
}

interface Flags {
  note?: string;
  reason?: string;
  reopen?: boolean;
  amount?: string;
  on?: string;
  json?: boolean;
  dryRun?: boolean;
}

function common(cmd: Command): Command {
  return cmd
    .option('--note <text>', 'a note for the history entry')
    .option('--reopen', 'allow leaving a won or lost stage')
    .option('--dry-run', 'show the changes; write nothing')
    .option('--json', 'print the opportunity as JSON');
}

function options(ref: string, f: Flags, extra: Partial<OppStageOptions>): OppStageOptions {
  return {
    ref,
    note: f.note,
    reason: f.reason,
    reopen: Boolean(f.reopen),
    amount: f.amount !== undefined ? parseAmount(f.amount) : undefined,
    on: f.on,
    json: Boolean(f.json),
    dryRun: Boolean(f.dryRun),
    ...extra,
  };
}

export function register(nouns: Nouns, io: Io): void {
  common(
    nouns.opportunity
      .command('move')
      .description('move a deal to another stage of the pipeline (backwards too; into won/lost = win/lose)')
      .argument('<id>', 'the opportunity (ID or opp/ID)')
      .argument('<stage>', 'a stage from crm.yaml')
      .option('--reason <text>', 'why it was lost (moving into a lost stage)')
      .option('--amount <n>', 'set the amount too (e.g. the final amount when moving into won)')
      .option('--on <date>', 'the day it closed, when moving into won/lost (default: today)'),
  )
    .addHelpText('after', examples(['$ crm opp move acme-erp proposal', '$ crm opp move acme-erp qualification --note "scope reopened"', '$ crm opp move acme-erp negotiation --reopen   # a lost deal is back']))
    .action(async (ref: string, stage: string, f: Flags, command: Command) => {
      await runOppStage(io, command, options(ref, f, { stage }));
    });

  common(
    nouns.opportunity
      .command('win')
      .description('mark a deal won: closed_on is set, and its account becomes a customer')
      .argument('<id>', 'the opportunity (ID or opp/ID)')
      .option('--amount <n>', 'the final amount')
      .option('--on <date>', 'the day it was won, YYYY-MM-DD (default: today)'),
  )
    .addHelpText('after', examples(['$ crm opp win acme-erp --amount 26000', '$ crm opp win acme-erp --on 2026-11-18', '$ crm opp win old-deal --reopen   # it was marked lost']))
    .action(async (ref: string, f: Flags, command: Command) => {
      await runOppStage(io, command, options(ref, f, { outcome: 'won' }));
    });

  common(
    nouns.opportunity
      .command('lose')
      .description('mark a deal lost, with the reason')
      .argument('<id>', 'the opportunity (ID or opp/ID)')
      .requiredOption('--reason <text>', 'why it was lost (kept as lost_reason)')
      .option('--on <date>', 'the day it was lost, YYYY-MM-DD (default: today)'),
  )
    .addHelpText('after', examples(['$ crm opp lose acme-erp --reason "price too high"', '$ crm opp lose acme-erp --reason "went with a competitor" --on 2026-11-15']))
    .action(async (ref: string, f: Flags, command: Command) => {
      await runOppStage(io, command, options(ref, f, { outcome: 'lost' }));
    });
}
