import { describe, expect, it } from 'vitest';
import type { FieldProblem } from './api';
import { Check, basisPointsToPercentText } from './draft';
import { countByPart, inFieldUnits, parentPath, placeField, placeProblems } from './paths';

function problem(field: string, code: string | null, message = 'server words'): FieldProblem {
  return { field, code, message, params: {} };
}

describe('field paths', () => {
  it('steps up one part at a time', () => {
    expect(parentPath('deals[2].slots[0].sizes')).toBe('deals[2].slots[0]');
    expect(parentPath('deals[2].slots[0]')).toBe('deals[2].slots');
    expect(parentPath('deals[2]')).toBe('deals');
    expect(parentPath('deals')).toBeNull();
    expect(parentPath('option_groups[1].options[0].prices.large')).toBe('option_groups[1].options[0].prices');
    // An id with a dot in it: up through it, a step at a time.
    expect(parentPath('option_groups[1].options[0].prices.1.5l')).toBe('option_groups[1].options[0].prices.1');
    expect(parentPath('tax.rates_bp.card')).toBe('tax.rates_bp');
    expect(parentPath('hours.weekly.mon[0].from')).toBe('hours.weekly.mon[0]');
  });

  it('shows a problem at its field, or the nearest shown thing around it', () => {
    const shown = new Set(['deals', 'deals[0]', 'deals[0].slots[0].sizes', 'option_groups[1].options[0].prices', 'items[0].option_groups']);
    expect(placeField('deals[0].slots[0].sizes', shown)).toBe('deals[0].slots[0].sizes');
    expect(placeField('deals[0].slots[0].sizes[1]', shown)).toBe('deals[0].slots[0].sizes');
    expect(placeField('option_groups[1].options[0].prices.1.5l', shown)).toBe('option_groups[1].options[0].prices');
    expect(placeField('items[0].option_groups[2]', shown)).toBe('items[0].option_groups');
    expect(placeField('deals[0].slots[3].label', shown)).toBe('deals[0]');
    expect(placeField('deals[7].name', shown)).toBe('deals');
    expect(placeField('shop_name', shown)).toBeNull();
  });

  it('words the problems in the screen’s language at their places; the rest named by path in English only', () => {
    const shown = new Set(['items[0].name', 'deals[0].slots[0].sizes']);
    const problems = [
      problem('items[0].name', 'required'),
      problem('items[0].name', 'too_long'),
      problem('items[0].name', 'required'),
      problem('deals[0].slots[0].sizes[0]', 'a_code_from_a_newer_server', 'unknown size'),
      problem('menu', null, 'too many deals'),
    ];
    expect(placeProblems(problems, shown, 'en')).toEqual({
      at: {
        'items[0].name': 'This is needed: please fill it in. Too long: please shorten it.',
        'deals[0].slots[0].sizes': 'unknown size',
      },
      rest: ['menu: too many deals'],
    });
    const ur = placeProblems(problems, shown, 'ur');
    expect(ur.at['deals[0].slots[0].sizes']).toBe('یہ جواب قبول نہیں ہوا: اسے دیکھ کر دوبارہ کوشش کریں۔');
    expect(ur.rest).toEqual(['یہ جواب قبول نہیں ہوا: اسے دیکھ کر دوبارہ کوشش کریں۔']);
    expect(countByPart(ur.at)).toEqual({ items: 1, deals: 1 });
  });
});

describe('limits in the units a field is typed in', () => {
  const range = (field: string, min: string, max: string): FieldProblem => ({ field, code: 'out_of_range', message: '', params: { min, max } });

  it('says rupees for money and percent for tax rates, whatever the server counts in', () => {
    expect(inFieldUnits(range('delivery_zones[0].fee', '0', '1000000')).params).toEqual({ min: '0', max: '10000' });
    expect(inFieldUnits(range('deals[1].price', '1', '10000000')).params).toEqual({ min: '0.01', max: '100000' });
    expect(inFieldUnits(range('deals[0].slots[0].surcharges.malai-boti', '0', '50000')).params.max).toBe('500');
    expect(inFieldUnits(range('option_groups[0].options[1].prices.large', '0', '50000')).params.max).toBe('500');
    expect(inFieldUnits(range('tax.rates_bp.card', '0', '5000')).params).toEqual({ min: '0', max: '50' });
    // Counts and minutes stay as they are.
    const eta = range('delivery_zones[0].eta_minutes', '5', '180');
    expect(inFieldUnits(eta)).toBe(eta);
    expect(inFieldUnits(range('option_groups[0].max', '1', '10')).params.max).toBe('10');
    expect(placeProblems([range('delivery_zones[0].fee', '0', '1000000')], new Set(['delivery_zones[0].fee']), 'en').at).toEqual({
      'delivery_zones[0].fee': 'Use a number from 0 to 10000.',
    });
  });
});

describe('checks before sending', () => {
  it('reads rupees, whole numbers, percentages and times, naming each bad one', () => {
    const check = new Check();
    expect(check.rupees('1,250.5', 'a')).toBe(125_050);
    expect(check.optionalRupees(' ', 'b')).toBeUndefined();
    expect(check.whole('12', 'c')).toBe(12);
    expect(check.percent('16', 'd')).toBe(1600);
    expect(check.percent('2.5 %', 'd')).toBe(250);
    expect(check.percent('0.25', 'd')).toBe(25);
    expect(check.time('23:59', 'e')).toBe('23:59');
    expect(check.ok).toBe(true);
    check.rupees('Rs 5', 'f');
    check.whole('1.5', 'g');
    check.percent('16.255', 'h');
    check.time('', 'i');
    check.time('24:00', 'j');
    expect(check.problems.map((p) => [p.field, p.code])).toEqual([
      ['f', 'rupees'],
      ['g', 'whole_number'],
      ['h', 'percent'],
      ['i', 'required'],
      ['j', 'invalid'],
    ]);
  });

  it('shows basis points as the percentage typed', () => {
    expect(basisPointsToPercentText(1600)).toBe('16');
    expect(basisPointsToPercentText(250)).toBe('2.5');
    expect(basisPointsToPercentText(1155)).toBe('11.55');
    expect(basisPointsToPercentText(0)).toBe('0');
  });
});
