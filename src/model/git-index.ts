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

interface Entry {
  path: string;
  bytes: Buffer;
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
  const entries: Entry[] = [];
  let off = 12;
  for (let i = 0; i < count; i++) {
    const flags = buf.readUInt16BE(off + 60);
    const extended = version === 3 && (flags & 0x4000) !== 0;
    const pathStart = off + 62 + (extended ? 2 : 0);
    const nul = buf.indexOf(0, pathStart);
    if (nul < 0) return false;
    const stage = (flags >> 12) & 0x3;
    if (stage !== 0) return false; // unmerged entries: let git handle it
    const len = nul - off;
    const padded = Math.ceil((len + 1) / 8) * 8;
    entries.push({ path: buf.toString('utf8', pathStart, nul), bytes: buf.subarray(off, off + padded) });
    off += padded;
  }
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
  const byPath = new Map(entries.map((e, i) => [e.path, i]));
  const removed = new Set<string>();
  const added: Entry[] = [];
  for (const u of updates) {
    const at = byPath.get(u.path);
    if (u.oid === null) {
      if (at !== undefined) removed.add(u.path);
      continue;
    }
    const bytes = encodeEntry(u, version);
    if (at !== undefined) entries[at] = { path: u.path, bytes };
    else added.push({ path: u.path, bytes });
  }
  const all = removed.size > 0 ? entries.filter((e) => !removed.has(e.path)) : entries;
  for (const e of added) {
    // binary search for the insertion point in byte order, as git sorts
    const key = Buffer.from(e.path);
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Buffer.compare(Buffer.from(all[mid]!.path), key) < 0) lo = mid + 1;
      else hi = mid;
    }
    all.splice(lo, 0, e);
  }
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(version, 4);
  header.writeUInt32BE(all.length, 8);
  const body = Buffer.concat([header, ...all.map((e) => e.bytes), ...extensions]);
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
    fs.writeSync(fd, Buffer.concat([body, sum]));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(lock, file);
  return true;
}
