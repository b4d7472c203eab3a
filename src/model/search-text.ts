/**
 * The text search looks in, per record: lowercase; name, subject, email,
 * company, phone, website and title on the first seven lines, tags on the
 * eighth (the "fields"), then the start of the notes. The index stores it
 * (cache.ts); search scans it (search.ts). Pure.
 */
import type { Data } from './frontmatter.js';

/** How much of the notes search looks in. */
const BODY_IN_TEXT = 600;

/** A record's search text (see the top of this file). */
export function textOf(data: Data, body: string): string {
  const parts: string[] = [];
  for (const k of ['name', 'subject', 'email', 'company', 'phone', 'website', 'title']) {
    const v = data[k];
    parts.push(typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  }
  const tags = data.tags;
  parts.push(Array.isArray(tags) ? tags.join(' ') : typeof tags === 'string' ? tags : '');
  parts.push(body.length > BODY_IN_TEXT ? body.slice(0, BODY_IN_TEXT) : body);
  return parts.join('\n').toLowerCase();
}

/** The fields part of a search text: its first eight lines (see textOf). */
export function headOf(text: string): string {
  let at = -1;
  for (let n = 0; n < 8; n++) {
    at = text.indexOf('\n', at + 1);
    if (at < 0) return text;
  }
  return text.slice(0, at);
}

/** Texts joined by NUL, with each one's offset. */
export interface Joined {
  joined: string;
  starts: Int32Array;
}

export function joinTexts(list: readonly string[]): Joined {
  const starts = new Int32Array(list.length);
  let at = 0;
  list.forEach((t, i) => {
    starts[i] = at;
    at += t.length + 1;
  });
  return { joined: list.join('\u0000'), starts };
}
