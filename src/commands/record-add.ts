/**
 * `crm <type> add NAME [--field value …] [key=value …]`: create an account,
 * contact, lead, opportunity, case or campaign. Flags for the main fields,
 * key=value for any field (custom ones too), --edit to review in $EDITOR.
 */
import { Option, type Command } from 'commander';
import type { Io } from '../io.js';
import type { RecordType } from '../model/schema.js';
import type { Nouns } from './index.js';
import { coerceValue, collect, examples, globals, openRepository, parseAssignment, reportMutation } from './shared.js';

type AddType = Exclude<RecordType, 'interaction'>;

/** Main fields offered as flags, per type (the rest via key=value). */
const FLAGS: Record<AddType, string[]> = {
  account: ['kind', 'status', 'industry', 'website', 'email', 'phone', 'employees', 'annual_revenue', 'parent'],
  contact: ['email', 'phone', 'title', 'account', 'birthday'],
  lead: ['company', 'title', 'email', 'phone', 'source', 'campaign', 'status', 'score'],
  opportunity: ['account', 'amount', 'stage', 'expected_close', 'lead', 'source', 'campaign'],
  case: ['account', 'contact', 'priority', 'status', 'channel'],
  campaign: ['status', 'channel', 'start', 'end', 'budget', 'cost', 'segment', 'template'],
};

const EXAMPLES: Record<AddType, string[]> = {
  account: ['$ crm account add "Acme Srl" --industry manufacturing --website acme.example', '$ crm account add "Mario Rossi" --kind person address.city=Milano'],
  contact: ['$ crm contact add "Jane Roe" --account acme-srl --email jane@acme.example --title CFO'],
  lead: ['$ crm lead add "Jane Roe" --company "Acme Srl" --email jane@acme.example --source web', '$ crm lead add "Luca Neri" --source event score=60 tags=[fair-2026]'],
  opportunity: ['$ crm opp add "Acme: ERP rollout" --account acme-srl --amount 24000 --expected-close 2026-12-15'],
  case: ['$ crm case add "Invoice shows wrong VAT" --account acme-srl --priority high --channel email'],
  campaign: ['$ crm campaign add "Spring webinar" --channel webinar --start 2026-03-01 --end 2026-03-31 --budget 5000'],
};

export interface AddOptions {
  type: AddType;
  title: string;
  fields: { key: string; value: unknown }[];
  tags: string[];
  owner?: string;
  body?: string;
  edit: boolean;
  json: boolean;
  dryRun: boolean;
  commit: boolean;
}

function flagName(field: string): string {
  return `--${field.replace(/_/g, '-')}`;
}

