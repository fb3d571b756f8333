// The recall tray: today's delivered and cancelled orders, the latest first, each of which
// can be brought back (a delivered one to Ready, a cancelled one to where it was cancelled
// from) with no time limit, unlike the 30-second undo. The server records it as `recall`.

import type { OrderDto } from './api';
import { stageSince } from './rush';
import { ms } from './time';

export function isFinished(o: Pick<OrderDto, 'status'>): boolean {
  return o.status === 'delivered' || o.status === 'cancelled';
}

/** When the order was delivered or cancelled (ms), for ordering and "how long ago". */
export function finishedAt(o: OrderDto): number {
  const t = ms(stageSince(o));
  return Number.isNaN(t) ? ms(o.updated_at) : t;
}

/** Today's (`today`, a business date) delivered and cancelled orders, the latest first. */
export function recallable(orders: Iterable<OrderDto>, today: string | null): OrderDto[] {
  const out: OrderDto[] = [];
  for (const o of orders) if (isFinished(o) && (today === null || o.business_date === today)) out.push(o);
  return out.sort((a, b) => finishedAt(b) - finishedAt(a) || b.id - a.id);
}

/** The order the R key brings back when there is nothing to undo: the last one delivered today. */
export function lastDelivered(orders: Iterable<OrderDto>, today: string | null): OrderDto | null {
  return recallable(orders, today).find((o) => o.status === 'delivered') ?? null;
}
