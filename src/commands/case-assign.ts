/** `crm case assign ID HANDLE`: give a case to a user (its `owner`). */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Nouns } from './index.js';
import { mutateCase } from './case-common.js';
import { examples, globals, openRepository } from './shared.js';

export async function runCaseAssign(io: Io, cmd: Command, ref: string, handle: string, o: { dryRun: boolean; json: boolean }): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { planAssign } = await import('../model/cases.js');
  const actor = { now: io.now(), by: repo.author().handle };
  await mutateCase(io, repo, globals(cmd).commit, {
    ref,
    verb: 'assign',
    dryRun: o.dryRun,
    json: o.json,
    plan: (kase) => planAssign(kase.data, handle, repo.config, actor),
  });
}

export function register(nouns: Nouns, io: Io): void {
  nouns.case
    .command('assign')
    .description('give a case to a user (sets its owner)')
    .argument('<id>', 'the case')
    .argument('<handle>', 'a user handle from crm.yaml')
    .option('--dry-run', 'print the new file; change nothing')
    .option('--json', 'print the case (with its SLA) as JSON')
    .addHelpText('after', examples(['$ crm case assign invoice-shows-wrong-vat marco']))
    .action(async (ref: string, handle: string, opts: { dryRun?: boolean; json?: boolean }, command: Command) => {
      await runCaseAssign(io, command, ref, handle, { dryRun: Boolean(opts.dryRun), json: Boolean(opts.json) });
    });
}
