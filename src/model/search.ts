/**
 * Search over records: names, subjects, emails, companies, phones, websites,
 * tags and the start of the Markdown notes.
 *
 * Two stages keep a query fast on a large repository: a prefilter scans the
 * lowercase search text of every record (kept in the index) for the query's
 * words, and, when that finds too little, for its trigrams (typos); the few
 * hundred candidates are then ranked by fuse.js. Substring matches always
 * rank ahead of fuzzy ones.
 */
import Fuse from 'fuse.js';
import { recordTitle, type CrmRecord } from './record.js';

export interface SearchHit {
  record: CrmRecord;
  /** 0 is a perfect match, 1 no match. */
  score: number;
  /** Which fields matched. */
  matched: string[];
}

const KEYS = [
  { name: 'title', weight: 3 },
  { name: 'email', weight: 2 },
  { name: 'company', weight: 2 },
  { name: 'website', weight: 1 },
  { name: 'phone', weight: 1 },
  { name: 'tags', weight: 1 },
  { name: 'notes', weight: 0.5 },
];
const FIELD_OF: Record<string, string> = { name: 'title', subject: 'title' };
const MAX_CANDIDATES = 300;

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(str).join(' ');
  return '';
}

/** The lowercase text search looks in, for a record without one from the index. */
export function searchTextOf(r: CrmRecord): string {
  if (r.searchText !== undefined) return r.searchText;
  const parts = ['name', 'subject', 'email', 'company', 'phone', 'website', 'title'].map((k) => (typeof r.data[k] === 'string' || typeof r.data[k] === 'number' ? String(r.data[k]) : ''));
  parts.push(str(r.data.tags), r.body.slice(0, 600));
  return parts.join('\n').toLowerCase();
}

function trigrams(s: string): string[] {
  const t = ` ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return [...out];
}

/**
 * All search texts joined into one string (records separated by a NUL), so
 * that finding a word is a few `indexOf` jumps over one string instead of a
 * scan of every record: milliseconds at 100,000 records.
 */
class Haystack {
  readonly text: string;
  /** Start offset of each record's text. */
  private readonly starts: Int32Array;

  constructor(texts: readonly string[]) {
    this.starts = new Int32Array(texts.length);
    let at = 0;
    texts.forEach((t, i) => {
      this.starts[i] = at;
      at += t.length + 1;
    });
    this.text = texts.join('\u0000');
  }

  /** Index of the record whose text contains offset `pos`. */
  private recordAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Each record containing `needle`, once, in order. */
  *containing(needle: string): Generator<number> {
    let pos = this.text.indexOf(needle);
    while (pos >= 0) {
      const i = this.recordAt(pos);
      yield i;
      const next = i + 1 < this.starts.length ? this.starts[i + 1]! : this.text.length;
      pos = this.text.indexOf(needle, next);
    }
  }
}

/** Candidates whose text contains every word of the query, else most of its trigrams. */
export function prefilter(records: readonly CrmRecord[], query: string): { exact: CrmRecord[]; fuzzy: CrmRecord[] } {
  const q = query.trim().toLowerCase().replace(/\u0000/g, '');
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length === 0) return { exact: [], fuzzy: [] };
  const hay = new Haystack(records.map(searchTextOf));
  // Exact: records containing the rarest-looking (longest) word, then checked for the others.
  const [first, ...others] = [...words].sort((a, b) => b.length - a.length);
  const exactIdx: number[] = [];
  const exactSet = new Set<number>();
  for (const i of hay.containing(first!)) {
    const t = searchTextOf(records[i]!);
    if (others.every((w) => t.includes(w))) {
      exactIdx.push(i);
      exactSet.add(i);
    }
  }
  const exact = exactIdx.map((i) => records[i]!);
  if (exact.length >= MAX_CANDIDATES) return { exact: exact.slice(0, MAX_CANDIDATES * 4), fuzzy: [] };
  // Fuzzy: count the query's trigrams found in each record.
  const grams = [...new Set(words.flatMap(trigrams).filter((g) => g.trim().length >= 2))];
  if (grams.length === 0) return { exact, fuzzy: [] };
  const need = Math.max(1, Math.ceil(grams.length * 0.4));
  const counts = new Map<number, number>();
  for (const g of grams) {
    for (const i of hay.containing(g)) if (!exactSet.has(i)) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const scored = [...counts].filter(([, n]) => n >= need).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return { exact, fuzzy: scored.slice(0, MAX_CANDIDATES).map(([i]) => records[i]!) };
}

interface Doc {
  record: CrmRecord;
  title: string;
  email: string;
  company: string;
  website: string;
  phone: string;
  tags: string;
  notes: string;
}

function toDoc(r: CrmRecord): Doc {
  const t = searchTextOf(r);
  return {
    record: r,
    title: recordTitle(r),
    email: str(r.data.email),
    company: str(r.data.company),
    website: str(r.data.website),
    phone: str(r.data.phone),
    tags: str(r.data.tags),
    // the notes part of the search text: what follows the fields
    notes: t.split('\n').slice(8).join(' '),
  };
}

export function searchRecords(records: readonly CrmRecord[], query: string, limit = 20): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const { exact, fuzzy } = prefilter(records, q);
  const docs = [...exact, ...fuzzy].map(toDoc);
  const fuse = new Fuse(docs, { keys: KEYS, includeScore: true, includeMatches: true, ignoreLocation: true, threshold: 0.4, minMatchCharLength: 2 });
  const exactSet = new Set(exact);
  const ranked = fuse.search(query.trim()).map((r) => {
    const matched = [...new Set((r.matches ?? []).map((m) => FIELD_OF[m.key ?? ''] ?? m.key ?? ''))].filter(Boolean);
    const isExact = exactSet.has(r.item.record);
    return { record: r.item.record, score: (r.score ?? 1) * 0.5 + (isExact ? 0 : 0.5), matched };
  });
  // Substring matches fuse did not rank (e.g. long notes) still count, after the ranked ones.
  const seen = new Set(ranked.map((h) => h.record));
  for (const r of exact) if (!seen.has(r)) ranked.push({ record: r, score: 0.49, matched: ['notes'] });
  ranked.sort((a, b) => a.score - b.score || a.record.id.localeCompare(b.record.id));
  return ranked.slice(0, limit);
}
