/** `crm validate`: every problem in the repository with file and line; exit 1 if there is any error. */
import { Option, type Command } from 'commander';
import type { Io } from '../io.js';
import { examples, openRepository } from './shared.js';

export async function runValidate(io: Io, cmd: Command, format: 'text' | 'json'): Promise<number> {
  const repo = await openRepository(io, cmd);
  const fs = await import('node:fs');
  const { join } = await import('node:path');
  const { listFiles } = await import('../model/repo.js');
  const { RECORD_TYPES } = await import('../model/schema.js');
  const { validateFiles } = await import('../model/validate.js');
  const files: { path: string; raw: string }[] = [];
  for (const t of RECORD_TYPES) {
    for (const path of listFiles(repo.root, t)) files.push({ path, raw: fs.readFileSync(join(repo.root, path), 'utf8') });
  }
  const { issues, records } = validateFiles(files, repo.config);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (format === 'json') {
    io.out(JSON.stringify({ files: files.length, records: records.length, errors, warnings, issues }, null, 2));
  } else {
    const { palette } = await import('../format/color.js');
    const c = palette(io.color);
    for (const i of issues) {
      const tag = i.severity === 'error' ? c.red('error') : c.yellow('warning');
      io.out(`${i.path}:${i.line}: ${tag}: ${i.message} ${c.dim(`[${i.code}]`)}`);
    }
    const summary = `${files.length} files, ${records.length} records: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
    io.err(errors > 0 ? c.red(summary) : c.green(summary));
  }
  return errors > 0 ? 1 : 0;
}

export function register(program: Command, io: Io): void {
  program
    .command('validate')
    .alias('check')
    .description('check every file against the format; exit 1 when there are errors (for CI)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--json', 'same as --format json')
    .addHelpText('after', examples(['$ crm validate', '$ crm validate --format json | jq \'.issues[] | select(.severity == "error")\'']))
    .action(async (opts: { format: 'text' | 'json'; json?: boolean }, command: Command) => {
      const code = await runValidate(io, command, opts.json ? 'json' : opts.format);
      if (code !== 0) process.exitCode = code;
    });
}
