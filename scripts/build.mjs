// Bundles src/cli.ts into dist/ with code splitting, so that the commands a
// user runs load only what they need (React, Ink and isomorphic-git live in
// chunks that are imported lazily).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

// `--clean` empties dist/ first; by default chunks are overwritten in place so
// that a build never pulls files from under a running test.
if (process.argv.includes('--clean')) rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: {
    cli: 'src/cli.ts',
    // Builds part of the record index on a second thread (src/model/cache.ts).
    'index-worker': 'src/model/index-worker.ts',
    ...(existsSync('src/generate/main.ts') ? { generate: 'src/generate/main.ts' } : {}),
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  // ink optionally talks to React DevTools; never in a CLI.
  external: ['react-devtools-core'],
  // Some bundled CommonJS dependencies call require(); give ESM a require.
  banner: {
    js: "import { createRequire as __crmCreateRequire } from 'node:module'; const require = __crmCreateRequire(import.meta.url);",
  },
  // React's production build: the development one is slower and noisier.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
