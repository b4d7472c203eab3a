/**
 * `crm lead convert ID`: a lead becomes a contact, an account (its company,
 * or a person account in B2C) and, by default, an opportunity, in one
 * commit. Duplicates are looked for first: with candidates and no choice,
 * a terminal asks; anything else exits 3 with the candidates.
 */
import type { Command } from 'commander';
import { CancelledError, ConflictError, DecisionNeededError } from '../errors.js';
import type { Io } from '../io.js';
import type { Candidate, Candidates } from '../model/duplicates.js';
import type { ConversionOptions, ConversionResult, ConversionSummary } from '../model/leads.js';
import type { Nouns } from './index.js';
import { parseAmount } from './opp-stage.js';
import { examples, globals, openRepository, reportMutation } from './shared.js';

export interface ConvertOptions {
  ref: string;
  account?: string | undefined;
  contact?: string | undefined;
  newAccount: boolean;
  newContact: boolean;
  opportunity: boolean;
  stage?: string | undefined;
  amount?: number | undefined;
  close?: string | undefined;
  name?: string | undefined;
  note?: string | undefined;
  reopen: boolean;
  json: boolean;
  dryRun: boolean;
}

function candidateLines(kind: 'account' | 'contact', list: readonly Candidate[]): string[] {
  return list.map((c) => `  ${kind} ${c.id} (${c.name}): ${c.reason} [${c.strength}]`);
}

/** Ask on the terminal which candidate to link (or to create a new record). */
async function choose(io: Io, kind: 'account' | 'contact', list: readonly Candidate[], leadLabel: string): Promise<{ link: string } | 'new'> {
  const width = Math.max(...list.map((c) => c.id.length));
  const lines = [
    '',
    `${kind === 'account' ? 'Accounts' : 'Contacts'} that may already be ${leadLabel}:`,
    ...list.map((c, i) => `  ${String(i + 1).padStart(2)})  ${c.id.padEnd(width)}  ${c.name} — ${c.reason} (${c.strength})`),
    `   n)  create a new ${kind}`,
    '   c)  cancel',
  ];
  io.err(lines.join('\n'));
  const keys = list.length === 1 ? '1' : `1-${list.length}`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = (await io.prompt(`Link to which ${kind}? [${keys}/n/c] `)).toLowerCase();
    if (answer === 'n' || answer === 'new') return 'new';
    if (answer === 'c' || answer === 'q' || answer === 'cancel') break;
    const n = Number(answer);
    if (Number.isInteger(n) && n >= 1 && n <= list.length) return { link: list[n - 1]!.id };
    io.err(`Please answer ${keys}, n or c.`);
  }
  throw new CancelledError('Conversion cancelled; nothing was written.');
}

function summaryJson(s: ConversionSummary): Record<string, unknown> {
  return {
    lead: s.lead,
    account: s.account,
    contact: s.contact,
    opportunity: s.opportunity,
    created: s.created,
    linked: s.linked,
    differences: s.differences,
    interactions: s.interactions,
  };
}

function summaryText(s: ConversionSummary, dryRun: boolean): string {
  const rows: [string, string, string, string][] = [];
  for (const c of s.created) rows.push([c.type, c.id, dryRun ? 'would create' : 'created', c.path]);
  for (const l of s.linked) rows.push([l.type, l.id, l.filled.length > 0 ? `${dryRun ? 'would link' : 'linked'}, filled ${l.filled.join(', ')}` : dryRun ? 'would link' : 'linked', l.path]);
  const order = ['account', 'contact', 'opportunity'];
  rows.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
  for (const i of s.interactions) rows.push(['interaction', i.id, dryRun ? 'would gain references' : 'references added', i.path]);
  const w = [0, 1, 2].map((k) => Math.max(...rows.map((r) => r[k as 0 | 1 | 2].length)));
  const lines = [`${dryRun ? 'Would convert' : 'Converted'} lead ${s.lead}:`];
  for (const r of rows) lines.push(`  ${r[0].padEnd(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}`.trimEnd());
  if (s.differences.length > 0) {
    lines.push('Kept the existing values that differ from the lead:');
    for (const d of s.differences) lines.push(`  ${d.type}/${d.id} ${d.field}: ${JSON.stringify(d.existing)} (lead: ${JSON.stringify(d.lead)})`);
  }
  return lines.join('\n');
}

