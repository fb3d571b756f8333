import { describe, expect, it } from 'vitest';
import type { ChosenOption, DealPart, Half, MenuDto, OptionChoice, OrderDto, OrderItemDto, OrderRequest } from './api';
import { historyReason, MESSAGES } from './i18n';
import {
  buildRequest,
  changeSize,
  draftFromRequest,
  emptyDraft,
  findDeal,
  findItem,
  newDealLine,
  newItemLine,
  pickSlotItem,
  toggleOption,
  type Draft,
} from './order-builder';
import { canEdit, orderToRequest, phoneForEditing, requestToSave, WITHHELD } from './order-edit';
import { testMenu } from './testing/menu';
import { order as sampleOrder } from './testing/orders';
import { settings } from './testing/settings';

const menu = testMenu();
const item = (id: string) => findItem(menu, id)!;
const deal = (id: string) => findDeal(menu, id)!;
const group = (id: string) => menu.option_groups.find((g) => g.id === id)!;

// ---------------------------------------------------------------------------------------
// The server's side, as far as the shape goes: the order it makes from a request (its
// prices are not the point here, its names, sizes and contents are).

function chosen(m: MenuDto, options: readonly OptionChoice[] | undefined): ChosenOption[] {
  return (options ?? []).map((c) => {
    const g = m.option_groups.find((x) => x.id === c.group)!;
    const o = g.options.find((x) => x.id === c.option)!;
    return { group: g.id, group_name: g.name, group_name_ur: g.name_ur ?? null, option: o.id, name: o.name, name_ur: o.name_ur ?? null, price: 0 };
  });
}

function half(m: MenuDto, h: { item_id: string } | undefined): Half | null {
  if (!h) return null;
  const i = findItem(m, h.item_id)!;
  return { item_id: i.id, name: i.name, name_ur: i.name_ur ?? null };
}

/** The order the server would make of `request`: what `POST` or `PUT /api/orders` answers. */
function served(m: MenuDto, request: OrderRequest, over: Partial<OrderDto> = {}): OrderDto {
  const items: OrderItemDto[] = request.items.map((l) => {
    const common = { quantity: l.quantity ?? 1, unit_price: 100_000, line_total: 100_000 * (l.quantity ?? 1), note: l.note ?? null };
    if (l.deal_id !== undefined) {
      const d = findDeal(m, l.deal_id)!;
      const parts: DealPart[] = (l.choices ?? []).map((c) => {
        const slot = d.slots.find((s) => s.id === c.slot)!;
        const i = findItem(m, c.item_id)!;
        const size = i.sizes.find((s) => s.id === (c.size_id ?? slot.sizes[0]))!;
        return {
          slot: slot.id,
          slot_label: slot.label,
          slot_label_ur: slot.label_ur ?? null,
          item_id: i.id,
          name: i.name,
          name_ur: i.name_ur ?? null,
          kind: i.kind,
          size_id: size.id,
          size_label: size.label,
          options: chosen(m, c.options),
          half: half(m, c.half),
          surcharge: slot.surcharges?.[i.id] ?? 0,
        };
      });
      return {
        item_id: d.id,
        name: d.name,
        ...(d.name_ur ? { name_ur: d.name_ur } : {}),
        kind: 'deal',
        size_id: '',
        size_label: '',
        options: [],
        half: null,
        deal: { deal_id: d.id, parts },
        ...common,
      };
    }
    const i = findItem(m, l.item_id!)!;
    const size = i.sizes.find((s) => s.id === (l.size_id ?? i.sizes[0]!.id))!;
    return {
      item_id: i.id,
      name: i.name,
      ...(i.name_ur ? { name_ur: i.name_ur } : {}),
      kind: i.kind,
      size_id: size.id,
      size_label: size.label,
      options: chosen(m, l.options),
      half: half(m, l.half),
      deal: null,
      ...common,
    };
  });
  const f = request.fulfilment!;
  const zone = f.type === 'delivery' && f.zone_id ? { zone_id: f.zone_id, zone_name: 'Gulberg', zone_name_ur: 'گلبرگ' } : { zone_id: null, zone_name: null, zone_name_ur: null };
  const total = items.reduce((sum, l) => sum + l.line_total, 0);
  const pays = request.payment?.pays_with ?? null;
  return sampleOrder({
    items,
    total,
    address: f.type === 'delivery' ? f.address : '',
    landmark: f.type === 'delivery' ? (f.landmark ?? null) : null,
    fulfilment:
      f.type === 'delivery'
        ? { type: 'delivery', address: f.address, landmark: f.landmark ?? null, ...zone }
        : { type: 'pickup', pickup_in_minutes: f.pickup_in_minutes ?? null },
    payment: { method: request.payment?.method ?? 'cash', pays_with: pays, change: pays === null ? null : pays - total },
    customer_name: request.customer_name ?? null,
    customer_phone: request.customer_phone ?? null,
    note: request.note ?? null,
    ...over,
  });
}

