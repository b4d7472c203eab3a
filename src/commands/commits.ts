/**
 * `crm commits [ID]`: the commits that changed the CRM (or one record),
 * newest first — who, when, what. The issue called this `crm log [ID]`;
 * `crm log` records interactions (log.ts), so the commit list lives here.
 * Commits made by crm have subjects starting with `crm:`; `--crm-only`
 * keeps just those, `--mine` just the current user's.
 */
import { Option, type Command } from 'commander';
import { NotFoundError } from '../errors.js';
import type { Io } from '../io.js';
import { wholeNumber } from './list.js';
import { examples, openRepository } from './shared.js';

export interface CommitsOptions {
  ref?: string | undefined;
  limit: number;
  mine: boolean;
  crmOnly: boolean;
  format: 'table' | 'tsv' | 'json';
}

export interface CommitRow {
  commit: string;
  /** Author date, ISO 8601 UTC. */
  date: string;
  author: string;
  email: string;
  /** crm.yaml handle of the author, when known. */
  handle?: string;
  subject: string;
  /** Made by crm (subject starts with `crm:`). */
  crm: boolean;
  merge: boolean;
}

export async function runCommits(io: Io, cmd: Command, o: CommitsOptions): Promise<CommitRow[]> {
  const repo = await openRepository(io, cmd);
  const snap = await import('../model/snapshot.js');
  const { gitRoot, prefix } = snap.locate(repo.root);
  let paths: string[] = prefix ? [prefix.slice(0, -1)] : [];
  let label = 'the CRM';
  if (o.ref) {
    const { recordPath } = await import('../model/record.js');
    const { parseTypeName } = await import('../model/schema.js');
    let path: string;
    try {
      // Read from its file when the id says where it is; only an interaction needs the index.
      path = repo.find(o.ref).path;
    } catch (e) {
      // A deleted record still has a history: TYPE/ID names its file.
      const m = /^([a-z]+)\/([a-z0-9-]+)$/.exec(o.ref.trim());
      const type = m ? parseTypeName(m[1]!) : undefined;
      if (!(e instanceof NotFoundError) || !m || !type || type === 'interaction') throw e;
      path = recordPath(type, m[2]!);
    }
    paths = [`${prefix}${path}`];
    label = path;
  }
  const me = o.mine ? repo.author().email.toLowerCase() : undefined;
  const wanted = (c: { subject: string; author: { email: string } }) => (!o.crmOnly || c.subject.startsWith('crm:')) && (!me || c.author.email.toLowerCase() === me);
  const filtered = o.crmOnly || me !== undefined;
  const found = await snap.listCommits(gitRoot, { paths, ...(filtered || o.limit === 0 ? {} : { limit: o.limit }) });
  const picked = found.filter(wanted);
  const shown = o.limit > 0 ? picked.slice(0, o.limit) : picked;
  const users = repo.config.users;
  const rows: CommitRow[] = shown.map((c) => {
    const user = users.find((u) => u.email && u.email.toLowerCase() === c.author.email.toLowerCase());
    return {
      commit: c.oid,
      date: new Date(c.author.timestamp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      author: c.author.name,
      email: c.author.email,
      ...(user ? { handle: user.handle } : {}),
      subject: c.subject,
      crm: c.subject.startsWith('crm:'),
      merge: c.parents.length > 1,
    };
  });
  if (o.format === 'json') {
    io.out(JSON.stringify(rows, null, 2));
    return rows;
  }
  const { localTime } = await import('../format/values.js');
  const cells = rows.map((r) => [r.commit.slice(0, 7), localTime(r.date, repo.config.timezone), r.handle ?? r.author, r.subject]);
  if (o.format === 'tsv' || !io.isTTY) {
    const { tsv } = await import('../format/text.js');
    if (cells.length > 0) io.out(tsv(cells));
    return rows;
  }
  if (rows.length === 0) {
    io.err(`No commits changed ${label}${o.crmOnly ? ' through crm' : ''}${me ? ' by you' : ''}.`);
    return rows;
  }
  const { alignedTable } = await import('../format/text.js');
  const { palette } = await import('../format/color.js');
  const c = palette(io.color);
  io.out(alignedTable(['COMMIT', 'WHEN', 'WHO', 'WHAT'], cells, { maxWidth: io.columns, header: (s) => c.bold(s) }));
  const more = o.limit > 0 && rows.length === o.limit ? ` (the latest ${o.limit}; --limit 0 shows all)` : '';
  io.err(c.dim(`${rows.length} commit${rows.length === 1 ? '' : 's'} changed ${label}${more}`));
  return rows;
}

export function register(program: Command, io: Io): void {
  program
    .command('commits')
    .description('the commits that changed the CRM or one record, newest first: who, when, what')
    .argument('[id]', 'a record (ID or TYPE/ID; TYPE/ID also for a deleted record)')
    .option('-n, --limit <n>', 'at most n commits (0: all)', wholeNumber, 20)
    .option('--mine', 'only commits by the current user (CRM_USER or git config)')
    .option('--crm-only', 'only commits made by crm (subject "crm: …")')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'tsv', 'json']).default('table'))
    .option('--json', 'same as --format json')
    .addHelpText('after', examples(['$ crm commits', '$ crm commits acme-renewal', '$ crm commits --mine --crm-only -n 5', '$ crm commits lead/old-lead     # also after it was deleted', '$ crm undo                       # revert your last crm commit']))
    .action(async (ref: string | undefined, opts: { limit: number; mine?: boolean; crmOnly?: boolean; format: 'table' | 'tsv' | 'json'; json?: boolean }, command: Command) => {
      await runCommits(io, command, { ref, limit: opts.limit, mine: Boolean(opts.mine), crmOnly: Boolean(opts.crmOnly), format: opts.json ? 'json' : opts.format });
    });
}
