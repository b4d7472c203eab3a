/**
 * Stat many files at once: size, mtimeMs, ctimeMs and inode of each, with
 * size -1 for a path that is missing or not a regular file.
 *
 * Stat-ing is most of what it costs to know an index is fresh (2-3 µs a
 * file here, so 0.2-0.3 s for 100,000 files), so it is done in the
 * cheapest way available:
 * - the native module (native/stat.c, built by `npm install` where a C
 *   compiler is available): C threads, each stat-ing by name inside the
 *   folder it keeps open; a helper thread starts in microseconds;
 * - otherwise the fs binding's stat (no Stats object per file), or
 *   fs.statSync, with a worker thread from 24,000 files.
 * Either way, from a few thousand files a second thread takes chunks of
 * files from a shared counter while this one does other work (`during`)
 * and then takes chunks too. The caller waits synchronously; if the
 * second thread cannot start or fails, this thread stats everything.
 * Each way is used only after checking, on a known file, that it answers
 * exactly what fs.statSync does.
 */
import * as fs from 'node:fs';
import { basename, dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { nativeModule, type NativeModule } from './native.js';

/** Below this many files a worker costs more to start than it saves. */
const WORKER_MIN = 24_000;
/** A native helper thread starts in microseconds: worth it from a few chunks. */
const NATIVE_HELPER_MIN = 2048;
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

let native: NativeModule | null | undefined;

/**
 * The native module (native.ts), if it answers exactly what fs.statSync
 * does for a file, a missing path and a folder; otherwise undefined, and
 * stats are taken from JavaScript.
 */
function nativeStat(): NativeModule | undefined {
  if (native !== undefined) return native ?? undefined;
  native = null;
  try {
    const m = nativeModule();
    if (m) {
      const dir = dirname(process.execPath);
      const out = new Float64Array(12);
      m.finish(m.start(dir, [basename(process.execPath), `${basename(process.execPath)}.no-such-file`, '.'].join('\u0000'), out, false));
      const ref = fs.statSync(process.execPath);
      if (out[0] === ref.size && out[1] === ref.mtimeMs && out[2] === ref.ctimeMs && out[3] === ref.ino && out[4] === -1 && out[8] === -1) native = m;
    }
  } catch {
    native = null;
  }
  return native ?? undefined;
}

/** Whether stats are taken by the native module. */
export function usesNativeStat(): boolean {
  return nativeStat() !== undefined;
}

export interface StatOptions {
  /** From this many files a second thread helps (default: 2,048 with the native module, 24,000 with a worker; Infinity: never). */
  workerMin?: number;
  /**
   * How to stat (tests): the native module, the fs binding, or fs.statSync.
   * By default the native module when it was built, else the fs binding
   * when it answers as fs.statSync does, else fs.statSync.
   */
  via?: 'native' | 'binding' | 'statSync';
  /** Work that does not need the stats, done on this thread while the other one stats. */
  during?: () => void;
  /** Told how many files the second thread stat-ed. */
  onWorker?: (files: number) => void;
}

/** Native stat-ing under way: `finish` takes chunks on this thread until none are left, and returns every stat. */
export interface StatJob {
  finish(): Float64Array;
}

function startNative(fast: NativeModule, root: string, joined: string | Buffer, n: number, options: StatOptions): StatJob {
  const out = new Float64Array(n * 4);
  const helper = n >= (options.workerMin ?? NATIVE_HELPER_MIN) && n > 1 && !process.env.CRM_NO_WORKERS;
  const job = fast.start(root, joined, out, helper);
  let done = false;
  return {
    finish() {
      if (!done) {
        done = true;
        const byHelper = fast.finish(job);
        if (helper) options.onWorker?.(byHelper);
      }
      return out;
    },
  };
}

/**
 * With the native module, start stat-ing `count` NUL-joined paths (UTF-8
 * bytes) now (its helper thread begins at once) and finish later;
 * undefined without it.
 */
export function startNativeStats(root: string, joined: Buffer, count: number, options: StatOptions = {}): StatJob | undefined {
  const fast = nativeStat();
  return fast ? startNative(fast, root, joined, count, options) : undefined;
}

/**
 * Stats of `paths` (relative to `root`), four numbers per path. With a
 * second thread, it starts taking chunks of files from a shared counter at
 * once; after `during`, this thread takes chunks too until none are left,
 * so both finish together however fast each one started.
 */
export function statFiles(root: string, paths: readonly string[], options: StatOptions = {}): Float64Array {
  const n = paths.length;
  const fast = options.via === undefined || options.via === 'native' ? nativeStat() : undefined;
  if (options.via === 'native' && !fast) throw new Error('the native stat module is not built (npm install builds it)');
  if (fast) {
    const job = startNative(fast, root, paths.join('\u0000'), n, options);
    options.during?.();
    return job.finish();
  }
  const plain = options.via === 'statSync';
  if (n < (options.workerMin ?? WORKER_MIN) || n < 2 || process.env.CRM_NO_WORKERS) {
    const out = new Float64Array(n * 4);
    options.during?.();
    statRange(root, paths, out, 0, n, plain);
    return out;
  }
  const buf = new SharedArrayBuffer(n * 4 * 8);
  const out = new Float64Array(buf);
  out.fill(Number.NaN);
  const ctrl = new Int32Array(new SharedArrayBuffer(12)); // next chunk, worker done (1) or failed (2), files the worker stat-ed
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { root, plain, list: paths.join('\u0000'), out: buf, ctrl: ctrl.buffer } });
    worker.unref();
  } catch {
    worker = undefined;
  }
  options.during?.();
  for (;;) {
    const from = Atomics.add(ctrl, 0, CHUNK);
    if (from >= n) break;
    statRange(root, paths, out, from, Math.min(n, from + CHUNK), plain);
  }
  if (worker) {
    Atomics.wait(ctrl, 1, 0, WORKER_TIMEOUT_MS);
    void worker.terminate();
    // A chunk the worker took but did not finish (it failed or is late) is stat-ed here.
    if (Atomics.load(ctrl, 1) !== 1) {
      for (let i = 0; i < n; i++) if (Number.isNaN(out[i * 4]!)) statRange(root, paths, out, i, i + 1, plain);
    }
    options.onWorker?.(Atomics.load(ctrl, 2));
  }
  return out;
}