// ---------------------------------------------------------------------------------------

/**
 * Built in the builder: deal 3 with Malai Boti (stuffed crust, extra cheese) and a Coke; deal 5
 * with a half-and-half and a plain large; two half-and-half large pizzas with a note and an
 * extra; delivery to a zone, cash paid with a Rs 5,000 note.
 */
function deliveryDraft(): Draft {
  const draft = emptyDraft(settings());
  const d3 = newDealLine(menu, deal('deal-3'));
  const pizza = d3.slots.pizza![0]!;
  pickSlotItem(pizza, deal('deal-3').slots[0]!, item('malai-boti'));
  pizza.options = toggleOption(pizza.options, group('crust'), 'stuffed');
  pizza.options = toggleOption(pizza.options, group('extras'), 'cheese');
  d3.note = 'cut in 8';

  const d5 = newDealLine(menu, deal('deal-5'));
  d5.quantity = 2;
  const [first, second] = d5.slots.pizzas!;
  pickSlotItem(first!, deal('deal-5').slots[0]!, item('chicken-tikka'));
  changeSize(menu, first!, 'large');
  first!.half_id = 'chicken-fajita';
  pickSlotItem(second!, deal('deal-5').slots[0]!, item('pepperoni'));
  changeSize(menu, second!, 'large');
  second!.options = toggleOption(second!.options, group('remove'), 'no-onion');

  const halves = newItemLine(item('chicken-tikka'));
  changeSize(menu, halves, 'large');
  halves.half_id = 'malai-boti';
  halves.quantity = 2;
  halves.note = 'less spicy';
  halves.options = toggleOption(halves.options, group('extras'), 'olives');

  draft.lines.push(d3, d5, halves, newItemLine(item('garlic-bread')));
  draft.address = 'House 12, Street 4, Gulberg III';
  draft.landmark = 'near Hafeez Centre';
  draft.zone_id = 'gulberg';
  draft.payment = 'cash';
  draft.pays_with = '5000';
  draft.customer_name = 'Ali Raza';
  draft.customer_phone = '+923001234567';
  draft.note = 'ring the bell twice';
  return draft;
}

function pickupDraft(): Draft {
  const draft = emptyDraft(settings());
  const line = newItemLine(item('chicken-fajita'));
  changeSize(menu, line, 'medium');
  line.options = toggleOption(line.options, group('crust'), 'thin');
  draft.lines.push(line);
  draft.fulfilment = 'pickup';
  draft.pickup_minutes = '25';
  draft.payment = 'card';
  return draft;
}

/** A draft's contents without the keys `{#each}` uses (new ones each time). */
function withoutKeys(draft: Draft): unknown {
  return JSON.parse(JSON.stringify(draft, (k, v: unknown) => (k === 'key' ? undefined : v)));
}

