// Undo of the last status change made from this screen: offered for 30 seconds, and only
// for the latest change (a newer change replaces it). The server checks the window too.

import type { OrderDto, OrderStatus } from './api';

export const UNDO_WINDOW_MS = 30_000;

export type UndoEntry = {
  orderId: number;
  number: number;
  from: OrderStatus;
  to: OrderStatus;
  /** When the change was confirmed (client clock, ms). */
  at: number;
  /** The order's `updated_at` right after the change. */
  updatedAt: string;
};

/** The entry for a change just made: `before` is the order as it was, `after` as the server answered. */
export function recordChange(before: OrderDto, after: OrderDto, now: number): UndoEntry {
  return {
    orderId: after.id,
    number: after.number,
    from: before.status,
    to: after.status,
    at: now,
    updatedAt: after.updated_at,
  };
}

/** Milliseconds of the undo window left (0 when it has closed). */
export function undoRemainingMs(entry: UndoEntry | null, now: number): number {
  if (!entry) return 0;
  return Math.max(0, Math.min(UNDO_WINDOW_MS, entry.at + UNDO_WINDOW_MS - now));
}

/** Whether the change can still be undone `now`. */
export function canUndo(entry: UndoEntry | null, now: number): entry is UndoEntry {
  return undoRemainingMs(entry, now) > 0;
}

/**
 * The entry after news of an order: if that order has since changed again (by another
 * screen, or this one), our change is no longer its last one and cannot be undone.
 */
export function afterOrderNews(entry: UndoEntry | null, order: OrderDto): UndoEntry | null {
  if (!entry || entry.orderId !== order.id) return entry;
  if (order.updated_at === entry.updatedAt) return entry;
  return Date.parse(order.updated_at) > Date.parse(entry.updatedAt) ? null : entry;
}
