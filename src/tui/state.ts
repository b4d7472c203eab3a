/**
 * The TUI's state and its pure reducer: which tab, the stack of opened
 * records, the selection and filters of each board and list, the open
 * modal (help, filter input, form, picker), the action waiting to run, the
 * status line and this session's undo list. Key presses arrive as events
 * and are turned into actions through the keymap; effects (writing files)
 * are requested by setting `pending`, run by the app, and reported back.
 */
import { searchRecords } from '../model/search.js';
import { recordTitle, type CrmRecord } from '../model/record.js';
import { RECORD_TYPES, TYPES, type RecordType } from '../model/schema.js';
import { resolveKey, type ActionName, type ScreenKind } from './keymap.js';
import { recordView, type RecordView } from './record-view.js';
import { keyOf, listKeys, listOwners, type BoardId, type TuiData } from './view.js';

export const TABS = ['pipeline', 'leads', 'cases', 'lists', 'dashboard'] as const;
export type TabId = (typeof TABS)[number];
export const TAB_TITLES: Record<TabId, string> = { pipeline: 'Pipeline', leads: 'Leads', cases: 'Cases', lists: 'Lists', dashboard: 'Dashboard' };

export interface BoardState {
  col: number;
  row: number;
  /** The selected card, kept across reloads and filter changes. */
  key?: string;
  owner?: string;
  text: string;
}

export interface ListState {
  type: RecordType;
  row: number;
  key?: string;
  query: string;
  sort: number;
  owner?: string;
}

export interface RecordScreen {
  key: string;
  /** Index into the view's selectable lines. */
  item: number;
}

export interface FormField {
  name: string;
  label: string;
  value: string;
  /** Allowed values: left/right cycle through them. */
  options?: readonly string[];
  required?: boolean;
  placeholder?: string;
}

export type FormPurpose = 'interaction' | 'task' | 'lose' | 'disqualify';

export interface FormState {
  purpose: FormPurpose;
  /** The record the form is about (`type/id`). */
  target: string;
  title: string;
  fields: FormField[];
  focus: number;
  error?: string;
}

export interface PickOption {
  label: string;
  value: string;
}

export type Modal =
  | { kind: 'help' }
  | { kind: 'filter'; scope: BoardId | 'lists'; text: string; before: string }
  | { kind: 'form'; form: FormState }
  | { kind: 'pick'; purpose: 'convert'; target: string; title: string; options: PickOption[]; index: number; data?: unknown };

/** Something the app must do outside the reducer (write files, run the editor). */
export type Effect =
  | { kind: 'move'; key: string; to: string }
  | { kind: 'win'; key: string }
  | { kind: 'lose'; key: string; reason: string }
  | { kind: 'disqualify'; key: string; reason: string }
  | { kind: 'convert'; key: string; choice?: string; data?: unknown }
  | { kind: 'respond'; key: string }
  | { kind: 'resolve'; key: string }
  | { kind: 'reopen'; key: string }
  | { kind: 'interaction'; key: string; values: Record<string, string> }
  | { kind: 'task'; key: string; values: Record<string, string> }
  | { kind: 'edit'; key: string }
  | { kind: 'undo'; entry: UndoEntry }
  | { kind: 'reload' };

/** A change made in this session, undone by reverting its commit. */
export interface UndoEntry {
  label: string;
  commit?: string;
  changes: { path: string; before: string | null; after: string | null }[];
}

export interface Status {
  text: string;
  tone: 'ok' | 'error' | 'info';
}

export type Period = 'month' | 'quarter' | 'year';
/** How far the dashboard's KPI table can scroll (its rows: the KPI ids and their sections). */
const DASHBOARD_ROWS = 40;
export const PERIODS: readonly Period[] = ['month', 'quarter', 'year'];

export interface State {
  tab: TabId;
  stack: RecordScreen[];
  boards: Record<BoardId, BoardState>;
  list: ListState;
  dashboard: { period: Period; scroll: number };
  modal?: Modal;
  pending?: { id: number; effect: Effect };
  nextId: number;
  status?: Status;
  undo: UndoEntry[];
  quit: boolean;
  /** Rows available for a list or column, set on resize (page up/down). */
  pageSize: number;
  data: TuiData;
}

export type Event =
  | { type: 'key'; name: string }
  | { type: 'loaded'; data: TuiData; status?: Status }
  | { type: 'done'; id: number; status: Status; undo?: UndoEntry; popUndo?: boolean; modal?: Modal }
  | { type: 'failed'; id: number; message: string }
  | { type: 'resize'; pageSize: number }
  | { type: 'status'; status?: Status };

