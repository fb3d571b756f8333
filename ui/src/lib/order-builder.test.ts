import { describe, expect, it } from 'vitest';
import type { FieldProblem } from './api';
import {
  attemptFor,
  buildRequest,
  canOrder,
  canToggle,
  changeSize,
  clampQuantity,
  emptyDraft,
  findDeal,
  findItem,
  groupsOf,
  halfAllowed,
  halfCandidates,
  nameParams,
  newDealLine,
  newIdempotencyKey,
  newItemLine,
  normalizeMenu,
  offeredOptions,
  optionPrice,
  part,
  partKeys,
  pickSlotItem,
  placeProblems,
  QUOTE_ADDRESS,
  slotItems,
  slotSizes,
  surcharge,
  toggleOption,
  type Draft,
} from './order-builder';
import { testMenu } from './testing/menu';
import { settings } from './testing/settings';

const menu = testMenu();
const item = (id: string) => findItem(menu, id)!;
const deal = (id: string) => findDeal(menu, id)!;
const group = (id: string) => menu.option_groups.find((g) => g.id === id)!;

function problem(field: string, code: string, params: Record<string, string> = {}): FieldProblem {
  return { field, code, params, message: 'in English' };
}

/** A deal 3 with Malai Boti (stuffed crust, extra cheese) and a Coca-Cola, and a half-and-half large. */
function sampleDraft(): Draft {
  const draft = emptyDraft(settings());
  const d = newDealLine(menu, deal('deal-3'));
  const pizza = d.slots.pizza![0]!;
  pickSlotItem(pizza, deal('deal-3').slots[0]!, item('malai-boti'));
  pizza.options = toggleOption(pizza.options, group('crust'), 'stuffed');
  pizza.options = toggleOption(pizza.options, group('extras'), 'cheese');
  const half = newItemLine(item('chicken-tikka'));
  changeSize(menu, half, 'large');
  half.half_id = 'chicken-fajita';
  half.note = '  less spicy ';
  draft.lines.push(d, half);
  draft.address = 'House 12, Street 4, Gulberg III';
  draft.zone_id = 'gulberg';
  draft.pays_with = '5,000';
  draft.customer_name = 'Ali';
  return draft;
}

describe('what the menu allows', () => {
  it('reads a menu from a server without option groups or deals', () => {
    const items = menu.items.slice(0, 1);
    expect(normalizeMenu({ items })).toEqual({ items, option_groups: [], deals: [] });
  });

  it('prices an option by size, and offers a per-size option only in its sizes', () => {
    const [thin, stuffed] = group('crust').options;
    expect(optionPrice(thin!, 'small')).toBe(0);
    expect(optionPrice(stuffed!, 'large')).toBe(35_000);
    expect(optionPrice(stuffed!, 'small')).toBeNull();
    expect(optionPrice(group('remove').options[0]!, 'large')).toBe(0);
    expect(offeredOptions(group('crust'), 'small').map((o) => o.id)).toEqual(['thin']);
    expect(offeredOptions(group('crust'), 'medium').map((o) => o.id)).toEqual(['thin', 'stuffed']);
  });

  it('lists an item’s option groups in its order', () => {
    expect(groupsOf(menu, item('chicken-tikka')).map((g) => g.id)).toEqual(['crust', 'extras', 'remove']);
    expect(groupsOf(menu, item('garlic-bread'))).toEqual([]);
    expect(groupsOf(menu, undefined)).toEqual([]);
  });

  it('allows half and half only for pizzas that take it, in their half sizes', () => {
    expect(halfAllowed(item('chicken-tikka'), 'large')).toBe(true);
    expect(halfAllowed(item('chicken-tikka'), 'small')).toBe(false);
    expect(halfAllowed(item('pepperoni'), 'large')).toBe(false);
    expect(halfAllowed(item('garlic-bread'), 'regular')).toBe(false);
    expect(halfCandidates(menu, item('chicken-tikka'), 'large').map((i) => i.id)).toEqual([
      'chicken-fajita',
      'malai-boti',
      'veggie',
    ]);
    expect(halfCandidates(menu, item('pepperoni'), 'large')).toEqual([]);
    expect(halfCandidates(menu, item('chicken-tikka'), 'small')).toEqual([]);
  });

  it('knows what is sold out', () => {
    expect(canOrder(item('veggie'))).toBe(false);
    expect(canOrder(item('coca-cola'))).toBe(true);
    expect(canOrder(item('coca-cola'), '1.5l')).toBe(false);
    expect(canOrder(item('coca-cola'), '345ml')).toBe(true);
  });

  it('fills a deal’s slot from its kind or items, less the excluded, in its sizes, with surcharges', () => {
    const [pizzaSlot, drinkSlot] = deal('deal-3').slots;
    expect(slotItems(menu, pizzaSlot!).map((i) => i.id)).toEqual(['chicken-tikka', 'chicken-fajita', 'malai-boti', 'veggie']);
    expect(slotItems(menu, drinkSlot!).map((i) => i.id)).toEqual(['coca-cola']);
    expect(slotItems(menu, { ...pizzaSlot!, kind: undefined, items: ['pepperoni', 'veggie'] }).map((i) => i.id)).toEqual(['veggie']);
    expect(slotSizes(pizzaSlot!, item('chicken-tikka')).map((s) => s.id)).toEqual(['large']);
    expect(surcharge(pizzaSlot!, 'malai-boti')).toBe(15_000);
    expect(surcharge(pizzaSlot!, 'chicken-tikka')).toBe(0);
  });
});

