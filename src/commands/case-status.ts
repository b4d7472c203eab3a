/**
 * `crm case pending|resolve|close|reopen ID`: move a case through its
 * statuses (rules in src/model/cases.ts `planCaseAction`), with an optional
 * `--note` in the history and `--satisfaction N` on resolve and close.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { CaseAction } from '../model/cases.js';
import type { Nouns } from './index.js';
import { mutateCase } from './case-common.js';
import { examples, globals, openRepository } from './shared.js';

export interface CaseStatusOptions {
  note?: string | undefined;
  satisfaction?: string | undefined;
  dryRun: boolean;
  json: boolean;
}

export async function runCaseStatus(io: Io, cmd: Command, action: CaseAction, ref: string, o: CaseStatusOptions): Promise<void> {
  const { planCaseAction, parseSatisfaction } = await import('../model/cases.js');
  const satisfaction = o.satisfaction !== undefined ? parseSatisfaction(o.satisfaction) : undefined;
  const repo = await openRepository(io, cmd);
  const actor = { now: io.now(), by: repo.author().handle };
  await mutateCase(io, repo, globals(cmd).commit, {
    ref,
    verb: action,
    dryRun: o.dryRun,
    json: o.json,
    plan: (kase) => planCaseAction(kase.id, kase.data, action, repo.config, actor, { note: o.note, satisfaction }),
  });
}

const HELP: Record<CaseAction, { description: string; examples: string[] }> = {
  pending: {
    description: 'wait for the customer (from new or open)',
    examples: ['$ crm case pending invoice-shows-wrong-vat --note "asked for the invoice number"'],
  },
  resolve: {
    description: 'mark a case resolved (sets resolved_at; from new, open or pending)',
    examples: ['$ crm case resolve invoice-shows-wrong-vat --note "credit note issued" --satisfaction 5'],
  },
  close: {
    description: 'close a case (from resolved, or directly from an open status; sets resolved_at if unset)',
    examples: ['$ crm case close invoice-shows-wrong-vat', '$ crm case close duplicate-ticket --note "duplicate of line-down"'],
  },
  reopen: {
    description: 'reopen a resolved or closed case (back to open; removes resolved_at)',
    examples: ['$ crm case reopen invoice-shows-wrong-vat --note "customer says VAT still wrong"'],
  },
};

export function register(nouns: Nouns, io: Io): void {
  for (const action of ['pending', 'resolve', 'close', 'reopen'] as const) {
    const cmd = nouns.case
      .command(action)
      .description(HELP[action].description)
      .argument('<id>', 'the case')
      .option('--note <text>', 'why (kept in the history entry)');
    if (action === 'resolve' || action === 'close') cmd.option('--satisfaction <n>', "the customer's rating, 1 to 5");
    cmd
      .option('--dry-run', 'print the new file; change nothing')
      .option('--json', 'print the case (with its SLA) as JSON')
      .addHelpText('after', examples(HELP[action].examples))
      .action(async (ref: string, opts: { note?: string; satisfaction?: string; dryRun?: boolean; json?: boolean }, command: Command) => {
        await runCaseStatus(io, command, action, ref, { note: opts.note, satisfaction: opts.satisfaction, dryRun: Boolean(opts.dryRun), json: Boolean(opts.json) });
      });
  }
}
