/**
 * Reading many record files in a row, as a first index build does: with
 * the native module (native/read.c) a batch of files is read in one call,
 * each opened by name within its folder; decoding stays here. A file the
 * module could not read, or that grew since it was stat-ed, is left to the
 * caller's usual read (so errors are reported the same way). Without the
 * module there is no batch reader and every file is read one by one.
 */
import * as fs from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeModule, type NativeModule } from './native.js';

/** Files read per call (about half a megabyte of records). */
const BATCH = 256;

export interface BatchReader {
  /** File `i`'s text, or undefined: read it the usual way. */
  text(i: number): string | undefined;
}

let checked: NativeModule['read'] | null | undefined;

/** The native read, if it gives exactly what fs.readFileSync gives for a known file and reports a missing one. */
function nativeRead(): NativeModule['read'] | undefined {
  if (checked !== undefined) return checked ?? undefined;
  checked = null;
  try {
    const read = nativeModule()?.read;
    if (read) {
      const file = fileURLToPath(import.meta.url);
      const want = fs.readFileSync(file);
      const out = Buffer.alloc(want.length + 2);
      const at = new Float64Array(4);
      read(dirname(file), `${basename(file)}\u0000${basename(file)}.no-such-file`, Float64Array.of(want.length, 1), out, at);
      if (at[0] === 0 && at[1] === want.length && at[3] === -1 && out.subarray(0, want.length).equals(want)) checked = read;
    }
  } catch {
    checked = null;
  }
  return checked ?? undefined;
}

/** Whether record files are read in batches by the native module. */
export function usesNativeRead(): boolean {
  return nativeRead() !== undefined;
}

/**
 * A reader of `paths` (relative to `root`) in order, given their stats
 * (4 numbers per path, size first, as stat-files.ts gives them): asking for
 * file i reads i and the next files in one batch. Undefined without the
 * native module.
 */
export function batchReader(root: string, paths: readonly string[], st: Float64Array): BatchReader | undefined {
  const read = nativeRead();
  if (!read) return undefined;
  let from = 0;
  let to = 0;
  let buf = Buffer.allocUnsafe(1 << 19);
  const at = new Float64Array(BATCH * 2);
  const sizes = new Float64Array(BATCH);
  const load = (i: number) => {
    from = i;
    to = Math.min(paths.length, i + BATCH);
    let need = 0;
    for (let k = from; k < to; k++) {
      const size = st[k * 4]!;
      sizes[k - from] = size;
      if (size >= 0) need += size + 1;
    }
    if (need > buf.length) buf = Buffer.allocUnsafe(need);
    read(root, paths.slice(from, to).join('\u0000'), sizes, buf, at);
  };
  return {
    text(i) {
      if (i < from || i >= to) load(i);
      const k = (i - from) * 2;
      const start = at[k]!;
      const length = at[k + 1]!;
      return length < 0 ? undefined : buf.toString('utf8', start, start + length);
    },
  };
}
