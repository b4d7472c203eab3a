/**
 * `crm set ID key=value …` and `crm unset ID key …`: validated edits of
 * fields. Changing `status` or `stage` appends to the history.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { coerceValue, examples, globals, openRepository, parseAssignment, recordJson, reportMutation } from './shared.js';

export interface SetOptions {
  ref: string;
  /** key and the text typed for it; null text removes the key (unset). */
  assignments: { key: string; text: string | null }[];
  force: boolean;
  json: boolean;
  dryRun: boolean;
}

export async function runSet(io: Io, cmd: Command, o: SetOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { assign, assertValid, updateExisting } = await import('../model/change.js');
  const author = repo.author();
  let after: import('../model/record.js').CrmRecord | undefined;
  let label = o.ref;
  const result = await repo.mutate(
    () => `crm: ${o.assignments.every((a) => a.text === null) ? 'unset' : 'set'} ${label} ${o.assignments.map((a) => a.key).join(', ')}`,
    async (loaded) => {
      const record = loaded.find(o.ref);
      label = `${record.type}/${record.id}`;
      if (record.type === 'lead' && record.data.status === 'converted' && !o.force) {
        throw new UsageError(`lead ${record.id} is converted; its data now lives on the contact, account and opportunity`, {
          hint: 'Edit those records instead, or pass --force to change the lead anyway.',
        });
      }
      const values: { key: string; value: unknown }[] = [];
      for (const a of o.assignments) {
        if (a.key === 'history') throw new UsageError('history is appended by crm and cannot be set', { hint: 'Change `status` or `stage` and the history follows.' });
        if (a.key === 'id') throw new UsageError('the id is the file name and never changes', { hint: 'Change the name instead; the id stays.' });
        values.push({ key: a.key, value: a.text === null ? null : await coerceValue(record.type, a.key, a.text) });
      }
      const next = assign(record.type, record.data, values, { now: io.now(), by: author.handle });
      const planned = updateExisting(record, next);
      assertValid(planned.record, repo.config, (t, id) => loaded.exists(t, id));
      after = planned.record;
      return [planned.change];
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );
  if (o.dryRun) {
    io.err(`Would write ${result.changes[0]?.path ?? '(nothing)'}:`);
    io.out(result.changes[0]?.after ?? '');
    return;
  }
  if (o.json && after) io.out(JSON.stringify(recordJson(after, true), null, 2));
  reportMutation(io, result, `Updated ${label}`);
}

export function register(program: Command, io: Io): void {
  program
    .command('set')
    .description('set fields of a record (validated; status/stage changes are recorded in history)')
    .argument('<id>', 'ID or TYPE/ID')
    .argument('<fields...>', 'key=value pairs; values are YAML (80, [a, b]); key= removes the field')
    .option('--force', 'allow changing a converted lead')
    .option('--dry-run', 'print the new file; change nothing')
    .option('--json', 'print the updated record as JSON')
    .addHelpText('after', examples(['$ crm set jane-roe email=jane@roe.example score=80', '$ crm set opp/acme-erp amount=26000 expected_close=2027-01-15', '$ crm set acme-srl address.city=Torino tags=[key-account, north]']))
    .action(async (ref: string, fields: string[], opts: { force?: boolean; dryRun?: boolean; json?: boolean }, command: Command) => {
      await runSet(io, command, {
        ref,
        assignments: fields.map((f) => {
          const { key, text } = parseAssignment(f);
          return { key, text: text.trim() === '' ? null : text };
        }),
        force: Boolean(opts.force),
        json: Boolean(opts.json),
        dryRun: Boolean(opts.dryRun),
      });
    });
  program
    .command('unset')
    .description('remove fields from a record')
    .argument('<id>', 'ID or TYPE/ID')
    .argument('<keys...>', 'field names (address.city for a key inside a map)')
    .option('--force', 'allow changing a converted lead')
    .option('--dry-run', 'print the new file; change nothing')
    .option('--json', 'print the updated record as JSON')
    .addHelpText('after', examples(['$ crm unset jane-roe phone', '$ crm unset acme-srl address.region tags']))
    .action(async (ref: string, keys: string[], opts: { force?: boolean; dryRun?: boolean; json?: boolean }, command: Command) => {
      await runSet(io, command, {
        ref,
        assignments: keys.map((key) => ({ key, text: null })),
        force: Boolean(opts.force),
        json: Boolean(opts.json),
        dryRun: Boolean(opts.dryRun),
      });
    });
}
