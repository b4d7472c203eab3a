/**
 * Where files belong (FORMAT.md "Layout"): which paths are records of which
 * type, and which are allowed to exist without being records.
 */
import { idProblem } from './ids.js';
import type { Issue } from './issues.js';
import { TYPE_BY_FOLDER, type RecordType } from './schema.js';

export type PathClass =
  | { kind: 'record'; type: RecordType; id: string }
  | { kind: 'other' } // crm.yaml, README, templates/, .github/, …: not records, fine
  | { kind: 'misplaced'; issue: Issue };

/** Top-level entries that are part of a CRM repository but hold no records. */
const ALLOWED_TOP = new Set(['crm.yaml', 'templates', 'reports', '.crm', '.git', '.github', '.gitignore', '.gitattributes']);

export function classifyPath(path: string): PathClass {
  const parts = path.split('/');
  const top = parts[0] ?? '';
  const type = TYPE_BY_FOLDER[top];
  if (!type) return { kind: 'other' };
  const misplaced = (message: string, code = 'outside-layout'): PathClass => ({
    kind: 'misplaced',
    issue: { path, line: 1, code, message, severity: 'error' },
  });
  const file = parts[parts.length - 1] ?? '';
  if (!file.endsWith('.md')) {
    return misplaced(`${top}/ holds only .md record files; move or remove this file`);
  }
  const id = file.slice(0, -3);
  if (type === 'interaction') {
    if (parts.length !== 4 || !/^\d{4}$/.test(parts[1] ?? '') || !/^(0[1-9]|1[0-2])$/.test(parts[2] ?? '')) {
      return misplaced('interactions must be under interactions/<yyyy>/<mm>/<id>.md');
    }
  } else if (parts.length !== 2) {
    return misplaced(`${top}/ records must be directly in ${top}/, not in a subfolder`);
  }
  const problem = idProblem(id);
  if (problem) return misplaced(`bad id "${id}": ${problem}; rename the file`, 'bad-id');
  return { kind: 'record', type, id };
}

export function isAllowedTopLevel(name: string): boolean {
  return ALLOWED_TOP.has(name) || name in TYPE_BY_FOLDER || !name.startsWith('.');
}
