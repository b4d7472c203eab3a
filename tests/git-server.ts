/**
 * A real git HTTP server for sync tests: `git http-backend` (smart HTTP, the
 * same CGI program behind most self-hosted git servers) behind a small Node
 * HTTP server on 127.0.0.1 with an ephemeral port. Each server serves bare
 * repositories under its own temporary directory, with pushing enabled.
 *
 * Options let a test require basic auth and run code before a request is
 * answered (e.g. let another clone push first, so the remote moves between
 * a client's fetch and its push).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The server runs in the test process, so a client talking to it must not
 * block the event loop: run git and crm with these (not spawnSync).
 */
export function runAsync(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // the program may exit without reading its input
    child.stdin.end(options.input ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

export interface GitServerOptions {
  /** Require HTTP basic auth with these credentials (401 otherwise). */
  auth?: { username: string; password: string };
  /** Called before each request is answered; may be async. */
  beforeRequest?: (info: RequestInfo) => void | Promise<void>;
}

export interface RequestInfo {
  method: string;
  /** Path after the repository name, e.g. `/info/refs` or `/git-receive-pack`. */
  path: string;
  /** `service=git-receive-pack` and the like. */
  query: string;
  /** The Authorization header, if any. */
  authorization?: string;
}

export interface GitServer {
  /** Directory holding the bare repositories. */
  readonly root: string;
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Every request answered so far. */
  readonly requests: RequestInfo[];
  /** Create an empty bare repository `name` (e.g. `crm.git`); returns its URL. */
  createRepo(name: string): string;
  /** Path of a bare repository on disk (to inspect or push to it directly). */
  repoPath(name: string): string;
  close(): Promise<void>;
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Split a CGI response into its status, headers and body. */
function parseCgi(out: Buffer): { status: number; headers: [string, string][]; body: Buffer } {
  let end = out.indexOf('\r\n\r\n');
  let sep = 4;
  if (end < 0) {
    end = out.indexOf('\n\n');
    sep = 2;
  }
  if (end < 0) return { status: 500, headers: [], body: out };
  const head = out.subarray(0, end).toString('latin1');
  const headers: [string, string][] = [];
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers, body: out.subarray(end + sep) };
}

export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'crm-git-server-'));
  const requests: RequestInfo[] = [];
  const execPath = git(root, ['--exec-path']).trim();
  const backend = join(execPath, 'git-http-backend');

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const m = /^\/([^/]+\.git)(\/.*)$/.exec(url.pathname);
      const info: RequestInfo = {
        method: req.method ?? 'GET',
        path: m?.[2] ?? url.pathname,
        query: url.search.replace(/^\?/, ''),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      };
      requests.push(info);
      if (options.auth) {
        const expected = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
        if (req.headers.authorization !== expected) {
          await readBody(req);
          res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="crm test"', 'Content-Type': 'text/plain' });
          res.end('authentication required\n');
          return;
        }
      }
      if (options.beforeRequest) await options.beforeRequest(info);
      const body = await readBody(req);
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        CONTENT_LENGTH: String(body.length),
        REMOTE_ADDR: '127.0.0.1',
        REMOTE_USER: options.auth?.username ?? 'anonymous',
        SERVER_PROTOCOL: 'HTTP/1.1',
      };
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === 'string') env[`HTTP_${k.toUpperCase().replace(/-/g, '_')}`] = v;
      }
      const child = spawn(backend, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.stdin.on('error', () => undefined); // it may answer without reading the body
      child.stdin.end(body);
      child.on('close', () => {
        const cgi = parseCgi(Buffer.concat(out));
        if (cgi.status >= 500 && err.length > 0) process.stderr.write(`git http-backend: ${Buffer.concat(err).toString()}`);
        res.writeHead(cgi.status, cgi.headers);
        res.end(cgi.body);
      });
    })().catch((e: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;

  return {
    root,
    url: base,
    requests,
    createRepo(name: string): string {
      const dir = join(root, name);
      git(root, ['init', '-q', '--bare', '-b', 'main', dir]);
      git(dir, ['config', 'http.receivepack', 'true']);
      return `${base}/${name}`;
    },
    repoPath: (name: string) => join(root, name),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(root, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
