/**
 * Fuzzy search over records (fuse.js): names, subjects, emails, companies,
 * phones, websites, tags and the Markdown notes. A substring match always
 * ranks ahead of a fuzzy one.
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

interface Doc {
  record: CrmRecord;
  title: string;
  email: string;
  company: string;
  phone: string;
  website: string;
  tags: string;
  body: string;
}

const KEYS = [
  { name: 'title', weight: 3 },
  { name: 'email', weight: 2 },
  { name: 'company', weight: 2 },
  { name: 'website', weight: 1 },
  { name: 'phone', weight: 1 },
  { name: 'tags', weight: 1 },
  { name: 'body', weight: 0.5 },
];

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(text).join(' ');
  return '';
}

export function toDoc(r: CrmRecord): Doc {
  return {
    record: r,
    title: recordTitle(r),
    email: text(r.data.email),
    company: text(r.data.company),
    phone: text(r.data.phone),
    website: text(r.data.website),
    tags: text(r.data.tags),
    body: r.body.length > 2000 ? r.body.slice(0, 2000) : r.body,
  };
}

export function searchRecords(records: readonly CrmRecord[], query: string, limit = 20): SearchHit[] {
  const docs = records.map(toDoc);
  const fuse = new Fuse(docs, {
    keys: KEYS,
    includeScore: true,
    includeMatches: true,
    ignoreLocation: true,
    threshold: 0.35,
    minMatchCharLength: 2,
  });
  const q = query.trim().toLowerCase();
  const results = fuse.search(query.trim(), { limit: Math.max(limit * 3, 50) }).map((r) => {
    const matched = [...new Set((r.matches ?? []).map((m) => m.key ?? ''))].filter(Boolean);
    const exact = KEYS.some((k) => (r.item[k.name as keyof Doc] as string).toLowerCase?.().includes(q));
    return { record: r.item.record, score: (r.score ?? 1) * (exact ? 0.5 : 1) + (exact ? 0 : 0.5), matched };
  });
  results.sort((a, b) => a.score - b.score || a.record.id.localeCompare(b.record.id));
  return results.slice(0, limit);
}