describe('editing', () => {
  it('starts an item in its first size in stock', () => {
    expect(newItemLine(item('chicken-tikka'))).toMatchObject({ type: 'item', item_id: 'chicken-tikka', size_id: 'small', quantity: 1 });
    const cola = { ...item('coca-cola'), sizes: [...item('coca-cola').sizes].reverse() };
    expect(newItemLine(cola).size_id).toBe('345ml');
  });

  it('starts a deal with every slot empty, but one that can hold only one thing', () => {
    const line = newDealLine(menu, deal('deal-3'));
    expect(line.slots.pizza).toHaveLength(1);
    expect(line.slots.pizza![0]!.item_id).toBe('');
    expect(line.slots.drink![0]).toMatchObject({ item_id: 'coca-cola', size_id: '345ml' });
    expect(newDealLine(menu, deal('deal-5')).slots.pizzas).toHaveLength(2);
  });

  it('keeps to a group’s maximum: one replaces the other, more are refused', () => {
    let options = toggleOption([], group('crust'), 'thin');
    options = toggleOption(options, group('crust'), 'stuffed');
    expect(options).toEqual([{ group: 'crust', option: 'stuffed' }]);
    options = toggleOption(options, group('extras'), 'cheese');
    options = toggleOption(options, group('extras'), 'olives');
    expect(canToggle(options, group('extras'), group('extras').options[2]!)).toBe(false);
    expect(toggleOption(options, group('extras'), 'jalapeno')).toEqual(options);
    options = toggleOption(options, group('extras'), 'cheese');
    expect(options).toEqual([
      { group: 'crust', option: 'stuffed' },
      { group: 'extras', option: 'olives' },
    ]);
  });

  it('refuses a sold-out option, but lets a chosen one come off', () => {
    const jalapeno = group('extras').options[2]!;
    expect(canToggle([], group('extras'), jalapeno)).toBe(false);
    expect(canToggle([{ group: 'extras', option: 'jalapeno' }], group('extras'), jalapeno)).toBe(true);
  });

  it('drops options and halves a new size does not offer', () => {
    const line = newItemLine(item('chicken-tikka'));
    changeSize(menu, line, 'large');
    line.options = [
      { group: 'crust', option: 'stuffed' },
      { group: 'extras', option: 'cheese' },
    ];
    line.half_id = 'chicken-fajita';
    changeSize(menu, line, 'medium');
    expect(line.half_id).toBe('chicken-fajita');
    expect(line.options).toHaveLength(2);
    changeSize(menu, line, 'small');
    expect(line.options).toEqual([{ group: 'extras', option: 'cheese' }]);
    expect(line.half_id).toBeNull();
  });

  it('keeps quantities from 1 to 20', () => {
    expect(clampQuantity(0)).toBe(1);
    expect(clampQuantity(21)).toBe(20);
    expect(clampQuantity(3)).toBe(3);
  });
});

