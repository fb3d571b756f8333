// An order changed after it was placed (the caller rang back: the phone AI's amend_order, or
// an edit on the dashboard). The server says when and what (`changed`, each change in
// English and Urdu); these pure functions decide when the board alerts again and what the
// CHANGED badge says.

import type { OrderDto } from './api';
import type { Lang } from './i18n';
import { ms } from './time';

type Changed = Pick<OrderDto, 'changed'>;

/** When the order last changed (ms), or null when it never was. */
export function changedAt(order: Changed | undefined): number | null {
  const at = order?.changed?.at;
  if (!at) return null;
  const t = ms(at);
  return Number.isNaN(t) ? null : t;
}

/**
 * Whether `incoming` carries a change the board has not seen in `known`: a `new` order
 * whose latest change is newer than the one known (or the first). Such an order alerts
 * again, like a new order, until someone takes it. An order the board did not know is a
 * new arrival, not a change.
 */
export function isNewChange(known: (Changed & Pick<OrderDto, 'status'>) | undefined, incoming: OrderDto): boolean {
  if (!known || incoming.status !== 'new') return false;
  const now = changedAt(incoming);
  if (now === null || (incoming.changed?.what.length ?? 0) === 0) return false;
  const before = changedAt(known);
  return before === null || now > before;
}

/** Ids of `new` orders whose change in `after` is newer than in `before` (changed while away). */
export function changedSince(before: ReadonlyMap<number, OrderDto>, after: ReadonlyMap<number, OrderDto>): number[] {
  const ids: number[] = [];
  for (const [id, o] of after) if (isNewChange(before.get(id), o)) ids.push(id);
  return ids;
}

/** What the order's latest change changed, in `lang` (Urdu falls back to English only when the server sent none). */
export function changeTexts(order: Changed, lang: Lang): string[] {
  return (order.changed?.what ?? []).map((w) => (lang === 'ur' && w.ur.trim() !== '' ? w.ur : w.en));
}
