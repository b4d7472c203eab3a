/**
 * Noticing changes made outside this process (a `git pull`, an editor,
 * another `crm`): a signature of the record files (path, size, mtime) is
 * compared after each file-system event (fs.watch on each record folder),
 * after a cheap poll of the folders' mtimes says something moved (every
 * 2 s), and every 30 s regardless.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, listFiles } from '../model/repo.js';
import { RECORD_TYPES, TYPES } from '../model/schema.js';

const FOLDERS = new Set<string>(RECORD_TYPES.map((t) => TYPES[t].folder));

/**
 * A fingerprint of crm.yaml and every file in the record folders (path,
 * size, mtime, inode), and the newest mtime among them (epoch ms).
 */
export function signature(root: string): { sig: string; newest: number } {
  const parts: string[] = [];
  let newest = 0;
  const add = (rel: string) => {
    try {
      const st = fs.statSync(join(root, rel));
      parts.push(`${rel}:${st.size}:${st.mtimeMs}:${st.ino}`);
      if (st.mtimeMs > newest) newest = st.mtimeMs;
    } catch {
      // vanished
    }
  };
  add(CONFIG_FILE);
  for (const t of RECORD_TYPES) for (const p of listFiles(root, t)) add(p);
  parts.sort();
  return { sig: parts.join('\n'), newest };
}

/**
 * A cheap fingerprint: the mtimes of the record folders (and their
 * sub-folders) and of crm.yaml. A file created, deleted or replaced by a
 * rename (how crm, git, and most editors write) changes its folder's mtime;
 * an edit in place does not, but it raises a watch event.
 */
export function folderSignature(root: string): string {
  const parts: string[] = [];
  for (const d of [...watchedDirs(root), CONFIG_FILE]) {
    try {
      const st = fs.statSync(join(root, d));
      parts.push(`${d}:${st.mtimeMs}:${st.size}`);
    } catch {
      parts.push(`${d}:-`);
    }
  }
  return parts.join('\n');
}

/** Whether a path reported by fs.watch (relative to the root) can change what the TUI shows. */
export function relevant(path: string | null): boolean {
  if (!path) return true;
  const first = path.split(/[\\/]/)[0] ?? '';
  return first === CONFIG_FILE || FOLDERS.has(first);
}

/** The directories to watch: the root (crm.yaml), the record folders and their sub-folders (interactions/yyyy/mm). */
export function watchedDirs(root: string): string[] {
  const out = [''];
  const walk = (rel: string, depth: number) => {
    out.push(rel);
    if (depth >= 2) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) walk(`${rel}/${e.name}`, depth + 1);
  };
  for (const f of FOLDERS) if (fs.existsSync(join(root, f))) walk(f, 0);
  return out;
}

/**
 * Call `onMaybeChanged` after file events in the record folders (debounced)
 * and every `pollMs`; returns the function that stops watching. Each
 * directory is watched on its own (inotify is not recursive), and the set
 * of directories is refreshed on every poll (a new month folder appears).
 */
export type WatchKind = 'event' | 'poll' | 'full';

export function watchRepository(root: string, onMaybeChanged: (kind: WatchKind) => void, options: { pollMs?: number; fullPollMs?: number; debounceMs?: number } = {}): () => void {
  const debounceMs = options.debounceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  const kick = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onMaybeChanged('event');
    }, debounceMs);
  };
  const watchers = new Map<string, fs.FSWatcher>();
  const arm = () => {
    const dirs = new Set(watchedDirs(root));
    for (const [d, w] of watchers) {
      if (!dirs.has(d)) {
        w.close();
        watchers.delete(d);
      }
    }
    for (const d of dirs) {
      if (watchers.has(d)) continue;
      try {
        const w = fs.watch(join(root, d), { persistent: false }, (_event, name) => {
          if (d !== '' || relevant(typeof name === 'string' ? name : null)) kick();
        });
        w.on('error', () => {
          w.close();
          watchers.delete(d);
        });
        watchers.set(d, w);
      } catch {
        // cannot watch here: the poll covers it
      }
    }
  };
  arm();
  const poll = setInterval(() => {
    arm();
    onMaybeChanged('poll');
  }, options.pollMs ?? 2000);
  poll.unref();
  // A backstop for edits in place where watching does not work (some network file systems).
  const full = setInterval(() => onMaybeChanged('full'), options.fullPollMs ?? 30_000);
  full.unref();
  return () => {
    if (timer) clearTimeout(timer);
    clearInterval(poll);
    clearInterval(full);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}
