/**
 * `crm case open SUBJECT`: open a support case with status `new`; its SLA
 * clocks start now. The first response (`crm case respond`, or an outbound
 * `crm log … --about case/ID`) moves it to `open`.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Nouns } from './index.js';
import { printDryRun } from './case-common.js';
import { collect, examples, globals, openRepository, recordJson, reportMutation } from './shared.js';

export interface CaseOpenOptions {
  subject: string;
  account?: string | undefined;
  contact?: string | undefined;
  priority?: string | undefined;
  channel?: string | undefined;
  owner?: string | undefined;
  tags: string[];
  message?: string | undefined;
  json: boolean;
  dryRun: boolean;
}

export async function runCaseOpen(io: Io, cmd: Command, o: CaseOpenOptions): Promise<string | undefined> {
  const { UsageError } = await import('../errors.js');
  if (!o.subject.trim()) throw new UsageError('a case needs a subject', { hint: 'crm case open "Invoice shows wrong VAT" --account acme-srl' });
  const repo = await openRepository(io, cmd);
  const { findRecord } = await import('../model/lookup.js');
  const { newCaseData, caseSla, slaSummary } = await import('../model/cases.js');
  const { newId } = await import('../model/ids.js');
  const { assertValid, createRecord, existsIn } = await import('../model/change.js');
  const { recordTitle } = await import('../model/record.js');
  const author = repo.author();
  const now = io.now();
  const actor = { now, by: author.handle };
  let created: import('../model/record.js').CrmRecord | undefined;
  const warnings: string[] = [];
  const result = await repo.mutate(
    () => `crm: case open ${created?.id ?? ''} "${o.subject.trim()}" (${String(created?.data.priority ?? '')}${created?.data.account ? `, account ${String(created.data.account)}` : ''})`,
    (loaded) => {
      const account = o.account ? findRecord(loaded.records, o.account, ['account']) : undefined;
      const contact = o.contact ? findRecord(loaded.records, o.contact, ['contact']) : undefined;
      const contactAccount = typeof contact?.data.account === 'string' ? contact.data.account : undefined;
      if (account && contact && contactAccount && contactAccount !== account.id) {
        warnings.push(`warning: ${contact.id} (${recordTitle(contact)}) belongs to account ${contactAccount}, not ${account.id}.`);
      }
      const data = newCaseData(
        {
          subject: o.subject,
          account: account?.id ?? contactAccount,
          contact: contact?.id,
          priority: o.priority,
          channel: o.channel,
          owner: o.owner ?? author.handle,
          tags: o.tags,
        },
        repo.config,
        actor,
      );
      const id = newId(o.subject, (c) => repo.idTaken('case', c, loaded.records), 'case');
      const body = o.message?.trim() ? `\n${o.message.replace(/\s+$/, '')}\n` : '';
      const plan = createRecord('case', id, data, body);
      assertValid(plan.record, repo.config, existsIn(loaded.records, [plan.record]));
      created = plan.record;
      return [plan.change];
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );
  for (const w of warnings) io.err(w);
  if (!created) return undefined;
  if (o.dryRun) {
    printDryRun(io, result.changes);
    return created.id;
  }
  const sla = caseSla(created.data, repo.config, now);
  if (o.json) io.out(JSON.stringify({ ...recordJson(created, true), sla }, null, 2));
  else io.out(created.id);
  reportMutation(io, result, `Opened case ${created.id} (${sla.priority}; ${slaSummary(sla)})`);
  return created.id;
}

export function register(nouns: Nouns, io: Io): void {
  nouns.case
    .command('open')
    .description('open a support case (status new; the SLA clocks start now)')
    .argument('<subject>', 'what the case is about')
    .option('--account <id>', 'the account (default: the account of --contact)')
    .option('--contact <id>', 'the contact who raised it')
    .option('-p, --priority <priority>', 'low, normal (default), high or urgent (crm.yaml may list others)')
    .option('--channel <channel>', 'how it came in: email, phone, web, chat, social, visit, other')
    .option('--owner <handle>', 'who handles it (default: you)')
    .option('--tag <tag>', 'add a tag (repeatable)', collect, [])
    .option('-m, --message <text>', 'the description (Markdown body)')
    .option('--dry-run', 'print the file that would be written; change nothing')
    .option('--json', 'print the new case (with its SLA) as JSON instead of its id')
    .addHelpText(
      'after',
      examples([
        '$ crm case open "Invoice shows wrong VAT" --contact jane-roe --priority high --channel email',
        '$ crm case open "Line down in plant 2" --account acme-srl --priority urgent --channel phone --owner marco',
      ]),
    )
    .action(async (subject: string, opts: Record<string, unknown>, command: Command) => {
      await runCaseOpen(io, command, {
        subject,
        account: opts.account as string | undefined,
        contact: opts.contact as string | undefined,
        priority: opts.priority as string | undefined,
        channel: opts.channel as string | undefined,
        owner: opts.owner as string | undefined,
        tags: (opts.tag as string[]) ?? [],
        message: opts.message as string | undefined,
        json: Boolean(opts.json),
        dryRun: Boolean(opts.dryRun),
      });
    });
}
