/**
 * `crm merge-driver BASE CURRENT OTHER [PATH]`: the git merge driver that
 * merges record files key by key (src/model/merge.ts). git runs it for
 * files marked `merge=crm` in .gitattributes, with the config that
 * `crm init` writes to .git/config:
 *
 *   [merge "crm"]
 *     name = crm: three-way merge of record front matter and body
 *     driver = crm merge-driver %O %A %B %P
 *
 * The result is written to CURRENT; the exit code is 0 for a clean merge
 * and 1 when conflict markers were left (git then reports a conflict).
 */
import type { Command } from 'commander';
import { CrmError } from '../errors.js';
import type { Io } from '../io.js';
import { examples } from './shared.js';

export async function runMergeDriver(io: Io, base: string, current: string, other: string, path: string | undefined): Promise<number> {
  const fs = await import('node:fs');
  const { resolve } = await import('node:path');
  const read = (file: string) => {
    try {
      return fs.readFileSync(resolve(io.cwd(), file), 'utf8');
    } catch (e) {
      throw new CrmError(`merge-driver: cannot read ${file}: ${(e as Error).message}`, { hint: 'git runs this command with the three versions of a file: crm merge-driver %O %A %B %P' });
    }
  };
  const baseText = read(base);
  const oursText = read(current);
  const theirsText = read(other);
  const { mergeFile } = await import('../model/merge.js');
  const m = mergeFile({
    // git passes an empty file as the base when both sides added the file
    base: baseText === '' && oursText !== '' && theirsText !== '' ? null : baseText,
    ours: oursText,
    theirs: theirsText,
    path: (path ?? current).replace(/\\/g, '/'),
  });
  fs.writeFileSync(resolve(io.cwd(), current), m.text);
  if (!m.clean) {
    const where = path ?? current;
    const keys = [...new Set(m.conflicts.map((c) => (c.key.startsWith('(') ? c.key.slice(1, -1) : `"${c.key}"`)))];
    io.err(`crm: conflict in ${where} (${keys.join(', ')}) at line${m.conflicts.length === 1 ? '' : 's'} ${m.conflicts.map((c) => c.line).join(', ')}: keep one value, delete the marker lines, then \`crm validate\` and commit`);
    return 1;
  }
  return 0;
}

export function register(program: Command, io: Io): void {
  program
    .command('merge-driver')
    .description('git merge driver for record files (set up by `crm init`): merges front matter key by key, history by time, tags as sets')
    .argument('<base>', 'the common ancestor (%O)')
    .argument('<current>', 'our version; the result is written here (%A)')
    .argument('<other>', 'their version (%B)')
    .argument('[path]', 'the file\'s path in the repository (%P)')
    .addHelpText(
      'after',
      `
git calls it for files marked in .gitattributes (written by crm init):
  leads/*.md merge=crm   (and the other record folders)
with this in .git/config (crm init and crm sync set it):
  [merge "crm"]
    driver = crm merge-driver %O %A %B %P
Exit 0: merged cleanly; exit 1: conflict markers left around the conflicting keys.
${examples(['$ git config merge.crm.driver "crm merge-driver %O %A %B %P"', '$ git merge feature      # record files now merge key by key'])}`,
    )
    .action(async (base: string, current: string, other: string, path: string | undefined) => {
      const code = await runMergeDriver(io, base, current, other, path);
      if (code !== 0) process.exitCode = code;
    });
}
