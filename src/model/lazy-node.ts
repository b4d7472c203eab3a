/**
 * Node modules that take milliseconds to load, loaded on first use: the
 * commands that only read (list, show, report) never need them.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function nodeCrypto(): typeof import('node:crypto') {
  return load('node:crypto') as typeof import('node:crypto');
}
