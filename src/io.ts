/**
 * Io: the only way anything is printed, read from the user, or asks the
 * time. Commands receive one; tests build their own.
 */
import { createRequire } from 'node:module';

// readline is loaded on the first question only: most commands never ask one.
const requireBuiltin = createRequire(import.meta.url);

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: aligned tables, colour (unless disabled). */
  readonly isTTY: boolean;
  /** stdin and stderr are terminals: we may ask questions. */
  readonly canPrompt: boolean;
  /** Colour allowed on stdout. */
  readonly color: boolean;
  /** Width of the terminal, or 100 when unknown. */
  readonly columns: number;
  now(): Date;
  cwd(): string;
  env: Record<string, string | undefined>;
  /** Ask a question on the terminal; resolves with the answer (trimmed). */
  prompt(question: string): Promise<string>;
}

/** The current moment; `CRM_NOW` (an ISO timestamp) pins it for tests and demos. */
export function clock(env: Record<string, string | undefined>): () => Date {
  const pinned = env.CRM_NOW;
  if (pinned) {
    const t = new Date(pinned);
    if (!Number.isNaN(t.getTime())) return () => new Date(t.getTime());
  }
  return () => new Date();
}

/**
 * One readline for the whole process, paused between questions: answers
 * typed ahead of a prompt wait in the terminal's buffer instead of being
 * lost, and a paused stdin does not keep the process alive.
 */
let reader: import('node:readline').Interface | undefined;
const pending: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];
const cancelled = () => Object.assign(new Error('cancelled'), { code: 'CRM_CANCELLED' });

function ask(question: string): Promise<string> {
  if (!reader) {
    const { createInterface } = requireBuiltin('node:readline') as typeof import('node:readline');
    reader = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    reader.on('line', (line) => {
      const p = pending.shift();
      if (pending.length === 0) reader?.pause();
      p?.resolve(line.trim());
    });
    reader.on('SIGINT', () => {
      for (const p of pending.splice(0)) p.reject(cancelled());
      reader?.close();
    });
    reader.on('close', () => {
      for (const p of pending.splice(0)) p.reject(cancelled());
      reader = undefined;
    });
  }
  return new Promise((resolve, reject) => {
    pending.push({ resolve, reject });
    reader!.resume();
    process.stderr.write(question);
  });
}

export function processIo(options: { color: boolean }): Io {
  const env = process.env;
  return {
    out: (text) => {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    err: (text) => {
      process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    isTTY: Boolean(process.stdout.isTTY),
    canPrompt: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    color: options.color,
    columns: process.stdout.columns || 100,
    now: clock(env),
    cwd: () => process.cwd(),
    env,
    prompt: (question) => ask(question),
  };
}
