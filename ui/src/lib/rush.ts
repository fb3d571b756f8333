// The board in a rush, as pure functions: how long a ticket has been in its stage, how
// late it is against the time promised to the customer, which tickets come first in a
// column, and what the new-order strip lists.

import type { OrderDto, OrderStatus } from './api';
import type { Lang } from './i18n';
import { lineSizeLabel } from './order-builder';
import { lineName } from './ticket';
import { ms } from './time';

/** An order as the server sends it; `status_since` is newer than some servers. */
export type RushOrder = Pick<OrderDto, 'id' | 'status' | 'order_time' | 'eta_minutes'> & {
  updated_at?: string;
  status_since?: string | null;
  history?: OrderDto['history'];
};

/** The promise when neither the order nor the shop says one. */
export const FALLBACK_PROMISE_MINUTES = 35;

export type RushRules = {
  /** The shop's promise (settings `eta_minutes`), for orders that carry none. */
  shopEtaMinutes: number | null;
  /** Waiting for a rider in Ready: amber and red after these many minutes there. */
  readyAmberMinutes: number;
  readyRedMinutes: number;
};

export const DEFAULT_RULES: RushRules = { shopEtaMinutes: null, readyAmberMinutes: 5, readyRedMinutes: 10 };

/** Amber from half the promise, red (late) from three quarters of it. */
export const AMBER_SHARE = 0.5;
export const RED_SHARE = 0.75;

/**
 * When the order entered its current status: `status_since`, else the last history entry;
 * without either (list reads and events of an older server carry no history), a new order
 * counts from its order time and a later one from its last change (only a new order can be
 * edited, so a preparing or ready order last changed when it moved there).
 */
export function stageSince(order: RushOrder): string {
  if (order.status_since) return order.status_since;
  let last: string | null = null;
  for (const e of order.history ?? []) if (last === null || ms(e.at) >= ms(last)) last = e.at;
  if (last !== null) return last;
  if (order.status !== 'new' && order.updated_at && !Number.isNaN(ms(order.updated_at))) return order.updated_at;
  return order.order_time;
}

/** Milliseconds in the current stage at `now` (never negative). */
export function stageMs(order: RushOrder, now: number): number {
  const d = now - ms(stageSince(order));
  return Number.isNaN(d) ? 0 : Math.max(0, d);
}

/** The minutes promised for this order. */
export function promiseMinutes(order: RushOrder, rules: RushRules): number {
  const m = order.eta_minutes ?? rules.shopEtaMinutes;
  return m !== null && m > 0 ? m : FALLBACK_PROMISE_MINUTES;
}

export type Level = 'fresh' | 'amber' | 'red';

const RANK: Record<Level, number> = { fresh: 0, amber: 1, red: 2 };

function worst(a: Level, b: Level): Level {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isActive(status: OrderStatus): boolean {
  return status === 'new' || status === 'preparing' || status === 'ready';
}

/**
 * How late an open order looks at `now`: its whole age against the promise (amber at
 * 50 %, red at 75 %); in Ready also the wait for a rider against the Ready thresholds.
 */
export function level(order: RushOrder, now: number, rules: RushRules): Level {
  if (!isActive(order.status)) return 'fresh';
  const ageMin = (now - ms(order.order_time)) / 60_000;
  const promise = promiseMinutes(order, rules);
  let l: Level = 'fresh';
  if (!Number.isNaN(ageMin)) {
    if (ageMin >= promise * RED_SHARE) l = 'red';
    else if (ageMin >= promise * AMBER_SHARE) l = 'amber';
  }
  if (order.status === 'ready') {
    const waitMin = stageMs(order, now) / 60_000;
    const w: Level = waitMin >= rules.readyRedMinutes ? 'red' : waitMin >= rules.readyAmberMinutes ? 'amber' : 'fresh';
    l = worst(l, w);
  }
  return l;
}

/** Late: red, shown as the word LATE as well as the colour. */
export function isLate(order: RushOrder, now: number, rules: RushRules): boolean {
  return level(order, now, rules) === 'red';
}

/** A column's order: late tickets first, then the rest; each part oldest first. */
export function orderColumn<T extends RushOrder>(orders: readonly T[], now: number, rules: RushRules): T[] {
  const late = new Set(orders.filter((o) => isLate(o, now, rules)).map((o) => o.id));
  return [...orders].sort(
    (a, b) =>
      Number(late.has(b.id)) - Number(late.has(a.id)) || ms(a.order_time) - ms(b.order_time) || a.id - b.id,
  );
}

/** The strip's entries: new orders nobody has acknowledged yet, oldest first. */
export function unacknowledged<T extends RushOrder>(orders: Iterable<T>, alerting: ReadonlySet<number>): T[] {
  const out: T[] = [];
  for (const o of orders) if (o.status === 'new' && alerting.has(o.id)) out.push(o);
  return out.sort((a, b) => ms(a.order_time) - ms(b.order_time) || a.id - b.id);
}

/** A short item summary: the first line (`2× Chicken Tikka Large`), then `+N` more lines. */
export function itemSummary(order: Pick<OrderDto, 'items'>, lang: Lang): string {
  const [first, ...rest] = order.items;
  if (!first) return '';
  const label = first.deal ? '' : lineSizeLabel(first, lang);
  const size = label ? ` ${label}` : '';
  const head = `${first.quantity}× ${lineName(first, lang)}${size}`;
  return rest.length > 0 ? `${head} +${rest.length}` : head;
}

/** The last four digits of a phone number, or null. */
export function phoneTail(phone: string | null | undefined): string | null {
  if (!phone || phone === 'withheld') return null;
  const d = phone.replace(/\D/g, '');
  return d.length >= 4 ? d.slice(-4) : null;
}

/** A column's oldest ticket's age in ms (by order time), or null when empty. */
export function oldestAge(orders: readonly RushOrder[], now: number): number | null {
  let oldest: number | null = null;
  for (const o of orders) {
    const t = ms(o.order_time);
    if (!Number.isNaN(t) && (oldest === null || t < oldest)) oldest = t;
  }
  return oldest === null ? null : Math.max(0, now - oldest);
}
