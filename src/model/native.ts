/**
 * The native module (native/*.c → build/Release/crm_stat.node), built by
 * `npm install` where a C compiler is available. It only makes large
 * repositories quicker: each function is used after checking on known files
 * that it answers exactly what Node's fs does, and CRM_NO_NATIVE=1 turns it
 * off. Without it, the same work is done from JavaScript.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface NativeModule {
  /** native/stat.c: stat NUL-joined paths into 4 numbers each, optionally with a helper thread. */
  start(root: string, paths: string | Buffer, out: Float64Array, helper: boolean): unknown;
  finish(job: unknown): number;
  /**
   * native/read.c: read files into `out`; `at` gets start and length (or -1, -2) per path. Either their
   * stat-ed `sizes` are given, or `stats` (4 numbers per path) is filled by stat-ing each open file.
   */
  read?(root: string, paths: string, sizes: Float64Array | null, out: Buffer, at: Float64Array, stats?: Float64Array): void;
}

let loaded: NativeModule | null | undefined;

/** The native module if it was built (and not turned off), unchecked: see stat-files.ts and read-files.ts. */
export function nativeModule(): NativeModule | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  if (process.env.CRM_NO_NATIVE) return undefined;
  try {
    const load = createRequire(import.meta.url);
    // dist/chunks/*.js, dist/*.js or src/model/*.ts: the build folder is at the package root.
    for (const rel of ['../../build/Release/crm_stat.node', '../build/Release/crm_stat.node']) {
      const file = new URL(rel, import.meta.url);
      if (file.protocol !== 'file:' || !fs.existsSync(file)) continue;
      loaded = load(fileURLToPath(file)) as NativeModule;
      break;
    }
  } catch {
    loaded = null;
  }
  return loaded ?? undefined;
}
