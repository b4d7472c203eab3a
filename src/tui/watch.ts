/**
 * Noticing changes made outside this process (a `git pull`, an editor,
 * another `crm`): a signature of the record files (path, size, mtime) is
 * compared after each file-system event (fs.watch, when the platform has
 * recursive watching) and every few seconds (a poll, in case events are
 * missed or unavailable).
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE } from '../model/repo.js';
import { RECORD_TYPES, TYPES } from '../model/schema.js';

const FOLDERS = new Set<string>(RECORD_TYPES.map((t) => TYPES[t].folder));

/** A cheap fingerprint of crm.yaml and every file in the record folders. */
export function signature(root: string): string {
  const parts: string[] = [];
  const add = (rel: string) => {
    try {
      const st = fs.statSync(join(root, rel));
      parts.push(`${rel}:${st.size}:${st.mtimeMs}:${st.ino}`);
    } catch {
      // vanished
    }
  };
  add(CONFIG_FILE);
  const walk = (rel: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (depth < 4) walk(p, depth + 1);
      } else add(p);
    }
  };
  for (const f of FOLDERS) walk(f, 0);
  parts.sort();
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
export function watchRepository(root: string, onMaybeChanged: () => void, options: { pollMs?: number; debounceMs?: number } = {}): () => void {
  const debounceMs = options.debounceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  const kick = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onMaybeChanged();
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
    onMaybeChanged();
  }, options.pollMs ?? 2000);
  poll.unref();
  return () => {
    if (timer) clearTimeout(timer);
    clearInterval(poll);
    for (const w of watchers.values()) w.close();
    watchers.clear();
  };
}
