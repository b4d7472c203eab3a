/**
 * `crm log KIND`: record a call, email, meeting, note, sms, chat, social
 * contact or visit as a file under interactions/<yyyy>/<mm>/. An outbound
 * interaction on a case is its first response (same commit).
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Links } from '../model/interactions.js';
import { printDryRun, readNotes, resolveRefs } from './case-common.js';
import { collect, examples, globals, openRepository, recordJson, reportMutation } from './shared.js';

export interface LogOptions {
  kind: string;
  with: string[];
  about: string[];
  direction?: string | undefined;
  at?: string | undefined;
  allowFuture: boolean;
  subject?: string | undefined;
  outcome?: string | undefined;
  message?: string | undefined;
  edit?: boolean | undefined;
  owner?: string | undefined;
  tags: string[];
  json: boolean;
  dryRun: boolean;
  /** `crm case respond`: the case must be open; a pending case moves back to open. */
  respond?: boolean;
}

function describeLinks(links: Links): string {
  const parts: string[] = [];
  if (links.contacts.length > 0) parts.push(`with ${links.contacts.join(', ')}`);
  const about = (['case', 'opportunity', 'lead', 'campaign', 'account'] as const).filter((k) => links[k]).map((k) => `${k}/${links[k]}`);
  if (about.length > 0) parts.push(`about ${about.join(', ')}`);
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}

export async function runLog(io: Io, cmd: Command, o: LogOptions): Promise<string | undefined> {
  const { parseKind, parseDirection, parseMoment, isFuture, linksFor, planLog } = await import('../model/interactions.js');
  const { UsageError } = await import('../errors.js');
  const kind = parseKind(o.kind);
  const direction = o.direction !== undefined ? parseDirection(o.direction) : undefined;
  const repo = await openRepository(io, cmd);
  const config = repo.config;
  const now = io.now();
  const { timestamp } = await import('../model/change.js');
  const at = o.at !== undefined ? parseMoment(o.at, config.timezone, now) : { value: timestamp(now), instant: now.getTime(), dateOnly: false };
  if (!o.allowFuture && isFuture(at, now, config.timezone)) {
    throw new UsageError(`--at ${o.at} is in the future; nothing was written`, {
      hint: 'Log what happened with a past time, or pass --allow-future to record a planned interaction (for a follow-up, `crm task add` is usually better).',
    });
  }
  if (o.owner) {
    const { checkUser } = await import('../model/cases.js');
    checkUser(o.owner, config);
  }
  // Check the names before asking for notes, so a typo does not cost the user their text.
  const first = await resolveRefs(repo.load().records, o.with, o.about);
  const preview = linksFor(first.contacts, first.about);
  const notes = await readNotes(io, repo, { message: o.message, edit: o.edit }, `the ${kind}${describeLinks(preview)}`);

  const author = repo.author();
  const actor = { now, by: author.handle };
  let planned: import('../model/interactions.js').LogPlan | undefined;
  let links: Links = preview;
  const result = await repo.mutate(
    () => {
      const id = planned?.record.id ?? '';
      if (o.respond) return `crm: case respond ${links.case}: ${kind} ${id}${planned?.caseUpdate ? ` (${planned.caseUpdate.summary})` : ''}`;
      const extra = planned?.caseUpdate ? ` (case ${planned.caseUpdate.id}: ${planned.caseUpdate.summary})` : '';
      return `crm: log ${kind} ${id}${describeLinks(links)}${extra}`;
    },
    async (loaded) => {
      const refs = await resolveRefs(loaded.records, o.with, o.about);
      links = linksFor(refs.contacts, refs.about);
      planned = planLog(
        {
          kind,
          at: at.value,
          direction,
          subject: o.subject,
          outcome: o.outcome,
          links,
          owner: o.owner ?? author.handle,
          tags: o.tags,
          notes,
        },
        loaded.records,
        config,
        actor,
        { respond: Boolean(o.respond) },
      );
      return planned.changes;
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );
  if (!planned) return undefined;
  if (o.dryRun) {
    printDryRun(io, result.changes);
    return planned.record.id;
  }
  if (o.json) io.out(JSON.stringify(recordJson(planned.record, true), null, 2));
  else io.out(planned.record.id);
  const extra = planned.caseUpdate ? `; case ${planned.caseUpdate.id}: ${planned.caseUpdate.summary}` : '';
  reportMutation(io, result, `Logged ${kind} ${planned.record.id} in ${planned.record.path}${extra}`);
  return planned.record.id;
}

export function register(program: Command, io: Io): void {
  program
    .command('log')
    .description('log an interaction: call, email, meeting, note, sms, chat, social, visit')
    .argument('<kind>', 'call, email, meeting, note, sms, chat, social or visit')
    .option('-w, --with <contact>', 'a contact it was with (repeatable)', collect, [])
    .option('-a, --about <id>', 'what it is about: an account, lead, opportunity, case or campaign, as ID or TYPE/ID (repeatable)', collect, [])
    .option('-d, --direction <in|out>', 'in: they reached us; out: we reached them (out on a case is its first response)')
    .option('--at <when>', 'when it happened (default now): 2026-11-20, "2026-11-20 14:30" (local), an ISO timestamp, "yesterday 16:00", -2h')
    .option('--allow-future', 'accept an --at in the future')
    .option('-s, --subject <text>', 'a one-line subject')
    .option('-o, --outcome <text>', 'what came of it')
    .option('-m, --message <text>', 'the notes (Markdown); - reads them from stdin; without -m, $EDITOR opens on a terminal')
    .option('--edit', 'write the notes in $EDITOR')
    .option('--no-edit', 'do not open $EDITOR')
    .option('--owner <handle>', 'who logged it (default: you)')
    .option('--tag <tag>', 'add a tag (repeatable)', collect, [])
    .option('--dry-run', 'print the files that would be written; change nothing')
    .option('--json', 'print the new interaction as JSON instead of its id')
    .addHelpText(
      'after',
      `
The id is <yyyy-mm-dd>-<kind>-<slug of the subject, else the first contact>,
and the file goes to interactions/<yyyy>/<mm>/ (UTC date of --at). Without an
account, the account of the first contact (else of the opportunity or case) is
used. A time without an offset is local time in crm.yaml's timezone.
${examples([
  '$ crm log call --with jane-roe --direction out --subject "Pricing follow-up" -m "Wants 3-year terms."',
  '$ crm log email --about case/invoice-wrong-vat --with jane-roe --direction out -m "Credit note sent."',
  '$ crm log meeting --with jane-roe --with luca-neri --about opp/acme-erp --at "yesterday 15:00" --outcome "demo done"',
  '$ echo "Left a voicemail." | crm log call --with jane-roe --direction out -m -',
])}`,
    )
    .action(async (kind: string, opts: Record<string, unknown>, command: Command) => {
      await runLog(io, command, {
        kind,
        with: (opts.with as string[]) ?? [],
        about: (opts.about as string[]) ?? [],
        direction: opts.direction as string | undefined,
        at: opts.at as string | undefined,
        allowFuture: Boolean(opts.allowFuture),
        subject: opts.subject as string | undefined,
        outcome: opts.outcome as string | undefined,
        message: opts.message as string | undefined,
        edit: opts.edit as boolean | undefined,
        owner: opts.owner as string | undefined,
        tags: (opts.tag as string[]) ?? [],
        json: Boolean(opts.json),
        dryRun: Boolean(opts.dryRun),
      });
    });
}
