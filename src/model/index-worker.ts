/**
 * Worker thread entry (dist/index-worker.js): builds the index of the
 * record types it is given, then raises its flag. The thread that started
 * it loads those types from the fresh index afterwards (see buildInWorker
 * in cache.ts); if this fails, that thread builds them itself.
 */
import { workerData } from 'node:worker_threads';
import { loadTypes } from './cache.js';
import type { RecordType } from './schema.js';

const { root, types, flag } = workerData as { root: string; types: RecordType[]; flag: SharedArrayBuffer };
const done = new Int32Array(flag);
try {
  loadTypes(root, types, { single: true });
  Atomics.store(done, 0, 1);
} catch {
  Atomics.store(done, 0, 2);
}
Atomics.notify(done, 0);