export function initialState(data: TuiData, options: { tab?: TabId; pageSize?: number } = {}): State {
  const board = (): BoardState => ({ col: 0, row: 0, text: '' });
  return settle({
    tab: options.tab ?? 'pipeline',
    stack: [],
    boards: { pipeline: board(), leads: board(), cases: board() },
    list: { type: 'account', row: 0, query: '', sort: 0 },
    dashboard: { period: 'month', scroll: 0 },
    nextId: 1,
    undo: [],
    quit: false,
    pageSize: options.pageSize ?? 10,
    data,
  });
}

// ---------------------------------------------------------------------------
// Selectors

export function screenOf(s: State): ScreenKind {
  if (s.stack.length > 0) return 'record';
  return s.tab;
}

function isBoard(tab: TabId): tab is BoardId {
  return tab === 'pipeline' || tab === 'leads' || tab === 'cases';
}

export interface VisibleColumn {
  id: string;
  title: string;
  probability?: number;
  keys: string[];
}

/** A board's columns with its owner and text filters applied. */
export function visibleColumns(s: State, board: BoardId): VisibleColumn[] {
  const b = s.data.boards[board];
  const f = s.boards[board];
  const text = f.text.trim().toLowerCase();
  return b.columns.map((c) => ({
    ...c,
    keys: c.keys.filter((k) => {
      const card = s.data.cards.get(k);
      if (!card) return false;
      if (f.owner !== undefined && (card.owner ?? '') !== f.owner) return false;
      return !text || text.split(/\s+/).every((w) => card.search.includes(w));
    }),
  }));
}

export interface ListSort {
  label: string;
  field: string;
  dir: 1 | -1;
}

const BASE_SORTS: ListSort[] = [
  { label: 'name', field: '', dir: 1 },
  { label: 'recently updated', field: 'updated', dir: -1 },
  { label: 'recently created', field: 'created', dir: -1 },
  { label: 'owner', field: 'owner', dir: 1 },
];

export function listSorts(type: RecordType): ListSort[] {
  const extra: Partial<Record<RecordType, ListSort[]>> = {
    opportunity: [
      { label: 'amount', field: 'amount', dir: -1 },
      { label: 'expected close', field: 'expected_close', dir: 1 },
    ],
    case: [{ label: 'priority', field: 'priority', dir: 1 }],
    lead: [{ label: 'score', field: 'score', dir: -1 }],
    interaction: [{ label: 'due', field: 'due', dir: 1 }],
  };
  const base = type === 'interaction' ? [{ label: 'newest', field: '', dir: 1 as const }, ...BASE_SORTS.slice(1)] : BASE_SORTS;
  return [...base, ...(extra[type] ?? [])];
}

const PRIORITY: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

function sortValue(r: CrmRecord, field: string): string | number | undefined {
  const v = r.data[field];
  if (field === 'priority') return PRIORITY[String(v ?? 'normal')] ?? 2;
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof (v as { amount?: unknown }).amount === 'number') return (v as { amount: number }).amount;
  if (typeof v === 'string' && v) return v;
  return undefined;
}

const listCache = new WeakMap<TuiData, Map<string, string[]>>();

/** The rows of the current list: its type, owner filter, fuzzy query and sort. */
export function listRows(s: State): string[] {
  const l = s.list;
  const cacheKey = `${l.type}\u0000${l.owner ?? '\u0001'}\u0000${l.query}\u0000${l.sort}`;
  let cache = listCache.get(s.data);
  if (!cache) {
    cache = new Map();
    listCache.set(s.data, cache);
  }
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let records = listKeys(s.data, l.type).map((k) => s.data.byKey.get(k)!).filter(Boolean);
  if (l.owner !== undefined) records = records.filter((r) => (typeof r.data.owner === 'string' ? r.data.owner : '') === l.owner);
  let keys: string[];
  const q = l.query.trim();
  if (q) {
    keys = searchRecords(records, q, records.length).map((h) => keyOf(h.record));
  } else {
    const sort = listSorts(l.type)[l.sort] ?? BASE_SORTS[0]!;
    if (sort.field) {
      const f = sort.field;
      records = [...records].sort((a, b) => {
        const x = sortValue(a, f);
        const y = sortValue(b, f);
        if (x === undefined && y === undefined) return 0;
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return c * sort.dir || recordTitle(a).localeCompare(recordTitle(b));
      });
    }
    keys = records.map(keyOf);
  }
  if (cache.size > 50) cache.clear();
  cache.set(cacheKey, keys);
  return keys;
}

