/**
 * Search over records: names, subjects, emails, companies, phones, websites,
 * tags and the start of the Markdown notes.
 *
 * Two stages keep a query fast on a large repository: a prefilter scans the
 * lowercase search text of every record (kept in the index) for the query's
 * words (fields first, then notes), and, when that finds too little, the
 * fields for its trigrams (typos); the few hundred candidates are then
 * ranked by fuse.js. Substring matches always rank ahead of fuzzy ones, and
 * notes match exact words only.
 */
import Fuse from 'fuse.js';
import { headOf, joinTexts, textOf, type Joined } from './search-text.js';
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

/** The lowercase text search looks in, for a record without one from the index. */
export function searchTextOf(r: CrmRecord): string {
  return r.searchText ?? textOf(r.data, r.body);
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
  /** The same slots' fields only (before the notes); made here when absent. */
  heads?: Joined;
}

/** One segment made from the records' own search text (when the index has none ready). */
export function segmentOf(records: readonly CrmRecord[]): Segment {
  const texts = records.map((r) => searchTextOf(r).replace(/\u0000/g, ' '));
  return { ...joinTexts(texts), records, heads: joinTexts(texts.map(headOf)) };
}

function headsOf(seg: Segment): Segment {
  const heads = seg.heads ?? joinTexts(seg.starts.length ? seg.joined.split('\u0000').map(headOf) : []);
  return { ...heads, records: seg.records };
}

/**
 * Each record containing `needle`, with the offset of its first occurrence:
 * a few `indexOf` jumps over one string, not a scan of every record.
 */
function* hits(seg: Segment, needle: string): Generator<{ i: number; at: number }> {
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
    yield { i: lo, at: pos };
    pos = joined.indexOf(needle, slotEnd(seg, lo) + 1);
  }
}

/** The records containing `needle`. */
function* containing(seg: Segment, needle: string): Generator<number> {
  for (const h of hits(seg, needle)) yield h.i;
}

/** Where slot i's text ends in the joined string. */
function slotEnd(seg: Segment, i: number): number {
  return i + 1 < seg.starts.length ? seg.starts[i + 1]! - 1 : seg.joined.length;
}

/** Length of slot i's fields part (its head). */
function headLength(head: Segment, i: number): number {
  return slotEnd(head, i) - head.starts[i]!;
}

function textIn(seg: Segment, i: number): string {
  return seg.joined.slice(seg.starts[i]!, slotEnd(seg, i));
}

/**
 * Candidates whose text contains every word of the query (fields first,
 * then notes), else, for typo tolerance, records whose fields (name,
 * subject, email, company, phone, website, title, tags) hold most of its
 * trigrams. Notes match exactly only: scanning every note for trigrams
 * would cost a pass over the whole text per trigram.
 */
export function prefilter(segments: readonly Segment[], query: string, limit = 20): { exact: CrmRecord[]; fuzzy: CrmRecord[]; text: Map<CrmRecord, string> } {
  const q = query.trim().toLowerCase().replace(/\u0000/g, '');
  const words = q.split(/\s+/).filter(Boolean);
  const text = new Map<CrmRecord, string>();
  if (words.length === 0) return { exact: [], fuzzy: [], text };
  const heads = segments.map(headsOf);
  // Exact: records containing the longest word, then checked for the others.
  const [first, ...others] = [...words].sort((a, b) => b.length - a.length);
  const exact: CrmRecord[] = [];
  const exactSet = new Set<CrmRecord>();
  // Only the first few hundred exact matches are ranked: records matching in their fields
  // first, then in their notes. One pass over the whole text finds both (a hit before the
  // end of a record's fields is a field match), and stops once the fields gave enough.
  const enough = Math.max(MAX_CANDIDATES, limit * 4);
  const inNotes: { r: CrmRecord; t: string }[] = [];
  scan: for (let s = 0; s < segments.length; s++) {
    const seg = segments[s]!;
    const head = heads[s]!;
    for (const { i, at } of hits(seg, first!)) {
      const r = seg.records[i];
      if (!r || exactSet.has(r)) continue;
      // The first occurrence is in the fields if the fields hold one at all (they come first).
      const inFields = at - seg.starts[i]! + first!.length <= headLength(head, i);
      if (!inFields && inNotes.length >= enough) continue;
      const t = textIn(seg, i);
      if (!others.every((w) => t.includes(w))) continue;
      if (inFields) {
        exact.push(r);
        exactSet.add(r);
        text.set(r, t);
        if (exact.length >= enough) break scan;
      } else inNotes.push({ r, t });
    }
  }
  for (const { r, t } of inNotes) {
    if (exact.length >= enough) break;
    if (exactSet.has(r)) continue;
    exact.push(r);
    exactSet.add(r);
    text.set(r, t);
  }
  // Exact matches rank first: with enough of them, typo-tolerant candidates cannot make the list.
  if (exact.length >= limit) return { exact, fuzzy: [], text };
  // Fuzzy: count the query's trigrams found in each record; a trigram found almost everywhere says nothing.
  const total = segments.reduce((n, s) => n + s.starts.length, 0);
  const common = Math.max(300, Math.floor(total * 0.05));
  const grams = [...new Set(words.flatMap(trigrams).filter((g) => g.trim().length >= 2))];
  const hitsOf = new Map<string, { seg: Segment; i: number }[]>();
  for (const g of grams) {
    const hits: { seg: Segment; i: number }[] = [];
    scan: for (let s = 0; s < segments.length; s++) {
      for (const i of containing(heads[s]!, g)) {
        hits.push({ seg: segments[s]!, i });
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

/**
 * What fuse.js ranks, taken from the search text (lowercase; fuse ignores
 * case): name, subject, email, company, phone, website, title and tags are
 * its first eight lines, the notes what follows. No record's front matter
 * is parsed for it.
 */
function toDoc(r: CrmRecord, known?: string): Doc {
  const lines = (known ?? searchTextOf(r)).split('\n');
  return {
    record: r,
    title: recordTitle(r),
    email: lines[2] ?? '',
    company: lines[3] ?? '',
    phone: lines[4] ?? '',
    website: lines[5] ?? '',
    tags: lines[7] ?? '',
    notes: lines.slice(8).join(' '),
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
