import { describe, expect, it } from 'vitest';
import type { MenuDto } from './api';
import { newDeal, newSlot, newSurcharge, newWindow, slotCandidates, slotItemChoices } from './menu-deals';
import {
  displayName,
  fromDraft,
  newItem,
  newSize,
  removeGroup,
  removeItem,
  removeSize,
  shownPaths,
  sizeChoices,
  slugify,
  toDraft,
  toggle,
  type MenuDraft,
} from './menu-draft';
import { newGroup, newOption, newPrice } from './menu-groups';

/** The shape of the contract (docs/menus-and-orders.md), every optional part used once. */
const menu: MenuDto = {
  items: [
    {
      id: 'chicken-tikka',
      name: 'Chicken Tikka',
      name_ur: 'چکن تکہ',
      kind: 'pizza',
      description: 'Tikka chicken, onion, green chilli',
      available: true,
      sizes: [
        { id: 'medium', label: 'Medium 10"', price: 149_900, available: true },
        { id: 'large', label: 'Large 13"', price: 219_900, available: false },
      ],
      option_groups: ['crust'],
      half_and_half: true,
      half_sizes: ['large'],
    },
    {
      id: 'malai-boti',
      name: 'Malai Boti',
      kind: 'pizza',
      available: true,
      sizes: [{ id: 'large', label: 'Large 13"', price: 239_900, available: true }],
      half_and_half: true,
    },
    { id: 'coca-cola', name: 'Coca-Cola', kind: 'drink', available: false, sizes: [{ id: '1.5l', label: '1.5 L', price: 32_050, available: true }] },
  ],
  option_groups: [
    {
      id: 'crust',
      name: 'Crust',
      name_ur: 'کرسٹ',
      min: 0,
      max: 1,
      options: [
        { id: 'thin', name: 'Thin crust', price: 0, available: true },
        { id: 'stuffed', name: 'Stuffed crust', prices: { medium: 25_000, large: 35_000 }, available: false },
        { id: 'plain', name: 'Plain', available: true },
      ],
    },
  ],
  deals: [
    {
      id: 'deal-3',
      name: 'Deal 3',
      name_ur: 'ڈیل 3',
      description: 'Midnight deal',
      price: 234_900,
      available: true,
      hours: [{ days: ['fri', 'sat'], from: '23:00', to: '03:00' }],
      slots: [
        {
          id: 'pizza',
          label: 'Large pizza',
          label_ur: 'لارج پیزا',
          count: 1,
          kind: 'pizza',
          exclude_items: ['chicken-tikka'],
          sizes: ['large'],
          surcharges: { 'malai-boti': 15_000 },
        },
        { id: 'drink', label: '1.5 L drink', count: 1, items: ['coca-cola'], sizes: ['1.5l'] },
      ],
    },
  ],
};

function sent(draft: MenuDraft): MenuDto {
  const out = fromDraft(draft);
  if (!out.ok) throw new Error(`expected ok, got ${JSON.stringify(out.check.problems)}`);
  return out.menu;
}

function problems(draft: MenuDraft): Record<string, string | null> {
  const out = fromDraft(draft);
  if (out.ok) throw new Error('expected problems');
  return Object.fromEntries(out.check.problems.map((p) => [p.field, p.code]));
}

