import { describe, expect, it } from 'vitest';
import type { OrderDto } from './api';
import {
  DEFAULT_RULES,
  isLate,
  itemSummary,
  level,
  oldestAge,
  orderColumn,
  phoneTail,
  promiseMinutes,
  stageMs,
  stageSince,
  unacknowledged,
  type RushOrder,
} from './rush';
import { order } from './testing/orders';

const T0 = Date.parse('2026-11-24T18:00:00Z');
const min = (m: number) => T0 + m * 60_000;
const iso = (t: number) => new Date(t).toISOString();

function o(over: Partial<RushOrder> & Partial<OrderDto> = {}): OrderDto & RushOrder {
  // Without status_since unless the test gives one: the fallbacks for older servers.
  const { status_since: _given, ...made } = order({ order_time: iso(T0), eta_minutes: 40, ...over });
  return { ...made, ...over } as OrderDto & RushOrder;
}

const history = (to: OrderDto['status'], at: number) => ({ from: null, to, reason: null, by: 'chef', at: iso(at) });

describe('the stage timer', () => {
  it('counts from status_since when the server sends it', () => {
    const p = o({ status: 'preparing', status_since: iso(min(12)) });
    expect(stageSince(p)).toBe(iso(min(12)));
    expect(stageMs(p, min(15))).toBe(3 * 60_000);
  });

  it('restarts on a status change: a new status_since, or the last history entry, else the order time', () => {
    const fresh = o({ status: 'new' });
    expect(stageMs(fresh, min(8))).toBe(8 * 60_000);
    const moved = o({ status: 'preparing', history: [history('new', T0), history('preparing', min(7))] });
    expect(stageSince(moved)).toBe(iso(min(7)));
    expect(stageMs(moved, min(8))).toBe(60_000);
    const unordered = o({ status: 'ready', history: [history('ready', min(20)), history('new', T0)] });
    expect(stageSince(unordered)).toBe(iso(min(20)));
    expect(stageMs(o({ status_since: iso(min(9)) }), min(5))).toBe(0);
  });

  it('without status_since or history, counts a moved order from its last change', () => {
    expect(stageSince(o({ status: 'preparing', updated_at: iso(min(6)) }))).toBe(iso(min(6)));
    expect(stageSince(o({ status: 'new', updated_at: iso(min(6)) }))).toBe(iso(T0));
  });
});

describe('thresholds from the promise', () => {
  it('uses the order’s promise, else the shop’s, else 35 minutes', () => {
    expect(promiseMinutes(o({ eta_minutes: 40 }), DEFAULT_RULES)).toBe(40);
    expect(promiseMinutes(o({ eta_minutes: null }), { ...DEFAULT_RULES, shopEtaMinutes: 30 })).toBe(30);
    expect(promiseMinutes(o({ eta_minutes: null }), DEFAULT_RULES)).toBe(35);
  });

  it('turns amber at 50 % and red (late) at 75 % of the promise, for the whole age', () => {
    const p = o({ status: 'preparing', eta_minutes: 40, status_since: iso(min(19)) });
    expect(level(p, min(19.9), DEFAULT_RULES)).toBe('fresh');
    expect(level(p, min(20), DEFAULT_RULES)).toBe('amber');
    expect(level(p, min(29.9), DEFAULT_RULES)).toBe('amber');
    expect(level(p, min(30), DEFAULT_RULES)).toBe('red');
    expect(isLate(p, min(30), DEFAULT_RULES)).toBe(true);
    expect(isLate(p, min(29), DEFAULT_RULES)).toBe(false);
  });

  it('in Ready also watches the wait for a rider', () => {
    const r = o({ status: 'ready', eta_minutes: 60, status_since: iso(min(10)) });
    expect(level(r, min(14), DEFAULT_RULES)).toBe('fresh');
    expect(level(r, min(15), DEFAULT_RULES)).toBe('amber');
    expect(level(r, min(20), DEFAULT_RULES)).toBe('red');
    expect(level(r, min(20), { ...DEFAULT_RULES, readyRedMinutes: 15 })).toBe('amber');
  });

  it('leaves finished orders alone', () => {
    expect(level(o({ status: 'delivered' }), min(500), DEFAULT_RULES)).toBe('fresh');
  });
});

describe('a column’s order', () => {
  it('pins late tickets to the top, oldest first, then the rest oldest first', () => {
    const a = o({ id: 1, status: 'preparing', order_time: iso(min(10)), eta_minutes: 40 });
    const b = o({ id: 2, status: 'preparing', order_time: iso(min(5)), eta_minutes: 40 });
    const late = o({ id: 3, status: 'preparing', order_time: iso(min(12)), eta_minutes: 20 });
    const late2 = o({ id: 4, status: 'preparing', order_time: iso(min(11)), eta_minutes: 20 });
    const now = min(28);
    expect(orderColumn([a, b, late, late2], now, DEFAULT_RULES).map((x) => x.id)).toEqual([4, 3, 2, 1]);
    expect(orderColumn([a, b], now, DEFAULT_RULES).map((x) => x.id)).toEqual([2, 1]);
  });
});

describe('the new-order strip', () => {
  it('lists unacknowledged new orders, oldest first', () => {
    const a = o({ id: 10, order_time: iso(min(2)) });
    const b = o({ id: 11, order_time: iso(min(1)) });
    const c = o({ id: 12, status: 'preparing' });
    const d = o({ id: 13 });
    expect(unacknowledged([a, b, c, d], new Set([10, 11, 12])).map((x) => x.id)).toEqual([11, 10]);
  });

  it('summarises the items in a few words', () => {
    const one = o();
    expect(itemSummary(one, 'en')).toBe('2× Chicken Tikka Large 13"');
    expect(itemSummary(one, 'ur'), 'an older order without an Urdu size label').toBe('2× چکن تکہ Large 13"');
    const labelled = o({ items: one.items.map((i) => ({ ...i, size_label_ur: 'بڑا 13 انچ' })) });
    expect(itemSummary(labelled, 'ur')).toBe('2× چکن تکہ بڑا 13 انچ');
    expect(itemSummary(labelled, 'en')).toBe('2× Chicken Tikka Large 13"');
    const more = o({ items: [...one.items, ...one.items] });
    expect(itemSummary(more, 'en')).toBe('2× Chicken Tikka Large 13" +1');
    expect(itemSummary(o({ items: [] }), 'en')).toBe('');
  });

  it('shows only the last four digits of a phone', () => {
    expect(phoneTail('0300-1234567')).toBe('4567');
    expect(phoneTail('withheld')).toBeNull();
    expect(phoneTail(null)).toBeNull();
  });

  it('tells the oldest age in a column', () => {
    expect(oldestAge([o({ order_time: iso(min(3)) }), o({ order_time: iso(min(1)) })], min(5))).toBe(4 * 60_000);
    expect(oldestAge([], min(5))).toBeNull();
  });
});
