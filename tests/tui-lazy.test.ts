/**
 * Cheap start: `crm --help` and `crm list` never load React or Ink (the
 * tui command imports src/tui/app.tsx only in its action). A module hook
 * records every file the built binary loads; none may contain React.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanup, emptyRepo, NOW, tempDir } from './helpers.js';

afterEach(cleanup);

const REACT = 'react.transitional.element';

function loadedFiles(cwd: string, args: string[]): { files: string[]; code: number | null } {
  const dir = tempDir('crm-hooks-');
  const log = join(dir, 'loaded.txt');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${join(dir, 'hooks.mjs')}`)});\n`);
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CRM_NOW: NOW },
  });
  return { files: readFileSync(log, 'utf8').split('\n').filter(Boolean).map((u) => fileURLToPath(u)), code: r.status };
}

describe('tui: lazy loading', () => {
  it('crm --help and crm list load no React and no Ink; crm board --once does', () => {
    const repo = emptyRepo();
    for (const args of [['--help'], ['list', 'accounts'], ['tui', '--help']]) {
      const { files, code } = loadedFiles(repo, args);
      expect(code).toBe(0);
      expect(files.some((f) => f.endsWith(join('dist', 'cli.js')))).toBe(true);
      const heavy = files.filter((f) => f.includes(`${join('dist', 'chunks')}`) && readFileSync(f, 'utf8').includes(REACT));
      expect(heavy, `crm ${args.join(' ')} loaded React`).toEqual([]);
    }
    // the check can fail: the board does load React
    const board = loadedFiles(repo, ['board', '--once']);
    expect(board.code).toBe(0);
    expect(board.files.some((f) => f.includes(join('dist', 'chunks')) && readFileSync(f, 'utf8').includes(REACT))).toBe(true);
  });
});
