// The board's keys, for a keyboard or a USB bump bar (which sends ordinary keys): what a
// key press asks for, and where the focus goes among the tickets. Pure: the board reads the
// event and the DOM, this decides.

export type KeyAction =
  | { kind: 'bump' }
  | { kind: 'recall' }
  | { kind: 'next' }
  | { kind: 'prev' }
  /** The column to the left (-1) or right (+1) in reading order, whatever the screen's direction. */
  | { kind: 'column-step'; delta: -1 | 1 }
  | { kind: 'ack' }
  | { kind: 'column'; index: 0 | 1 | 2 }
  | { kind: 'help' }
  | { kind: 'close' };

/** Where the key was pressed. */
export type KeyTarget =
  /** A text field (shortcuts are off while typing). */
  | 'typing'
  /** A dialog or the recall tray: only Escape counts. */
  | 'dialog'
  /** A ticket itself (Enter and Space bump it). */
  | 'ticket'
  /** A button or link (Enter and Space press it). */
  | 'control'
  /** Anything else: the page, a column. */
  | 'other';

export type KeyPress = {
  key: string;
  /** The physical key (`KeyB`), read when the layout gives a non-Latin letter (Urdu). */
  code?: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  target: KeyTarget;
  dir?: 'ltr' | 'rtl';
};

/** The Latin letter or digit a key stands for: the key itself, else its physical key. */
function symbol(key: string, code: string | undefined): string {
  if (/^[a-z0-9]$/i.test(key)) return key.toLowerCase();
  const m = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(code ?? '');
  if (m && key.length === 1 && !/[\x20-\x7e]/.test(key)) return (m[1] ?? m[2]!).toLowerCase();
  return key;
}

/** What a key press asks the board for, or null when it is not a board key here. */
export function keyAction(p: KeyPress): KeyAction | null {
  if (p.target === 'typing' || p.ctrlKey || p.altKey || p.metaKey) return null;
  if (p.key === 'Escape') return { kind: 'close' };
  if (p.target === 'dialog') return null;
  if (p.key === 'Enter' || p.key === ' ' || p.key === 'Spacebar') {
    return p.target === 'ticket' ? { kind: 'bump' } : null;
  }
  const rtl = p.dir === 'rtl';
  switch (p.key) {
    case 'ArrowDown':
      return { kind: 'next' };
    case 'ArrowUp':
      return { kind: 'prev' };
    case 'ArrowRight':
      return { kind: 'column-step', delta: rtl ? -1 : 1 };
    case 'ArrowLeft':
      return { kind: 'column-step', delta: rtl ? 1 : -1 };
    case '?':
      return { kind: 'help' };
  }
  switch (symbol(p.key, p.code)) {
    case 'b':
      return { kind: 'bump' };
    case 'r':
      return { kind: 'recall' };
    case 'j':
      return { kind: 'next' };
    case 'k':
      return { kind: 'prev' };
    case 'a':
      return { kind: 'ack' };
    case '1':
      return { kind: 'column', index: 0 };
    case '2':
      return { kind: 'column', index: 1 };
    case '3':
      return { kind: 'column', index: 2 };
  }
  return null;
}

/** The tickets' ids per column (New, Preparing, Ready), each in the order shown. */
export type Grid = readonly (readonly number[])[];

export type Move = { kind: 'next' } | { kind: 'prev' } | { kind: 'column-step'; delta: -1 | 1 } | { kind: 'column'; index: number };

function locate(grid: Grid, id: number): { col: number; idx: number } | null {
  for (const [col, ids] of grid.entries()) {
    const idx = ids.indexOf(id);
    if (idx >= 0) return { col, idx };
  }
  return null;
}

function firstTicket(grid: Grid): number | null {
  for (const ids of grid) if (ids.length > 0) return ids[0]!;
  return null;
}

/**
 * The ticket the focus goes to from ticket `from` (null: none focused, or one no longer
 * shown): down and up run through a column and on into the next or previous one; left and
 * right keep the place in the neighbouring column (or its last ticket), skipping empty
 * columns; a column's number goes to its first ticket. Null when there is nowhere to go
 * (`column` of an empty column, an empty board); at the ends the focus stays.
 */
export function moveFocus(grid: Grid, from: number | null, move: Move): number | null {
  if (move.kind === 'column') return grid[move.index]?.[0] ?? null;
  const at = from === null ? null : locate(grid, from);
  if (!at) return firstTicket(grid);
  const col = grid[at.col]!;
  if (move.kind === 'next') {
    if (at.idx + 1 < col.length) return col[at.idx + 1]!;
    for (let c = at.col + 1; c < grid.length; c += 1) if (grid[c]!.length > 0) return grid[c]![0]!;
    return from;
  }
  if (move.kind === 'prev') {
    if (at.idx > 0) return col[at.idx - 1]!;
    for (let c = at.col - 1; c >= 0; c -= 1) if (grid[c]!.length > 0) return grid[c]![grid[c]!.length - 1]!;
    return from;
  }
  for (let c = at.col + move.delta; c >= 0 && c < grid.length; c += move.delta) {
    const ids = grid[c]!;
    if (ids.length > 0) return ids[Math.min(at.idx, ids.length - 1)]!;
  }
  return from;
}

/**
 * Where the focus goes when ticket `id` leaves its column (bumped): the ticket that takes
 * its place, else the one before it; null when the column is left empty.
 */
export function afterBump(grid: Grid, id: number): number | null {
  const at = locate(grid, id);
  if (!at) return null;
  const col = grid[at.col]!;
  return col[at.idx + 1] ?? col[at.idx - 1] ?? null;
}

/** The keys as the help lists them (the labels are in i18n `keys`). */
export const KEY_LIST = [
  { keys: ['Enter', 'Space', 'B'], action: 'bump' },
  { keys: ['R'], action: 'recall' },
  { keys: ['↓', 'J'], action: 'next' },
  { keys: ['↑', 'K'], action: 'prev' },
  { keys: ['←', '→'], action: 'column' },
  { keys: ['A'], action: 'ack' },
  { keys: ['1', '2', '3'], action: 'stage' },
  { keys: ['?'], action: 'help' },
  { keys: ['Esc'], action: 'close' },
] as const;

export type KeyHelp = (typeof KEY_LIST)[number]['action'];
