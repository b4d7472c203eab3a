/**
 * The keymap as data: every binding the TUI understands, on which screens,
 * and the help text the `?` overlay shows. Input handling reads this table
 * (nothing else maps keys), so the overlay can never drift from behaviour.
 *
 * Keys are written as the character typed (`h`, `H`, `>`, `?`) or a name:
 * up down left right enter esc tab backspace pageup pagedown home end, and
 * `ctrl+x` for control keys.
 */

export type ScreenKind = 'pipeline' | 'leads' | 'cases' | 'lists' | 'dashboard' | 'record';

export type ActionName =
  | 'quit'
  | 'help'
  | 'undo'
  | 'reload'
  | 'tab-1'
  | 'tab-2'
  | 'tab-3'
  | 'tab-4'
  | 'tab-5'
  | 'tab-prev'
  | 'tab-next'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'page-up'
  | 'page-down'
  | 'top'
  | 'bottom'
  | 'open'
  | 'back'
  | 'filter-text'
  | 'filter-owner'
  | 'sort'
  | 'stage-next'
  | 'stage-prev'
  | 'win'
  | 'lose'
  | 'convert'
  | 'respond'
  | 'resolve'
  | 'reopen'
  | 'log-interaction'
  | 'add-task'
  | 'edit'
  | 'period';

export interface Binding {
  keys: readonly string[];
  action: ActionName;
  help: string;
  /** Screens where the binding applies; 'all' for global ones. */
  screens: readonly ScreenKind[] | 'all';
  /** A word or two for the footer line, for the bindings worth showing there. */
  hint?: string;
  /** On the record view, the record types it applies to (all when absent). */
  types?: readonly string[];
}

const BOARDS: readonly ScreenKind[] = ['pipeline', 'leads', 'cases'];
const MOVING: readonly ScreenKind[] = ['pipeline', 'leads', 'cases', 'lists', 'record', 'dashboard'];

export const KEYMAP: readonly Binding[] = [
  { keys: ['up', 'k'], action: 'up', help: 'move up', screens: MOVING },
  { keys: ['down', 'j'], action: 'down', help: 'move down', screens: MOVING },
  { keys: ['left', 'h'], action: 'left', help: 'previous column / record type', screens: [...BOARDS, 'lists'] },
  { keys: ['right', 'l'], action: 'right', help: 'next column / record type', screens: [...BOARDS, 'lists'] },
  { keys: ['pageup', 'ctrl+u'], action: 'page-up', help: 'page up', screens: MOVING },
  { keys: ['pagedown', 'ctrl+d'], action: 'page-down', help: 'page down', screens: MOVING },
  { keys: ['home', 'g'], action: 'top', help: 'first item', screens: MOVING },
  { keys: ['end', 'G'], action: 'bottom', help: 'last item', screens: MOVING },
  { keys: ['enter'], action: 'open', help: 'open the selected record', screens: [...BOARDS, 'lists', 'record'], hint: 'open' },
  { keys: ['esc', 'backspace'], action: 'back', help: 'back; clear the filters', screens: [...BOARDS, 'lists', 'record'] },
  { keys: ['/'], action: 'filter-text', help: 'filter by text, as you type', screens: [...BOARDS, 'lists'], hint: 'filter' },
  { keys: ['o'], action: 'filter-owner', help: 'filter by owner (cycles)', screens: [...BOARDS, 'lists'], hint: 'owner' },
  { keys: ['s'], action: 'sort', help: 'change the sort order', screens: ['lists'], hint: 'sort' },
  { keys: ['>', 'L'], action: 'stage-next', help: 'next stage / status', screens: [...BOARDS, 'record'], hint: 'stage', types: ['opportunity', 'lead', 'case'] },
  { keys: ['<', 'H'], action: 'stage-prev', help: 'previous stage / status', screens: [...BOARDS, 'record'], types: ['opportunity', 'lead', 'case'] },
  { keys: ['w'], action: 'win', help: 'mark the opportunity won', screens: ['pipeline', 'record'], hint: 'win', types: ['opportunity'] },
  { keys: ['x'], action: 'lose', help: 'lose a deal, disqualify a lead', screens: ['pipeline', 'leads', 'record'], hint: 'lose', types: ['opportunity', 'lead'] },
  { keys: ['c'], action: 'convert', help: 'convert the lead', screens: ['leads', 'record'], hint: 'convert', types: ['lead'] },
  { keys: ['r'], action: 'respond', help: 'respond to the case', screens: ['cases', 'record'], hint: 'respond', types: ['case'] },
  { keys: ['s'], action: 'resolve', help: 'resolve the case', screens: ['cases', 'record'], hint: 'resolve', types: ['case'] },
  { keys: ['O'], action: 'reopen', help: 'reopen the case', screens: ['cases', 'record'], hint: 'reopen', types: ['case'] },
  { keys: ['i'], action: 'log-interaction', help: 'log a call, email, meeting…', screens: [...BOARDS, 'lists', 'record'], hint: 'log' },
  { keys: ['t'], action: 'add-task', help: 'add a task', screens: [...BOARDS, 'lists', 'record'], hint: 'task' },
  { keys: ['e'], action: 'edit', help: 'edit the record in $EDITOR', screens: [...BOARDS, 'lists', 'record'], hint: 'edit' },
  { keys: ['p'], action: 'period', help: 'month / quarter / year', screens: ['dashboard'], hint: 'period' },
  { keys: ['1'], action: 'tab-1', help: 'pipeline board', screens: 'all' },
  { keys: ['2'], action: 'tab-2', help: 'leads board', screens: 'all' },
  { keys: ['3'], action: 'tab-3', help: 'cases board', screens: 'all' },
  { keys: ['4'], action: 'tab-4', help: 'lists', screens: 'all' },
  { keys: ['5'], action: 'tab-5', help: 'dashboard', screens: 'all' },
  { keys: ['['], action: 'tab-prev', help: 'previous tab', screens: 'all' },
  { keys: [']'], action: 'tab-next', help: 'next tab', screens: 'all' },
  { keys: ['u'], action: 'undo', help: 'undo your last change (revert)', screens: 'all', hint: 'undo' },
  { keys: ['ctrl+l'], action: 'reload', help: 'reload and redraw', screens: 'all' },
  { keys: ['?'], action: 'help', help: 'show / hide this help', screens: 'all', hint: 'help' },
  { keys: ['q', 'ctrl+c'], action: 'quit', help: 'quit', screens: 'all', hint: 'quit' },
];

