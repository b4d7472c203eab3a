/**
 * Errors a user can cause, and the one table of exit codes.
 *
 * Every CrmError says what went wrong (`message`), optionally where (`where`:
 * "path:line") and what to do next (`hint`). Anything that is not a CrmError
 * is a bug and is reported as one by the entry point.
 */

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  needsDecision: 3,
  cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CrmErrorOptions {
  hint?: string;
  where?: string;
  exitCode?: ExitCode;
  /** Extra data printed with --json (e.g. duplicate candidates). */
  data?: unknown;
}

export class CrmError extends Error {
  readonly hint: string | undefined;
  readonly where: string | undefined;
  readonly exitCode: ExitCode;
  readonly data: unknown;

  constructor(message: string, options: CrmErrorOptions = {}) {
    super(message);
    this.name = 'CrmError';
    this.hint = options.hint;
    this.where = options.where;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.data = options.data;
  }
}

/** A wrong flag, argument or value: exit 2. */
export class UsageError extends CrmError {
  constructor(message: string, options: Omit<CrmErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
    this.name = 'UsageError';
  }
}

/** No record with that id (or type/id). Exit 2: the user named something that is not there. */
export class NotFoundError extends CrmError {
  constructor(message: string, options: Omit<CrmErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
    this.name = 'NotFoundError';
  }
}

/** A file changed on disk since it was read, or another process holds the lock. */
export class ConflictError extends CrmError {
  constructor(message: string, options: Omit<CrmErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: ExitCode.failure });
    this.name = 'ConflictError';
  }
}

/** A change would write a record that fails validation: nothing is written. */
export class ValidationError extends CrmError {
  readonly issues: readonly { path: string; line: number; code: string; message: string }[];
  constructor(
    message: string,
    issues: readonly { path: string; line: number; code: string; message: string }[],
    options: Omit<CrmErrorOptions, 'exitCode'> = {},
  ) {
    super(message, { ...options, exitCode: ExitCode.usage, data: issues });
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** The user answered "no" or pressed Ctrl-C at a prompt. */
export class CancelledError extends CrmError {
  constructor(message = 'Cancelled.') {
    super(message, { exitCode: ExitCode.cancelled });
    this.name = 'CancelledError';
  }
}

/** Duplicates or another choice that a non-interactive run cannot make: exit 3. */
export class DecisionNeededError extends CrmError {
  constructor(message: string, options: Omit<CrmErrorOptions, 'exitCode'> = {}) {
    super(message, { ...options, exitCode: ExitCode.needsDecision });
    this.name = 'DecisionNeededError';
  }
}
