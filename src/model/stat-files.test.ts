import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNativeStats, statFiles, usesNativeStat, usesRawStat } from './stat-files.js';

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

// This thread waits before taking any chunk, so the other thread stats them all.
const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);

describe('statFiles', () => {
  it('answers what fs.statSync does, with -1 for a missing file and a folder', () => {
    expect(asRows(statFiles(root, paths))).toEqual(expected());
  });

  it('uses the native module, built by npm install on this machine (its answers are compared here)', () => {
    expect(usesNativeStat()).toBe(true);
    expect(asRows(statFiles(root, paths, { via: 'native' }))).toEqual(expected());
  });

  it('takes the paths as UTF-8 bytes too (as the index file has them), and finishes once', () => {
    const job = startNativeStats(root, Buffer.from(paths.join('\u0000')), paths.length, { workerMin: 2 })!;
    pause();
    const first = job.finish();
    expect(asRows(first)).toEqual(expected());
    expect(job.finish()).toBe(first);
  });

  it('gives the same answer when the native helper thread stats the files', () => {
    let byHelper = -1;
    expect(asRows(statFiles(root, paths, { via: 'native', workerMin: 2, during: pause, onWorker: (n) => (byHelper = n) }))).toEqual(expected());
    expect(byHelper).toBe(paths.length);
  });

  it('without the native module: the fs binding, here and in a worker thread', () => {
    expect(usesRawStat()).toBe(true);
    expect(asRows(statFiles(root, paths, { via: 'binding' }))).toEqual(expected());
    let byWorker = -1;
    expect(asRows(statFiles(root, paths, { via: 'binding', workerMin: 2, during: pause, onWorker: (n) => (byWorker = n) }))).toEqual(expected());
    expect(byWorker).toBe(paths.length);
  });

  it('gives the same answer through fs.statSync alone, here and in the worker', () => {
    expect(asRows(statFiles(root, paths, { via: 'statSync' }))).toEqual(expected());
    let byWorker = -1;
    expect(asRows(statFiles(root, paths, { via: 'statSync', workerMin: 2, during: pause, onWorker: (n) => (byWorker = n) }))).toEqual(expected());
    expect(byWorker).toBe(paths.length);
  });

  it('reads paths with spaces, non-ASCII names and files at the top level', () => {
    const odd = ['a/b/città nuova.md', 'top.md', 'a/b/f1.md'];
    writeFileSync(join(root, odd[0]!), 'è');
    writeFileSync(join(root, odd[1]!), 'top');
    const want = odd.flatMap((p) => {
      const st = statSync(join(root, p));
      return [st.size, st.mtimeMs, st.ctimeMs, st.ino];
    });
    expect(asRows(statFiles(root, odd, { via: 'native' }))).toEqual(want);
    expect(asRows(statFiles(root, odd, { via: 'binding' }))).toEqual(want);
  });
});
