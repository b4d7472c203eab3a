/** `crm search TEXT`: search names, emails, companies, subjects, tags (typos forgiven) and notes (exact words) of every type. */
import { Option, type Command } from 'commander';
import type { Io } from '../io.js';
import { examples, openRepository, warnSkipped } from './shared.js';
import { wholeNumber } from './list.js';

export interface SearchOptions {
  text: string;
  type?: string;
  limit: number;
  format: 'table' | 'tsv' | 'json';
}

export async function runSearch(io: Io, cmd: Command, o: SearchOptions): Promise<void> {
  const { parseTypeName, RECORD_TYPES } = await import('../model/schema.js');
  const { UsageError } = await import('../errors.js');
  let types = RECORD_TYPES as readonly import('../model/schema.js').RecordType[];
  if (o.type) {
    const t = parseTypeName(o.type);
    if (!t) throw new UsageError(`"${o.type}" is not a record type`, { hint: 'Use accounts, contacts, leads, opportunities, cases, campaigns or interactions.' });
    types = [t];
  }
  if (!o.text.trim()) throw new UsageError('nothing to search for', { hint: 'Give some text, e.g. `crm search acme`.' });
  const repo = await openRepository(io, cmd);
  // Hits are ranked and shown by title: its columns are read while the files are stat-ed.
  const loaded = repo.load(types, { searchText: true, columns: ['name', 'subject', 'kind', 'at'] });
  warnSkipped(io, loaded.issues);
  const { searchRecords } = await import('../model/search.js');
  const started = performance.now();
  const hits = searchRecords(loaded.records, o.text, o.limit, loaded.segments);
  if (io.env.CRM_DEBUG_TIMING) io.err(`crm-timing: search_ms=${(performance.now() - started).toFixed(2)} records=${loaded.records.length}`);
  const { recordTitle } = await import('../model/record.js');
  if (o.format === 'json') {
    io.out(JSON.stringify(hits.map((h) => ({ type: h.record.type, id: h.record.id, path: h.record.path, title: recordTitle(h.record), score: Number(h.score.toFixed(4)), matched: h.matched })), null, 2));
    return;
  }
  if (hits.length === 0) {
    io.err(`Nothing matches "${o.text}".`);
    return;
  }
  const { alignedTable, tsv } = await import('../format/text.js');
  const rows = hits.map((h) => [h.record.type, h.record.id, recordTitle(h.record), h.matched.join(', ')]);
  if (o.format === 'tsv' || !io.isTTY) {
    io.out(tsv(rows));
    return;
  }
  const { palette } = await import('../format/color.js');
  const c = palette(io.color);
  io.out(alignedTable(['TYPE', 'ID', 'TITLE', 'MATCHED'], rows, { maxWidth: io.columns, header: (s) => c.bold(s) }));
}

export function register(program: Command, io: Io): void {
  program
    .command('search')
    .alias('find')
    .description('search names, emails, companies, subjects, tags and notes; best matches first')
    .argument('<text...>', 'what to look for (typos forgiven in names, emails, companies, subjects and tags; notes match exact words)')
    .option('-t, --type <type>', 'only this record type')
    .option('-n, --limit <n>', 'at most n results', wholeNumber, 20)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'tsv', 'json']).default('table'))
    .option('--json', 'same as --format json')
    .addHelpText('after', examples(['$ crm search acme', '$ crm search "jane roe" --type contacts', '$ crm search invoice --type cases --json']))
    .action(async (text: string[], opts: { type?: string; limit: number; format: SearchOptions['format']; json?: boolean }, command: Command) => {
      await runSearch(io, command, { text: text.join(' '), ...(opts.type ? { type: opts.type } : {}), limit: opts.limit, format: opts.json ? 'json' : opts.format });
    });
}
