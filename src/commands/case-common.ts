/**
 * Glue shared by the case, log, task and agenda commands: printing a dry
 * run, reading notes from -m, stdin or $EDITOR, and resolving the records
 * named by --with / --about. Imports nothing heavy at the top.
 */
import type { Io } from '../io.js';
import type { CrmRecord } from '../model/record.js';
import type { Change, Repository } from '../model/repo.js';
import type { RecordType } from '../model/schema.js';

/** `--dry-run`: what would be written, file by file (stderr: the path; stdout: the new text). */
export function printDryRun(io: Io, changes: readonly Change[]): void {
  if (changes.length === 0) {
    io.err('Nothing would change.');
    return;
  }
  for (const c of changes) {
    const verb = c.before === null ? 'create' : c.after === null ? 'delete' : 'change';
    io.err(`Would ${verb} ${c.path}:`);
    if (c.after !== null) io.out(c.after);
  }
}

export interface NotesOptions {
  /** -m TEXT; `-` reads stdin. */
  message?: string | undefined;
  /** --edit (true) / --no-edit (false) / neither (undefined: the editor opens on a terminal). */
  edit?: boolean | undefined;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const NOTES_COMMENT = /^<!--[\s\S]*?-->\s*/;

/**
 * The notes of an interaction: `-m TEXT`, `-m -` (stdin), else $EDITOR when
 * asked (`--edit`) or on a terminal (unless `--no-edit`); else none. The
 * editor starts with a comment saying what is being written, removed after.
 */
export async function readNotes(io: Io, repo: Repository, options: NotesOptions, what: string): Promise<string | undefined> {
  if (options.message !== undefined) {
    const text = options.message === '-' ? await readStdin() : options.message;
    return text.trim() ? text : undefined;
  }
  const wantEditor = options.edit === true || (options.edit === undefined && io.canPrompt);
  if (!wantEditor) return undefined;
  const fs = await import('node:fs');
  const { join } = await import('node:path');
  const { randomBytes } = await import('node:crypto');
  const { spawnSync } = await import('node:child_process');
  const { editorCommand } = await import('./edit.js');
  const { CrmError } = await import('../errors.js');
  const dir = join(repo.root, '.crm', 'edit');
  fs.mkdirSync(dir, { recursive: true });
  const file = join(dir, `notes-${randomBytes(4).toString('hex')}.md`);
  fs.writeFileSync(file, `<!-- Notes for ${what}. Write Markdown below; this comment is removed. An empty file means no notes. -->\n\n`);
  const editor = editorCommand(io.env);
  try {
    const r = spawnSync(`${editor} "${file}"`, { shell: true, stdio: 'inherit' });
    if (r.error || r.status !== 0) {
      throw new CrmError(`the editor (${editor}) exited with ${r.error ? r.error.message : `status ${r.status}`}; nothing was written`, {
        hint: 'Give the notes with -m TEXT, skip them with --no-edit, or set $EDITOR to an editor that waits until the file is closed.',
        exitCode: 1,
      });
    }
    const text = fs.readFileSync(file, 'utf8').replace(NOTES_COMMENT, '');
    return text.trim() ? text : undefined;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Resolve what the user typed for --with and --about (unknown ids: exit 2 with suggestions). */
export async function resolveRefs(records: readonly CrmRecord[], withRefs: readonly string[], aboutRefs: readonly string[]): Promise<{ contacts: CrmRecord[]; about: CrmRecord[] }> {
  const { findRecord } = await import('../model/lookup.js');
  const { ABOUT_TYPES } = await import('../model/interactions.js');
  const contacts = withRefs.map((ref) => findRecord(records, ref, ['contact']));
  const about = aboutRefs.map((ref) => findRecord(records, ref, ABOUT_TYPES as RecordType[]));
  return { contacts, about };
}

/** The acting user's handle, required by --mine. */
export async function myHandle(repo: Repository): Promise<string> {
  const handle = repo.author().handle;
  if (!handle) {
    const { UsageError } = await import('../errors.js');
    throw new UsageError('--mine needs to know who you are, and you are not a user in crm.yaml', {
      hint: 'Set CRM_USER to your handle, or use --owner HANDLE.',
    });
  }
  return handle;
}

export interface CaseMutation {
  ref: string;
  dryRun: boolean;
  json: boolean;
  /** The verb for the commit message and the report: "resolve", "assign". */
  verb: string;
  plan: (kase: CrmRecord, records: readonly CrmRecord[]) => { data: Record<string, unknown>; changed: boolean; summary: string };
}

/**
 * One change to one case: find it (did-you-mean on a typo), plan, validate,
 * commit `crm: case VERB ID: SUMMARY`. A plan that changes nothing writes
 * nothing and says so. Prints the case (with its SLA) with --json.
 */
export async function mutateCase(io: Io, repo: Repository, commit: boolean, m: CaseMutation): Promise<CrmRecord | undefined> {
  const { findRecord } = await import('../model/lookup.js');
  const { updateExisting, assertValid, existsIn } = await import('../model/change.js');
  const { caseSla, slaSummary } = await import('../model/cases.js');
  const { recordJson, reportMutation } = await import('./shared.js');
  let after: CrmRecord | undefined;
  let summary = '';
  const result = await repo.mutate(
    () => `crm: case ${m.verb} ${after?.id ?? m.ref}: ${summary}`,
    (loaded) => {
      const kase = findRecord(loaded.records, m.ref, ['case']);
      const p = m.plan(kase, loaded.records);
      summary = p.summary;
      if (!p.changed) {
        after = kase;
        return [];
      }
      const u = updateExisting(kase, p.data);
      assertValid(u.record, repo.config, existsIn(loaded.records));
      after = u.record;
      return [u.change];
    },
    { dryRun: m.dryRun, commit },
  );
  if (!after) return undefined;
  if (m.dryRun) {
    printDryRun(io, result.changes);
    return after;
  }
  const sla = caseSla(after.data, repo.config, io.now());
  if (m.json) io.out(JSON.stringify({ ...recordJson(after, true), sla }, null, 2));
  if (result.changes.length === 0) {
    io.err(`Case ${after.id} is ${summary}; nothing changed.`);
    return after;
  }
  reportMutation(io, result, `Case ${after.id}: ${summary} (SLA: ${slaSummary(sla)})`);
  return after;
}
