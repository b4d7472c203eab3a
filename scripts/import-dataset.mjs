#!/usr/bin/env node
// Convert a public dataset into a CRM repository:
//   node scripts/import-dataset.mjs maven ../shared/datasets/maven_crm_sales /tmp/maven-crm
//   node scripts/import-dataset.mjs olist ../shared/datasets/olist_marketing_funnel /tmp/olist-crm
// The converter is TypeScript (src/import/datasets/); this bundles it with
// esbuild into a temporary file and runs it. Then e.g.:
//   crm --repo /tmp/maven-crm report kpi --period 2017-Q3
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'crm-import-'));
try {
  await build({
    entryPoints: [join(root, 'src/import/datasets/cli.ts')],
    outfile: join(dir, 'import.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  const r = spawnSync(process.execPath, [join(dir, 'import.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
