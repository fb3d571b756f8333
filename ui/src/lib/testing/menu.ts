// A menu for unit tests: pizzas with crusts, extras and removals, half-and-half, and deals.

import type { MenuDto, MenuItem } from '../api';

function pizza(id: string, name: string, name_ur: string, over: Partial<MenuItem> = {}): MenuItem {
  return {
    id,
    name,
    name_ur,
    kind: 'pizza',
    available: true,
    sizes: [
      { id: 'small', label: 'Small 7"', price: 75_000, available: true },
      { id: 'medium', label: 'Medium 10"', price: 145_000, available: true },
      { id: 'large', label: 'Large 13"', price: 219_900, available: true },
    ],
    option_groups: ['crust', 'extras', 'remove'],
    half_and_half: true,
    half_sizes: ['medium', 'large'],
    ...over,
  };
}

export function testMenu(): MenuDto {
  return {
    items: [
      pizza('chicken-tikka', 'Chicken Tikka', 'چکن تکہ'),
      pizza('chicken-fajita', 'Chicken Fajita', 'چکن فجیٹا'),
      pizza('malai-boti', 'Malai Boti', 'ملائی بوٹی'),
      pizza('pepperoni', 'Pepperoni', 'پیپرونی', { half_and_half: false }),
      pizza('veggie', 'Veggie', 'ویجی', { available: false }),
      {
        id: 'garlic-bread',
        name: 'Garlic Bread',
        name_ur: 'گارلک بریڈ',
        kind: 'side',
        available: true,
        sizes: [{ id: 'regular', label: '4 pcs', price: 39_900, available: true }],
      },
      {
        id: 'coca-cola',
        name: 'Coca-Cola',
        name_ur: 'کوکا کولا',
        kind: 'drink',
        available: true,
        sizes: [
          { id: '345ml', label: '345 ml', price: 13_000, available: true },
          { id: '1.5l', label: '1.5 L', price: 32_000, available: false },
        ],
      },
    ],
    option_groups: [
      {
        id: 'crust',
        name: 'Crust',
        name_ur: 'کرسٹ',
        min: 0,
        max: 1,
        options: [
          { id: 'thin', name: 'Thin crust', name_ur: 'پتلا کرسٹ', price: 0, available: true },
          { id: 'stuffed', name: 'Stuffed crust', name_ur: 'اسٹفڈ کرسٹ', prices: { medium: 25_000, large: 35_000 }, available: true },
        ],
      },
      {
        id: 'extras',
        name: 'Extras',
        name_ur: 'اضافی',
        min: 0,
        max: 2,
        options: [
          { id: 'cheese', name: 'Extra cheese', name_ur: 'اضافی چیز', price: 15_000, available: true },
          { id: 'olives', name: 'Olives', price: 8_000, available: true },
          { id: 'jalapeno', name: 'Jalapeño', price: 8_000, available: false },
        ],
      },
      {
        id: 'remove',
        name: 'Remove',
        name_ur: 'بغیر',
        min: 0,
        max: 3,
        options: [{ id: 'no-onion', name: 'No onion', name_ur: 'پیاز کے بغیر', available: true }],
      },
    ],
    deals: [
      {
        id: 'deal-3',
        name: 'Deal 3',
        name_ur: 'ڈیل 3',
        price: 234_900,
        available: true,
        slots: [
          {
            id: 'pizza',
            label: 'Large pizza',
            label_ur: 'لارج پیزا',
            count: 1,
            kind: 'pizza',
            exclude_items: ['pepperoni'],
            sizes: ['large'],
            surcharges: { 'malai-boti': 15_000 },
          },
          { id: 'drink', label: '345 ml drink', label_ur: 'مشروب', count: 1, kind: 'drink', sizes: ['345ml'] },
        ],
      },
      {
        id: 'deal-5',
        name: 'Deal 5',
        price: 399_900,
        available: true,
        slots: [{ id: 'pizzas', label: 'Two pizzas', count: 2, kind: 'pizza', sizes: ['medium', 'large'] }],
      },
    ],
  };
}
