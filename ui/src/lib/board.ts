// The kitchen board's state, as plain data and pure functions (no DOM, no Svelte): which
// orders we know, how events and re-fetches change them, how they fall into columns, how
// old a ticket looks, and what a search matches.

import type { KitchenEvent, OrderDto, OrderStatus } from './api';
import { isNewChange } from './changed';
import { ms } from './time';

/** Every order the board knows, by id. Never mutated: each change returns a new map. */
export type Orders = ReadonlyMap<number, OrderDto>;

export const EMPTY: Orders = new Map();

/** A frame of `WS /api/events`: the kitchen's events plus the stream's own. */
export type Frame = KitchenEvent | { type: 'hello' } | { type: 'resync'; missed?: number };

/** The status one tap moves an order to, where it does not depend on delivery or pickup. */
export const NEXT_STATUS: Readonly<Partial<Record<OrderStatus, OrderStatus>>> = {
  new: 'preparing',
  preparing: 'ready',
  out_for_delivery: 'delivered',
};

/**
 * The status one tap moves this order to: a ready delivery goes out (with a rider, when the
 * shop has riders: one button per rider), a ready pickup is collected at the counter.
 */
export function nextStatus(order: Pick<OrderDto, 'status' | 'fulfilment'>): OrderStatus | undefined {
  if (order.status === 'ready') return order.fulfilment.type === 'pickup' ? 'collected' : 'out_for_delivery';
  return NEXT_STATUS[order.status];
}

/** Final statuses: the order has left the board. */
export function isFinal(status: OrderStatus): boolean {
  return status === 'delivered' || status === 'collected' || status === 'returned' || status === 'cancelled';
}

export const ACTIVE_STATUSES = ['new', 'preparing', 'ready'] as const satisfies readonly OrderStatus[];

/** Cancelling is allowed from new or preparing (the server refuses it later). */
export function canCancel(status: OrderStatus): boolean {
  return status === 'new' || status === 'preparing';
}

/** True when `incoming` is at least as recent as `known` (events can arrive out of order). */
export function isCurrent(incoming: OrderDto, known: OrderDto | undefined): boolean {
  if (!known) return true;
  const a = ms(incoming.updated_at);
  const b = ms(known.updated_at);
  if (Number.isNaN(a) || Number.isNaN(b)) return true;
  return a >= b;
}

/** Adds or updates one order, unless what we hold is newer. Returns `orders` itself if unchanged. */
export function upsert(orders: Orders, order: OrderDto): Orders {
  if (!isCurrent(order, orders.get(order.id))) return orders;
  const next = new Map(orders);
  next.set(order.id, order);
  return next;
}

/** The result of a full re-fetch: exactly the fetched orders (duplicates across lists merged). */
export function replaceAll(fetched: Iterable<OrderDto>): Orders {
  let next: Orders = EMPTY;
  for (const o of fetched) next = upsert(next, o);
  return next;
}

/**
 * A re-fetch's answer combined with the order events that arrived while it was in flight:
 * the fetch is the truth, except where an event is newer than what it returned.
 */
export function reconcile(fetched: Iterable<OrderDto>, arrivedMeanwhile: Iterable<OrderDto>): Orders {
  let next = replaceAll(fetched);
  for (const o of arrivedMeanwhile) next = upsert(next, o);
  return next;
}

/** What a frame asks of the board. */
export type FrameEffect = {
  orders: Orders;
  /** The board must re-fetch everything (a new connection, or the server dropped events). */
  refetch: boolean;
  /** The order a frame carried, if any (after merging). */
  order?: OrderDto;
  /** A new order arrived live (alert). */
  created?: OrderDto;
  /** A new order was changed (the caller rang back): it alerts again. */
  changed?: OrderDto;
};

/** Applies one stream frame to the orders. */
export function applyFrame(orders: Orders, frame: Frame): FrameEffect {
  switch (frame.type) {
    case 'hello':
    case 'resync':
      return { orders, refetch: true };
    case 'order.created': {
      const known = orders.has(frame.order.id);
      const next = upsert(orders, frame.order);
      return {
        orders: next,
        refetch: false,
        order: frame.order,
        created: known || frame.order.status !== 'new' ? undefined : frame.order,
      };
    }
    case 'order.updated': {
      const known = orders.get(frame.order.id);
      const next = upsert(orders, frame.order);
      return {
        orders: next,
        refetch: false,
        order: frame.order,
        changed: next !== orders && isNewChange(known, frame.order) ? frame.order : undefined,
      };
    }
    default:
      return { orders, refetch: false };
  }
}

/** The board's columns. */
export type Columns = Record<OrderStatus, OrderDto[]>;

function byAge(a: OrderDto, b: OrderDto): number {
  return ms(a.order_time) - ms(b.order_time) || a.id - b.id;
}