const viewCache = new WeakMap<TuiData, Map<string, RecordView | undefined>>();

export function currentRecordView(s: State, key: string): RecordView | undefined {
  let cache = viewCache.get(s.data);
  if (!cache) {
    cache = new Map();
    viewCache.set(s.data, cache);
  }
  if (!cache.has(key)) cache.set(key, recordView(s.data, key));
  return cache.get(key);
}

/** The record the current screen is about: the selected card or row, or the open record. */
export function selectedKey(s: State): string | undefined {
  const top = s.stack[s.stack.length - 1];
  if (top) return top.key;
  if (isBoard(s.tab)) return s.boards[s.tab].key;
  if (s.tab === 'lists') return s.list.key;
  return undefined;
}

// ---------------------------------------------------------------------------
// Keeping the selection valid

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

function settleBoard(s: State, board: BoardId): BoardState {
  const b = s.boards[board];
  const cols = visibleColumns(s, board);
  if (cols.length === 0) {
    const empty: BoardState = { ...b, col: 0, row: 0 };
    delete empty.key;
    return empty;
  }
  if (b.key) {
    for (let c = 0; c < cols.length; c++) {
      const r = cols[c]!.keys.indexOf(b.key);
      if (r >= 0) return { ...b, col: c, row: r };
    }
  }
  let col = clamp(b.col, 0, cols.length - 1);
  if (cols[col]!.keys.length === 0) {
    // The nearest column with cards, right first.
    for (let d = 1; d < cols.length; d++) {
      if (cols[col + d]?.keys.length) {
        col += d;
        break;
      }
      if (cols[col - d]?.keys.length) {
        col -= d;
        break;
      }
    }
  }
  const keys = cols[col]!.keys;
  const row = clamp(b.row, 0, Math.max(0, keys.length - 1));
  const next: BoardState = { ...b, col, row };
  if (keys[row] !== undefined) next.key = keys[row];
  else delete next.key;
  return next;
}

function settleList(s: State): ListState {
  const rows = listRows(s);
  const l = s.list;
  if (l.key) {
    const i = rows.indexOf(l.key);
    if (i >= 0) return { ...l, row: i };
  }
  const row = clamp(l.row, 0, Math.max(0, rows.length - 1));
  const next: ListState = { ...l, row };
  if (rows[row] !== undefined) next.key = rows[row];
  else delete next.key;
  return next;
}

/** Re-resolve every selection against the data and filters (by key first, else by position). */
export function settle(s: State): State {
  const boards = { pipeline: settleBoard(s, 'pipeline'), leads: settleBoard(s, 'leads'), cases: settleBoard(s, 'cases') };
  // the list is sorted only once the Lists tab is shown
  const list = s.tab === 'lists' ? settleList(s) : s.list;
  let status = s.status;
  const stack: RecordScreen[] = [];
  for (const screen of s.stack) {
    const view = currentRecordView(s, screen.key);
    if (!view) {
      status = { text: `${screen.key} no longer exists (deleted or renamed outside crm)`, tone: 'info' };
      break;
    }
    stack.push({ ...screen, item: clamp(screen.item, 0, Math.max(0, view.selectable.length - 1)) });
  }
  const out: State = { ...s, boards, list, stack };
  if (status) out.status = status;
  return out;
}

// ---------------------------------------------------------------------------
// The reducer

function withStatus(s: State, text: string, tone: Status['tone'] = 'info'): State {
  return { ...s, status: { text, tone } };
}

function request(s: State, effect: Effect, label?: string): State {
  const next: State = { ...s, pending: { id: s.nextId, effect }, nextId: s.nextId + 1 };
  if (label) next.status = { text: label, tone: 'info' };
  else delete next.status;
  return next;
}

