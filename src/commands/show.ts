/** `crm show ID|TYPE/ID`: one record, readable, with references resolved to names. */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { CrmRecord } from '../model/record.js';
import { examples, openRepository, recordJson, warnSkipped } from './shared.js';

export interface ShowOptions {
  ref: string;
  json: boolean;
}

export async function runShow(io: Io, cmd: Command, o: ShowOptions): Promise<void> {
  const repo = await openRepository(io, cmd);
  const loaded = repo.load();
  const { findRecord } = await import('../model/lookup.js');
  let record: CrmRecord;
  try {
    record = findRecord(loaded.records, o.ref);
  } catch (e) {
    warnSkipped(io, loaded.issues);
    throw e;
  }
  const { recordTitle, referencesOf, historyOf, recordKey } = await import('../model/record.js');
  const { TYPES, fieldSpec } = await import('../model/schema.js');
  const byKey = new Map(loaded.records.map((r) => [recordKey(r), r]));
  const refs = referencesOf(record);
  const linkedFrom = loaded.records.filter((r) => r !== record && referencesOf(r).some((x) => x.type === record.type && x.id === record.id));

  if (o.json) {
    io.out(
      JSON.stringify(
        {
          ...recordJson(record, true),
          references: refs.map((x) => ({ key: x.key, type: x.type, id: x.id, title: byKey.get(`${x.type}/${x.id}`) ? recordTitle(byKey.get(`${x.type}/${x.id}`)!) : null })),
          linked_from: linkedFrom.map((r) => ({ type: r.type, id: r.id, title: recordTitle(r) })),
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
  if (linkedFrom.length > 0) {
    lines.push('', c.bold('Linked from'));
    for (const r of linkedFrom.slice(0, 20)) lines.push(`  ${c.dim(r.type.padEnd(12))}${recordTitle(r)} ${c.dim(`(${r.id})`)}`);
    if (linkedFrom.length > 20) lines.push(c.dim(`  … and ${linkedFrom.length - 20} more`));
  }
  const body = record.body.trim();
  if (body) lines.push('', c.bold('Notes'), body);
  io.out(lines.join('\n'));
  warnSkipped(io, loaded.issues.filter((i) => i.code !== 'outside-layout'));
}

export function register(program: Command, io: Io): void {
  program
    .command('show')
    .description('show one record with its references resolved to names')
    .argument('<id>', 'ID, or TYPE/ID when several types share the id (lead/jane-roe, opp/acme-erp)')
    .option('--json', 'the record, its references and what links to it, as JSON')
    .addHelpText('after', examples(['$ crm show acme-srl', '$ crm show lead/jane-roe', '$ crm show opp/acme-erp --json | jq .amount']))
    .action(async (ref: string, opts: { json?: boolean }, command: Command) => {
      await runShow(io, command, { ref, json: Boolean(opts.json) });
    });
}
