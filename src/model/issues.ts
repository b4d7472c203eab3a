/** A problem found in the repository: data, never an exception. */
export interface Issue {
  /** Repository-relative POSIX path. */
  path: string;
  /** 1-based line in the file (1 when the problem is the file as a whole). */
  line: number;
  /** Stable machine-readable code, e.g. `missing-required`, `dangling-reference`. */
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatIssue(i: Issue): string {
  return `${i.path}:${i.line}: ${i.severity === 'warning' ? 'warning: ' : ''}${i.message} [${i.code}]`;
}
