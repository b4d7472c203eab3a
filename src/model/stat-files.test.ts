import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { statFiles, usesRawStat } from './stat-files.js';

const root = mkdtempSync(join(tmpdir(), 'crm-stat-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const paths: string[] = [];
mkdirSync(join(root, 'a', 'b'), { recursive: true });
for (let i = 0; i < 40; i++) {
  const p = `a/${i % 2 ? 'b/' : ''}f${i}.md`;
  writeFileSync(join(root, p), 'x'.repeat(i));
  paths.push(p);
}
paths.push('a/missing.md', 'a/b');

function expected(): number[] {
  return paths.flatMap((p) => {
    try {
      const st = statSync(join(root, p));
      return st.isFile() ? [st.size, st.mtimeMs, st.ctimeMs, st.ino] : [-1];
    } catch {
      return [-1];
    }
  });
}

function asRows(a: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i += 4) out.push(...(a[i]! < 0 ? [-1] : [a[i]!, a[i + 1]!, a[i + 2]!, a[i + 3]!]));
  return out;
}

describe('statFiles', () => {
  it('answers what fs.statSync does, with -1 for a missing file and a folder', () => {
    expect(asRows(statFiles(root, paths))).toEqual(expected());
  });

  it('gives the same answer when a worker thread stats the files', () => {
    // This thread waits before taking any chunk, so the worker stats them all.
    const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    let byWorker = -1;
    expect(asRows(statFiles(root, paths, { workerMin: 2, during: pause, onWorker: (n) => (byWorker = n) }))).toEqual(expected());
    expect(byWorker).toBe(paths.length);
  });

  it('uses the fs binding on the Node this project runs on (its answers are compared above)', () => {
    expect(usesRawStat()).toBe(true);
  });

  it('gives the same answer through fs.statSync alone, here and in the worker', () => {
    expect(asRows(statFiles(root, paths, { plain: true }))).toEqual(expected());
    const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    let byWorker = -1;
    expect(asRows(statFiles(root, paths, { plain: true, workerMin: 2, during: pause, onWorker: (n) => (byWorker = n) }))).toEqual(expected());
    expect(byWorker).toBe(paths.length);
  });
});