describe('an order turned back into its request', () => {
  it('round trip: the builder’s request, the order the server makes of it, and back to the same request', () => {
    const sent = buildRequest(menu, deliveryDraft());
    expect(sent.problems).toEqual([]);
    const order = served(menu, sent.request);

    const again = orderToRequest(order);
    // The same order; the server names each deal choice's size, one-size slots included.
    expect(again).toEqual({
      ...sent.request,
      items: sent.request.items.map((l) =>
        l.deal_id === 'deal-3'
          ? { ...l, choices: l.choices!.map((c) => (c.slot === 'drink' || c.slot === 'pizza' ? { ...c, size_id: c.slot === 'drink' ? '345ml' : 'large' } : c)) }
          : l,
      ),
    });
    expect(again.payment).toEqual({ method: 'cash', pays_with: 500_000 });
    expect(again.fulfilment).toEqual({ type: 'delivery', address: 'House 12, Street 4, Gulberg III', landmark: 'near Hafeez Centre', zone_id: 'gulberg' });
    expect(again.items[1]).toEqual({
      deal_id: 'deal-5',
      quantity: 2,
      choices: [
        { slot: 'pizzas', item_id: 'chicken-tikka', size_id: 'large', half: { item_id: 'chicken-fajita' } },
        { slot: 'pizzas', item_id: 'pepperoni', size_id: 'large', options: [{ group: 'remove', option: 'no-onion' }] },
      ],
    });

    // Opened in the builder, it is the draft it was made from, and sends the same request.
    const draft = draftFromRequest(menu, again, settings());
    expect(withoutKeys(draft)).toEqual(withoutKeys(deliveryDraft()));
    expect(buildRequest(menu, draft)).toEqual(sent);
    // Saved unchanged, the server makes the same order again.
    expect(served(menu, buildRequest(menu, draft).request, { id: order.id })).toEqual(order);
  });

  it('round trip for a pickup paid by card, collected in 25 minutes', () => {
    const sent = buildRequest(menu, pickupDraft()).request;
    const again = orderToRequest(served(menu, sent));
    expect(again).toEqual(sent);
    expect(again).toEqual({
      items: [{ item_id: 'chicken-fajita', size_id: 'medium', quantity: 1, options: [{ group: 'crust', option: 'thin' }] }],
      fulfilment: { type: 'pickup', pickup_in_minutes: 25 },
      payment: { method: 'card' },
    });
    expect(withoutKeys(draftFromRequest(menu, again, settings()))).toEqual(withoutKeys(pickupDraft()));
  });

  it('leaves out what the order does not have, and takes the server’s names for nothing', () => {
    const order = sampleOrder({
      landmark: null,
      customer_name: null,
      customer_phone: null,
      fulfilment: { type: 'delivery', address: 'House 1, Model Town', landmark: null, zone_id: null, zone_name: null, zone_name_ur: null },
      payment: { method: 'wallet', pays_with: null, change: null },
      note: '',
    });
    expect(orderToRequest(order)).toEqual({
      items: [{ item_id: 'chicken-tikka', size_id: 'large', quantity: 2 }],
      fulfilment: { type: 'delivery', address: 'House 1, Model Town' },
      payment: { method: 'wallet' },
    });
    const pickupNow = sampleOrder({ fulfilment: { type: 'pickup', pickup_in_minutes: null } });
    expect(orderToRequest(pickupNow).fulfilment).toEqual({ type: 'pickup' });
    expect(draftFromRequest(menu, orderToRequest(pickupNow))).toMatchObject({ fulfilment: 'pickup', pickup_minutes: '', address: '' });
  });

  it('shows a pays-with note with paisa as rupees with two decimals', () => {
    const order = sampleOrder({ payment: { method: 'cash', pays_with: 500_050, change: 60_250 } });
    expect(orderToRequest(order).payment).toEqual({ method: 'cash', pays_with: 500_050 });
    expect(draftFromRequest(menu, orderToRequest(order)).pays_with).toBe('5000.50');
  });
});

describe('a request opened in the builder', () => {
  it('fills each deal slot to its count, and keeps choices the menu no longer has a slot for', () => {
    const draft = draftFromRequest(menu, {
      items: [
        { deal_id: 'deal-5', quantity: 1, choices: [{ slot: 'pizzas', item_id: 'chicken-tikka', size_id: 'medium' }] },
        { deal_id: 'deal-3', choices: [{ slot: 'dessert', item_id: 'garlic-bread', size_id: 'regular' }, { slot: 'drink', item_id: 'coca-cola' }] },
      ],
    });
    const [d5, d3] = draft.lines;
    expect(d5).toMatchObject({ type: 'deal', deal_id: 'deal-5', quantity: 1 });
    if (d5?.type !== 'deal' || d3?.type !== 'deal') throw new Error('deal lines expected');
    expect(d5.slots.pizzas!.map((c) => [c.item_id, c.size_id])).toEqual([
      ['chicken-tikka', 'medium'],
      ['', ''],
    ]);
    // Quantity 1 when left out; a one-size slot's size; the unknown slot kept after the menu's.
    expect(d3.quantity).toBe(1);
    expect(d3.slots.drink!.map((c) => c.size_id)).toEqual(['345ml']);
    expect(d3.slots.pizza!.map((c) => c.item_id)).toEqual(['']);
    expect(d3.slots.dessert!.map((c) => c.item_id)).toEqual(['garlic-bread']);
    expect(buildRequest(menu, draft).request.items[1]).toEqual({
      deal_id: 'deal-3',
      quantity: 1,
      choices: [
        { slot: 'drink', item_id: 'coca-cola' },
        { slot: 'dessert', item_id: 'garlic-bread', size_id: 'regular' },
      ],
    });
  });

  it('gives an item its only size when the request left it out, and reads the earlier address shape', () => {
    const draft = draftFromRequest(menu, { items: [{ item_id: 'garlic-bread' }], address: 'House 9, DHA', landmark: 'near the mosque' });
    expect(draft.lines[0]).toMatchObject({ type: 'item', item_id: 'garlic-bread', size_id: 'regular', quantity: 1, note: '', half_id: null });
    expect(draft).toMatchObject({ fulfilment: 'delivery', address: 'House 9, DHA', landmark: 'near the mosque', payment: 'cash' });
  });
});

