/**
 * `crm case respond ID [-m TEXT]`: answer a case. Logs an outbound
 * interaction on it (email by default; a call for phone cases), sets
 * `first_response_at` when unset and moves the case to `open` — one commit.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Nouns } from './index.js';
import { runLog } from './log.js';
import { examples, openRepository } from './shared.js';

export interface CaseRespondOptions {
  kind?: string | undefined;
  message?: string | undefined;
  edit?: boolean | undefined;
  subject?: string | undefined;
  outcome?: string | undefined;
  at?: string | undefined;
  json: boolean;
  dryRun: boolean;
}

export async function runCaseRespond(io: Io, cmd: Command, ref: string, o: CaseRespondOptions): Promise<string | undefined> {
  const repo = await openRepository(io, cmd);
  const { findRecord } = await import('../model/lookup.js');
  const { assertRespondable, responseKind } = await import('../model/cases.js');
  const kase = findRecord(repo.load().records, ref, ['case']);
  assertRespondable(kase.id, kase.data);
  const contact = typeof kase.data.contact === 'string' && kase.data.contact ? [kase.data.contact] : [];
  return runLog(io, cmd, {
    kind: o.kind ?? responseKind(kase.data.channel),
    with: contact,
    about: [`case/${kase.id}`],
    direction: 'out',
    at: o.at,
    allowFuture: false,
    subject: o.subject ?? `Re: ${String(kase.data.subject ?? kase.id)}`,
    outcome: o.outcome,
    message: o.message,
    edit: o.edit,
    tags: [],
    json: o.json,
    dryRun: o.dryRun,
    respond: true,
  });
}

export function register(nouns: Nouns, io: Io): void {
  nouns.case
    .command('respond')
    .description('answer a case: log an outbound interaction on it; the first one sets first_response_at (status → open)')
    .argument('<id>', 'the case')
    .option('-m, --message <text>', 'what was said (Markdown); - reads stdin; without -m, $EDITOR opens on a terminal')
    .option('--edit', 'write the message in $EDITOR')
    .option('--no-edit', 'do not open $EDITOR')
    .option('-k, --kind <kind>', 'call, email, chat, … (default: from the case channel; email)')
    .option('-s, --subject <text>', 'subject (default: "Re: <case subject>")')
    .option('-o, --outcome <text>', 'what came of it')
    .option('--at <when>', 'when it was answered (default now)')
    .option('--dry-run', 'print the files that would be written; change nothing')
    .option('--json', 'print the new interaction as JSON instead of its id')
    .addHelpText('after', examples(['$ crm case respond invoice-shows-wrong-vat -m "We are checking the VAT code and will send a credit note."', '$ crm case respond line-down --kind call -m "Technician on the way."']))
    .action(async (ref: string, opts: Record<string, unknown>, command: Command) => {
      await runCaseRespond(io, command, ref, {
        kind: opts.kind as string | undefined,
        message: opts.message as string | undefined,
        edit: opts.edit as boolean | undefined,
        subject: opts.subject as string | undefined,
        outcome: opts.outcome as string | undefined,
        at: opts.at as string | undefined,
        json: Boolean(opts.json),
        dryRun: Boolean(opts.dryRun),
      });
    });
}
