/**
 * `crm account churn ID --reason TEXT` and `crm account reactivate ID`: the
 * customer lifecycle that retention reports read (customer → former →
 * customer), each a history entry and one commit.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Nouns } from './index.js';
import { examples, globals, openRepository, reportStatusMove } from './shared.js';

export interface AccountLifecycleOptions {
  ref: string;
  action: 'churn' | 'reactivate';
  reason?: string | undefined;
  note?: string | undefined;
  on?: string | undefined;
  json: boolean;
  dryRun: boolean;
}

export async function runAccountLifecycle(io: Io, cmd: Command, o: AccountLifecycleOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { planAccountLifecycle, describeChanges, checkDate } = await import('../model/deals.js');
  const actor = { now: io.now(), by: repo.author().handle };
  const on = o.on !== undefined ? checkDate(o.on, '--on') : undefined;
  let outcome: import('../model/deals.js').AccountResult | undefined;
  let current: import('../model/record.js').CrmRecord | undefined;

  const result = await repo.mutate(
    () => {
      const id = current?.id ?? o.ref;
      return o.action === 'churn' ? `crm: churn account ${id}: ${o.reason?.trim() ?? ''}` : `crm: reactivate account ${id} (former → customer)`;
    },
    (view) => {
      const account = view.find(o.ref, ['account']);
      current = account;
      outcome = planAccountLifecycle(account, o.action, { reason: o.reason, note: o.note, on }, {
        config: repo.config,
        actor,
        exists: (t, id) => view.exists(t, id),
        get: () => undefined,
      });
      return outcome.kind === 'planned' ? [outcome.plan.account.change] : [];
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );

  if (!outcome || !current) return;
  reportStatusMove(
    io,
    result,
    o,
    'account',
    outcome.kind === 'unchanged'
      ? { kind: 'unchanged', message: outcome.message, record: current }
      : { kind: 'moved', record: outcome.plan.account.record, from: outcome.plan.from, to: outcome.plan.to },
    describeChanges,
  );
}

export function register(nouns: Nouns, io: Io): void {
  nouns.account
    .command('churn')
    .description('record that a customer left (customer → former)')
    .argument('<id>', 'the account (ID or account/ID)')
    .requiredOption('--reason <text>', 'why they left (kept as churn_reason)')
    .option('--on <date>', 'the day they left, YYYY-MM-DD (default: today)')
    .option('--note <text>', 'a note for the history entry')
    .option('--dry-run', 'show the change; write nothing')
    .option('--json', 'print the account as JSON')
    .addHelpText('after', examples(['$ crm account churn acme-srl --reason "moved to a competitor"', '$ crm account churn acme-srl --reason "closed down" --on 2026-10-31']))
    .action(async (ref: string, f: { reason?: string; on?: string; note?: string; json?: boolean; dryRun?: boolean }, command: Command) => {
      await runAccountLifecycle(io, command, { ref, action: 'churn', reason: f.reason, note: f.note, on: f.on, json: Boolean(f.json), dryRun: Boolean(f.dryRun) });
    });
  nouns.account
    .command('reactivate')
    .description('record that a former customer is back (former → customer)')
    .argument('<id>', 'the account (ID or account/ID)')
    .option('--on <date>', 'the day they came back, YYYY-MM-DD (default: today)')
    .option('--note <text>', 'a note for the history entry')
    .option('--dry-run', 'show the change; write nothing')
    .option('--json', 'print the account as JSON')
    .addHelpText('after', examples(['$ crm account reactivate acme-srl --note "new support contract"']))
    .action(async (ref: string, f: { on?: string; note?: string; json?: boolean; dryRun?: boolean }, command: Command) => {
      await runAccountLifecycle(io, command, { ref, action: 'reactivate', note: f.note, on: f.on, json: Boolean(f.json), dryRun: Boolean(f.dryRun) });
    });
}
