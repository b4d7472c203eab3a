/**
 * `crm delete ID`: remove a record. Asks on a terminal, needs --yes
 * otherwise; refuses while other records reference it unless --force.
 */
import type { Command } from 'commander';
import { CancelledError, CrmError, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { examples, globals, openRepository, reportMutation } from './shared.js';

export interface DeleteOptions {
  ref: string;
  yes: boolean;
  force: boolean;
  dryRun: boolean;
}

export async function runDelete(io: Io, cmd: Command, o: DeleteOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { findRecord } = await import('../model/lookup.js');
  const { recordTitle, referencesOf, recordKey } = await import('../model/record.js');
  const loaded = repo.load();
  const record = findRecord(loaded.records, o.ref, undefined, loaded.issues);
  const referrers = loaded.records.filter((r) => r !== record && referencesOf(r).some((x) => x.type === record.type && x.id === record.id));
  if (referrers.length > 0 && !o.force) {
    const shown = referrers.slice(0, 10).map((r) => `  ${recordKey(r)} (${recordTitle(r)})`);
    throw new CrmError(
      `${recordKey(record)} is referenced by ${referrers.length} record${referrers.length === 1 ? '' : 's'}; nothing was deleted:\n${shown.join('\n')}${referrers.length > 10 ? `\n  … and ${referrers.length - 10} more` : ''}`,
      { hint: 'Change those references first, or pass --force to delete anyway (they will dangle; `crm validate` lists them).', exitCode: 1 },
    );
  }
  if (!o.yes && !o.dryRun) {
    if (!io.canPrompt) {
      throw new UsageError(`deleting ${recordKey(record)} needs confirmation`, { hint: 'Pass --yes to delete without asking.' });
    }
    const answer = await io.prompt(`Delete ${record.type} "${recordTitle(record)}" (${record.path})? [y/N] `);
    if (!/^y(es)?$/i.test(answer)) throw new CancelledError('Not deleted.');
  }
  const result = await repo.mutate(`crm: delete ${recordKey(record)} "${recordTitle(record)}"`, (now) => {
    const current = now.records.find((r) => r.type === record.type && r.id === record.id);
    return [{ path: record.path, before: current?.raw ?? record.raw, after: null }];
  }, { dryRun: o.dryRun, commit: globals(cmd).commit });
  if (o.dryRun) {
    io.err(`Would delete ${record.path}.`);
    return;
  }
  reportMutation(io, result, `Deleted ${recordKey(record)} (${record.path})`);
}

export function register(program: Command, io: Io): void {
  program
    .command('delete')
    .alias('rm')
    .description('delete a record (git keeps its history; its id is never reused)')
    .argument('<id>', 'ID or TYPE/ID')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--force', 'delete even when other records reference it')
    .option('--dry-run', 'say what would be deleted; change nothing')
    .addHelpText('after', examples(['$ crm delete lead/old-test-lead', '$ crm delete acme-srl --yes --force']))
    .action(async (ref: string, opts: { yes?: boolean; force?: boolean; dryRun?: boolean }, command: Command) => {
      await runDelete(io, command, { ref, yes: Boolean(opts.yes), force: Boolean(opts.force), dryRun: Boolean(opts.dryRun) });
    });
}
