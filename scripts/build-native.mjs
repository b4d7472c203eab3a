// Builds the native stat module (native/stat.c → build/Release/crm_stat.node)
// during `npm install`. It only makes checking a large index faster: when it
// cannot be built (no C compiler, Windows), crm says so in one line and works
// without it (src/model/stat-files.ts falls back to JavaScript).
import { spawnSync } from 'node:child_process';

if (process.platform === 'win32' || process.env.CRM_NO_NATIVE) process.exit(0);
const r = spawnSync('node-gyp', ['rebuild'], { encoding: 'utf8', shell: process.platform === 'win32' });
if (r.status !== 0) {
  const why = r.error ? r.error.message : (`${r.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l)) ?? `node-gyp exited with ${r.status}`);
  console.warn(`crm: the native stat module was not built (${why.trim()}); crm works without it, a little slower on large repositories.`);
}