describe('a withheld number', () => {
  const withheld = sampleOrder({ customer_phone: WITHHELD, source: 'phone' });

  it('shows as an empty phone, and stays withheld when none is typed', () => {
    const request = phoneForEditing(orderToRequest(withheld));
    expect(request).not.toHaveProperty('customer_phone');
    expect(draftFromRequest(menu, request).customer_phone).toBe('');
    const built = buildRequest(menu, draftFromRequest(menu, request)).request;
    expect(requestToSave(built, withheld).customer_phone).toBe(WITHHELD);
  });

  it('gives way to a number typed, and is not added to an order that had none', () => {
    const typed = { ...orderToRequest(withheld), customer_phone: '0300 7654321' };
    expect(requestToSave(typed, withheld).customer_phone).toBe('0300 7654321');
    const none = phoneForEditing(orderToRequest(sampleOrder({ customer_phone: null })));
    expect(requestToSave(none, sampleOrder({ customer_phone: null }))).toEqual(none);
    const known = orderToRequest(sampleOrder());
    expect(phoneForEditing(known)).toBe(known);
    expect(known.customer_phone).toBe('+923001234567');
  });
});

describe('which orders can be changed', () => {
  it('only a new one', () => {
    expect(canEdit('new')).toBe(true);
    for (const s of ['preparing', 'ready', 'delivered', 'cancelled'] as const) expect(canEdit(s), s).toBe(false);
  });
});

describe('the words of changing an order', () => {
  it('has them in English and in Urdu, the Urdu without Latin letters', () => {
    const pick = (lang: 'en' | 'ur') => {
      const t = MESSAGES[lang];
      return [
        t.ticket.edit,
        t.builder.editTitle(12),
        t.builder.editing,
        t.builder.save,
        t.builder.saving,
        t.builder.revert,
        t.builder.confirmRevert,
        t.builder.loadingOrder,
        t.builder.cancelledMeanwhile,
        t.apiErrors.order_not_editable,
        t.order.reasons.changed!,
        t.order.reasons.undo!,
      ];
    };
    const en = pick('en');
    const ur = pick('ur');
    for (const text of ur) {
      expect(text).toMatch(/[\u0600-\u06FF]/);
      expect(text).not.toMatch(/[A-Za-z]/);
    }
    for (const text of en) expect(text).not.toMatch(/[\u0600-\u06FF]/);
    expect(MESSAGES.en.builder.editTitle(12)).toBe('Editing order #12');
    expect(MESSAGES.ur.builder.editTitle(12)).toContain('#12');
    expect(MESSAGES.en.apiErrors.order_not_editable).toBe('This order is already being made and can no longer be changed.');
  });

  it('words the server’s history reasons, and keeps a cancel’s reason as the staff typed it', () => {
    expect(historyReason('changed', 'en')).toBe('Order changed');
    expect(historyReason('changed', 'ur')).toBe(MESSAGES.ur.order.reasons.changed);
    expect(historyReason('undo', 'ur')).toBe(MESSAGES.ur.order.reasons.undo);
    expect(historyReason('Customer cancelled', 'ur')).toBe('Customer cancelled');
    expect(historyReason('constructor', 'en')).toBe('constructor');
  });
});
