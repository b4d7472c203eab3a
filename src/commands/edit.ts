/**
 * `crm edit ID`: open the record in $EDITOR (a copy under .crm/edit/); on
 * save, validate; on a bad edit show the problems and offer to reopen or
 * discard. The record file is only replaced by a valid version.
 */
import type { Command } from 'commander';
import { CancelledError, ValidationError } from '../errors.js';
import type { Io } from '../io.js';
import type { CrmRecord } from '../model/record.js';
import type { Repository } from '../model/repo.js';
import { examples, globals, openRepository, reportMutation } from './shared.js';

export function editorCommand(env: Record<string, string | undefined>): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

/**
 * Let the user edit `record` in their editor until it is valid or they give
 * up. Returns the new text (exactly as saved), or undefined when discarded.
 */
export async function editUntilValid(io: Io, repo: Repository, record: CrmRecord, records: readonly CrmRecord[]): Promise<{ raw: string; data: Record<string, unknown>; body: string } | undefined> {
  const fs = await import('node:fs');
  const { join } = await import('node:path');
  const { spawnSync } = await import('node:child_process');
  const { readRecordFile, checkRecord } = await import('../model/validate.js');
  const { completeLifecycle, existsIn } = await import('../model/change.js');
  const { formatIssue } = await import('../model/issues.js');
  const dir = join(repo.root, '.crm', 'edit');
  fs.mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.type}-${record.id}.md`);
  fs.writeFileSync(file, record.raw);
  const editor = editorCommand(io.env);
  try {
    for (;;) {
      const r = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
      if (r.error || r.status !== 0) {
        throw new ValidationError(`the editor (${editor}) exited with ${r.error ? r.error.message : `status ${r.status}`}; nothing was written`, [], {
          hint: 'Set $EDITOR (or $VISUAL) to an editor that waits until the file is closed, e.g. EDITOR="code --wait".',
        });
      }
      const raw = fs.readFileSync(file, 'utf8');
      const parsed = readRecordFile(record.path, raw);
      // A status/stage changed by hand gets its history entry before it is checked.
      const data = parsed.record ? completeLifecycle(record.type, record.data, parsed.record.data, { now: io.now(), by: repo.author().handle }) : undefined;
      const issues = parsed.record && data
        ? checkRecord({ ...parsed.record, data }, repo.config, existsIn(records, [parsed.record]))
        : parsed.issues;
      const errors = issues.filter((i) => i.severity === 'error');
      if (parsed.record && data && errors.length === 0) {
        return { raw, data, body: parsed.record.body };
      }
      const report = errors.map((i) => `  ${formatIssue(i)}`).join('\n');
      if (!io.canPrompt) {
        throw new ValidationError(`the edited ${record.type} is not valid, so nothing was written:\n${report}`, errors, {
          hint: 'Run `crm edit` again and fix the problems.',
        });
      }
      io.err(`The edited ${record.type} is not valid:\n${report}`);
      const answer = (await io.prompt('(r)eopen the editor or (d)iscard the changes? [r/d] ')).toLowerCase();
      if (answer.startsWith('d')) return undefined;
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export async function runEdit(io: Io, cmd: Command, ref: string, force: boolean): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { findRecord } = await import('../model/lookup.js');
  const loaded = repo.load();
  const record = findRecord(loaded.records, ref, undefined, loaded.issues);
  if (record.type === 'lead' && record.data.status === 'converted' && !force) {
    const { UsageError } = await import('../errors.js');
    throw new UsageError(`lead ${record.id} is converted; its data now lives on the contact, account and opportunity`, {
      hint: 'Edit those records instead, or pass --force to change the lead anyway.',
    });
  }
  const edited = await editUntilValid(io, repo, record, loaded.records);
  if (!edited) throw new CancelledError('Discarded your edit; the record is unchanged.');
  if (edited.raw === record.raw) {
    io.err('No changes.');
    return;
  }
  const { timestamp, assertValid, existsIn } = await import('../model/change.js');
  const { parseRecord } = await import('../model/frontmatter.js');
  const { updateRecord } = await import('../model/frontmatter-write.js');
  // Keep the user's text; add `updated` (editUntilValid already added a history entry for a status/stage changed by hand).
  const data: Record<string, unknown> = { ...edited.data, updated: timestamp(io.now()) };
  const raw = updateRecord(record.type, edited.raw, data);
  const result = await repo.mutate(`crm: edit ${record.type}/${record.id}`, (now) => {
    const parsed = parseRecord(raw);
    assertValid({ ...record, data: parsed.data, body: parsed.body, raw }, repo.config, existsIn(now.records));
    return [{ path: record.path, before: record.raw, after: raw }];
  }, { commit: globals(cmd).commit });
  reportMutation(io, result, `Updated ${record.type}/${record.id}`);
}

export function register(program: Command, io: Io): void {
  program
    .command('edit')
    .description('edit a record in $EDITOR; it is validated before it replaces the file')
    .argument('<id>', 'ID or TYPE/ID')
    .option('--force', 'allow editing a converted lead')
    .addHelpText('after', examples(['$ crm edit acme-srl', '$ EDITOR="code --wait" crm edit lead/jane-roe']))
    .action(async (ref: string, opts: { force?: boolean }, command: Command) => {
      await runEdit(io, command, ref, Boolean(opts.force));
    });
}
