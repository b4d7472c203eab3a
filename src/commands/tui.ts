/**
 * `crm tui` (alias `crm board`): the pipeline board and workspace in the
 * terminal. Registering it loads nothing: React and Ink are imported by the
 * action (src/tui/app.tsx).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Io } from '../io.js';
import { examples, globals } from './shared.js';

const TABS = ['pipeline', 'leads', 'cases', 'lists', 'dashboard'] as const;

function size(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > 1000) throw new InvalidArgumentError(`a whole number from ${min} to 1000`);
    return n;
  };
}

/**
 * Ink's layout engine (yoga, WebAssembly inlined as base64) asks
 * `typeof fetch` while it loads, and Node's first touch of `fetch` loads
 * its whole HTTP client (~100 ms). Hidden for the import, yoga decodes the
 * inlined binary directly. Nothing else runs meanwhile; fetch is put back.
 */
async function importWithoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const g = globalThis as { fetch?: unknown };
  const own = Object.getOwnPropertyDescriptor(g, 'fetch');
  if (!own?.configurable) return load();
  Object.defineProperty(g, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(g, 'fetch', own);
  }
}

export function register(program: Command, io: Io): void {
  program
    .command('tui')
    .alias('board')
    .description('the pipeline board, leads, cases, lists and a dashboard in the terminal (press ? inside for the keys)')
    .addOption(new Option('--tab <tab>', 'open on this tab').choices([...TABS]))
    .option('--once', 'print the first screen as text and exit (no terminal needed)')
    .option('--width <columns>', 'with --once: width in columns (default: the terminal, else 100)', size(20))
    .option('--height <rows>', 'with --once: height in rows (default: the terminal, else 24)', size(8))
    .addHelpText(
      'after',
      `
Keys: arrows or h j k l move, > < move a card to the next/previous stage,
w win, x lose (asks the reason), c convert a lead, enter opens a record,
esc goes back, / filters, 1-5 or [ ] switch tabs, u undoes your last change
(a git revert), ? shows every key, q quits. Every change is one git commit,
made by the same code as the matching crm command.
${examples(['$ crm board', '$ crm tui --tab cases', '$ crm board --once --width 80 --height 24 > board.txt'])}`,
    )
    .action(async (opts: { tab?: (typeof TABS)[number]; once?: boolean; width?: number; height?: number }, command: Command) => {
      // The bundle keeps React's run-time switch: use its production build unless told otherwise.
      process.env.NODE_ENV ??= 'production';
      // Ink switches to a "CI mode" (only the last frame is printed) when CI is set, which it
      // reads once on import. A board opened in a terminal is interactive wherever it runs.
      const ci = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
      delete process.env.CI;
      delete process.env.CONTINUOUS_INTEGRATION;
      let loaded: typeof import('../tui/app.js');
      try {
        loaded = await importWithoutFetch(() => import('../tui/app.js'));
      } finally {
        for (const [k, v] of Object.entries(ci)) if (v !== undefined) process.env[k] = v;
      }
      const { runTui } = loaded;
      const g = globals(command);
      await runTui(io, {
        repo: g.repo,
        commit: g.commit,
        ...(opts.tab ? { tab: opts.tab } : {}),
        once: Boolean(opts.once),
        ...(opts.width ? { columns: opts.width } : {}),
        ...(opts.height ? { rows: opts.height } : {}),
      });
    });
}
