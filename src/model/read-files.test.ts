import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchReader, usesNativeRead } from './read-files.js';
import { statFiles } from './stat-files.js';

const root = mkdtempSync(join(tmpdir(), 'crm-read-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

mkdirSync(join(root, 'interactions', '2026', '05'), { recursive: true });
mkdirSync(join(root, 'contacts'), { recursive: true });
const paths: string[] = [];
// More files than one batch, across folders, with non-ASCII names and text, an empty file and a large one.
for (let i = 0; i < 600; i++) {
  const p = i % 3 === 0 ? `contacts/c${i}.md` : i % 3 === 1 ? `interactions/2026/05/città-${i}.md` : `top-${i}.md`;
  const text = i === 7 ? '' : i === 8 ? `---\nname: big\n---\n${'è'.repeat(400_000)}\n` : i === 300 ? `---\nname: huge\n---\n${'y'.repeat(1_500_000)}\n` : `---\nname: Nicolò ${i}\n---\nnote ${'x'.repeat(i)}\n`;
  writeFileSync(join(root, p), text);
  paths.push(p);
}
paths.push('contacts/missing.md', 'contacts');

const texts = () => paths.map((p) => {
  try {
    return readFileSync(join(root, p), 'utf8');
  } catch {
    return undefined;
  }
});

describe('batchReader', () => {
  it('uses the native module, built by npm install on this machine (checked against fs.readFileSync)', () => {
    expect(usesNativeRead()).toBe(true);
  });

  it('reads each file as fs.readFileSync does, in order and out of order; a missing path or a folder is left to the caller', () => {
    const st = statFiles(root, paths);
    const reader = batchReader(root, paths, st)!;
    const want = texts();
    want[want.length - 1] = undefined; // a folder: size -1, not read
    expect(paths.map((_, i) => reader.text(i))).toEqual(want);
    // Asking again, backwards, reads the batches again.
    for (let i = paths.length - 1; i >= 0; i -= 37) expect(reader.text(i)).toBe(want[i]);
  });

  it('stats each file as it opens it, as fs.statSync does (-1 for a missing path and a folder), and leaves what does not fit to the caller', () => {
    const st = new Float64Array(paths.length * 4);
    const reader = batchReader(root, paths, st, { stat: true })!;
    const want = texts();
    const got = paths.map((_, i) => reader.text(i));
    for (let i = 0; i < paths.length; i++) {
      let ref: number[] = [-1];
      try {
        const s = statSync(join(root, paths[i]!));
        if (s.isFile()) ref = [s.size, s.mtimeMs, s.ctimeMs, s.ino];
      } catch {
        // missing
      }
      expect(ref[0]! < 0 ? [st[i * 4]] : [...st.subarray(i * 4, i * 4 + 4)], paths[i]).toEqual(ref);
      // The 1.5 MB file does not fit in the first batch's buffer: the caller reads it (its size is known).
      if (i === 300) expect(got[i]).toBeUndefined();
      else expect(got[i], paths[i]).toBe(i === paths.length - 1 ? undefined : want[i]);
    }
    // Asked again, its batch has room for it.
    reader.load(0);
    expect(reader.text(300)).toBe(want[300]);
  });

  it('leaves a file that grew since its stat to the caller, and reads one that shrank as it is now', () => {
    const st = statFiles(root, paths);
    writeFileSync(join(root, paths[1]!), `${readFileSync(join(root, paths[1]!), 'utf8')}grown\n`);
    writeFileSync(join(root, paths[4]!), 'short\n');
    const reader = batchReader(root, paths, st)!;
    expect(reader.text(1)).toBeUndefined();
    expect(reader.text(4)).toBe('short\n');
    expect(reader.text(5)).toBe(readFileSync(join(root, paths[5]!), 'utf8'));
  });
});