/** The subset of Ink's Key we read. */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

/** One key press as a name of the keymap: `up`, `enter`, `ctrl+c`, or the character. */
export function keyName(input: string, key: KeyInfo): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  // Terminals send DEL (0x7f) for the backspace key; Ink reports it as `delete`.
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (key.meta && input) return `meta+${input}`;
  return input;
}

function applies(b: Binding, screen: ScreenKind): boolean {
  return b.screens === 'all' || b.screens.includes(screen);
}

/**
 * The action a key triggers on a screen, if any (first matching binding
 * wins). On the record view a binding limited to other record types does
 * not match, so the same key can mean different things per type.
 */
export function resolveKey(screen: ScreenKind, name: string, recordType?: string, keymap: readonly Binding[] = KEYMAP): ActionName | undefined {
  for (const b of keymap) {
    if (!applies(b, screen) || !b.keys.includes(name)) continue;
    if (screen === 'record' && recordType && b.types && !b.types.includes(recordType)) continue;
    return b.action;
  }
  return undefined;
}

/** The footer line of a screen: `key word` for its bindings that have a hint. */
export function hintsFor(screen: ScreenKind, recordType?: string, keymap: readonly Binding[] = KEYMAP): { key: string; hint: string }[] {
  const out: { key: string; hint: string }[] = [];
  // What the screen is for first, then moving around, then the rest.
  const rank = (b: Binding) => (b.screens === 'all' ? 2 : ['open', 'back', 'filter-text', 'filter-owner'].includes(b.action) ? 1 : 0);
  const ordered = [...keymap].sort((a, b) => rank(a) - rank(b));
  for (const b of ordered) {
    if (!b.hint || !(b.screens === 'all' || b.screens.includes(screen))) continue;
    if (screen === 'record' && recordType && b.types && !b.types.includes(recordType)) continue;
    const key = b.action === 'stage-next' ? '<>' : keyLabel(b.keys[0]!);
    if (!out.some((o) => o.key === key)) out.push({ key, hint: b.hint });
  }
  return out;
}

const KEY_LABELS: Record<string, string> = {
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  enter: 'enter',
  esc: 'esc',
  backspace: 'bksp',
  pageup: 'pgup',
  pagedown: 'pgdn',
};

export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? key;
}

/** Bindings for the `?` overlay: those of this screen first, then the global ones. */
export function helpFor(screen: ScreenKind, recordType?: string, keymap: readonly Binding[] = KEYMAP): { local: Binding[]; global: Binding[] } {
  const local: Binding[] = [];
  const global: Binding[] = [];
  for (const b of keymap) {
    if (screen === 'record' && recordType && b.types && !b.types.includes(recordType)) continue;
    if (b.screens === 'all') global.push(b);
    else if (b.screens.includes(screen)) local.push(b);
  }
  return { local, global };
}

/** The keymap as a Markdown table (docs/tui.md and the README are generated from it). */
export function keymapMarkdown(keymap: readonly Binding[] = KEYMAP): string {
  const rows = keymap.map((b) => {
    const where = b.screens === 'all' ? 'everywhere' : b.screens.join(', ');
    return `| ${b.keys.map((k) => `\`${k}\``).join(' ')} | ${b.help} | ${where} |`;
  });
  return ['| keys | action | screens |', '|---|---|---|', ...rows].join('\n');
}
