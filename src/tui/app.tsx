/**
 * `crm tui` (alias `crm board`): the Ink application. The App holds the
 * reducer's state, turns key presses into events, runs the effects the
 * reducer asks for (src/tui/actions.ts), reloads after each change and
 * when files change outside, and draws the frame: tabs, the screen, the
 * status line and the key hints, always one line less than the terminal
 * so Ink rewrites lines in place instead of clearing the screen.
 *
 * runTui owns the terminal: the alternate screen, the cursor, raw mode
 * while $EDITOR runs, and restoring all of it on exit, on signals and on
 * unexpected errors (which are then reported as bugs).
 */
import { Box, render, renderToString, useApp, useInput, useStdout } from 'ink';
import { Component, useCallback, useEffect, useReducer, useRef, useState, type ReactNode } from 'react';
import { CrmError, UsageError, ValidationError } from '../errors.js';
import type { Io } from '../io.js';
import { Repository, loadConfig, findRoot } from '../model/repo.js';
import { runEffect, type ActionContext } from './actions.js';
import { keyName, type KeyInfo } from './keymap.js';
import { fitHeight, Lines, plain, type Line } from './lines.js';
import { boardLines } from './screens/board.js';
import { dashboardLines } from './screens/dashboard.js';
import { footerLine, modalLines, statusLine, tabLine } from './screens/frame.js';
import { listLines } from './screens/list.js';
import { recordLines } from './screens/record.js';
import { initialState, reduce, screenOf, type State, type TabId } from './state.js';
import { buildData, type TuiData } from './view.js';
import { folderSignature, signature, watchRepository, type WatchKind } from './watch.js';

/** Where bugs go (the project has no public tracker URL yet; change it here when it does). */
export const REPORT_BUGS = 'the crm issue tracker';

// ---------------------------------------------------------------------------
// Where the data comes from

export interface Source {
  /** The repository as of the last load (its crm.yaml may have changed since). */
  repo: Repository;
  load(): TuiData;
  /**
   * Take the fingerprint of what was just loaded (after the frame is drawn:
   * it stats every file). True when a file changed after `loadStartedAt`,
   * i.e. while loading: the caller reloads.
   */
  baseline(loadStartedAt: number): boolean;
  /** Drop the fingerprint so that the next check reports a change (a change seen while busy). */
  forget(): void;
  /** Whether the files differ from the baseline ('poll': only when a folder's mtime moved). */
  changed(kind: WatchKind): boolean;
  watch(onMaybeChanged: (kind: WatchKind) => void): () => void;
}

