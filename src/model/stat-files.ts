/**
 * Stat many files at once: size, mtimeMs, ctimeMs and inode of each, with
 * size -1 for a path that is missing or not a regular file.
 *
 * Stat-ing is most of what it costs to know an index is fresh (about 3 µs a
 * file here, so 0.3 s for 100,000 files). Above a few thousand files a
 * worker thread stats the second half while this thread stats the first, so
 * both cores work; the caller waits synchronously (Atomics.wait), and if the
 * worker cannot start or fails, this thread stats its half too.
 */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Below this many files a worker costs more to start than it saves. */
const WORKER_MIN = 24_000;
/** Share of the files this thread keeps (the worker starts late). */
const MAIN_SHARE = 0.6;
const WORKER_TIMEOUT_MS = 30_000;

/**
 * Node's `fs.statSync` builds a Stats object with four Date objects per
 * call, which at 100,000 files is most of the garbage a command makes. The
 * fs binding's own stat fills one shared array instead. It is not a public
 * API, so it is used only after checking, on a known file, that it answers
 * exactly what `fs.statSync` does; otherwise `fs.statSync` it is.
 */
const RAW_STAT_SOURCE = `
function rawStatter(fs, statSync) {
  try {
    if (process.env.CRM_NO_RAW_STAT) return undefined;
    const binding = process.binding('fs');
    if (typeof binding.stat !== 'function') return undefined;
    const raw = (p) => binding.stat(p, false, undefined, false);
    const ref = statSync(process.execPath);
    const v = raw(process.execPath);
    if (!v || v.length < 16 || v[8] !== ref.size || v[7] !== ref.ino || v[1] !== ref.mode) return undefined;
    if (v[12] * 1e3 + v[13] / 1e6 !== ref.mtimeMs || v[14] * 1e3 + v[15] / 1e6 !== ref.ctimeMs) return undefined;
    if (raw(process.execPath + '.no-such-file') !== undefined) return undefined;
    return raw;
  } catch {
    return undefined;
  }
}
function statInto(raw, statSync, path, a, o) {
  if (raw) {
    let v;
    try { v = raw(path); } catch { v = undefined; }
    if (v && (v[1] & 0o170000) === 0o100000) {
      a[o] = v[8]; a[o + 1] = v[12] * 1e3 + v[13] / 1e6; a[o + 2] = v[14] * 1e3 + v[15] / 1e6; a[o + 3] = v[7];
    } else a[o] = -1;
    return;
  }
  let st;
  try { st = statSync(path, { throwIfNoEntry: false }); } catch { st = undefined; }
  if (st && st.isFile()) { a[o] = st.size; a[o + 1] = st.mtimeMs; a[o + 2] = st.ctimeMs; a[o + 3] = st.ino; }
  else a[o] = -1;
}
`;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
${RAW_STAT_SOURCE}
const { root, plain, list, out, flag } = workerData;
const a = new Float64Array(out);
const f = new Int32Array(flag);
try {
  const raw = plain ? undefined : rawStatter(fs, fs.statSync);
  const paths = list.split('\\u0000');
  for (let i = 0; i < paths.length; i++) statInto(raw, fs.statSync, root + '/' + paths[i], a, i * 4);
  Atomics.store(f, 0, 1);
} catch (e) {
  Atomics.store(f, 0, 2);
}
Atomics.notify(f, 0);
`;

type RawStat = ((path: string) => Float64Array | undefined) | undefined;
// The same two functions run here and in the worker (one source, no drift).
const helpers = new Function(`${RAW_STAT_SOURCE}; return { rawStatter, statInto };`)() as {
  rawStatter: (f: typeof fs, statSync: typeof fs.statSync) => RawStat;
  statInto: (raw: RawStat, statSync: typeof fs.statSync, path: string, a: Float64Array, o: number) => void;
};
let rawStat: RawStat | null = null;

function statRange(root: string, paths: readonly string[], out: Float64Array, from: number, to: number, plain = false): void {
  if (rawStat === null) rawStat = helpers.rawStatter(fs, fs.statSync);
  const raw = plain ? undefined : rawStat;
  for (let i = from; i < to; i++) helpers.statInto(raw, fs.statSync, `${root}/${paths[i]}`, out, i * 4);
}

/** Stats of `paths` (relative to `root`), four numbers per path. */
export function statFiles(root: string, paths: readonly string[], options: { workerMin?: number; plain?: boolean } = {}): Float64Array {
  const n = paths.length;
  const out = new Float64Array(n * 4);
  if (n < (options.workerMin ?? WORKER_MIN) || n < 2 || process.env.CRM_NO_WORKERS) {
    statRange(root, paths, out, 0, n, options.plain);
    return out;
  }
  const cut = Math.floor(n * MAIN_SHARE);
  let shared: Float64Array | undefined;
  let flag: Int32Array | undefined;
  let worker: Worker | undefined;
  try {
    const outBuf = new SharedArrayBuffer((n - cut) * 4 * 8);
    const flagBuf = new SharedArrayBuffer(4);
    shared = new Float64Array(outBuf);
    flag = new Int32Array(flagBuf);
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, plain: options.plain === true, list: paths.slice(cut).join('\u0000'), out: outBuf, flag: flagBuf } });
    w.unref();
    worker = w;
  } catch {
    worker = undefined;
  }
  statRange(root, paths, out, 0, cut, options.plain);
  if (worker && shared && flag) {
    Atomics.wait(flag, 0, 0, WORKER_TIMEOUT_MS);
    if (Atomics.load(flag, 0) === 1) out.set(shared, cut * 4);
    else statRange(root, paths, out, cut, n, options.plain);
    void worker.terminate();
  } else statRange(root, paths, out, cut, n, options.plain);
  return out;
}
