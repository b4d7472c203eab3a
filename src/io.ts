/**
 * Io: the only way anything is printed, read from the user, or asks the
 * time. Commands receive one; tests build their own.
 */
import { createInterface } from 'node:readline';

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
    prompt: (question) =>
      new Promise((resolve, reject) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        let answered = false;
        rl.on('SIGINT', () => {
          rl.close();
          reject(Object.assign(new Error('cancelled'), { code: 'CRM_CANCELLED' }));
        });
        rl.question(question, (answer) => {
          answered = true;
          rl.close();
          resolve(answer.trim());
        });
        rl.on('close', () => {
          if (!answered) reject(Object.assign(new Error('cancelled'), { code: 'CRM_CANCELLED' }));
        });
      }),
  };
}
