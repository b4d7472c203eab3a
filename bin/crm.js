#!/usr/bin/env node
// Node >= 22.1 keeps a compile cache of the bundle between runs; older Node
// versions simply start without it.
import module from 'node:module';
try {
  module.enableCompileCache?.();
} catch {
  // the cache is an optimisation only
}
await import('../dist/cli.js');
