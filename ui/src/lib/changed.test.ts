// A changed order: when the board alerts again, and what its CHANGED badge says.

import { describe, expect, it } from 'vitest';
import { applyFrame, EMPTY, upsert } from './board';
import { changedSince, changeTexts, isNewChange } from './changed';
import { unacknowledged } from './rush';
import { order } from './testing/orders';

const WHAT = [
  { en: '+1 Coca-Cola 1.5 L', ur: '+1 کوکا کولا ڈیڑھ لیٹر' },
  { en: 'note: ring twice', ur: 'نوٹ: ring twice' },
];

function changedAt(at: string, over = {}) {
  return order({ id: 1, number: 17, updated_at: at, changed: { at, what: WHAT }, ...over });
}

describe('changed orders', () => {
  it('a newer change on a new order is news; the same, an older or an empty one is not', () => {
    const plain = order({ id: 1 });
    const first = changedAt('2026-11-24T13:05:00.000Z');
    const again = changedAt('2026-11-24T13:09:00.000Z');
    expect(isNewChange(plain, first)).toBe(true);
    expect(isNewChange(first, again)).toBe(true);
    expect(isNewChange(again, first)).toBe(false);
    expect(isNewChange(first, first)).toBe(false);
    expect(isNewChange(plain, plain)).toBe(false);
    // Not known yet: that is an arrival (order.created alerts), not a change.
    expect(isNewChange(undefined, first)).toBe(false);
    // The kitchen has started it: nothing to take again.
    expect(isNewChange(plain, { ...first, status: 'preparing' })).toBe(false);
    expect(isNewChange(plain, changedAt('2026-11-24T13:05:00.000Z', { changed: { at: '2026-11-24T13:05:00.000Z', what: [] } }))).toBe(false);
  });

  it('an order.updated frame carrying a new change asks for an alert; a status change does not', () => {
    const known = upsert(EMPTY, order({ id: 1, updated_at: '2026-11-24T13:00:00.000Z' }));
    const changed = changedAt('2026-11-24T13:05:00.000Z');
    const effect = applyFrame(known, { type: 'order.updated', order: changed });
    expect(effect.changed?.id).toBe(1);
    expect(effect.orders.get(1)?.changed?.what).toEqual(WHAT);
    // The same event again (a replay) or a stale one changes nothing and does not alert.
    expect(applyFrame(effect.orders, { type: 'order.updated', order: changed }).changed).toBeUndefined();
    const moved = { ...changed, status: 'preparing' as const, updated_at: '2026-11-24T13:06:00.000Z' };
    expect(applyFrame(effect.orders, { type: 'order.updated', order: moved }).changed).toBeUndefined();
    const stale = order({ id: 1, updated_at: '2026-11-24T12:00:00.000Z', changed: { at: '2026-11-24T13:07:00.000Z', what: WHAT } });
    expect(applyFrame(effect.orders, { type: 'order.updated', order: stale }).changed).toBeUndefined();
  });

  it('a re-fetch finds the orders changed while the board was away', () => {
    const before = new Map([
      [1, order({ id: 1 })],
      [2, changedAt('2026-11-24T13:05:00.000Z', { id: 2 })],
      [3, order({ id: 3 })],
    ]);
    const after = new Map([
      [1, changedAt('2026-11-24T13:06:00.000Z', { id: 1 })],
      [2, changedAt('2026-11-24T13:05:00.000Z', { id: 2 })],
      [3, order({ id: 3, status: 'preparing' })],
      [4, changedAt('2026-11-24T13:06:00.000Z', { id: 4 })],
    ]);
    expect(changedSince(before, after)).toEqual([1]);
  });

  it('the badge says what changed in the board’s language, and the strip lists the order again', () => {
    const o = changedAt('2026-11-24T13:05:00.000Z');
    expect(changeTexts(o, 'en')).toEqual(['+1 Coca-Cola 1.5 L', 'note: ring twice']);
    expect(changeTexts(o, 'ur')).toEqual(['+1 کوکا کولا ڈیڑھ لیٹر', 'نوٹ: ring twice']);
    expect(changeTexts(order(), 'ur')).toEqual([]);
    // A change from an older server with no Urdu still says something.
    expect(changeTexts({ changed: { at: o.changed!.at, what: [{ en: '+1 Fries', ur: ' ' }] } }, 'ur')).toEqual(['+1 Fries']);
    expect(unacknowledged([o], new Set([1])).map((x) => x.id)).toEqual([1]);
  });
});