describe('the request', () => {
  it('is the order as the contract has it', () => {
    const { request, problems, choiceRefs } = buildRequest(menu, sampleDraft());
    expect(problems).toEqual([]);
    expect(request).toEqual({
      items: [
        {
          deal_id: 'deal-3',
          quantity: 1,
          choices: [
            {
              slot: 'pizza',
              item_id: 'malai-boti',
              options: [
                { group: 'crust', option: 'stuffed' },
                { group: 'extras', option: 'cheese' },
              ],
            },
            { slot: 'drink', item_id: 'coca-cola' },
          ],
        },
        { item_id: 'chicken-tikka', size_id: 'large', quantity: 1, half: { item_id: 'chicken-fajita' }, note: 'less spicy' },
      ],
      fulfilment: { type: 'delivery', address: 'House 12, Street 4, Gulberg III', zone_id: 'gulberg' },
      payment: { method: 'cash', pays_with: 500_000 },
      customer_name: 'Ali',
    });
    expect(choiceRefs).toEqual([[{ slot: 'pizza', n: 0 }, { slot: 'drink', n: 0 }], []]);
  });

  it('sends a deal’s size only when its slot has more than one, and leaves empty choices out', () => {
    const draft = emptyDraft();
    const line = newDealLine(menu, deal('deal-5'));
    pickSlotItem(line.slots.pizzas![1]!, deal('deal-5').slots[0]!, item('chicken-fajita'));
    draft.lines.push(line);
    const built = buildRequest(menu, draft);
    expect(built.request.items[0]!.choices).toEqual([{ slot: 'pizzas', item_id: 'chicken-fajita', size_id: 'medium' }]);
    expect(built.choiceRefs[0]).toEqual([{ slot: 'pizzas', n: 1 }]);
  });

  it('quotes a delivery before its address is typed, but places it as typed', () => {
    const draft = sampleDraft();
    draft.address = '  ';
    expect(buildRequest(menu, draft, { forQuote: true }).request.fulfilment).toEqual({
      type: 'delivery',
      address: QUOTE_ADDRESS,
      zone_id: 'gulberg',
    });
    expect(buildRequest(menu, draft).request.fulfilment).toEqual({ type: 'delivery', address: '', zone_id: 'gulberg' });
  });

  it('sends a pickup with its minutes, and no note to pay with but for cash', () => {
    const draft = sampleDraft();
    draft.fulfilment = 'pickup';
    draft.pickup_minutes = '30';
    draft.payment = 'card';
    const { request } = buildRequest(menu, draft);
    expect(request.fulfilment).toEqual({ type: 'pickup', pickup_in_minutes: 30 });
    expect(request.payment).toEqual({ method: 'card' });
  });

  it('names amounts that are not amounts, and leaves them out', () => {
    const draft = sampleDraft();
    draft.pays_with = 'five thousand';
    draft.fulfilment = 'pickup';
    draft.pickup_minutes = 'soon';
    const { request, problems } = buildRequest(menu, draft);
    expect(request.payment).toEqual({ method: 'cash' });
    expect(request.fulfilment).toEqual({ type: 'pickup' });
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['fulfilment.pickup_in_minutes', 'whole_number'],
      ['payment.pays_with', 'rupee_amount'],
    ]);
  });

  it('pays cash by default, or the shop’s first method when it takes no cash', () => {
    expect(emptyDraft(settings()).payment).toBe('cash');
    expect(emptyDraft(settings({ payment_methods: ['card', 'wallet'] })).payment).toBe('card');
    expect(emptyDraft(null).payment).toBe('cash');
  });
});

describe('where the server’s problems show', () => {
  const draft = sampleDraft();
  const built = buildRequest(menu, draft);
  const shown = partKeys(menu, draft);
  const place = (...ps: FieldProblem[]) => placeProblems(ps, built, shown, menu);
  const at = (p: FieldProblem) => Object.keys(place(p).byPart);

  it('puts an option problem beside its group, inside a deal too', () => {
    expect(at(problem('items[0].choices[0].options[1].option', 'sold_out'))).toEqual([part.choiceGroup(0, 'pizza', 0, 'extras')]);
    expect(at(problem('items[0].choices[0].options', 'too_many_options', { group: 'crust' }))).toEqual([
      part.choiceGroup(0, 'pizza', 0, 'crust'),
    ]);
    expect(at(problem('items[1].options', 'too_few_options', { group: 'crust' }))).toEqual([part.group(1, 'crust')]);
    // The server names the group by its name.
    expect(at(problem('items[1].options', 'too_many_options', { group: 'Extras', min: '0', max: '2' }))).toEqual([
      part.group(1, 'extras'),
    ]);
  });

  it('puts an item, size or half problem beside that choice', () => {
    expect(at(problem('items[0].choices[0].item_id', 'slot_item_not_allowed'))).toEqual([part.choice(0, 'pizza', 0)]);
    expect(at(problem('items[0].choices[1].size_id', 'sold_out'))).toEqual([part.choiceField(0, 'drink', 0, 'size_id')]);
    expect(at(problem('items[1].half.item_id', 'half_not_allowed'))).toEqual([part.lineField(1, 'half')]);
    expect(at(problem('items[1].size_id', 'sold_out'))).toEqual([part.lineField(1, 'size_id')]);
    expect(at(problem('items[1].item_id', 'sold_out'))).toEqual([part.line(1)]);
    expect(at(problem('items[0].deal_id', 'deal_not_available_now'))).toEqual([part.line(0)]);
  });

  it('puts a slot’s count beside the slot', () => {
    expect(at(problem('items[0].choices', 'slot_wrong_count', { slot: 'pizza', count: '1', given: '0' }))).toEqual([
      part.slot(0, 'pizza'),
    ]);
    // The server names the slot by its label.
    expect(at(problem('items[0].choices', 'slot_wrong_count', { slot: '345 ml drink', count: '1', given: '2' }))).toEqual([
      part.slot(0, 'drink'),
    ]);
    expect(at(problem('items[0].choices[1].slot', 'unknown_slot'))).toEqual([part.choice(0, 'drink', 0)]);
  });

  it('puts the order’s own problems beside their fields', () => {
    expect(at(problem('fulfilment.zone_id', 'zone_required'))).toEqual(['fulfilment.zone_id']);
    expect(at(problem('payment.pays_with', 'pays_with_below_total'))).toEqual(['payment.pays_with']);
    expect(at(problem('address', 'address_required'))).toEqual(['fulfilment.address']);
    expect(at(problem('items[1].quantity', 'out_of_range'))).toEqual([part.lineField(1, 'quantity')]);
    expect(at(problem('items', 'required'))).toEqual(['items']);
  });

  it('falls back to the nearest part shown, or leaves it by the button', () => {
    // An option of a group the item does not offer: beside the line.
    expect(at(problem('items[1].options[0].group', 'unknown_option_group'))).toEqual([part.line(1)]);
    expect(at(problem('items[7].size_id', 'unknown_size'))).toEqual(['items']);
    expect(at(problem('items[0].choices[5].item_id', 'unknown_item'))).toEqual([part.line(0)]);
    expect(at(problem('fulfilment.type', 'pickup_not_offered'))).toEqual(['fulfilment']);
    const placed = place(problem('shop_open', 'invalid'), problem('items[1].size_id', 'sold_out'));
    expect(placed.unplaced.map((p) => p.field)).toEqual(['shop_open']);
    expect(Object.keys(placed.byPart)).toEqual([part.lineField(1, 'size_id')]);
  });

  it('knows the parts a draft shows', () => {
    expect(shown.has(part.choiceGroup(0, 'pizza', 0, 'remove'))).toBe(true);
    expect(shown.has(part.choiceGroup(0, 'drink', 0, 'crust'))).toBe(false);
    expect(shown.has(part.group(1, 'extras'))).toBe(true);
    expect(shown.has(part.slot(0, 'drink'))).toBe(true);
  });
});

