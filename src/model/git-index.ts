/**
 * Editing `.git/index` in place for a few paths, so that a commit written
 * straight to the object store leaves `git status` clean without rewriting
 * the index through a full parse (index format versions 2 and 3).
 *
 * The cached-tree extension (TREE) is dropped, since the trees it caches
 * changed; git rebuilds it on its next write. Indexes using version 4 path
 * compression, split or sparse indexes are not handled: `patchIndex`
 * returns false and the caller uses the slow path.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';

export interface IndexUpdate {
  path: string;
  /** Blob id (hex) for an added or changed file; null removes the entry. */
  oid: string | null;
  /** The file's stats (bigint, for nanoseconds); required when oid is set. */
  stat?: fs.BigIntStats;
  executable?: boolean;
}

function encodeEntry(u: IndexUpdate, version: number): Buffer {
  const st = u.stat!;
  const pathBuf = Buffer.from(u.path, 'utf8');
  const fixed = 62;
  const len = fixed + pathBuf.length;
  const padded = Math.ceil((len + 1) / 8) * 8;
  const b = Buffer.alloc(padded);
  const u32 = (v: bigint) => Number(BigInt.asUintN(32, v));
  const sec = (ns: bigint) => u32(ns / 1_000_000_000n);
  const nsec = (ns: bigint) => u32(ns % 1_000_000_000n);
  b.writeUInt32BE(sec(st.ctimeNs), 0);
  b.writeUInt32BE(nsec(st.ctimeNs), 4);
  b.writeUInt32BE(sec(st.mtimeNs), 8);
  b.writeUInt32BE(nsec(st.mtimeNs), 12);
  b.writeUInt32BE(u32(st.dev), 16);
  b.writeUInt32BE(u32(st.ino), 20);
  b.writeUInt32BE(u.executable ? 0o100755 : 0o100644, 24);
  b.writeUInt32BE(u32(st.uid), 28);
  b.writeUInt32BE(u32(st.gid), 32);
  b.writeUInt32BE(u32(st.size), 36);
  Buffer.from(u.oid!, 'hex').copy(b, 40);
  b.writeUInt16BE(Math.min(pathBuf.length, 0xfff), 60);
  pathBuf.copy(b, 62);
  void version;
  return b;
}

/** Apply `updates` to the index of the work tree at `gitRoot`. Returns false when it cannot. */
export function patchIndex(gitRoot: string, updates: readonly IndexUpdate[]): boolean {
  const file = join(gitRoot, '.git', 'index');
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return false;
  }
  if (buf.length < 32 || buf.toString('latin1', 0, 4) !== 'DIRC') return false;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return false;
  const count = buf.readUInt32BE(8);
  // Entry offsets and path byte ranges only: no strings, no copies.
  const starts = new Int32Array(count + 1);
  const pathStart = new Int32Array(count);
  const pathEnd = new Int32Array(count);
  let off = 12;
  for (let i = 0; i < count; i++) {
    if (off + 62 > buf.length) return false;
    const flags = buf.readUInt16BE(off + 60);
    if (((flags >> 12) & 0x3) !== 0) return false; // unmerged entries: let git handle it
    const extended = version === 3 && (flags & 0x4000) !== 0;
    const ps = off + 62 + (extended ? 2 : 0);
    const nameLen = flags & 0xfff;
    const pe = nameLen < 0xfff ? ps + nameLen : buf.indexOf(0, ps);
    if (pe < 0 || pe > buf.length) return false;
    starts[i] = off;
    pathStart[i] = ps;
    pathEnd[i] = pe;
    off += Math.ceil((pe - off + 1) / 8) * 8;
  }
  starts[count] = off;
  const entriesEnd = off;
  // Extensions: keep all but TREE (now stale); refuse split/sparse indexes.
  const extensions: Buffer[] = [];
  const end = buf.length - 20;
  while (off < end) {
    const sig = buf.toString('latin1', off, off + 4);
    const size = buf.readUInt32BE(off + 4);
    if (sig === 'link' || sig === 'sdir') return false;
    if (sig !== 'TREE') extensions.push(buf.subarray(off, off + 8 + size));
    off += 8 + size;
  }
  /** Position of `key` among the entries: [index, found]. */
  const find = (key: Buffer): [number, boolean] => {
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = buf.compare(key, 0, key.length, pathStart[mid]!, pathEnd[mid]!);
      if (c === 0) return [mid, true];
      // c > 0: the key sorts before this entry
      if (c > 0) hi = mid;
      else lo = mid + 1;
    }
    return [lo, false];
  };
  // Edits at entry positions: replace (found), insert (before position), remove.
  const edits = new Map<number, { replace?: Buffer | null; insert: Buffer[] }>();
  let delta = 0;
  const sorted = [...updates].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  for (const u of sorted) {
    const [at, found] = find(Buffer.from(u.path, 'utf8'));
    const e = edits.get(at) ?? { insert: [] };
    if (u.oid === null) {
      if (found) {
        e.replace = null;
        delta--;
      }
    } else if (found) e.replace = encodeEntry(u, version);
    else {
      e.insert.push(encodeEntry(u, version));
      delta++;
    }
    edits.set(at, e);
  }
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(version, 4);
  header.writeUInt32BE(count + delta, 8);
  const parts: Buffer[] = [header];
  let from = 12;
  for (const at of [...edits.keys()].sort((a, b) => a - b)) {
    const e = edits.get(at)!;
    parts.push(buf.subarray(from, starts[at]!));
    parts.push(...e.insert);
    if (e.replace !== undefined) {
      if (e.replace) parts.push(e.replace);
      from = starts[at + 1]!;
    } else {
      from = starts[at]!;
    }
  }
  parts.push(buf.subarray(from, entriesEnd), ...extensions);
  const body = Buffer.concat(parts);
  const sum = createHash('sha1').update(body).digest();
  // git's own protocol: write index.lock (created exclusively), then rename it over the index.
  const lock = `${file}.lock`;
  let fd: number;
  try {
    fd = fs.openSync(lock, 'wx');
  } catch {
    return false;
  }
  try {
    fs.writeSync(fd, body);
    fs.writeSync(fd, sum);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(lock, file);
  return true;
}
