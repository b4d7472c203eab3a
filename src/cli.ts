/**
 * Entry point: decides colour, registers every command (cheaply: command
 * modules import nothing heavy; their actions `await import()` the model),
 * parses the arguments and turns errors into messages and exit codes.
 */
const argv = process.argv.slice(2);
const noColor = 'NO_COLOR' in process.env || argv.includes('--no-color') || process.env.TERM === 'dumb';
// chalk reads FORCE_COLOR when it is first imported: decide before that.
if (noColor) process.env.FORCE_COLOR = '0';

import { Command, CommanderError } from 'commander';
import { CrmError, ExitCode } from './errors.js';
import { processIo, type Io } from './io.js';
import { registerCommands } from './commands/index.js';

// `crm list | head`: a closed pipe ends the output quietly, not with a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const io: Io = processIo({ color: !noColor && Boolean(process.stdout.isTTY) });

function printError(e: unknown): number {
  const red = (s: string) => (!noColor && process.stderr.isTTY ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (!noColor && process.stderr.isTTY ? `\u001b[2m${s}\u001b[22m` : s);
  if (e instanceof CrmError) {
    const lines = [`${red('error:')} ${e.message}`];
    if (e.hint) lines.push(dim(`hint: ${e.hint}`));
    io.err(lines.join('\n'));
    if (argv.includes('--json') && e.data !== undefined) io.out(JSON.stringify({ error: e.message, details: e.data }, null, 2));
    return e.exitCode;
  }
  if (e && typeof e === 'object' && (e as { code?: string }).code === 'CRM_CANCELLED') {
    io.err('Cancelled.');
    return ExitCode.cancelled;
  }
  const err = e as Error;
  io.err(
    `${red('crm: internal error:')} ${err?.message ?? String(e)}\n` +
      'This is a bug in crm, not in your data. Please report it with the command you ran and this trace:\n' +
      (err?.stack ?? ''),
  );
  return ExitCode.failure;
}

async function main(): Promise<number> {
  const program = new Command('crm');
  program
    .description('A terminal-first CRM whose records are Markdown files in a git repository.')
    .version('0.1.0', '-V, --version')
    .option('-C, --repo <dir>', 'the CRM repository (default: $CRM_REPO, else the nearest directory with crm.yaml)')
    .option('--no-commit', 'write files but do not make a git commit')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Records live in folders (accounts/, contacts/, leads/, opportunities/, cases/,
campaigns/, interactions/) as Markdown files with YAML front matter; every
change is one git commit. Run \`crm COMMAND --help\` for a command's options.

Examples:
  $ crm init acme-crm && cd acme-crm
  $ crm lead add "Jane Roe" --company "Acme Srl" --email jane@acme.example --source web
  $ crm list leads --where 'status = new and source = web'
  $ crm show jane-roe
  $ crm search acme`,
    );
  registerCommands(program, io);
  try {
    await program.parseAsync(process.argv);
    return ExitCode.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return ExitCode.ok;
      if (e.code === 'commander.executeSubCommandAsync') return e.exitCode;
      return ExitCode.usage;
    }
    return printError(e);
  }
}

const code = await main();
if (process.env.CRM_DEBUG_TIMING) {
  // Read by `npm run bench`: wall time since the process started and peak memory.
  const { loadStats } = await import('./model/cache.js');
  const built = loadStats.workerBuilt.length ? ` index_worker=${loadStats.workerBuilt.join(',')}` : '';
  const phases = loadStats.phases.length ? ` phases=${loadStats.phases.join(',')}` : '';
  process.stderr.write(`crm-timing: total_ms=${Math.round(performance.now())} maxrss_mb=${Math.round(process.resourceUsage().maxRSS / 1024)}${built}${phases}\n`);
}
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
