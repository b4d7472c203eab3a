/**
 * Reading many record files in a row, as a first index build does: with
 * the native module (native/read.c) a batch of files is read in one call,
 * each opened by name within its folder, and, when asked, stat-ed on the
 * descriptor it was opened with (a first build then needs no stat pass of
 * its own); decoding stays here. A file the module could not read, or that
 * grew since it was stat-ed, is left to the caller's usual read (so errors
 * are reported the same way). Without the module there is no batch reader
 * and every file is stat-ed and read one by one.
 */
import * as fs from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeModule, type NativeModule } from './native.js';

/** Files read per call (about half a megabyte of records). */
const BATCH = 256;

export interface BatchReader {
  /** Read file i's batch unless it is the current one (with `stat`, file i's stats are then filled in). */
  load(i: number): void;
  /** File `i`'s text, or undefined: read it the usual way. */
  text(i: number): string | undefined;
}

let checked: NativeModule['read'] | null | undefined;

/**
 * The native read, if it gives exactly what fs gives for a known file (its
 * bytes, and its stat when asked) and reports a missing one.
 */
function nativeRead(): NativeModule['read'] | undefined {
  if (checked !== undefined) return checked ?? undefined;
  checked = null;
  try {
    const read = nativeModule()?.read;
    if (read) {
      const file = fileURLToPath(import.meta.url);
      const want = fs.readFileSync(file);
      const ref = fs.statSync(file);
      const names = `${basename(file)}\u0000${basename(file)}.no-such-file`;
      const out = Buffer.alloc(want.length + 2);
      const at = new Float64Array(4);
      read(dirname(file), names, Float64Array.of(want.length, 1), out, at);
      const bySize = at[0] === 0 && at[1] === want.length && at[3] === -1 && out.subarray(0, want.length).equals(want);
      const stats = new Float64Array(8);
      out.fill(0);
      read(dirname(file), names, null, out, at, stats);
      const byStat =
        at[1] === want.length && at[3] === -1 && out.subarray(0, want.length).equals(want) &&
        stats[0] === ref.size && stats[1] === ref.mtimeMs && stats[2] === ref.ctimeMs && stats[3] === ref.ino && stats[4] === -1;
      if (bySize && byStat) checked = read;
    }
  } catch {
    checked = null;
  }
  return checked ?? undefined;
}

/** Whether record files are read in batches by the native module (and a first build takes its stats from it). */
export function usesNativeRead(): boolean {
  return nativeRead() !== undefined;
}

/**
 * A reader of `paths` (relative to `root`) in order: asking for file i
 * reads i and the next files in one batch. `st` holds 4 numbers per path
 * (size first, as stat-files.ts gives them); with `stat`, the reader fills
 * them in as it reads (size -1: missing or not a regular file). Undefined
 * without the native module.
 */
export function batchReader(root: string, paths: readonly string[], st: Float64Array, options: { stat?: boolean } = {}): BatchReader | undefined {
  const read = nativeRead();
  if (!read) return undefined;
  let from = 0;
  let to = 0;
  let buf = Buffer.allocUnsafe(1 << 20);
  /** With `stat`, sizes are known only after a batch is read: room the last batch would have needed. */
  let wanted = 0;
  const at = new Float64Array(BATCH * 2);
  const sizes = new Float64Array(BATCH);
  const load = (i: number) => {
    from = i;
    to = Math.min(paths.length, i + BATCH);
    const joined = paths.slice(from, to).join('\u0000');
    if (options.stat) {
      if (wanted > buf.length) buf = Buffer.allocUnsafe(wanted);
      read(root, joined, null, buf, at, st.subarray(from * 4, to * 4));
      // Files that did not fit were left to the caller; the next batch gets room for this one's.
      wanted = 0;
      for (let k = from; k < to; k++) wanted += Math.max(0, st[k * 4]!) + 1;
      return;
    }
    let need = 0;
    for (let k = from; k < to; k++) {
      const size = st[k * 4]!;
      sizes[k - from] = size;
      if (size >= 0) need += size + 1;
    }
    if (need > buf.length) buf = Buffer.allocUnsafe(need);
    read(root, joined, sizes, buf, at);
  };
  return {
    load(i) {
      if (i < from || i >= to) load(i);
    },
    text(i) {
      if (i < from || i >= to) load(i);
      const k = (i - from) * 2;
      const start = at[k]!;
      const length = at[k + 1]!;
      return length < 0 ? undefined : buf.toString('utf8', start, start + length);
    },
  };
}
