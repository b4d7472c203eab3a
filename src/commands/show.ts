/**
 * `crm show ID|TYPE/ID`: one record, readable, with references resolved to
 * names, its history and notes, and its card (src/model/card.ts): for an
 * account the customer lifecycle, contacts, open deals, open cases with
 * their SLA, open tasks, lifetime revenue and one merged timeline; for a
 * contact, lead, opportunity or case the parts that apply and its own
 * timeline.
 */
import type { Command } from 'commander';
import { CrmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CardData } from '../model/card.js';
import type { CrmRecord } from '../model/record.js';
import { wholeNumber } from './list.js';
import { examples, openRepository, recordJson, warnSkipped } from './shared.js';

export interface ShowOptions {
  ref: string;
  json: boolean;
  /** Timeline entries shown as text (0: all). */
  limit?: number | undefined;
}

const DEFAULT_TIMELINE = 20;

export async function runShow(io: Io, cmd: Command, o: ShowOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const loaded = repo.load();
  const { findRecord } = await import('../model/lookup.js');
  let record: CrmRecord;
  try {
    record = findRecord(loaded.records, o.ref, undefined, loaded.issues);
  } catch (e) {
    // The other files that could not be read; the one asked for is the error itself.
    const where = e instanceof CrmError ? e.where : undefined;
    warnSkipped(io, where ? loaded.issues.filter((i) => `${i.path}:${i.line}` !== where) : loaded.issues);
    throw e;
  }
  const { recordTitle, referencesOf, historyOf, recordKey } = await import('../model/record.js');
  const { TYPES, fieldSpec } = await import('../model/schema.js');
  const { buildCard } = await import('../model/card.js');
  const byKey = new Map(loaded.records.map((r) => [recordKey(r), r]));
  const refs = referencesOf(record);
  const linkedFrom = loaded.records.filter((r) => r !== record && referencesOf(r).some((x) => x.type === record.type && x.id === record.id));
  const now = io.now();
  const card = buildCard(record, loaded.records, repo.config, now);

  if (o.json) {
    io.out(
      JSON.stringify(
        {
          ...recordJson(record, true),
          references: refs.map((x) => ({ key: x.key, type: x.type, id: x.id, title: byKey.get(`${x.type}/${x.id}`) ? recordTitle(byKey.get(`${x.type}/${x.id}`)!) : null })),
          linked_from: linkedFrom.map((r) => ({ type: r.type, id: r.id, title: recordTitle(r) })),
          card,
        },
        null,
        2,
      ),
    );
    return;
  }

  const { palette } = await import('../format/color.js');
  const { displayValue, money } = await import('../format/values.js');
  const { alignedTable, cellText } = await import('../format/text.js');
  const c = palette(io.color);
  const tz = repo.config.timezone;
  const refText = (type: string, id: string) => {
    const target = byKey.get(`${type}/${id}`);
    return target ? `${recordTitle(target)} ${c.dim(`(${id})`)}` : `${id} ${c.red('(missing)')}`;
  };
  const lines: string[] = [];
  lines.push(`${c.bold(recordTitle(record))}  ${c.dim(`${record.type} ${record.id} · ${record.path}`)}`);
  lines.push('');
  const skip = new Set(['history', TYPES[record.type].title]);
  const keys = Object.keys(record.data).filter((k) => !skip.has(k));
  const labelWidth = Math.max(0, ...keys.map((k) => k.length));
  for (const k of keys) {
    const v = record.data[k];
    const spec = fieldSpec(record.type, k);
    let text: string;
    const kind = spec?.kind;
    if (kind && typeof kind === 'object' && 'ref' in kind && typeof v === 'string') text = refText(kind.ref, v);
    else if (kind && typeof kind === 'object' && 'refs' in kind && Array.isArray(v)) text = v.map((x) => refText(kind.refs, String(x))).join(', ');
    else if (kind === 'money') text = money(v, repo.config.currency);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sub = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== null && x !== undefined && x !== '')
        .map(([sk, sv]) => {
          const subKind = spec?.fields?.[sk]?.kind;
          if (subKind && typeof subKind === 'object' && 'ref' in subKind && typeof sv === 'string') return `${sk}: ${refText(subKind.ref, sv)}`;
          return `${sk}: ${displayValue(sv, tz)}`;
        });
      text = sub.join(', ');
    } else text = displayValue(v, tz);
    lines.push(`${c.dim(k.padEnd(labelWidth))}  ${text}`);
  }

  lines.push(...(await cardLines(io, card, record, repo.config, o.limit ?? DEFAULT_TIMELINE)));

  const history = historyOf(record);
  if (history.length > 0) {
    lines.push('', c.bold('History'));
    lines.push(
      alignedTable(
        ['WHEN', 'FROM', 'TO', 'BY', 'NOTE'],
        history.map((h) => [displayValue(String(h.at ?? ''), tz), cellText(h.from), cellText(h.to), cellText(h.by), cellText(h.note)]),
        { maxWidth: io.columns, header: (s) => c.dim(s) },
      ).replace(/^/gm, '  '),
    );
  }
  // What links here and is not already on the card (interactions are in the timeline).
  const onCard = new Set<string>([
    ...(card.contacts ?? []).map((x) => `contact/${x.id}`),
    ...(card.opportunities ?? []).map((x) => `opportunity/${x.id}`),
    ...(card.cases ?? []).map((x) => `case/${x.id}`),
  ]);
  const others = linkedFrom.filter((r) => r.type !== 'interaction' && !onCard.has(recordKey(r)));
  if (others.length > 0) {
    lines.push('', c.bold('Linked from'));
    for (const r of others.slice(0, 20)) lines.push(`  ${c.dim(r.type.padEnd(12))}${recordTitle(r)} ${c.dim(`(${r.id})`)}`);
    if (others.length > 20) lines.push(c.dim(`  … and ${others.length - 20} more`));
  }
  const body = record.body.trim();
  if (body) lines.push('', c.bold('Notes'), body);
  io.out(lines.join('\n'));
  warnSkipped(io, loaded.issues.filter((i) => i.code !== 'outside-layout'));
}

