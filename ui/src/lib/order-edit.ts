// Changing an order already placed (while it is still `new`): the order as the server shows
// it turned back into the request that makes it, so the builder opens with it and
// `PUT /api/orders/{id}` sends the whole order again, re-priced by the server.

import type { ChosenOption, DealChoice, LineRequest, OptionChoice, OrderDto, OrderItemDto, OrderRequest, OrderStatus } from './api';

/** Only an order nobody has started making can be changed (the server refuses it later). */
export function canEdit(status: OrderStatus): boolean {
  return status === 'new';
}

function choices(options: readonly ChosenOption[]): { options?: OptionChoice[] } {
  return options.length > 0 ? { options: options.map((o) => ({ group: o.group, option: o.option })) } : {};
}

function text(key: string, value: string | null | undefined): Record<string, string> {
  return value === null || value === undefined || value.trim() === '' ? {} : { [key]: value };
}

function lineToRequest(line: OrderItemDto): LineRequest {
  const note = text('note', line.note);
  if (line.deal !== null) {
    const picked: DealChoice[] = line.deal.parts.map((p) => ({
      slot: p.slot,
      item_id: p.item_id,
      size_id: p.size_id,
      ...choices(p.options),
      ...(p.half ? { half: { item_id: p.half.item_id } } : {}),
    }));
    return { deal_id: line.deal.deal_id, quantity: line.quantity, choices: picked, ...note };
  }
  return {
    item_id: line.item_id,
    size_id: line.size_id,
    quantity: line.quantity,
    ...choices(line.options),
    ...(line.half ? { half: { item_id: line.half.item_id } } : {}),
    ...note,
  };
}

/**
 * The request that makes `order` as it is: its lines (options, halves, notes; a deal's
 * choices slot by slot), delivery or pickup, payment with the note paid with, customer and
 * note. Sent back unchanged, the server makes the same order (priced by today's menu).
 */
export function orderToRequest(order: OrderDto): OrderRequest {
  const f = order.fulfilment;
  const fulfilment: NonNullable<OrderRequest['fulfilment']> =
    f.type === 'pickup'
      ? { type: 'pickup', ...(f.pickup_in_minutes !== null ? { pickup_in_minutes: f.pickup_in_minutes } : {}) }
      : { type: 'delivery', address: f.address, ...text('landmark', f.landmark), ...text('zone_id', f.zone_id) };
  const payment: NonNullable<OrderRequest['payment']> = {
    method: order.payment.method,
    ...(order.payment.pays_with !== null ? { pays_with: order.payment.pays_with } : {}),
  };
  return {
    items: order.items.map(lineToRequest),
    fulfilment,
    payment,
    ...text('customer_name', order.customer_name),
    ...text('customer_phone', order.customer_phone),
    ...text('note', order.note),
  };
}

/** How the server marks a caller who hid their number. */
export const WITHHELD = 'withheld';

/**
 * A phone order's caller hid their number: the builder shows the phone empty (not the
 * server's English word), and a phone still left empty keeps it withheld when saved.
 */
export function phoneForEditing(request: OrderRequest): OrderRequest {
  if (request.customer_phone !== WITHHELD) return request;
  const { customer_phone: _withheld, ...rest } = request;
  return rest;
}

/** The request to save: the builder's, with a withheld number kept when no phone was typed. */
export function requestToSave(built: OrderRequest, order: Pick<OrderDto, 'customer_phone'>): OrderRequest {
  if (order.customer_phone === WITHHELD && (built.customer_phone ?? '').trim() === '') {
    return { ...built, customer_phone: WITHHELD };
  }
  return built;
}
