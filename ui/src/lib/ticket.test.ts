import { describe, expect, it } from 'vitest';
import type { ChosenOption, OrderItemDto } from './api';
import { hasNotes, isRemoval, latinRuns, lineName, optionWords, pizzaName } from './ticket';
import { order } from './testing/orders';

function option(group: string, name: string, name_ur: string | null = null): ChosenOption {
  return { group, group_name: group, group_name_ur: null, option: name.toLowerCase(), name, name_ur, price: 0 };
}

describe('a ticket’s words', () => {
  it('cuts a bill line’s Urdu description so its English sizes keep their order', () => {
    const ltr = (text: string) => latinRuns(text).filter((r) => r.ltr).map((r) => r.text);
    expect(ltr('ڈیل 3: ملائی بوٹی Large 13" · سٹفڈ کرسٹ + پیپسی 1.5 L')).toEqual(['3', 'Large 13"', '1.5 L']);
    expect(ltr('Coca-Cola 1.5 L + ½ چکن تکہ ½ Chicken Fajita Large 13"')).toEqual(['Coca-Cola 1.5 L', 'Chicken Fajita Large 13"']);
    expect(ltr('چکن تکہ')).toEqual([]);
    const text = 'ڈیل 3: ملائی بوٹی Large 13" · سٹفڈ کرسٹ';
    expect(latinRuns(text).map((r) => r.text).join('')).toBe(text);
    expect(latinRuns('')).toEqual([]);
  });

  it('writes halves as “½ one ½ other”, in the screen’s language', () => {
    const half = { item_id: 'chicken-fajita', name: 'Chicken Fajita', name_ur: 'چکن فجیٹا' };
    const line = { name: 'Chicken Tikka', name_ur: 'چکن تکہ', half };
    expect(pizzaName(line, 'en')).toBe('½ Chicken Tikka ½ Chicken Fajita');
    expect(pizzaName(line, 'ur')).toBe('½ چکن تکہ ½ چکن فجیٹا');
    expect(pizzaName({ name: 'Pepperoni', half: null }, 'ur')).toBe('Pepperoni');
  });

  it('marks the options that take something off', () => {
    expect(isRemoval(option('remove', 'Onion'))).toBe(true);
    expect(isRemoval(option('toppings', 'No onion'))).toBe(true);
    expect(isRemoval(option('no-veg', 'Onion'))).toBe(true);
    expect(isRemoval(option('crust', 'Stuffed crust'))).toBe(false);
    expect(isRemoval(option('extras', 'Nothing but cheese'))).toBe(false);
    expect(optionWords([option('crust', 'Stuffed crust', 'اسٹفڈ کرسٹ'), option('remove', 'No onion')], 'ur')).toEqual([
      { text: 'اسٹفڈ کرسٹ', removal: false },
      { text: 'No onion', removal: true },
    ]);
  });

  it('names a deal line by the deal, an item line by its pizza', () => {
    const base = order().items[0]!;
    const deal: OrderItemDto = { ...base, item_id: 'deal-3', name: 'Deal 3', name_ur: 'ڈیل 3', kind: 'deal', deal: { deal_id: 'deal-3', parts: [] } };
    expect(lineName(deal, 'ur')).toBe('ڈیل 3');
    expect(lineName({ ...base, half: { item_id: 'x', name: 'Veggie', name_ur: null } }, 'en')).toBe('½ Chicken Tikka ½ Veggie');
  });

  it('knows when an order carries notes', () => {
    expect(hasNotes(order())).toBe(false);
    expect(hasNotes(order({ note: 'ring twice' }))).toBe(true);
    const o = order();
    expect(hasNotes({ ...o, items: [{ ...o.items[0]!, note: 'less spicy' }] })).toBe(true);
  });
});