/** The card's sections as text lines (each section starts with a blank line). */
async function cardLines(io: Io, card: CardData, record: CrmRecord, config: import('../model/config.js').Config, limit: number): Promise<string[]> {
  const { palette } = await import('../format/color.js');
  const { localTime, money } = await import('../format/values.js');
  const { alignedTable, cellText } = await import('../format/text.js');
  const { slaSummary, slaLines } = await import('../model/cases.js');
  const c = palette(io.color);
  const tz = config.timezone;
  const out: string[] = [];
  const table = (headers: string[], rows: string[][]) =>
    alignedTable(headers, rows, { ...(io.isTTY ? { maxWidth: Math.max(40, io.columns - 2) } : {}), header: (s) => c.dim(s) }).replace(/^/gm, '  ');
  const slaStyled = (state: string, text: string) => (state === 'breached' || state === 'missed' ? c.red(text) : state === 'due-soon' ? c.yellow(text) : text);
  const day = (v: string | null | undefined) => (v ? localTime(v, tz).slice(0, 10) : '');

  if (card.lifecycle) {
    const l = card.lifecycle;
    let text: string;
    if (!l.customer_since) text = `not a customer yet (${l.status ?? 'prospect'})`;
    else if (!l.churned_on) text = `customer since ${day(l.customer_since)}`;
    else text = `customer ${day(l.customer_since)} – ${day(l.churned_on)}, churned on ${day(l.churned_on)}${typeof record.data.churn_reason === 'string' ? ` (${record.data.churn_reason})` : ''}`;
    if (l.intervals.length > 1) text += c.dim(` · ${l.intervals.length} customer periods`);
    out.push('', `${c.bold('Lifecycle')}  ${text}`);
  }
  if (card.lifetime_revenue) {
    const r = card.lifetime_revenue;
    const other = r.other ? Object.entries(r.other).map(([cur, n]) => ` + ${money(n, cur)}`).join('') : '';
    out.push(`${c.bold('Lifetime revenue')}  ${money(r.amount, r.currency)}${other} ${c.dim(`from ${r.won} won opportunit${r.won === 1 ? 'y' : 'ies'}`)}`);
  }
  if (card.sla) {
    const s = card.sla;
    const head = s.target ? `${s.priority}: first response ${s.target.first_response}h, resolution ${s.target.resolution}h` : `no target for priority ${s.priority}`;
    out.push('', `${c.bold('SLA')}  ${slaStyled(s.state, slaSummary(s))} ${c.dim(`(${head})`)}`);
    const rows = slaLines(s).map((l) => [l.clock, `due ${localTime(l.due, tz)}`, l.status]);
    if (rows.length > 0) out.push(table(['CLOCK', 'DUE', 'STATUS'], rows));
  }
  if (card.contacts && card.contacts.length > 0 && record.type === 'account') {
    out.push('', c.bold(`Contacts (${card.contacts.length})`));
    out.push(table(['NAME', 'TITLE', 'EMAIL', 'PHONE', 'ID'], card.contacts.map((x) => [x.name, x.title ?? '', x.email ?? '', x.phone ?? '', c.dim(x.id)])));
  }
  if (card.opportunities && card.opportunities.length > 0) {
    out.push('', c.bold(`Open opportunities (${card.opportunities.length})`));
    out.push(
      table(
        ['NAME', 'STAGE', 'AMOUNT', 'CLOSE', 'OWNER', 'ID'],
        card.opportunities.map((x) => [x.name, x.stage ?? '', x.amount !== null ? money(x.amount, x.currency) : '', x.expected_close ?? '', x.owner ?? '', c.dim(x.id)]),
      ),
    );
  }
  if (card.cases && card.cases.length > 0) {
    out.push('', c.bold(`Open cases (${card.cases.length})`));
    out.push(
      table(
        ['SUBJECT', 'PRIORITY', 'STATUS', 'SLA', 'OWNER', 'ID'],
        card.cases.map((x) => [x.subject, x.priority, x.status ?? '', slaStyled(x.sla.state, slaSummary(x.sla)), x.owner ?? '', c.dim(x.id)]),
      ),
    );
  }
  if (card.tasks && card.tasks.length > 0) {
    out.push('', c.bold(`Open tasks (${card.tasks.length})`));
    out.push(
      table(
        ['DUE', 'WHEN', 'TASK', 'OWNER', 'ID'],
        card.tasks.map((t) => {
          const when = t.bucket.replace('_', ' ');
          return [t.due ? localTime(t.due, tz) : '', t.bucket === 'overdue' ? c.red(when) : when, t.subject, t.owner ?? '', c.dim(t.id)];
        }),
      ),
    );
  }
  if (card.timeline.length > 0) {
    const shown = limit > 0 ? card.timeline.slice(0, limit) : card.timeline;
    out.push('', c.bold(`Timeline (${card.timeline.length}, newest first)`));
    out.push(
      table(
        ['WHEN', 'RECORD', 'WHAT', 'BY'],
        shown.map((e) => {
          const self = e.record.type === record.type && e.record.id === record.id;
          const label = self ? '' : e.record.type === 'interaction' ? cellText(e.interaction_kind) : `${e.record.type} ${e.record.title}`;
          return [localTime(e.at, tz), label, e.summary, e.by ?? ''];
        }),
      ),
    );
    if (shown.length < card.timeline.length) out.push(c.dim(`  … ${card.timeline.length - shown.length} older entries (show them with --limit 0)`));
  }
  return out;
}

export function register(program: Command, io: Io): void {
  program
    .command('show')
    .description('show one record: fields with references resolved, its card (an account: contacts, deals, cases, tasks, revenue) and timeline')
    .argument('<id>', 'ID, or TYPE/ID when several types share the id (lead/jane-roe, opp/acme-erp)')
    .option('-n, --limit <n>', `timeline entries to print (default ${DEFAULT_TIMELINE}; 0 for all)`, wholeNumber)
    .option('--json', 'the record, its references, what links to it and its card (with the whole timeline) as JSON')
    .addHelpText(
      'after',
      `
The timeline merges, newest first, the interactions, status/stage changes and
lead conversions of the record and of what belongs to it (an account: its
contacts, opportunities, cases and the leads converted into them).
${examples(['$ crm show acme-srl', '$ crm show lead/jane-roe', '$ crm show case/invoice-shows-wrong-vat', '$ crm show opp/acme-erp --json | jq .amount', '$ crm show acme-srl --json | jq .card.lifetime_revenue'])}`,
    )
    .action(async (ref: string, opts: { json?: boolean; limit?: number }, command: Command) => {
      await runShow(io, command, { ref, json: Boolean(opts.json), limit: opts.limit });
    });
}