export async function runConvert(io: Io, cmd: Command, o: ConvertOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { planConversion } = await import('../model/leads.js');
  const { describeChanges, changeAction } = await import('../model/deals.js');
  const { recordTitle } = await import('../model/record.js');
  const actor = { now: io.now(), by: repo.author().handle };
  const options: ConversionOptions = {
    newAccount: o.newAccount,
    newContact: o.newContact,
    opportunity: o.opportunity,
    stage: o.stage,
    amount: o.amount,
    close: o.close,
    name: o.name,
    reopen: o.reopen,
    note: o.note,
  };

  // First look (outside the lock): resolve the ids typed, find duplicates, ask.
  const loaded = repo.load();
  const { findRecord } = await import('../model/lookup.js');
  const lead = findRecord(loaded.records, o.ref, ['lead']);
  if (o.account) options.account = findRecord(loaded.records, o.account, ['account']).id;
  if (o.contact) options.contact = findRecord(loaded.records, o.contact, ['contact']).id;
  const plan = (records: readonly import('../model/record.js').CrmRecord[], l: import('../model/record.js').CrmRecord): ConversionResult =>
    planConversion({ lead: l, records, config: repo.config, actor, options, idTaken: (type, id) => repo.idTaken(type, id, records) });

  let first = plan(loaded.records, lead);
  const label = `${recordTitle(lead)}${typeof lead.data.company === 'string' ? ` (${lead.data.company})` : ''}`;
  while (first.kind === 'decision') {
    const pending: Candidates = first.candidates;
    if (!io.canPrompt || o.json) {
      if (o.json) io.out(JSON.stringify({ lead: lead.id, candidates: pending }, null, 2));
      const flags = [
        ...(pending.accounts.length > 0 ? [`--account ${pending.accounts[0]!.id} or --new-account`] : []),
        ...(pending.contacts.length > 0 ? [`--contact ${pending.contacts[0]!.id} or --new-contact`] : []),
      ];
      throw new DecisionNeededError(
        [`lead ${lead.id} may already be in the CRM; nothing was written. Candidates:`, ...candidateLines('account', pending.accounts), ...candidateLines('contact', pending.contacts)].join('\n'),
        { hint: `Say what to do: ${flags.join('; ')}. (Run it in a terminal to choose interactively.)` },
      );
    }
    // Contacts first: linking one may settle the account (its own).
    if (pending.contacts.length > 0) {
      const c = await choose(io, 'contact', pending.contacts, label);
      if (c === 'new') options.newContact = true;
      else options.contact = c.link;
    } else {
      const a = await choose(io, 'account', pending.accounts, label);
      if (a === 'new') options.newAccount = true;
      else options.account = a.link;
    }
    first = plan(loaded.records, lead);
  }

  if (first.kind === 'converted') {
    const l = first.links;
    if (o.json) {
      io.out(JSON.stringify({ lead: lead.id, account: l.account ?? null, contact: l.contact ?? null, opportunity: l.opportunity ?? null, created: [], linked: [], differences: [], already_converted: true, converted_at: l.at ?? null }, null, 2));
    } else {
      const rows = (['account', 'contact', 'opportunity'] as const).filter((k) => l[k]).map((k) => `  ${k.padEnd(11)}  ${l[k]}`);
      io.out([`Lead ${lead.id} was already converted${l.at ? ` at ${l.at}` : ''}:`, ...rows].join('\n'));
    }
    io.err('Nothing changed.');
    return;
  }

  // Plan again under the lock, against the files as they are now, and apply.
  let summary: ConversionSummary | undefined;
  let message = `crm: convert lead ${lead.id}`;
  const result = await repo.mutate(
    () => message,
    (view) => {
      const records = view.records;
      const current = records.find((r) => r.type === 'lead' && r.id === lead.id);
      if (!current) throw new ConflictError(`lead ${lead.id} disappeared while converting; nothing was written`, { hint: 'Run the command again.' });
      const r = plan(records, current);
      if (r.kind !== 'plan') {
        throw new ConflictError(`lead ${lead.id} or its possible duplicates changed while converting; nothing was written`, { hint: 'Run the command again.' });
      }
      summary = r.summary;
      message = r.message;
      return r.changes;
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );
  if (!summary) return;

  if (o.dryRun) {
    if (o.json) io.out(JSON.stringify({ ...summaryJson(summary), dry_run: true, changes: result.changes.map((c) => ({ path: c.path, action: changeAction(c) })) }, null, 2));
    else io.out(`${summaryText(summary, true)}\n\n${describeChanges(result.changes)}`);
    io.err('Dry run: nothing was written.');
    return;
  }
  if (o.json) io.out(JSON.stringify({ ...summaryJson(summary), commit: result.commit ?? null }, null, 2));
  else io.out(summaryText(summary, false));
  reportMutation(io, result, `Converted lead ${summary.lead}`);
}

export function register(nouns: Nouns, io: Io): void {
  nouns.lead
    .command('convert')
    .description('turn a lead into a contact, an account and an opportunity (one commit; duplicates checked first)')
    .argument('<id>', 'the lead (ID or lead/ID)')
    .option('--account <id>', 'link to this existing account instead of creating one')
    .option('--new-account', 'create a new account even if similar ones exist')
    .option('--contact <id>', 'link to this existing contact instead of creating one')
    .option('--new-contact', 'create a new contact even if similar ones exist')
    .option('--no-opportunity', 'create no opportunity')
    .option('--stage <stage>', 'the opportunity\'s stage (default: the first open stage)')
    .option('--amount <n>', 'the opportunity\'s amount')
    .option('--close <date>', 'the expected close date, YYYY-MM-DD')
    .option('--name <name>', 'the opportunity\'s name (default: "<Company>: new deal")')
    .option('--note <text>', 'a note for the lead\'s history entry')
    .option('--reopen', 'convert a disqualified lead')
    .option('--dry-run', 'show what would be created and changed; write nothing')
    .option('--json', 'print the result (or the duplicate candidates) as JSON')
    .addHelpText(
      'after',
      `${examples([
        '$ crm lead convert jane-roe --amount 24000 --close 2026-12-15',
        '$ crm lead convert jane-roe --account acme-srl          # link to an existing account',
        '$ crm lead convert jane-roe --new-account --new-contact  # ignore the duplicates found',
        '$ crm lead convert mario-rossi --no-opportunity         # B2C: a person account',
        '$ crm lead convert jane-roe --dry-run',
      ])}
Exit codes: 0 converted (or already converted), 2 bad input, 3 possible duplicates
need a decision (--account/--new-account, --contact/--new-contact).
`,
    )
    .action(async (ref: string, f: Record<string, unknown>, command: Command) => {
      await runConvert(io, command, {
        ref,
        account: typeof f.account === 'string' ? f.account : undefined,
        contact: typeof f.contact === 'string' ? f.contact : undefined,
        newAccount: Boolean(f.newAccount),
        newContact: Boolean(f.newContact),
        opportunity: f.opportunity !== false,
        stage: typeof f.stage === 'string' ? f.stage : undefined,
        amount: typeof f.amount === 'string' ? parseAmount(f.amount) : undefined,
        close: typeof f.close === 'string' ? f.close : undefined,
        name: typeof f.name === 'string' ? f.name : undefined,
        note: typeof f.note === 'string' ? f.note : undefined,
        reopen: Boolean(f.reopen),
        json: Boolean(f.json),
        dryRun: Boolean(f.dryRun),
      });
    });
}
