/**
 * Finding a record by what a user typed: `ID`, `TYPE/ID` (any type word:
 * `lead/jane-roe`, `opp/big-deal`), with "did you mean" suggestions.
 */
import { CrmError, NotFoundError, UsageError } from '../errors.js';
import type { Issue } from './issues.js';
import { recordKey, recordTitle, type CrmRecord } from './record.js';
import { parseTypeName, TYPE_BY_FOLDER, TYPES, type RecordType } from './schema.js';

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Up to `n` records whose id or title is closest to `text`. */
export function closest(records: readonly CrmRecord[], text: string, n = 3): CrmRecord[] {
  const q = text.toLowerCase();
  const scored = records.map((r) => {
    const title = recordTitle(r).toLowerCase();
    let d = Math.min(editDistance(q, r.id), editDistance(q, title));
    if (r.id.includes(q) || title.includes(q)) d = Math.min(d, 1);
    // A typo in the first words: compare with the start of the id or title (acmee → acme-s-p-a).
    if (q.length >= 4) d = Math.min(d, 1 + Math.min(editDistance(q, r.id.slice(0, q.length)), editDistance(q, title.slice(0, q.length))));
    return { r, d };
  });
  const limit = Math.max(2, Math.floor(q.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.r.id.localeCompare(b.r.id))
    .slice(0, n)
    .map((s) => s.r);
}

export interface RefParts {
  type?: RecordType;
  id: string;
}

export function parseRef(text: string): RefParts {
  const slash = text.indexOf('/');
  if (slash < 0) return { id: text };
  const word = text.slice(0, slash);
  const type = parseTypeName(word);
  if (!type) {
    throw new UsageError(`"${word}" is not a record type`, {
      hint: 'Use ID or TYPE/ID with TYPE one of account, contact, lead, opportunity (opp), case, campaign, interaction.',
    });
  }
  return { type, id: text.slice(slash + 1) };
}

/**
 * The record named by `text`; `types` restricts where to look (e.g. only leads).
 * `skipped` are the issues of files that could not be read: when the id names
 * one of them, the error says what is wrong with that file instead of "no record".
 */
export function findRecord(records: readonly CrmRecord[], text: string, types?: readonly RecordType[], skipped: readonly Issue[] = []): CrmRecord {
  const ref = parseRef(text.trim());
  if (ref.type && types && !types.includes(ref.type)) {
    const a = (w: string) => `${/^[aeiou]/.test(w) ? 'an' : 'a'} ${w}`;
    throw new UsageError(`${text} is ${a(ref.type)}, but ${types.map(a).join(' or ')} is needed here`);
  }
  const pool = records.filter((r) => (ref.type ? r.type === ref.type : !types || types.includes(r.type)));
  const hits = pool.filter((r) => r.id === ref.id);
  if (hits.length === 1) return hits[0]!;
  // A converted lead shares its id with the contact made from it: the contact is meant.
  if (hits.length > 1 && !ref.type) {
    const live = hits.filter((r) => !(r.type === 'lead' && r.data.status === 'converted'));
    if (live.length === 1) return live[0]!;
  }
  if (hits.length > 1) {
    throw new UsageError(`"${ref.id}" is the id of ${hits.length} records: ${hits.map(recordKey).join(', ')}`, {
      hint: `Say which one with TYPE/ID, e.g. \`${recordKey(hits[0]!)}\`.`,
    });
  }
  const unreadable = skipped.find((i) => {
    if (i.severity !== 'error') return false;
    const parts = i.path.split('/');
    const type = TYPE_BY_FOLDER[parts[0] ?? ''];
    const file = parts[parts.length - 1] ?? '';
    return type !== undefined && (ref.type ? type === ref.type : !types || types.includes(type)) && file === `${ref.id}.md`;
  });
  if (unreadable) {
    throw new CrmError(`${unreadable.path}:${unreadable.line} cannot be read as a record: ${unreadable.message}`, {
      where: `${unreadable.path}:${unreadable.line}`,
      hint: 'Fix the file by hand (`crm validate` lists every problem), then run the command again.',
    });
  }
  const near = closest(pool, ref.id);
  const what = ref.type ?? (types?.length === 1 ? types[0] : undefined);
  const noun = what ? TYPES[what].type : 'record';
  throw new NotFoundError(`no ${noun} with id "${ref.id}"`, {
    hint:
      near.length > 0
        ? `Did you mean ${near.map((r) => `${recordKey(r)} (${recordTitle(r)})`).join(', ')}?`
        : `List them with \`crm list ${what ? TYPES[what].folder : 'TYPE'}\` or find one with \`crm search TEXT\`.`,
  });
}