function moveBoard(s: State, board: BoardId, dCol: number, dRow: number, absolute?: 'top' | 'bottom'): State {
  const cols = visibleColumns(s, board);
  const b = s.boards[board];
  if (cols.length === 0) return s;
  let col = clamp(b.col + dCol, 0, cols.length - 1);
  let row = b.row;
  if (dCol !== 0) {
    // Keep the vertical position when moving sideways; skip empty columns only if a non-empty one lies that way.
    let c = col;
    while (cols[c]!.keys.length === 0 && c + Math.sign(dCol) >= 0 && c + Math.sign(dCol) < cols.length) c += Math.sign(dCol);
    if (cols[c]!.keys.length > 0) col = c;
  }
  const keys = cols[col]!.keys;
  if (absolute === 'top') row = 0;
  else if (absolute === 'bottom') row = keys.length - 1;
  else row = row + dRow;
  row = clamp(row, 0, Math.max(0, keys.length - 1));
  const next: BoardState = { ...b, col, row };
  if (keys[row] !== undefined) next.key = keys[row];
  else delete next.key;
  return { ...s, boards: { ...s.boards, [board]: next } };
}

function moveList(s: State, d: number, absolute?: 'top' | 'bottom'): State {
  const rows = listRows(s);
  let row = absolute === 'top' ? 0 : absolute === 'bottom' ? rows.length - 1 : s.list.row + d;
  row = clamp(row, 0, Math.max(0, rows.length - 1));
  const next: ListState = { ...s.list, row };
  if (rows[row] !== undefined) next.key = rows[row];
  else delete next.key;
  return { ...s, list: next };
}

function moveRecord(s: State, d: number, absolute?: 'top' | 'bottom'): State {
  const top = s.stack[s.stack.length - 1];
  if (!top) return s;
  const view = currentRecordView(s, top.key);
  const n = view?.selectable.length ?? 0;
  let item = absolute === 'top' ? 0 : absolute === 'bottom' ? n - 1 : top.item + d;
  item = clamp(item, 0, Math.max(0, n - 1));
  return { ...s, stack: [...s.stack.slice(0, -1), { ...top, item }] };
}

function cycleOwner(current: string | undefined, owners: readonly string[]): string | undefined {
  // all → each owner → unassigned ('') → all
  const ring: (string | undefined)[] = [undefined, ...owners, ''];
  const i = ring.indexOf(current);
  return ring[(i + 1) % ring.length];
}

function ownerText(owner: string | undefined): string {
  return owner === undefined ? 'all owners' : owner === '' ? 'unassigned' : owner;
}