describe('naming the menu in a problem', () => {
  const zones = settings().delivery_zones;

  it('puts ids and English names in the screen’s language', () => {
    const p = problem('items[0].options[0].option', 'option_not_offered', { option: 'stuffed', allowed: 'thin,stuffed' });
    expect(nameParams(p, menu, zones, 'ur').params).toEqual({ option: 'اسٹفڈ کرسٹ', allowed: 'پتلا کرسٹ، اسٹفڈ کرسٹ' });
    expect(nameParams(p, menu, zones, 'en').params).toEqual({ option: 'Stuffed crust', allowed: 'Thin crust, Stuffed crust' });
    expect(nameParams(problem('x', 'sold_out', { name: 'Malai Boti' }), menu, zones, 'ur').params.name).toBe('ملائی بوٹی');
    expect(nameParams(problem('x', 'unknown_zone', { allowed: 'gulberg, dha' }), menu, zones, 'ur').params.allowed).toBe('گلبرگ، DHA');
    expect(nameParams(problem('x', 'slot_wrong_count', { slot: 'pizza', count: '1' }), menu, zones, 'ur').params).toEqual({
      slot: 'لارج پیزا',
      count: '1',
    });
  });

  it('names a sold-out size with its item, and drops the server’s “none”', () => {
    expect(nameParams(problem('x', 'sold_out', { name: 'Chicken Tikka Large 13"' }), menu, zones, 'ur').params.name).toBe(
      'چکن تکہ Large 13"',
    );
    expect(nameParams(problem('x', 'unknown_option_group', { given: 'sauce', allowed: 'none' }), menu, zones, 'ur').params).toEqual({
      given: 'sauce',
    });
  });

  it('leaves what it does not know, and numbers, as they are', () => {
    const p = problem('x', 'unknown_item', { given: 'chicken-supreme', allowed: 'chicken-tikka' });
    expect(nameParams(p, menu, zones, 'ur').params).toEqual({ given: 'chicken-supreme', allowed: 'چکن تکہ' });
    expect(nameParams(problem('x', 'below_minimum_order', { minimum: '100000' }), menu, zones, 'ur').params).toEqual({
      minimum: '100000',
    });
  });
});

describe('placing it once', () => {
  it('makes version-4 UUIDs', () => {
    const key = newIdempotencyKey((b) => b.fill(0xff));
    expect(key).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });

  it('keeps the key for the same order (a retry) and takes a new one for a changed order', () => {
    let n = 0;
    const keys = () => `key-${++n}`;
    const { request } = buildRequest(menu, sampleDraft());
    const first = attemptFor(request, null, keys);
    expect(first.key).toBe('key-1');
    expect(attemptFor(structuredClone(request), first, keys)).toBe(first);
    const changed = attemptFor({ ...request, note: 'ring twice' }, first, keys);
    expect(changed.key).toBe('key-2');
  });
});