function byLastChangeDesc(a: OrderDto, b: OrderDto): number {
  return ms(b.updated_at) - ms(a.updated_at) || b.id - a.id;
}

/** Where an order shows: out-for-delivery ones under Ready (with their rider), collected
 * pickups with the delivered, returned orders with the cancelled. */
const COLUMN_OF: Record<OrderStatus, OrderStatus> = {
  new: 'new',
  preparing: 'preparing',
  ready: 'ready',
  out_for_delivery: 'ready',
  delivered: 'delivered',
  collected: 'delivered',
  returned: 'cancelled',
  cancelled: 'cancelled',
};

/** Ready ones first, oldest first; then those on the road, the longest out first. */
function readyThenOut(a: OrderDto, b: OrderDto): number {
  const out = (o: OrderDto) => (o.status === 'out_for_delivery' ? 1 : 0);
  if (out(a) !== out(b)) return out(a) - out(b);
  if (out(a) === 1) return ms(a.rider?.dispatched_at ?? a.updated_at) - ms(b.rider?.dispatched_at ?? b.updated_at) || a.id - b.id;
  return byAge(a, b);
}

/**
 * Orders into columns: active ones oldest first (the next to make at the top), whatever
 * their day, with the ones out for delivery at the end of Ready; finished ones of `today`
 * only, latest change first (collected with delivered, returned with cancelled).
 */
export function toColumns(orders: Iterable<OrderDto>, today: string | null): Columns {
  const cols: Columns = {
    new: [],
    preparing: [],
    ready: [],
    out_for_delivery: [],
    delivered: [],
    collected: [],
    returned: [],
    cancelled: [],
  };
  for (const o of orders) {
    if (isFinal(o.status) && today !== null && o.business_date !== today) continue;
    cols[COLUMN_OF[o.status]].push(o);
  }
  cols.new.sort(byAge);
  cols.preparing.sort(byAge);
  cols.ready.sort(readyThenOut);
  cols.delivered.sort(byLastChangeDesc);
  cols.cancelled.sort(byLastChangeDesc);
  return cols;
}

export type Thresholds = { amberAfterMinutes: number; redAfterMinutes: number };
export const DEFAULT_THRESHOLDS: Thresholds = { amberAfterMinutes: 5, redAfterMinutes: 10 };

export type Urgency = 'fresh' | 'amber' | 'red';

/** How late a ticket looks `now`: amber from `amberAfterMinutes`, red from `redAfterMinutes`. */
export function urgency(orderTime: string, now: number, t: Thresholds): Urgency {
  const minutes = (now - ms(orderTime)) / 60_000;
  if (Number.isNaN(minutes)) return 'fresh';
  if (minutes >= t.redAfterMinutes) return 'red';
  if (minutes >= t.amberAfterMinutes) return 'amber';
  return 'fresh';
}

/** Digits of a Pakistani number in international form: `0300-1234567` → `923001234567`. */
export function phoneDigits(text: string): string {
  const d = text.replace(/\D/g, '');
  if (d.startsWith('0092')) return d.slice(2);
  if (d.startsWith('0')) return `92${d.slice(1)}`;
  return d;
}

/**
 * Whether an order matches what was typed in the search box: `#17` or `17` is order number
 * 17; three or more digits also match the end of the phone number (`4567`, `0300 1234567`,
 * `+92 300 1234567`). An empty search matches everything.
 */
export function matchesSearch(order: OrderDto, search: string): boolean {
  const q = search.trim();
  if (q === '') return true;
  const numberOnly = /^#\s*(\d+)$/.exec(q);
  if (numberOnly) return order.number === Number(numberOnly[1]);
  if (!/^[+\d\s()-]+$/.test(q)) return false;
  const raw = q.replace(/\D/g, '');
  if (raw === '') return false;
  if (!q.startsWith('+') && !q.startsWith('0') && raw.length <= 4 && order.number === Number(raw)) return true;
  if (raw.length < 3 || !order.customer_phone) return false;
  const phone = phoneDigits(order.customer_phone);
  // The digits as typed (the end of the number), or a whole local number (0300…) in
  // international form.
  return phone.endsWith(raw) || phone.endsWith(phoneDigits(q));
}

/** Ids of orders waiting to be acknowledged, kept only while they are still new. */
export function pruneAlerts(alerting: ReadonlySet<number>, orders: Orders): Set<number> {
  const next = new Set<number>();
  for (const id of alerting) if (orders.get(id)?.status === 'new') next.add(id);
  return next;
}

/** New orders in `after` that `before` did not have (orders that came in while we were away). */
export function arrivedSince(before: Orders, after: Orders): number[] {
  const ids: number[] = [];
  for (const [id, o] of after) if (o.status === 'new' && !before.has(id)) ids.push(id);
  return ids;
}
