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
/** Files taken at a time by each thread from the shared counter. */
const CHUNK = 512;
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
    // Node versions that warn about process.binding would print it to the user: keep it quiet.
    const warn = process.emitWarning;
    let binding;
    try {
      process.emitWarning = () => {};
      binding = process.binding('fs');
    } finally {
      process.emitWarning = warn;
    }
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
const { root, plain, list, out, ctrl } = workerData;
const a = new Float64Array(out);
const c = new Int32Array(ctrl);
try {
  const raw = plain ? undefined : rawStatter(fs, fs.statSync);
  const paths = list.split('\\u0000');
  for (;;) {
    const from = Atomics.add(c, 0, ${CHUNK});
    if (from >= paths.length) break;
    const to = Math.min(paths.length, from + ${CHUNK});
    for (let i = from; i < to; i++) statInto(raw, fs.statSync, root + '/' + paths[i], a, i * 4);
    Atomics.add(c, 2, to - from);
  }
  Atomics.store(c, 1, 1);
} catch (e) {
  Atomics.store(c, 1, 2);
}
Atomics.notify(c, 1);
`;

type RawStat = ((path: string) => Float64Array | undefined) | undefined;
// The same two functions run here and in the worker (one source, no drift).
const helpers = new Function(`${RAW_STAT_SOURCE}; return { rawStatter, statInto };`)() as {
  rawStatter: (f: typeof fs, statSync: typeof fs.statSync) => RawStat;
  statInto: (raw: RawStat, statSync: typeof fs.statSync, path: string, a: Float64Array, o: number) => void;
};
let rawStat: RawStat | null = null;

/** Whether stats go through the fs binding (false: fs.statSync, e.g. on a Node whose binding answers differently). */
export function usesRawStat(): boolean {
  if (rawStat === null) rawStat = helpers.rawStatter(fs, fs.statSync);
  return rawStat !== undefined;
}

function statRange(root: string, paths: readonly string[], out: Float64Array, from: number, to: number, plain = false): void {
  if (rawStat === null) rawStat = helpers.rawStatter(fs, fs.statSync);
  const raw = plain ? undefined : rawStat;
  for (let i = from; i < to; i++) helpers.statInto(raw, fs.statSync, `${root}/${paths[i]}`, out, i * 4);
}

/**
 * Stats of `paths` (relative to `root`), four numbers per path.
 *
 * With a worker, both threads take chunks of files from a shared counter
 * until none are left, so they finish together however fast each one
 * starts. `during` runs on this thread first, while the worker starts and
 * stats: work that does not need the stats (parsing index columns).
 */
export function statFiles(
  root: string,
  paths: readonly string[],
  options: { workerMin?: number; plain?: boolean; during?: () => void; onWorker?: (files: number) => void } = {},
): Float64Array {
  const n = paths.length;
  if (n < (options.workerMin ?? WORKER_MIN) || n < 2 || process.env.CRM_NO_WORKERS) {
    const out = new Float64Array(n * 4);
    options.during?.();
    statRange(root, paths, out, 0, n, options.plain);
    return out;
  }
  const buf = new SharedArrayBuffer(n * 4 * 8);
  const out = new Float64Array(buf);
  out.fill(Number.NaN);
  const ctrl = new Int32Array(new SharedArrayBuffer(12)); // next chunk, worker done (1) or failed (2), files the worker stat-ed
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, plain: options.plain === true, list: paths.join('\u0000'), out: buf, ctrl: ctrl.buffer } });
    worker.unref();
  } catch {
    worker = undefined;
  }
  options.during?.();
  for (;;) {
    const from = Atomics.add(ctrl, 0, CHUNK);
    if (from >= n) break;
    statRange(root, paths, out, from, Math.min(n, from + CHUNK), options.plain);
  }
  if (worker) {
    Atomics.wait(ctrl, 1, 0, WORKER_TIMEOUT_MS);
    void worker.terminate();
    // A chunk the worker took but did not finish (it failed or is late) is stat-ed here.
    if (Atomics.load(ctrl, 1) !== 1) {
      for (let i = 0; i < n; i++) if (Number.isNaN(out[i * 4]!)) statRange(root, paths, out, i, i + 1, options.plain);
    }
    options.onWorker?.(Atomics.load(ctrl, 2));
  }
  return out;
}
