/**
 * Worker thread entry (dist/index-worker.js): builds the index of the
 * record types it is given, then raises its flag. The thread that started
 * it loads those types from the fresh index afterwards (see buildInWorker
 * in cache.ts); if this fails, that thread builds them itself.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { loadTypes, type Opened } from './cache.js';
import type { RecordType } from './schema.js';

const { root, types, opened, flag, port } = workerData as { root: string; types: RecordType[]; opened: Opened[]; flag: SharedArrayBuffer; port: MessagePort };
const done = new Int32Array(flag);
try {
  // The stats this thread took, so that the other thread need not stat these files again.
  const seen: { type: RecordType; paths: string; stats: Float64Array }[] = [];
  loadTypes(root, types, { single: true, opened, records: false, onStats: (type, paths, stats) => seen.push({ type, paths: paths.join('\u0000'), stats: stats.slice() }) });
  port.postMessage(seen);
  Atomics.store(done, 0, 1);
} catch {
  Atomics.store(done, 0, 2);
}
Atomics.notify(done, 0);
