import { describe, expect, it } from 'vitest';
import type { MenuItem } from './api';
import { fromDraft, newItem, problemsByField, slugify, toDraft } from './menu-draft';

const menu: MenuItem[] = [
  {
    id: 'chicken-tikka',
    name: 'Chicken Tikka',
    name_ur: 'چکن تکہ',
    kind: 'pizza',
    available: true,
    sizes: [
      { id: 'small', label: 'Small 7"', price: 69_900, available: true },
      { id: 'large', label: 'Large 13"', price: 219_900, available: true },
    ],
  },
  { id: 'coca-cola', name: 'Coca-Cola', kind: 'drink', available: false, sizes: [{ id: '1.5l', label: '1.5 L', price: 32_050, available: true }] },
];

describe('menu draft', () => {
  it('round-trips a menu through rupee text unchanged', () => {
    const draft = toDraft(menu);
    expect(draft[0]!.sizes[1]!.price).toBe('2199');
    expect(draft[1]!.sizes[0]!.price).toBe('320.50');
    expect(fromDraft(draft, 'bad')).toEqual({ ok: true, items: menu });
  });

  it('sends edited prices in paisa and drops an emptied Urdu name', () => {
    const draft = toDraft(menu);
    draft[0]!.sizes[0]!.price = '749';
    draft[0]!.name_ur = '  ';
    const out = fromDraft(draft, 'bad');
    if (!out.ok) throw new Error('expected ok');
    expect(out.items[0]!.sizes[0]!.price).toBe(74_900);
    expect(out.items[0]).not.toHaveProperty('name_ur');
  });

  it('names every price that is not rupees by its server path', () => {
    const draft = toDraft(menu);
    draft[0]!.sizes[1]!.price = 'abc';
    draft[1]!.sizes[0]!.price = '';
    expect(fromDraft(draft, 'Enter rupees')).toEqual({
      ok: false,
      problems: { 'items[0].sizes[1].price': 'Enter rupees', 'items[1].sizes[0].price': 'Enter rupees' },
    });
  });

  it('gives new items and sizes ids from their names when left blank', () => {
    const item = newItem('side');
    item.name = 'Garlic Bread';
    item.sizes[0]!.label = 'Regular';
    item.sizes[0]!.price = '450';
    const out = fromDraft([item], 'bad');
    expect(out).toEqual({
      ok: true,
      items: [{ id: 'garlic-bread', name: 'Garlic Bread', kind: 'side', available: true, sizes: [{ id: 'regular', label: 'Regular', price: 45_000, available: true }] }],
    });
  });

  it('makes ids the server accepts', () => {
    expect(slugify('Chicken Tikka')).toBe('chicken-tikka');
    expect(slugify('  Pepsi 1.5 L ')).toBe('pepsi-1.5-l');
    expect(slugify('Large 13"')).toBe('large-13');
    expect(slugify('فجیتا')).toBe('');
  });

  it('keeps the first server problem of each field, worded in the screen’s language', () => {
    const fields = [
      { field: 'items[0].name', message: 'must not be empty', code: 'required', params: {} },
      { field: 'items[0].name', message: 'second', code: null, params: {} },
      { field: 'items[1].sizes[0].price', message: 'price must be positive', code: null, params: {} },
    ];
    expect(problemsByField(fields, 'en')).toEqual({
      'items[0].name': 'This is needed: please fill it in.',
      'items[1].sizes[0].price': 'price must be positive',
    });
    expect(problemsByField(fields, 'ur')).toEqual({
      'items[0].name': 'یہ خانہ بھرنا ضروری ہے۔',
      'items[1].sizes[0].price': 'یہ جواب قبول نہیں ہوا: اسے دیکھ کر دوبارہ کوشش کریں۔',
    });
  });
});