describe('menu draft', () => {
  it('round-trips the whole menu — items, option groups, deals — through rupee text unchanged', () => {
    const draft = toDraft(menu);
    expect(draft.items[0]!.sizes[1]!.price).toBe('2199');
    expect(draft.items[2]!.sizes[0]!.price).toBe('320.50');
    expect(draft.groups[0]!.options[1]!.prices.map((p) => [p.size, p.price])).toEqual([
      ['medium', '250'],
      ['large', '350'],
    ]);
    expect(draft.deals[0]!.slots[0]!.choice).toBe('except');
    expect(draft.deals[0]!.slots[1]!.choice).toBe('only');
    expect(sent(draft)).toEqual(menu);
  });

  it('reads today’s menu shape (items only, no sold-out sizes) and sends it in the new one', () => {
    const old = { items: [{ id: 'veggie', name: 'Veggie', kind: 'pizza', available: true, sizes: [{ id: 'small', label: 'Small', price: 69_900 }] }] };
    const out = sent(toDraft(old as unknown as MenuDto));
    expect(out).toEqual({
      items: [{ id: 'veggie', name: 'Veggie', kind: 'pizza', available: true, sizes: [{ id: 'small', label: 'Small', price: 69_900, available: true }] }],
      option_groups: [],
      deals: [],
    });
  });

  it('sends edited prices in paisa and leaves out emptied optional texts', () => {
    const draft = toDraft(menu);
    draft.items[0]!.sizes[0]!.price = '1,549';
    draft.items[0]!.name_ur = '  ';
    draft.items[0]!.description = '';
    draft.deals[0]!.description = ' ';
    const out = sent(draft);
    expect(out.items[0]!.sizes[0]!.price).toBe(154_900);
    expect(out.items[0]).not.toHaveProperty('name_ur');
    expect(out.items[0]).not.toHaveProperty('description');
    expect(out.deals[0]).not.toHaveProperty('description');
  });

  it('marks sold out items, sizes and options, and back', () => {
    const draft = toDraft(menu);
    draft.items[0]!.available = false;
    draft.items[0]!.sizes[1]!.available = true;
    draft.groups[0]!.options[0]!.available = false;
    draft.deals[0]!.available = false;
    const out = sent(draft);
    expect(out.items[0]!.available).toBe(false);
    expect(out.items[0]!.sizes[1]!.available).toBe(true);
    expect(out.option_groups[0]!.options[0]!.available).toBe(false);
    expect(out.deals[0]!.available).toBe(false);
  });

  it('names every amount that is not rupees and every count that is not a number by its server path', () => {
    const draft = toDraft(menu);
    draft.items[0]!.sizes[1]!.price = 'abc';
    draft.items[2]!.sizes[0]!.price = '';
    draft.groups[0]!.max = 'one';
    draft.groups[0]!.options[0]!.price = '1.234';
    draft.groups[0]!.options[1]!.prices[0]!.price = 'x';
    draft.deals[0]!.price = '';
    draft.deals[0]!.slots[1]!.count = '-1';
    draft.deals[0]!.slots[0]!.surcharges[0]!.amount = 'lots';
    draft.deals[0]!.hours[0]!.to = '';
    expect(problems(draft)).toEqual({
      'items[0].sizes[1].price': 'rupees',
      'items[2].sizes[0].price': 'rupees',
      'option_groups[0].max': 'whole_number',
      'option_groups[0].options[0].price': 'rupees',
      'option_groups[0].options[1].prices': 'rupees',
      'deals[0].price': 'rupees',
      'deals[0].slots[1].count': 'whole_number',
      'deals[0].slots[0].surcharges': 'rupees',
      'deals[0].hours[0].to': 'required',
    });
  });

  it('gives new rows ids from their names, and links an item to a new group by the group’s name', () => {
    const draft: MenuDraft = { items: [newItem('side')], groups: [newGroup()], deals: [] };
    const item = draft.items[0]!;
    item.name = 'Garlic Bread';
    item.sizes[0]!.label = 'Regular';
    item.sizes[0]!.price = '450';
    const group = draft.groups[0]!;
    item.groups.push(group.key);
    group.name = 'Dip';
    group.options[0]!.name = 'Garlic Mayo';
    group.options[0]!.price = '60';
    // Renamed after ticking: the item follows.
    group.name = 'Extra Dip';
    expect(sent(draft)).toEqual({
      items: [
        {
          id: 'garlic-bread',
          name: 'Garlic Bread',
          kind: 'side',
          available: true,
          sizes: [{ id: 'regular', label: 'Regular', price: 45_000, available: true }],
          option_groups: ['extra-dip'],
        },
      ],
      option_groups: [{ id: 'extra-dip', name: 'Extra Dip', min: 0, max: 1, options: [{ id: 'garlic-mayo', name: 'Garlic Mayo', price: 6000, available: true }] }],
      deals: [],
    });
  });

  it('prices an option once, per size, both, or not at all', () => {
    const draft = toDraft(menu);
    const opt = newOption();
    opt.name = 'Extra cheese';
    opt.prices.push(newPrice('medium'), newPrice('large'));
    opt.prices[0]!.price = '150';
    opt.prices[1]!.price = '200';
    draft.groups[0]!.options.push(opt);
    expect(sent(draft).option_groups[0]!.options[3]).toEqual({
      id: 'extra-cheese',
      name: 'Extra cheese',
      prices: { medium: 15_000, large: 20_000 },
      available: true,
    });
    opt.price = '100';
    expect(sent(draft).option_groups[0]!.options[3]!.price).toBe(10_000);
    // A per-size row without a size, or a size twice.
    opt.prices.push(newPrice());
    opt.prices[2]!.price = '1';
    expect(problems(draft)).toEqual({ 'option_groups[0].options[3].prices': 'required' });
    opt.prices[2]!.size = 'large';
    expect(problems(draft)).toEqual({ 'option_groups[0].options[3].prices': 'invalid' });
  });

  it('builds a deal: hours across midnight, slots of a kind, some items or all but some, sizes and surcharges', () => {
    const draft = toDraft(menu);
    const deal = newDeal();
    draft.deals.push(deal);
    deal.name = 'Midnight Deal';
    deal.price = '1999';
    const window = newWindow();
    window.days = ['sun', 'mon'];
    window.from = '22:00';
    window.to = '02:00';
    deal.hours.push(window);
    const pizza = deal.slots[0]!;
    pizza.label = 'Large pizza';
    pizza.choice = 'except';
    pizza.items = [draft.items[0]!.key];
    pizza.sizes = ['large'];
    pizza.surcharges.push(newSurcharge());
    pizza.surcharges[0]!.item = draft.items[1]!.key;
    pizza.surcharges[0]!.amount = '150';
    const drink = newSlot('drink');
    drink.label = 'Drink';
    drink.count = '2';
    drink.sizes = ['1.5l'];
    deal.slots.push(drink);
    expect(sent(draft).deals[1]).toEqual({
      id: 'midnight-deal',
      name: 'Midnight Deal',
      price: 199_900,
      available: true,
      // Days in the week's order, whatever order they were ticked in.
      hours: [{ days: ['mon', 'sun'], from: '22:00', to: '02:00' }],
      slots: [
        {
          id: 'large-pizza',
          label: 'Large pizza',
          count: 1,
          kind: 'pizza',
          exclude_items: ['chicken-tikka'],
          sizes: ['large'],
          surcharges: { 'malai-boti': 15_000 },
        },
        { id: 'drink', label: 'Drink', count: 2, kind: 'drink', sizes: ['1.5l'] },
      ],
    });
    // A surcharge row must name its item.
    pizza.surcharges[0]!.item = null;
    expect(problems(draft)).toEqual({ 'deals[1].slots[0].surcharges': 'required' });
  });

  it('offers a slot the items and sizes that can fill it', () => {
    const draft = toDraft(menu);
    const slot = newSlot('pizza');
    expect(slotCandidates(slot, draft.items).map((i) => i.id)).toEqual(['chicken-tikka', 'malai-boti']);
    slot.choice = 'except';
    slot.items = [draft.items[0]!.key];
    expect(slotCandidates(slot, draft.items).map((i) => i.id)).toEqual(['malai-boti']);
    slot.choice = 'only';
    slot.items = [draft.items[2]!.key];
    expect(slotCandidates(slot, draft.items).map((i) => i.id)).toEqual(['coca-cola']);
    // The tick list keeps showing a ticked item of another kind, so it can be unticked.
    expect(slotItemChoices(slot, draft.items).map((i) => i.id)).toEqual(['chicken-tikka', 'malai-boti', 'coca-cola']);
    expect(sizeChoices(slotCandidates(slot, draft.items))).toEqual([{ id: '1.5l', label: '1.5 L' }]);
    expect(sizeChoices(draft.items).map((s) => s.id)).toEqual(['medium', 'large', '1.5l']);
  });

  it('drops references to removed items, groups and sizes', () => {
    const draft = toDraft(menu);
    removeGroup(draft, draft.groups[0]!.key);
    removeSize(draft.items[0]!, draft.items[0]!.sizes[1]!.key);
    removeItem(draft, draft.items[1]!.key);
    const out = sent(draft);
    expect(out.option_groups).toEqual([]);
    expect(out.items[0]).not.toHaveProperty('option_groups');
    expect(out.items[0]!.half_and_half).toBe(true);
    expect(out.items[0]).not.toHaveProperty('half_sizes');
    expect(out.deals[0]!.slots[0]).not.toHaveProperty('surcharges');
  });

  it('sends half-and-half sizes only while half-and-half is on', () => {
    const draft = toDraft(menu);
    const item = draft.items[0]!;
    item.sizes.push(newSize());
    item.sizes[2]!.label = 'Family 16"';
    item.sizes[2]!.price = '2999';
    toggle(item.half_sizes, item.sizes[2]!.key, true);
    toggle(item.half_sizes, item.sizes[2]!.key, true);
    expect(sent(draft).items[0]!.half_sizes).toEqual(['large', 'family-16']);
    item.half_and_half = false;
    const out = sent(draft).items[0]!;
    expect(out).not.toHaveProperty('half_and_half');
    expect(out).not.toHaveProperty('half_sizes');
  });

  it('shows a problem at each field the server may name', () => {
    const paths = shownPaths(toDraft(menu));
    for (const p of [
      'items[0].sizes[1].available',
      'items[0].option_groups',
      'items[0].half_sizes',
      'option_groups[0].options[1].prices',
      'option_groups[0].min',
      'deals[0].hours[0].days',
      'deals[0].slots[0].sizes',
      'deals[0].slots[0].exclude_items',
      'deals[0].slots[1].items',
      'deals[0].slots[1].surcharges',
      'deals',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(paths).not.toContain('deals[0].slots[0].items');
    expect(paths).not.toContain('deals[1]');
  });

  it('names things in the screen’s language and makes ids the server accepts', () => {
    expect(displayName({ name: 'Crust', name_ur: 'کرسٹ' }, 'ur')).toBe('کرسٹ');
    expect(displayName({ name: 'Crust', name_ur: ' ' }, 'ur')).toBe('Crust');
    expect(displayName({ name: 'Crust', name_ur: 'کرسٹ' }, 'en')).toBe('Crust');
    expect(slugify('Chicken Tikka')).toBe('chicken-tikka');
    expect(slugify('  Pepsi 1.5 L ')).toBe('pepsi-1.5-l');
    expect(slugify('Large 13"')).toBe('large-13');
    expect(slugify('فجیتا')).toBe('');
  });
});
