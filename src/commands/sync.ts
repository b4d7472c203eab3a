/**
 * `crm sync`: pull (fetch + merge, record by record) and push the current
 * branch over HTTP(S), then say what came in. See src/model/sync.ts.
 */
import type { Command } from 'commander';
import { CrmError } from '../errors.js';
import type { Io } from '../io.js';
import type { SyncResult } from '../model/sync.js';
import { examples, openRepository } from './shared.js';

export interface SyncCommandOptions {
  push: boolean;
  json: boolean;
}

/** A one-line progress display on stderr, only when stderr is a terminal. */
function progressLine(enabled: boolean) {
  let last = '';
  let shown = false;
  return {
    update(p: { phase: string; loaded: number; total?: number }) {
      if (!enabled) return;
      const pct = p.total ? ` ${Math.floor((p.loaded / p.total) * 100)}% (${p.loaded}/${p.total})` : p.loaded ? ` ${p.loaded}` : '';
      const text = `${p.phase}${pct}`;
      if (text === last) return;
      last = text;
      shown = true;
      process.stderr.write(`\r\u001b[2K${text}`);
    },
    done() {
      if (shown) process.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}

export async function runSync(io: Io, cmd: Command, o: SyncCommandOptions): Promise<SyncResult> {
  const repo = await openRepository(io, cmd);
  const { sync, RESOLVE_HINT } = await import('../model/sync.js');
  const progress = progressLine(Boolean(process.stderr.isTTY) && !o.json);
  let result: SyncResult;
  try {
    result = await sync({
      root: repo.root,
      env: io.env,
      now: io.now,
      author: repo.author(),
      push: o.push,
      onProgress: (p) => progress.update(p),
      onRetry: (attempt) => {
        progress.done();
        io.err(`The remote moved while pushing (someone else pushed); pulling again, round ${attempt}…`);
      },
    });
  } finally {
    progress.done();
  }

  // What came in: the records at HEAD before against after (the working tree when a merge waits).
  const snap = await import('../model/snapshot.js');
  const { semanticDiff, describeCounts } = await import('../model/semantic-diff.js');
  const { loadRecords } = await import('../model/repo.js');
  const empty = { records: [], issues: [] };
  const came = result.pull === 'fast-forward' || result.pull === 'merged' || result.pull === 'conflicts';
  const before = result.before && came ? await snap.loadRecordsAtCommit(repo.root, result.before) : empty;
  const after = !came ? empty : result.pull === 'conflicts' ? loadRecords(repo.root, undefined, io.env) : await snap.loadRecordsAtCommit(repo.root, result.after!);
  const incoming = came ? semanticDiff(before, after) : semanticDiff(empty, empty);
  const tracking = `${result.remote}/${result.branch}`;
  const conflicts = result.conflicts.map((c) => ({ ...c, path: c.path.slice(result.prefix.length) }));

  if (o.json) {
    io.out(
      JSON.stringify(
        {
          branch: result.branch,
          remote: result.remote,
          url: result.url,
          pull: result.pull,
          pushed: result.pushed,
          attempts: result.attempts,
          before: result.before,
          after: result.after,
          ...(result.concluded ? { concluded: result.concluded } : {}),
          incoming: { counts: incoming.counts, byType: incoming.byType, changes: incoming.changes },
          conflicts,
          kept: result.kept,
        },
        null,
        2,
      ),
    );
  } else {
    if (result.concluded) io.err(`Committed the merge you resolved (commit ${result.concluded.slice(0, 7)}).`);
    const { changeRows, showValue } = await import('./diff.js');
    const rows = changeRows(incoming, await showValue(repo.config.timezone));
    if (rows.length > 0) {
      const { tsv, alignedTable } = await import('../format/text.js');
      io.out(io.isTTY ? alignedTable(['CHANGE', 'RECORD', 'FIELD', 'BEFORE', 'AFTER'], rows, { maxWidth: io.columns }) : tsv(rows));
    }
    const pulled: Record<SyncResult['pull'], string> = {
      'up-to-date': `Already up to date with ${tracking}.`,
      ahead: `Nothing new on ${tracking}.`,
      'remote-empty': `${tracking} is empty: nothing to pull.`,
      'fast-forward': `Pulled from ${tracking}: ${describeCounts(incoming)}.`,
      merged: `Merged ${tracking}: ${describeCounts(incoming)}.`,
      conflicts: `Merged ${tracking} with conflicts: ${describeCounts(incoming)}.`,
    };
    io.err(pulled[result.pull]);
    for (const k of result.kept) io.err(`Kept ${k.path.slice(result.prefix.length)}: ${k.reason}.`);
    if (result.pushed > 0) io.err(`Pushed ${result.pushed} commit${result.pushed === 1 ? '' : 's'} to ${tracking}${result.attempts > 1 ? ` (after ${result.attempts} rounds: the remote moved meanwhile)` : ''}.`);
    else if (result.pull !== 'conflicts' && o.push) io.err('Nothing to push.');
  }
  if (result.pull === 'conflicts') {
    const files = [...new Set(conflicts.map((c) => c.path))];
    const lines = conflicts.map((c) => `  ${c.path}:${c.line}: ${c.key === '(body)' ? 'the notes' : c.key === '(file)' ? 'lines' : c.key === '(binary)' ? 'binary file (your version kept)' : `"${c.key}"`} changed on both sides`);
    throw new CrmError(`${files.length} file${files.length === 1 ? '' : 's'} changed on both sides in the same place${files.length === 1 ? '' : 's'}; everything else is merged, nothing was pushed:\n${lines.join('\n')}`, {
      hint: RESOLVE_HINT,
    });
  }
  return result;
}

/** `https://host/team/acme-crm.git` → `acme-crm` (like git clone). */
export function cloneDirName(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1).replace(/\.git$/, '');
  return last || 'crm';
}

/**
 * `crm init --clone URL`: clone the remote into `root` (new or empty). A
 * CRM repository is ready as it is (returns it); an empty remote, or one
 * without crm.yaml, returns undefined and init creates the CRM there.
 */
export async function cloneForInit(io: Io, url: string, root: string): Promise<{ root: string } | undefined> {
  const fs = await import('node:fs');
  const { join } = await import('node:path');
  if (fs.existsSync(root) && fs.readdirSync(root).length > 0) {
    throw new CrmError(`${root} is not empty; --clone needs a new or empty directory`, { hint: 'Name another directory: crm init --clone URL DIR', exitCode: 2 });
  }
  const { cloneRepository, installMergeDriver, safeUrl } = await import('../model/sync.js');
  const progress = progressLine(Boolean(process.stderr.isTTY));
  let empty: boolean;
  try {
    ({ empty } = await cloneRepository({ url, dir: root, env: io.env, onProgress: (p) => progress.update(p) }));
  } finally {
    progress.done();
  }
  if (empty) {
    io.err(`${safeUrl(url)} is empty: creating a new CRM repository with it as origin (\`crm sync\` pushes it).`);
    return undefined;
  }
  if (!fs.existsSync(join(root, 'crm.yaml'))) {
    io.err(`Cloned ${safeUrl(url)}; it has no crm.yaml yet, so creating the CRM there (\`crm sync\` pushes it).`);
    return undefined;
  }
  await installMergeDriver(root);
  const { loadRecords } = await import('../model/repo.js');
  const n = loadRecords(root, undefined, io.env).records.length;
  io.err(`Cloned ${safeUrl(url)} into ${root}: ${n} record${n === 1 ? '' : 's'}. The crm merge driver is set up; \`crm sync\` pulls and pushes.`);
  return { root };
}

export function register(program: Command, io: Io): void {
  program
    .command('sync')
    .description('pull (fetch + merge, record by record) and push the current branch over HTTP(S); says what came in')
    .option('--no-push', 'only pull')
    .option('--json', 'print what happened as JSON')
    .addHelpText(
      'after',
      `
Credentials (asked only when the server wants them, never written to the repository):
  CRM_GIT_TOKEN      an access token, sent as the password (basic auth)
  CRM_GIT_USERNAME   the user name to send with it (default: from the URL, else x-access-token)
  GIT_ASKPASS        a helper program asked for the user name and password (CRM_GIT_ASKPASS wins)

The same record edited on both sides merges key by key; the same key changed
differently leaves conflict markers around that key only: fix the file,
\`crm validate\`, and run \`crm sync\` again.
${examples(['$ crm sync', '$ CRM_GIT_TOKEN=ghp_… crm sync', '$ crm sync --no-push --json | jq .incoming.counts'])}`,
    )
    .action(async (opts: { push: boolean; json?: boolean }, command: Command) => {
      await runSync(io, command, { push: opts.push, json: Boolean(opts.json) });
    });
}
