import { describe, expect, it } from 'vitest';
import { ByteColumn } from './byte-column.js';

describe('ByteColumn', () => {
  it('gives back each text as it was, past its first buffer, with non-ASCII text and empty texts', () => {
    const col = new ByteColumn();
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) texts.push(i % 7 === 0 ? '' : `{"name":"Città ${i} — ünïcødé ✓ 😀","n":${i}}`.repeat(1 + (i % 40)));
    const ids = texts.map((t) => col.push(t));
    expect(ids).toEqual(texts.map((_, i) => i));
    texts.forEach((t, i) => {
      expect(col.take(i)).toBe(t);
      expect(col.size(i)).toBe(Buffer.byteLength(t));
    });
    const out = Buffer.alloc(col.size(5) + 3);
    expect(col.copyTo(5, out, 3)).toBe(col.size(5));
    expect(out.toString('utf8', 3)).toBe(texts[5]);
  });
});
