import { describe, expect, it } from 'vitest';
import { lineSizeLabel, sizeLabel } from './order-builder';
import { changeOf, keyOf, search, soldOutCount, soldOutFirst, soldOutNow } from './sold-out';
import { testMenu } from './testing/menu';

describe('the sold-out panel', () => {
  it('sends one of the four shapes the server takes', () => {
    expect(changeOf({ kind: 'item', item_id: 'veggie' }, false)).toEqual({ item_id: 'veggie', available: false });
    expect(changeOf({ kind: 'size', item_id: 'coca-cola', size_id: '1.5l' }, true)).toEqual({
      item_id: 'coca-cola',
      size_id: '1.5l',
      available: true,
    });
    expect(changeOf({ kind: 'option', group: 'crust', option: 'stuffed' }, false)).toEqual({
      group: 'crust',
      option: 'stuffed',
      available: false,
    });
    expect(changeOf({ kind: 'deal', deal_id: 'deal-3' }, false)).toEqual({ deal_id: 'deal-3', available: false });
    expect(new Set(['item:a', keyOf({ kind: 'size', item_id: 'a', size_id: 'b' }), keyOf({ kind: 'option', group: 'a', option: 'b' })]).size).toBe(3);
  });

  it('lists what is sold out now, sizes named with their item, in the screen’s language', () => {
    const menu = testMenu();
    menu.items[6]!.sizes[1]!.label_ur = 'ڈیڑھ لیٹر';
    menu.deals[0]!.available = false;
    expect(soldOutNow(menu, 'en').map((s) => s.name)).toEqual(['Veggie', 'Coca-Cola 1.5 L', 'Jalapeño', menu.deals[0]!.name]);
    const ur = soldOutNow(menu, 'ur').map((s) => s.name);
    expect(ur.slice(0, 2)).toEqual(['ویجی', 'کوکا کولا ڈیڑھ لیٹر']);
    expect(ur[2], 'no Urdu name: the English one').toBe('Jalapeño');
    expect(soldOutCount(menu)).toBe(4);
    expect(soldOutCount(null)).toBe(0);
  });

  it('finds items by English or Urdu name or size, options by name or their group, and deals', () => {
    const menu = testMenu();
    menu.items[0]!.sizes[2]!.label_ur = 'بڑا 13 انچ';
    expect(search(menu, '  ').items).toHaveLength(menu.items.length);
    expect(search(menu, 'TIKKA').items.map((i) => i.id)).toEqual(['chicken-tikka']);
    expect(search(menu, 'تکہ').items.map((i) => i.id)).toEqual(['chicken-tikka']);
    expect(search(menu, 'بڑا').items.map((i) => i.id)).toEqual(['chicken-tikka']);
    expect(search(menu, '1.5 l').items.map((i) => i.id)).toEqual(['coca-cola']);
    const crust = search(menu, 'crust');
    expect(crust.items).toEqual([]);
    expect(crust.groups.map((g) => [g.group.id, g.options.map((o) => o.id)])).toEqual([['crust', ['thin', 'stuffed']]]);
    expect(search(menu, 'olive').groups.map((g) => [g.group.id, g.options.map((o) => o.id)])).toEqual([['extras', ['olives']]]);
    expect(search(menu, 'deal').deals.length).toBeGreaterThan(0);
    expect(search(menu, 'sushi')).toEqual({ items: [], groups: [], deals: [] });
  });

  it('puts items with anything sold out first, the rest in menu order', () => {
    expect(soldOutFirst(testMenu().items).map((i) => i.id)).toEqual([
      'veggie',
      'coca-cola',
      'chicken-tikka',
      'chicken-fajita',
      'malai-boti',
      'pepperoni',
      'garlic-bread',
    ]);
  });
});

describe('Urdu size labels', () => {
  it('are shown on an Urdu screen when the menu or the order has one, else the English label', () => {
    expect(sizeLabel({ label: 'Large 13"', label_ur: 'بڑا 13 انچ' }, 'ur')).toBe('بڑا 13 انچ');
    expect(sizeLabel({ label: 'Large 13"', label_ur: 'بڑا 13 انچ' }, 'en')).toBe('Large 13"');
    expect(sizeLabel({ label: 'Large 13"' }, 'ur')).toBe('Large 13"');
    expect(lineSizeLabel({ size_label: 'Dip', size_label_ur: 'ڈپ' }, 'ur')).toBe('ڈپ');
    expect(lineSizeLabel({ size_label: 'Dip' }, 'ur'), 'an order from before Urdu labels').toBe('Dip');
  });
});
