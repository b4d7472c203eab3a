/**
 * The loopback git HTTP server used by the sync tests works with the real
 * git client: clone, push, fetch, and basic auth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, tempDir } from './helpers.js';
import { runAsync, startGitServer, type GitServer } from './git-server.js';

async function run(cwd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('loopback git server', () => {
  let server: GitServer;
  let secured: GitServer;
  beforeAll(async () => {
    server = await startGitServer();
    secured = await startGitServer({ auth: { username: 'u', password: 's3cret' } });
  });
  afterAll(async () => {
    await server.close();
    await secured.close();
    cleanup();
  });

  it('serves clone, push and fetch to the git CLI', async () => {
    const url = server.createRepo('a.git');
    const one = tempDir();
    expect((await run(one, ['clone', '-q', url, '.'])).code).toBe(0);
    writeFileSync(join(one, 'x.txt'), 'hello\n');
    await run(one, ['add', 'x.txt']);
    await run(one, ['commit', '-qm', 'x']);
    const push = await run(one, ['push', '-q', 'origin', 'HEAD:main']);
    expect(push.code, push.err).toBe(0);
    const two = tempDir();
    expect((await run(two, ['clone', '-q', url, '.'])).code).toBe(0);
    expect((await run(two, ['log', '--format=%s'])).out.trim()).toBe('x');
    expect(server.requests.some((r) => r.path === '/git-receive-pack')).toBe(true);
  });

  it('requires the credentials when asked to', async () => {
    const url = secured.createRepo('b.git');
    const dir = tempDir();
    expect((await run(dir, ['clone', '-q', url, 'no-auth'])).code).not.toBe(0);
    const withAuth = url.replace('http://', 'http://u:s3cret@');
    expect((await run(dir, ['clone', '-q', withAuth, 'auth'])).code).toBe(0);
  });
});
