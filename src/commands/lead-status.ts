/**
 * `crm lead contact|qualify|disqualify|reopen ID`: move a lead through its
 * statuses. Each move appends a history entry (by you, with the reason or
 * note) and is one commit; a lead already in that status is left alone.
 */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { Nouns } from './index.js';
import { examples, globals, openRepository, reportStatusMove } from './shared.js';

export type LeadAction = 'contact' | 'qualify' | 'disqualify' | 'reopen';

export interface LeadStatusOptions {
  ref: string;
  action: LeadAction;
  reason?: string | undefined;
  note?: string | undefined;
  reopen: boolean;
  json: boolean;
  dryRun: boolean;
}

export async function runLeadStatus(io: Io, cmd: Command, o: LeadStatusOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const { planLeadTransition, planLeadReopen, LEAD_VERBS } = await import('../model/leads.js');
  const { describeChanges } = await import('../model/deals.js');
  const author = repo.author();
  const actor = { now: io.now(), by: author.handle };
  let outcome: import('../model/leads.js').LeadResult | undefined;
  let current: import('../model/record.js').CrmRecord | undefined;

  const result = await repo.mutate(
    () => {
      if (outcome?.kind !== 'planned') return 'crm: lead';
      const { from, to, lead } = outcome.plan;
      const why = o.reason?.trim() ? `: ${o.reason.trim()}` : '';
      const head = o.action === 'contact' ? `mark lead ${lead.record.id} contacted` : `${o.action} lead ${lead.record.id}`;
      return `crm: ${head} (${from ?? 'none'} → ${to})${why}`;
    },
    (view) => {
      const lead = view.find(o.ref, ['lead']);
      current = lead;
      const ctx = {
        config: repo.config,
        actor,
        exists: (t: import('../model/schema.js').RecordType, id: string) => view.exists(t, id),
        get: () => undefined,
      };
      outcome =
        o.action === 'reopen'
          ? planLeadReopen(lead, o.note ?? o.reason, ctx)
          : planLeadTransition(lead, { to: LEAD_VERBS[o.action], reason: o.reason, note: o.note, reopen: o.reopen }, ctx);
      return outcome.kind === 'planned' ? [outcome.plan.lead.change] : [];
    },
    { dryRun: o.dryRun, commit: globals(cmd).commit },
  );

  if (!outcome || !current) return;
  reportStatusMove(
    io,
    result,
    o,
    'lead',
    outcome.kind === 'unchanged'
      ? { kind: 'unchanged', message: outcome.message, record: current }
      : { kind: 'moved', record: outcome.plan.lead.record, from: outcome.plan.from, to: outcome.plan.to },
    describeChanges,
  );
}

const HELP: Record<LeadAction, { description: string; examples: string[] }> = {
  contact: {
    description: 'mark a lead as contacted',
    examples: ['$ crm lead contact jane-roe --note "left a voicemail"'],
  },
  qualify: {
    description: 'mark a lead as qualified (budget, need, timing confirmed)',
    examples: ['$ crm lead qualify jane-roe --note "budget confirmed"', '$ crm lead qualify old-lead --reopen   # a disqualified one'],
  },
  disqualify: {
    description: 'mark a lead as disqualified, with the reason',
    examples: ['$ crm lead disqualify jane-roe --reason "no budget this year"'],
  },
  reopen: {
    description: 'put a disqualified or converted lead back to the status it had before',
    examples: ['$ crm lead reopen jane-roe --note "budget approved after all"'],
  },
};

export function register(nouns: Nouns, io: Io): void {
  for (const action of ['contact', 'qualify', 'disqualify', 'reopen'] as const) {
    const cmd = nouns.lead
      .command(action)
      .description(HELP[action].description)
      .argument('<id>', 'the lead (ID or lead/ID)');
    if (action !== 'reopen') {
      cmd
        .option('--reason <text>', action === 'disqualify' ? 'why (kept as disqualified_reason and in the history)' : 'why (kept in the history)')
        .option('--reopen', 'allow it when the lead is disqualified or converted');
    }
    cmd
      .option('--note <text>', 'a note for the history entry')
      .option('--dry-run', 'show the change; write nothing')
      .option('--json', 'print the lead as JSON')
      .addHelpText('after', examples(HELP[action].examples))
      .action(async (ref: string, opts: { reason?: string; note?: string; reopen?: boolean; json?: boolean; dryRun?: boolean }, command: Command) => {
        await runLeadStatus(io, command, {
          ref,
          action,
          reason: opts.reason,
          note: opts.note,
          reopen: Boolean(opts.reopen),
          json: Boolean(opts.json),
          dryRun: Boolean(opts.dryRun),
        });
      });
  }
}