function camel(field: string): string {
  return field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

export async function runAdd(io: Io, cmd: Command, o: AddOptions): Promise<string> {
  const repo = await openRepository(io, cmd);
  const { TYPES } = await import('../model/schema.js');
  const { newId } = await import('../model/ids.js');
  const { assertValid, createRecord, existsIn, timestamp, withLifecycle, setPath } = await import('../model/change.js');
  const { openStages } = await import('../model/config.js');
  const spec = TYPES[o.type];
  const author = repo.author();
  const now = io.now();
  const actor = { now, by: author.handle };
  let created: { id: string; path: string; data: Record<string, unknown>; body: string } | undefined;

  const build = (): { data: Record<string, unknown>; body: string } => {
    let data: Record<string, unknown> = { [spec.title]: o.title };
    for (const f of o.fields) data = setPath(data, f.key, f.value);
    if (o.tags.length > 0) data.tags = [...new Set([...(Array.isArray(data.tags) ? (data.tags as string[]) : []), ...o.tags])];
    const owner = o.owner ?? author.handle;
    if (owner && data.owner === undefined) data.owner = owner;
    data.created = timestamp(now);
    if (o.type === 'case' && data.priority === undefined) data.priority = 'normal';
    const lifecycle = spec.lifecycle;
    if (lifecycle) {
      const initial: Record<string, string | undefined> = {
        account: 'prospect',
        lead: 'new',
        opportunity: openStages(repo.config)[0]?.id ?? repo.config.pipeline.stages[0]?.id,
        case: 'new',
        campaign: 'planned',
      };
      const value = typeof data[lifecycle] === 'string' ? (data[lifecycle] as string) : initial[o.type];
      delete data[lifecycle];
      delete data.history;
      if (value) data = withLifecycle(o.type, data, value, actor);
      // the first entry records where the record starts: no `from`
      const h = data.history as { from?: string }[] | undefined;
      if (h?.[0]) delete h[0].from;
    }
    return { data, body: o.body ? `\n${o.body.replace(/\n*$/, '\n')}` : '' };
  };

  // Editing happens before taking the lock, so other crm processes are not kept waiting.
  let draft = build();
  if (o.edit) {
    const loaded = repo.load();
    const provisional = createRecord(o.type, newId(o.title, (c) => repo.idTaken(o.type, c, loaded.records), o.type), draft.data, draft.body);
    const { editUntilValid } = await import('./edit.js');
    const edited = await editUntilValid(io, repo, provisional.record, loaded.records);
    if (!edited) {
      const { CancelledError } = await import('../errors.js');
      throw new CancelledError('Discarded; nothing was written.');
    }
    draft = { data: edited.data, body: edited.body };
  }

  const result = await repo.mutate(
    () => `crm: add ${o.type} ${created?.id} "${o.title}"`,
    (loaded) => {
      const id = newId(o.title, (candidate) => repo.idTaken(o.type, candidate, loaded), o.type);
      const plan = createRecord(o.type, id, draft.data, draft.body);
      assertValid(plan.record, repo.config, (t, x) => (t === o.type && x === id) || loaded.exists(t, x));
      created = { id, path: plan.record.path, data: plan.record.data, body: draft.body };
      return [plan.change];
    },
    { dryRun: o.dryRun, commit: o.commit && globals(cmd).commit },
  );
  if (!created) return '';
  if (o.dryRun) {
    io.err(`Would create ${created.path}:`);
    io.out(result.changes[0]?.after ?? '');
    return created.id;
  }
  if (o.json) io.out(JSON.stringify({ id: created.id, type: o.type, path: created.path, ...created.data }, null, 2));
  else io.out(created.id);
  reportMutation(io, result, `Created ${o.type} ${created.id} in ${created.path}`);
  return created.id;
}

export function register(nouns: Nouns, io: Io): void {
  for (const type of Object.keys(FLAGS) as AddType[]) {
    const titleWord = type === 'case' ? 'subject' : 'name';
    const cmd = nouns[type]
      .command('add')
      .description(`create a ${type === 'opportunity' ? 'opportunity (deal)' : type}`)
      .argument(`<${titleWord}>`, `the ${titleWord} of the ${type}`)
      .argument('[fields...]', 'any field as key=value (custom fields too; values are YAML: 80, [a, b], 2026-12-01)');
    for (const f of FLAGS[type]) cmd.addOption(new Option(`${flagName(f)} <value>`, `set ${f}`));
    cmd
      .option('--owner <handle>', 'owner (default: you)')
      .option('--tag <tag>', 'add a tag (repeatable)', collect, [])
      .option('-m, --notes <text>', 'Markdown notes for the body')
      .option('--edit', 'review the new record in $EDITOR before it is written')
      .option('--dry-run', 'print the file that would be written; change nothing')
      .option('--json', 'print the new record as JSON instead of its id')
      .addHelpText('after', examples(EXAMPLES[type]))
      .action(async (title: string, rest: string[], opts: Record<string, unknown>, command: Command) => {
        const fields: { key: string; value: unknown }[] = [];
        for (const f of FLAGS[type]) {
          const v = opts[camel(f)];
          if (typeof v === 'string') fields.push({ key: f, value: await coerceValue(type, f, v) });
        }
        for (const a of rest) {
          const { key, text } = parseAssignment(a);
          fields.push({ key, value: await coerceValue(type, key, text) });
        }
        await runAdd(io, command, {
          type,
          title,
          fields,
          tags: (opts.tag as string[]) ?? [],
          ...(typeof opts.owner === 'string' ? { owner: opts.owner } : {}),
          ...(typeof opts.notes === 'string' ? { body: opts.notes } : {}),
          edit: Boolean(opts.edit),
          json: Boolean(opts.json),
          dryRun: Boolean(opts.dryRun),
          commit: true,
        });
      });
  }
}
