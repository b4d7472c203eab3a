/** `crm init [DIR]`: a new CRM repository with crm.yaml, folders, .gitignore and a first commit. */
import type { Command } from 'commander';
import { CrmError } from '../errors.js';
import type { Io } from '../io.js';
import { examples, globals } from './shared.js';

export interface InitOptions {
  dir: string;
  name?: string;
  currency: string;
  timezone?: string;
  commit: boolean;
  /** Start from this remote (HTTP(S)): clone it, or set it as origin when it is empty. */
  clone?: string | undefined;
}

const FOLDERS = ['accounts', 'contacts', 'leads', 'opportunities', 'cases', 'campaigns', 'interactions', 'templates'];

function yamlString(s: string): string {
  return /^[\w .,'&()-]+$/.test(s) && !/^\s|\s$/.test(s) ? s : JSON.stringify(s);
}

export function crmYaml(o: { name: string; currency: string; timezone: string; user?: { handle: string; name: string; email: string } }): string {
  const user = o.user
    ? `users:\n  - {handle: ${o.user.handle}, name: ${yamlString(o.user.name)}, email: ${o.user.email}}\n`
    : `users: []\n`;
  return `# CRM settings. Every key is optional; see docs/format.md.
name: ${yamlString(o.name)}
currency: ${o.currency}
timezone: ${o.timezone}
${user}pipeline:
  stages:                 # in order; probabilities feed the weighted pipeline
    - {id: prospecting, probability: 0.1}
    - {id: qualification, probability: 0.25}
    - {id: proposal, probability: 0.5}
    - {id: negotiation, probability: 0.75}
    - {id: won, probability: 1.0, closed: won}
    - {id: lost, probability: 0.0, closed: lost}
cases:
  sla:                    # hours: first response and resolution targets per priority
    urgent: {first_response: 1, resolution: 8}
    high:   {first_response: 4, resolution: 24}
    normal: {first_response: 8, resolution: 72}
    low:    {first_response: 24, resolution: 168}
`;
}

export async function runInit(io: Io, options: InitOptions): Promise<{ root: string; commit?: string }> {
  const fs = await import('node:fs');
  const { basename, join, resolve } = await import('node:path');
  const root = resolve(io.cwd(), options.dir);
  if (fs.existsSync(join(root, 'crm.yaml'))) {
    throw new CrmError(`${root} already is a CRM repository (it has crm.yaml); nothing was changed`, {
      hint: 'Use it as it is, or choose another directory.',
    });
  }
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw new CrmError(`${root} exists and is not a directory`);
  }
  if (options.clone) {
    const { cloneForInit } = await import('./sync.js');
    const cloned = await cloneForInit(io, options.clone, root);
    if (cloned) return cloned;
  }
  const { findGitRoot, initRepository, resolveAuthor, commitPaths } = await import('../model/git.js');
  const { resolveConfig } = await import('../model/config.js');
  const { slugify } = await import('../model/ids.js');
  const existingGit = findGitRoot(root);
  const author = resolveAuthor(resolveConfig({}), existingGit, io.env);
  const handle = slugify(author.name.split(/\s+/)[0] ?? '') || 'me';
  const timezone = options.timezone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw new CrmError(`unknown time zone "${timezone}"`, { hint: 'Use an IANA name such as Europe/Rome or UTC.', exitCode: 2 });
  }

  const created: string[] = [];
  fs.mkdirSync(root, { recursive: true });
  const write = (rel: string, text: string) => {
    const abs = join(root, rel);
    if (fs.existsSync(abs)) return;
    fs.mkdirSync(join(abs, '..'), { recursive: true });
    fs.writeFileSync(abs, text);
    created.push(rel);
  };
  write('crm.yaml', crmYaml({
    name: options.name ?? basename(root),
    currency: options.currency,
    timezone,
    user: { handle, name: author.name, email: author.email },
  }));
  for (const f of FOLDERS) write(`${f}/.gitkeep`, '');
  const gi = join(root, '.gitignore');
  const current = fs.existsSync(gi) ? fs.readFileSync(gi, 'utf8') : '';
  if (!/^\/?\.crm\/?$/m.test(current)) {
    fs.writeFileSync(gi, `${current}${current && !current.endsWith('\n') ? '\n' : ''}# local crm state: caches and locks\n.crm/\n`);
    created.push('.gitignore');
  }
  // Record files merge key by key: the crm merge driver (docs/collaboration.md).
  const { withMergeAttributes, installMergeDriver } = await import('../model/sync.js');
  const ga = join(root, '.gitattributes');
  const attributes = withMergeAttributes(fs.existsSync(ga) ? fs.readFileSync(ga, 'utf8') : '');
  if (attributes !== null) {
    fs.writeFileSync(ga, attributes);
    created.push('.gitattributes');
  }

  let gitRoot = existingGit;
  if (!gitRoot) {
    await initRepository(root);
    gitRoot = root;
  }
  await installMergeDriver(gitRoot);
  if (!options.commit) {
    io.err(`Created a CRM repository in ${root} (not committed: --no-commit).`);
    return { root };
  }
  const { relative, sep } = await import('node:path');
  const paths = created.map((p) => relative(gitRoot, join(root, p)).split(sep).join('/'));
  const commit = await commitPaths(gitRoot, paths, 'crm: init repository', author, io.now());
  io.err(`Created a CRM repository in ${root} (commit ${commit.slice(0, 7)}).`);
  io.err(`Next: cd ${options.dir === '.' ? '.' : options.dir} && crm lead add "First Lead" --company "Their Company"`);
  return { root, commit };
}

export function register(program: Command, io: Io): void {
  program
    .command('init')
    .description('create a CRM repository: crm.yaml, record folders, .gitignore, git init and a first commit')
    .argument('[dir]', 'directory to create or use (default: the current one; with --clone: the repository\'s name)')
    .option('--name <name>', 'the organisation name written to crm.yaml (default: the directory name)')
    .option('--currency <code>', 'currency of amounts', 'EUR')
    .option('--timezone <tz>', 'IANA time zone for reports (default: this machine\'s)')
    .option('--clone <url>', 'start from a remote (HTTP(S)): clone it, or use it as origin when it is empty (credentials: see crm sync --help)')
    .addHelpText('after', examples(['$ crm init acme-crm', '$ crm init --name "Acme Srl" --currency EUR --timezone Europe/Rome', '$ crm init --clone https://git.example.com/acme/crm.git']))
    .action(async (dir: string | undefined, opts: { name?: string; currency: string; timezone?: string; clone?: string }, cmd: Command) => {
      const { cloneDirName } = await import('./sync.js');
      await runInit(io, { dir: dir ?? (opts.clone ? cloneDirName(opts.clone) : '.'), ...opts, commit: globals(cmd).commit });
    });
}
