import { describe, expect, it } from 'vitest';
import { formatMoney, formatRupees, paisaToRupeeText, parseRupees } from './money';

describe('money', () => {
  it('shows paisa as rupees with thousands separators', () => {
    expect(formatRupees(125_000)).toBe('Rs 1,250');
    expect(formatRupees(219_900)).toBe('Rs 2,199');
    expect(formatRupees(471_800)).toBe('Rs 4,718');
    expect(formatRupees(12_345_600)).toBe('Rs 123,456');
    expect(formatRupees(125_050)).toBe('Rs 1,250.5');
    expect(formatRupees(0)).toBe('Rs 0');
  });

  it('turns typed rupees into paisa', () => {
    expect(parseRupees('1250')).toBe(125_000);
    expect(parseRupees(' 1,250 ')).toBe(125_000);
    expect(parseRupees('1250.5')).toBe(125_050);
    expect(parseRupees('1250.05')).toBe(125_005);
    expect(parseRupees('0.99')).toBe(99);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '-5', '12.345', '1e3', 'Rs 100', '12..5']) expect(parseRupees(bad)).toBeNull();
  });

  it('round-trips prices for editing', () => {
    for (const p of [125_000, 125_050, 99, 32_000]) expect(parseRupees(paisaToRupeeText(p))).toBe(p);
    expect(paisaToRupeeText(219_900)).toBe('2199');
  });

  it('words money in the screen’s language, with no English on an Urdu screen', () => {
    expect(formatMoney(125_000, 'en')).toBe('Rs 1,250');
    expect(formatMoney(125_000, 'ur')).toBe('1,250 روپے');
    expect(formatMoney(125_050, 'ur')).toBe('1,250.5 روپے');
    expect(formatMoney(0, 'ur')).toBe('0 روپے');
  });
});