function article(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function typeOfKey(key: string): RecordType {
  return key.slice(0, key.indexOf('/')) as RecordType;
}

/** The next or previous value of a record's stage / status along its board's order. */
function stageStep(s: State, key: string, dir: 1 | -1): { to?: string; message?: string } {
  const r = s.data.byKey.get(key);
  if (!r) return { message: `${key} no longer exists` };
  const board: BoardId | undefined = r.type === 'opportunity' ? 'pipeline' : r.type === 'lead' ? 'leads' : r.type === 'case' ? 'cases' : undefined;
  if (!board) return { message: `a ${r.type} has no stage or status to move` };
  const lifecycle = TYPES[r.type].lifecycle!;
  const current = String(r.data[lifecycle] ?? '');
  if (board === 'pipeline') {
    const stages = s.data.config.pipeline.stages;
    const open = stages.filter((x) => !x.closed).map((x) => x.id);
    const i = open.indexOf(current);
    if (i < 0) return { message: `${recordTitle(r)} is ${current}: closed deals do not move (reopen one with \`crm opp move\`)` };
    const j = i + dir;
    if (j >= open.length) return { message: `${current} is the last open stage: press w to mark it won` };
    if (j < 0) return { message: `${current} is the first stage` };
    return { to: open[j]! };
  }
  const order = s.data.boards[board].order;
  const columns = s.data.boards[board].columns.map((c) => c.id);
  const i = order.indexOf(current);
  if (i < 0) return { message: `${recordTitle(r)} has status ${current}, which crm.yaml does not list` };
  if (board === 'leads') {
    if (!columns.includes(current)) return { message: `lead ${r.id} is ${current}; it no longer moves` };
    const j = columns.indexOf(current) + dir;
    if (j >= columns.length) return { message: `${current} is the last status: press c to convert, x to disqualify` };
    if (j < 0) return { message: `${current} is the first status` };
    return { to: columns[j]! };
  }
  const j = i + dir;
  if (j >= order.length) return { message: `${current} is the last status` };
  if (j < 0) return { message: `${current} is the first status` };
  return { to: order[j]! };
}

function needType(s: State, key: string | undefined, types: readonly RecordType[], what: string): { key?: string; state?: State } {
  if (!key) return { state: withStatus(s, 'nothing selected', 'error') };
  const t = typeOfKey(key);
  if (!types.includes(t)) return { state: withStatus(s, `${what} works on ${types.map(article).join(' or ')}, not on ${article(t)}`, 'error') };
  if (!s.data.byKey.has(key)) return { state: withStatus(s, `${key} no longer exists`, 'error') };
  return { key };
}

const INTERACTION_KINDS = ['call', 'email', 'meeting', 'note', 'sms', 'chat', 'social', 'visit'];

function interactionForm(s: State, key: string): FormState {
  const kinds = (s.data.config.values.interaction.kind ?? INTERACTION_KINDS).filter((k) => k !== 'task');
  return {
    purpose: 'interaction',
    target: key,
    title: `Log an interaction with ${recordTitle(s.data.byKey.get(key)!)}`,
    fields: [
      { name: 'kind', label: 'kind', value: kinds[0] ?? 'call', options: kinds },
      { name: 'direction', label: 'direction', value: 'outbound', options: ['outbound', 'inbound', ''] },
      { name: 'subject', label: 'subject', value: '', required: true },
      { name: 'outcome', label: 'outcome', value: '' },
      { name: 'notes', label: 'notes', value: '' },
    ],
    focus: 2,
  };
}

function taskForm(s: State, key: string): FormState {
  return {
    purpose: 'task',
    target: key,
    title: `Add a task for ${recordTitle(s.data.byKey.get(key)!)}`,
    fields: [
      { name: 'subject', label: 'subject', value: '', required: true },
      { name: 'due', label: 'due', value: '', placeholder: 'YYYY-MM-DD, or empty' },
      { name: 'owner', label: 'owner', value: '', options: ['', ...s.data.config.users.map((u) => u.handle)] },
      { name: 'notes', label: 'notes', value: '' },
    ],
    focus: 0,
  };
}

function reasonForm(s: State, key: string, purpose: 'lose' | 'disqualify'): FormState {
  const r = s.data.byKey.get(key)!;
  const field = purpose === 'lose' ? 'lost_reason' : 'disqualified_reason';
  const allowed = s.data.config.values[r.type][field];
  return {
    purpose,
    target: key,
    title: purpose === 'lose' ? `Mark ${recordTitle(r)} lost` : `Disqualify ${recordTitle(r)}`,
    fields: [{ name: 'reason', label: 'reason', value: allowed?.[0] ?? '', required: true, ...(allowed ? { options: allowed } : {}) }],
    focus: 0,
  };
}

function openRecord(s: State, key: string | undefined): State {
  if (!key) return withStatus(s, 'nothing selected', 'error');
  if (!s.data.byKey.has(key)) return withStatus(s, `${key} no longer exists`, 'error');
  const next: State = { ...s, stack: [...s.stack, { key, item: 0 }] };
  delete next.status;
  return next;
}

function switchTab(s: State, tab: TabId): State {
  const next: State = { ...s, tab, stack: [] };
  delete next.status;
  return tab === 'lists' ? settle(next) : next;
}

function act(s: State, action: ActionName): State {
  const screen = screenOf(s);
  const board = isBoard(s.tab) && s.stack.length === 0 ? s.tab : undefined;
  const vertical = (d: number, absolute?: 'top' | 'bottom'): State => {
    if (screen === 'record') return moveRecord(s, d, absolute);
    if (board) return moveBoard(s, board, 0, d, absolute);
    if (screen === 'lists') return moveList(s, d, absolute);
    if (screen === 'dashboard') return { ...s, dashboard: { ...s.dashboard, scroll: Math.min(DASHBOARD_ROWS, Math.max(0, absolute === 'top' ? 0 : absolute === 'bottom' ? DASHBOARD_ROWS : s.dashboard.scroll + d)) } };
    return s;
  };
  switch (action) {
    case 'quit':
      return { ...s, quit: true };
    case 'help':
      return { ...s, modal: { kind: 'help' } };
    case 'reload':
      return request(s, { kind: 'reload' }, 'Reloading…');
    case 'tab-1':
    case 'tab-2':
    case 'tab-3':
    case 'tab-4':
    case 'tab-5':
      return switchTab(s, TABS[Number(action.slice(4)) - 1]!);
    case 'tab-prev':
    case 'tab-next': {
      const i = TABS.indexOf(s.tab) + (action === 'tab-next' ? 1 : -1);
      return switchTab(s, TABS[(i + TABS.length) % TABS.length]!);
    }
    case 'undo': {
      const entry = s.undo[s.undo.length - 1];
      if (!entry) return withStatus(s, 'nothing to undo: no change was made in this session', 'error');
      return request(s, { kind: 'undo', entry }, `Undoing: ${entry.label}…`);
    }
    case 'up':
      return vertical(-1);
    case 'down':
      return vertical(1);
    case 'page-up':
      return vertical(-Math.max(1, s.pageSize));
    case 'page-down':
      return vertical(Math.max(1, s.pageSize));
    case 'top':
      return vertical(0, 'top');
    case 'bottom':
      return vertical(0, 'bottom');
    case 'left':
    case 'right': {
      const d = action === 'left' ? -1 : 1;
      if (board) return moveBoard(s, board, d, 0);
      if (screen === 'lists') {
        const i = (RECORD_TYPES.indexOf(s.list.type) + d + RECORD_TYPES.length) % RECORD_TYPES.length;
        const list: ListState = { type: RECORD_TYPES[i]!, row: 0, query: '', sort: 0 };
        return settle({ ...s, list });
      }
      return s;
    }
    case 'open': {
      if (screen === 'record') {
        const top = s.stack[s.stack.length - 1]!;
        const view = currentRecordView(s, top.key);
        const line = view?.lines[view.selectable[top.item] ?? -1];
        if (!line?.target) return withStatus(s, 'nothing to open here: move to a reference or a timeline entry', 'error');
        return openRecord(s, line.target);
      }
      return openRecord(s, selectedKey(s));
    }
    case 'back': {
      if (s.stack.length > 0) {
        const next: State = { ...s, stack: s.stack.slice(0, -1) };
        delete next.status;
        return next;
      }
      if (board) {
        const b = s.boards[board];
        if (b.text || b.owner !== undefined) {
          const next: BoardState = { ...b, text: '' };
          delete next.owner;
          return settle(withStatus({ ...s, boards: { ...s.boards, [board]: next } }, 'filters cleared'));
        }
        return s;
      }
      if (screen === 'lists' && (s.list.query || s.list.owner !== undefined)) {
        const list: ListState = { ...s.list, query: '' };
        delete list.owner;
        return settle(withStatus({ ...s, list }, 'filters cleared'));
      }
      return s;
    }
    case 'filter-text': {
      if (board) return { ...s, modal: { kind: 'filter', scope: board, text: s.boards[board].text, before: s.boards[board].text } };
      if (screen === 'lists') return { ...s, modal: { kind: 'filter', scope: 'lists', text: s.list.query, before: s.list.query } };
      return s;
    }
    case 'filter-owner': {
      if (board) {
        const owner = cycleOwner(s.boards[board].owner, s.data.boards[board].owners);
        const b: BoardState = { ...s.boards[board] };
        if (owner === undefined) delete b.owner;
        else b.owner = owner;
        return settle(withStatus({ ...s, boards: { ...s.boards, [board]: b } }, `owner: ${ownerText(owner)} (o: next)`));
      }
      if (screen === 'lists') {
        const owner = cycleOwner(s.list.owner, listOwners(s.data, s.list.type));
        const list: ListState = { ...s.list };
        if (owner === undefined) delete list.owner;
        else list.owner = owner;
        return settle(withStatus({ ...s, list }, `owner: ${ownerText(owner)} (o: next)`));
      }
      return s;
    }
    case 'sort': {
      const sorts = listSorts(s.list.type);
      const sort = (s.list.sort + 1) % sorts.length;
      return settle(withStatus({ ...s, list: { ...s.list, sort, row: 0 } }, `sorted by ${sorts[sort]!.label}${s.list.query ? ' (after clearing the filter; now by relevance)' : ''}`));
    }
    case 'period': {
      const i = (PERIODS.indexOf(s.dashboard.period) + 1) % PERIODS.length;
      return withStatus({ ...s, dashboard: { ...s.dashboard, period: PERIODS[i]! } }, `period: ${PERIODS[i]}`);
    }
    case 'stage-next':
    case 'stage-prev': {
      const key = selectedKey(s);
      if (!key) return withStatus(s, 'nothing selected', 'error');
      const step = stageStep(s, key, action === 'stage-next' ? 1 : -1);
      if (!step.to) return withStatus(s, step.message ?? 'cannot move', 'error');
      const kind = typeOfKey(key) === 'case' && step.to === 'resolved' ? 'resolve' : undefined;
      if (kind) return request(s, { kind, key }, `Resolving ${key}…`);
      return request(s, { kind: 'move', key, to: step.to }, `Moving ${key} → ${step.to}…`);
    }
    case 'win': {
      const n = needType(s, selectedKey(s), ['opportunity'], 'w (win)');
      return n.state ?? request(s, { kind: 'win', key: n.key! }, `Marking ${n.key} won…`);
    }
    case 'lose': {
      const n = needType(s, selectedKey(s), ['opportunity', 'lead'], 'x (lose / disqualify)');
      if (n.state) return n.state;
      const purpose = typeOfKey(n.key!) === 'lead' ? 'disqualify' : 'lose';
      return { ...s, modal: { kind: 'form', form: reasonForm(s, n.key!, purpose) } };
    }
    case 'convert': {
      const n = needType(s, selectedKey(s), ['lead'], 'c (convert)');
      return n.state ?? request(s, { kind: 'convert', key: n.key! }, `Converting ${n.key}…`);
    }
    case 'respond':
    case 'resolve':
    case 'reopen': {
      const n = needType(s, selectedKey(s), ['case'], action);
      const verb = action === 'respond' ? 'Recording the first response to' : action === 'resolve' ? 'Resolving' : 'Reopening';
      return n.state ?? request(s, { kind: action, key: n.key! }, `${verb} ${n.key}…`);
    }
    case 'log-interaction':
    case 'add-task': {
      const key = selectedKey(s);
      if (!key) return withStatus(s, 'nothing selected', 'error');
      if (!s.data.byKey.has(key)) return withStatus(s, `${key} no longer exists`, 'error');
      if (typeOfKey(key) === 'interaction') return withStatus(s, 'open the account, contact, lead, opportunity or case to log on it', 'error');
      return { ...s, modal: { kind: 'form', form: action === 'add-task' ? taskForm(s, key) : interactionForm(s, key) } };
    }
    case 'edit': {
      const key = selectedKey(s);
      if (!key) return withStatus(s, 'nothing selected', 'error');
      return request(s, { kind: 'edit', key }, `Editing ${key} in $EDITOR…`);
    }
  }
}

// Modal key handling ----------------------------------------------------------

function isPrintable(name: string): boolean {
  return [...name].length === 1 && name >= ' ';
}

function filterKey(s: State, modal: Extract<Modal, { kind: 'filter' }>, name: string): State {
  const apply = (text: string, close: boolean): State => {
    let next: State;
    if (modal.scope === 'lists') next = { ...s, list: { ...s.list, query: text, row: 0 } };
    else next = { ...s, boards: { ...s.boards, [modal.scope]: { ...s.boards[modal.scope], text } } };
    if (close) delete next.modal;
    else next.modal = { ...modal, text };
    return settle(next);
  };
  if (name === 'enter') return apply(modal.text, true);
  if (name === 'esc') return apply(modal.before, true);
  if (name === 'backspace') return apply([...modal.text].slice(0, -1).join(''), false);
  if (name === 'ctrl+u') return apply('', false);
  if (isPrintable(name)) return apply(modal.text + name, false);
  return s;
}

function formValues(form: FormState): Record<string, string> {
  return Object.fromEntries(form.fields.map((f) => [f.name, f.value.trim()]));
}

function formKey(s: State, form: FormState, name: string): State {
  const setForm = (f: FormState): State => ({ ...s, modal: { kind: 'form', form: f } });
  const field = form.fields[form.focus]!;
  const without = (f: FormState): FormState => {
    const { error: _e, ...rest } = f;
    return rest;
  };
  switch (name) {
    case 'esc': {
      const next = withStatus(s, 'cancelled; nothing changed');
      delete next.modal;
      return next;
    }
    case 'tab':
    case 'down':
      return setForm(without({ ...form, focus: (form.focus + 1) % form.fields.length }));
    case 'shift+tab':
    case 'up':
      return setForm(without({ ...form, focus: (form.focus - 1 + form.fields.length) % form.fields.length }));
    case 'left':
    case 'right': {
      if (!field.options || field.options.length === 0) return s;
      const i = field.options.indexOf(field.value);
      const j = (i + (name === 'right' ? 1 : -1) + field.options.length) % field.options.length;
      const fields = form.fields.map((f, k) => (k === form.focus ? { ...f, value: field.options![j]! } : f));
      return setForm(without({ ...form, fields }));
    }
    case 'backspace': {
      const fields = form.fields.map((f, k) => (k === form.focus ? { ...f, value: [...f.value].slice(0, -1).join('') } : f));
      return setForm(without({ ...form, fields }));
    }
    case 'enter': {
      const missing = form.fields.find((f) => f.required && !f.value.trim());
      if (missing) return setForm({ ...form, error: `${missing.label} is required`, focus: form.fields.indexOf(missing) });
      const values = formValues(form);
      const closed: State = { ...s };
      delete closed.modal;
      const target = form.target;
      switch (form.purpose) {
        case 'interaction':
          return request(closed, { kind: 'interaction', key: target, values }, `Logging a ${values.kind} on ${target}…`);
        case 'task':
          return request(closed, { kind: 'task', key: target, values }, `Adding a task to ${target}…`);
        case 'lose':
          return request(closed, { kind: 'lose', key: target, reason: values.reason ?? '' }, `Marking ${target} lost…`);
        case 'disqualify':
          return request(closed, { kind: 'disqualify', key: target, reason: values.reason ?? '' }, `Disqualifying ${target}…`);
      }
      return s;
    }
    default:
      if (isPrintable(name) && !field.options) {
        const fields = form.fields.map((f, k) => (k === form.focus ? { ...f, value: f.value + name } : f));
        return setForm(without({ ...form, fields }));
      }
      return s;
  }
}

function pickKey(s: State, modal: Extract<Modal, { kind: 'pick' }>, name: string): State {
  switch (name) {
    case 'esc': {
      const next = withStatus(s, 'cancelled; nothing changed');
      delete next.modal;
      return next;
    }
    case 'up':
    case 'k':
      return { ...s, modal: { ...modal, index: Math.max(0, modal.index - 1) } };
    case 'down':
    case 'j':
      return { ...s, modal: { ...modal, index: Math.min(modal.options.length - 1, modal.index + 1) } };
    case 'enter': {
      const option = modal.options[modal.index];
      if (!option) return s;
      const closed: State = { ...s };
      delete closed.modal;
      return request(closed, { kind: 'convert', key: modal.target, choice: option.value, ...(modal.data !== undefined ? { data: modal.data } : {}) }, `Converting ${modal.target}…`);
    }
    default:
      return s;
  }
}

export function reduce(s: State, e: Event): State {
  switch (e.type) {
    case 'key': {
      if (s.pending) {
        // One action at a time; ctrl+c still quits once it is done.
        return e.name === 'ctrl+c' ? { ...s, quit: true } : s;
      }
      const m = s.modal;
      if (m) {
        if (e.name === 'ctrl+c') return { ...s, quit: true };
        if (m.kind === 'help') {
          const next = { ...s };
          delete next.modal;
          return e.name === 'q' ? { ...next, quit: true } : next;
        }
        if (m.kind === 'filter') return filterKey(s, m, e.name);
        if (m.kind === 'form') return formKey(s, m.form, e.name);
        return pickKey(s, m, e.name);
      }
      const screen = screenOf(s);
      const top = s.stack[s.stack.length - 1];
      const action = resolveKey(screen, e.name, top ? typeOfKey(top.key) : undefined);
      if (!action) {
        if (screen === 'record' && top && resolveKey(screen, e.name) !== undefined) {
          return withStatus(s, `${e.name} does nothing on ${article(typeOfKey(top.key))} (press ? for the keys here)`, 'error');
        }
        return s;
      }
      return act(s, action);
    }
    case 'loaded': {
      const next = settle({ ...s, data: e.data });
      return e.status ? { ...next, status: e.status } : next;
    }
    case 'done': {
      if (!s.pending || s.pending.id !== e.id) return s;
      const next: State = { ...s, status: e.status };
      delete next.pending;
      if (e.popUndo) next.undo = s.undo.slice(0, -1);
      if (e.undo) next.undo = [...next.undo, e.undo];
      if (e.modal) next.modal = e.modal;
      return next;
    }
    case 'failed': {
      if (!s.pending || s.pending.id !== e.id) return s;
      const next: State = { ...s, status: { text: e.message, tone: 'error' } };
      delete next.pending;
      return next;
    }
    case 'resize':
      return e.pageSize === s.pageSize ? s : { ...s, pageSize: e.pageSize };
    case 'status': {
      const next = { ...s };
      if (e.status) next.status = e.status;
      else delete next.status;
      return next;
    }
  }
}
