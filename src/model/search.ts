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

/** Search text joined into one string (records separated by NUL), with each record's offset. */
export interface Segment {
  joined: string;
  starts: Int32Array;
  /** The record at each offset; undefined marks a stale slot to skip. */
  records: readonly (CrmRecord | undefined)[];
}

/** One segment made from the records' own search text (when the index has none ready). */
export function segmentOf(records: readonly CrmRecord[]): Segment {
  const texts = records.map((r) => searchTextOf(r).replace(/\u0000/g, ' '));
  const starts = new Int32Array(texts.length);
  let at = 0;
  texts.forEach((t, i) => {
    starts[i] = at;
    at += t.length + 1;
  });
  return { joined: texts.join('\u0000'), starts, records };
}

/** Finding a word is a few `indexOf` jumps over one string, not a scan of every record. */
function* containing(seg: Segment, needle: string): Generator<number> {
  const { joined, starts } = seg;
  let pos = joined.indexOf(needle);
  while (pos >= 0) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    yield lo;
    const next = lo + 1 < starts.length ? starts[lo + 1]! : joined.length;
    pos = joined.indexOf(needle, next);
  }
}

function textIn(seg: Segment, i: number): string {
  const end = i + 1 < seg.starts.length ? seg.starts[i + 1]! - 1 : seg.joined.length;
  return seg.joined.slice(seg.starts[i]!, end);
}

/** Candidates whose text contains every word of the query, else most of its trigrams. */
export function prefilter(segments: readonly Segment[], query: string, limit = 20): { exact: CrmRecord[]; fuzzy: CrmRecord[]; text: Map<CrmRecord, string> } {
  const q = query.trim().toLowerCase().replace(/\u0000/g, '');
  const words = q.split(/\s+/).filter(Boolean);
  const text = new Map<CrmRecord, string>();
  if (words.length === 0) return { exact: [], fuzzy: [], text };
  // Exact: records containing the longest word, then checked for the others.
  const [first, ...others] = [...words].sort((a, b) => b.length - a.length);
  const exact: CrmRecord[] = [];
  const exactSet = new Set<CrmRecord>();
  for (const seg of segments) {
    for (const i of containing(seg, first!)) {
      const r = seg.records[i];
      if (!r) continue;
      const t = textIn(seg, i);
      if (others.every((w) => t.includes(w))) {
        exact.push(r);
        exactSet.add(r);
        text.set(r, t);
      }
    }
  }
  // Exact matches rank first: with enough of them, typo-tolerant candidates cannot make the list.
  if (exact.length >= limit) return { exact: exact.slice(0, Math.max(MAX_CANDIDATES, limit * 4)), fuzzy: [], text };
  // Fuzzy: count the query's trigrams found in each record; a trigram found almost everywhere says nothing.
  const total = segments.reduce((n, s) => n + s.starts.length, 0);
  const common = Math.max(300, Math.floor(total * 0.05));
  const grams = [...new Set(words.flatMap(trigrams).filter((g) => g.trim().length >= 2))];
  const hitsOf = new Map<string, { seg: Segment; i: number }[]>();
  for (const g of grams) {
    const hits: { seg: Segment; i: number }[] = [];
    scan: for (const seg of segments) {
      for (const i of containing(seg, g)) {
        hits.push({ seg, i });
        if (hits.length > common) break scan;
      }
    }
    if (hits.length <= common) hitsOf.set(g, hits);
  }
  if (hitsOf.size === 0) return { exact, fuzzy: [], text };
  const need = Math.max(1, Math.ceil(hitsOf.size * 0.4));
  const counts = new Map<CrmRecord, number>();
  for (const hits of hitsOf.values()) {
    for (const { seg, i } of hits) {
      const r = seg.records[i];
      if (!r || exactSet.has(r)) continue;
      counts.set(r, (counts.get(r) ?? 0) + 1);
      if (!text.has(r)) text.set(r, textIn(seg, i));
    }
  }
  const fuzzy = [...counts].filter(([, n]) => n >= need).sort((a, b) => b[1] - a[1] || (a[0].id < b[0].id ? -1 : 1));
  return { exact, fuzzy: fuzzy.slice(0, MAX_CANDIDATES / 2).map(([r]) => r), text };
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

function toDoc(r: CrmRecord, known?: string): Doc {
  const t = known ?? searchTextOf(r);
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

export function searchRecords(records: readonly CrmRecord[], query: string, limit = 20, segments?: readonly Segment[]): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const { exact, fuzzy, text } = prefilter(segments ?? [segmentOf(records)], q, limit);
  const docs = [...exact, ...fuzzy].map((r) => toDoc(r, text.get(r)));
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