export function openSource(options: { repo?: string | undefined; env: Record<string, string | undefined>; cwd: string; now: () => Date; pollMs?: number }): Source {
  const root = findRoot({ repo: options.repo, env: options.env, cwd: options.cwd });
  let last: string | undefined;
  let lastFolders = '';
  const source: Source = {
    repo: new Repository(root, loadConfig(root), options.env, options.now),
    load() {
      // A fresh Repository: crm.yaml may have changed, and load() caches per instance.
      const repo = new Repository(root, loadConfig(root), options.env, options.now);
      // With the search text, filtering as you type never reads record files.
      const loaded = repo.load(undefined, { searchText: true });
      source.repo = repo;
      return buildData(loaded.records, { config: repo.config, now: options.now(), skipped: new Set(loaded.issues.filter((i) => i.severity === 'error').map((i) => i.path)).size });
    },
    baseline(loadStartedAt) {
      lastFolders = folderSignature(root);
      const s = signature(root);
      last = s.sig;
      return s.newest > loadStartedAt;
    },
    forget() {
      last = '';
      lastFolders = '';
    },
    changed(kind) {
      if (last === undefined) return false;
      if (kind === 'poll') {
        const f = folderSignature(root);
        if (f === lastFolders) return false;
      }
      return signature(root).sig !== last;
    },
    watch: (cb) => watchRepository(root, cb, options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  };
  return source;
}

// ---------------------------------------------------------------------------
// Drawing

/** The whole frame as lines: exactly `rows - 1` lines of `columns` columns. */
export function frameLines(s: State, columns: number, rows: number, title: string): Line[] {
  const w = Math.max(20, columns);
  const total = Math.max(6, rows - 1);
  const bodyH = total - 3;
  const screen = screenOf(s);
  let body = modalLines(s, screen, w, bodyH);
  if (!body) {
    const top = s.stack[s.stack.length - 1];
    if (top) body = recordLines(s, top, w, bodyH);
    else if (s.tab === 'pipeline' || s.tab === 'leads' || s.tab === 'cases') body = boardLines(s, s.tab, w, bodyH);
    else if (s.tab === 'lists') body = listLines(s, w, bodyH);
    else body = dashboardLines(s, w, bodyH);
  }
  const top = s.stack[s.stack.length - 1];
  const recordType = top ? top.key.slice(0, top.key.indexOf('/')) : undefined;
  return fitHeight([tabLine(s, title, w), ...fitHeight(body, bodyH, w), statusLine(s, w), footerLine(screen, w, recordType)], total, w);
}

function Frame({ state, columns, rows, title }: { state: State; columns: number; rows: number; title: string }) {
  return (
    <Box flexDirection="column">
      <Lines lines={frameLines(state, columns, rows, title)} />
    </Box>
  );
}

const CONTROL_NAMES: Record<string, string> = { '\r': 'enter', '\n': 'enter', '\t': 'tab', '\u007f': 'backspace', '\b': 'backspace' };

/**
 * Ink hands over several characters at once when they arrive together
 * (typing fast, key repeat, a paste): each becomes one key press.
 */
export function keyNames(input: string, key: KeyInfo): string[] {
  // esc then a key, typed quickly, arrives as one "meta+key": nothing here uses Alt, so it is both.
  if (key.meta && !key.escape && !key.ctrl && [...input].length === 1 && input >= ' ') return ['esc', input];
  const plainText = !key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.return && !key.escape;
  const chars = [...input];
  if (!plainText || chars.length <= 1) return [keyName(input, key)];
  return chars.map((c) => CONTROL_NAMES[c] ?? c);
}

/** Rows for page up/down: what a list shows. */
function pageSize(rows: number): number {
  return Math.max(1, rows - 8);
}

// ---------------------------------------------------------------------------
// The application

/** Errors a user can cause or fix (a refused move, a conflict, the lock, a full disk): shown, not crashed on. */
export function isUserError(e: unknown): boolean {
  if (e instanceof CrmError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

export function describeError(e: unknown): string {
  // A record that would not be valid: the problems themselves, which is what the user has to fix.
  if (e instanceof ValidationError && e.issues.length > 0) {
    return `not valid, nothing was written: ${e.issues.map((i) => i.message).join('; ')}`;
  }
  if (e instanceof CrmError) return `${e.message.split('\n').join(' ')}${e.hint ? ` — ${e.hint}` : ''}`;
  return (e as Error)?.message ?? String(e);
}

export interface AppProps {
  source: Source;
  initial: TuiData;
  env: Record<string, string | undefined>;
  now: () => Date;
  commit: boolean;
  suspend: ActionContext['suspend'];
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: { columns: number; rows: number };
  tab?: TabId;
  /** When `initial` started loading (Date.now()): files changed after it are reloaded. */
  loadedAt?: number;
  /** Clear the screen so that the next frame is drawn whole (ctrl+l). */
  redraw?: () => void;
}

/** Throws while rendering once `key` was pressed: CRM_DEBUG_TUI_CRASH=KEY, for testing the crash path. */
function CrashProbe({ armed }: { armed: boolean }) {
  if (armed) throw new Error('CRM_DEBUG_TUI_CRASH: a deliberate crash for testing');
  return null;
}

export function App(props: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const measure = useCallback(() => props.size ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 }, [props.size, stdout]);
  const [size, setSize] = useState(measure);
  const [state, dispatch] = useReducer(reduce, undefined, () => initialState(props.initial, { pageSize: pageSize(size.rows), ...(props.tab ? { tab: props.tab } : {}) }));
  const busy = useRef(false);
  busy.current = Boolean(state.pending);

  useEffect(() => {
    if (props.size) return;
    const onResize = () => setSize(measure());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, measure, props.size]);

  useEffect(() => {
    dispatch({ type: 'resize', pageSize: pageSize(size.rows) });
  }, [size.rows]);

  const crashKey = props.env.CRM_DEBUG_TUI_CRASH;
  const [crash, setCrash] = useState(false);
  useInput((input, key) => {
    for (const name of keyNames(input, key)) {
      if (crashKey && name === crashKey) setCrash(true);
      dispatch({ type: 'key', name });
    }
  });

  // After the frame is drawn, fingerprint what was loaded; a file changed while loading means load again.
  // Until then the watcher stays quiet: it would compare with the fingerprint taken before this
  // window's own write, and call that write a change from outside.
  const settling = useRef(0);
  const settleBaseline = useCallback(
    (startedAt: number) => {
      settling.current++;
      setTimeout(() => {
        settling.current--;
        if (!props.source.baseline(startedAt)) return;
        // An action is running and reloads when it ends; if it does not, the next check will.
        if (busy.current) props.source.forget();
        else reloadRef.current('updated: files changed outside this window');
      }, 0);
    },
    [props.source],
  );
  const reloadRef = useRef<(why?: string) => void>(() => {});
  const reload = useCallback(
    (why?: string) => {
      const startedAt = Date.now();
      try {
        const data = props.source.load();
        dispatch({ type: 'loaded', data, ...(why ? { status: { text: why, tone: 'info' as const } } : {}) });
        settleBaseline(startedAt);
      } catch (e) {
        if (!isUserError(e)) throw e;
        dispatch({ type: 'status', status: { text: `cannot reload: ${describeError(e)} (showing what was read before)`, tone: 'error' } });
      }
    },
    [props.source, settleBaseline],
  );
  reloadRef.current = reload;
  useEffect(() => {
    settleBaseline(props.loadedAt ?? 0);
  }, [settleBaseline, props.loadedAt]);

  // Run the action the reducer asks for, one at a time.
  const pendingId = state.pending?.id;
  useEffect(() => {
    const p = state.pending;
    if (!p) return;
    const ctx: ActionContext = { repo: props.source.repo, env: props.env, now: props.now, commit: props.commit, suspend: props.suspend };
    if (p.effect.kind === 'reload') props.redraw?.();
    runEffect(p.effect, ctx).then(
      (outcome) => {
        if (outcome.reload) reload();
        const { reload: _r, ...rest } = outcome;
        dispatch({ type: 'done', id: p.id, ...rest });
      },
      (e: unknown) => {
        if (isUserError(e)) {
          dispatch({ type: 'failed', id: p.id, message: describeError(e) });
          // Show the files as they are now (a conflict means someone else wrote).
          if (props.source.changed('full')) reload();
        } else exit(e instanceof Error ? e : new Error(String(e)));
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pendingId]);

  // Files changed outside: reload, keeping the selection (the reducer re-finds it by key).
  useEffect(
    () =>
      props.source.watch((kind) => {
        if (busy.current || settling.current > 0) return;
        try {
          if (props.source.changed(kind)) reload('updated: files changed outside this window');
        } catch (e) {
          exit(e instanceof Error ? e : new Error(String(e)));
        }
      }),
    [props.source, reload, exit],
  );

  useEffect(() => {
    if (state.quit && !state.pending) exit();
  }, [state.quit, state.pending, exit]);

  return (
    <>
      <CrashProbe armed={crash} />
      <Frame state={state} columns={size.columns} rows={size.rows} title={props.initial.config.name} />
    </>
  );
}

/** Catches render errors so that runTui can restore the terminal and report them. */
class Boundary extends Component<{ onError: (e: Error) => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(e: Error): void {
    this.props.onError(e);
  }
  override render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}

// ---------------------------------------------------------------------------
// The terminal

const ENTER = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
const LEAVE = '\u001b[?25h\u001b[?1049l';

export interface TuiOptions {
  repo?: string | undefined;
  commit: boolean;
  tab?: TabId;
  /** Print one frame as text and exit (for scripts, docs and the benchmark). */
  once?: boolean;
  columns?: number;
  rows?: number;
}

export function bugReport(e: unknown): string {
  const err = e as Error;
  return [
    `crm tui: internal error: ${err?.message ?? String(e)}`,
    'This is a bug in crm, not in your data. The terminal has been restored; the last action may not have been saved (check `git status`).',
    `Please report it on ${REPORT_BUGS}, with the output of \`crm --version\`, the keys you pressed and this trace:`,
    err?.stack ?? '',
  ].join('\n');
}

export async function runTui(io: Io, options: TuiOptions): Promise<void> {
  const started = performance.now();
  const source = openSource({ repo: options.repo, env: io.env, cwd: io.cwd(), now: io.now });
  const loadedAt = Date.now();
  const data = source.load();
  if (options.once) {
    const state = initialState(data, options.tab ? { tab: options.tab } : {});
    const columns = options.columns ?? (io.isTTY ? io.columns : 100);
    const rows = options.rows ?? (io.isTTY ? (process.stdout.rows || 24) : 24);
    const lines = frameLines(state, columns, rows, data.config.name);
    io.out(io.color ? renderToString(<Lines lines={lines} />, { columns }) : plain(lines));
    if (io.env.CRM_DEBUG_TIMING) io.err(`crm-timing: tui_first_frame_ms=${(performance.now() - started).toFixed(1)} records=${data.records.length}`);
    return;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('crm tui needs a terminal (stdin and stdout must be a TTY)', {
      hint: 'Run it in a terminal. To print the board from a script, use `crm board --once`; for data, `crm list` and `crm report`.',
    });
  }
  const stdout = process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    } catch {
      // stdin already closed
    }
    stdout.write(LEAVE);
  };
  let instance: ReturnType<typeof render> | undefined;
  const crash = (e: unknown) => {
    try {
      instance?.unmount();
    } catch {
      // already unmounted
    }
    restore();
    process.stderr.write(`${bugReport(e)}\n`);
    process.exit(1);
  };
  const onExit = () => restore();
  process.on('exit', onExit);
  // Killed (a closed terminal, `kill`): put the terminal back, then go.
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      instance?.unmount();
    } catch {
      // already unmounted
    }
    restore();
    process.exit(signal === 'SIGHUP' ? 129 : 143);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const suspend: ActionContext['suspend'] = async (fn) => {
    stdout.write(LEAVE);
    process.stdin.setRawMode(false);
    try {
      return await fn();
    } finally {
      stdout.write(ENTER);
      process.stdin.setRawMode(true);
      instance?.clear();
    }
  };
  const redraw = () => {
    stdout.write('\u001b[2J\u001b[H');
    instance?.clear();
  };
  stdout.write(ENTER);
  let failure: Error | undefined;
  instance = render(
    <Boundary
      onError={(e) => {
        failure = e;
        setImmediate(() => instance?.unmount());
      }}
    >
      <App source={source} initial={data} env={io.env} now={io.now} commit={options.commit} suspend={suspend} loadedAt={loadedAt} redraw={redraw} {...(options.tab ? { tab: options.tab } : {})} />
    </Boundary>,
    { exitOnCtrlC: false, patchConsole: true, maxFps: 60, incrementalRendering: false },
  );
  if (io.env.CRM_DEBUG_TIMING) io.err(`crm-timing: tui_first_frame_ms=${(performance.now() - started).toFixed(1)} records=${data.records.length}`);
  try {
    await instance.waitUntilExit();
  } catch (e) {
    failure = e as Error;
  } finally {
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
  if (failure) {
    instance.unmount();
    restore();
    process.stderr.write(`${bugReport(failure)}\n`);
    process.exitCode = 1;
    return;
  }
  restore();
  process.off('exit', onExit);
}
