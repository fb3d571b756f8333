import { describe, expect, it } from 'vitest';
import {
  applyFrame,
  arrivedSince,
  EMPTY,
  isFinal,
  nextStatus,
  matchesSearch,
  phoneDigits,
  pruneAlerts,
  reconcile,
  replaceAll,
  toColumns,
  upsert,
  urgency,
} from './board';
import { order } from './testing/orders';

const at = (hhmmss: string) => `2026-11-24T${hhmmss}.000Z`;

describe('columns', () => {
  it('puts active orders oldest first and the day’s finished ones latest change first', () => {
    const a = order({ id: 1, number: 1, order_time: at('13:05:00') });
    const b = order({ id: 2, number: 2, order_time: at('13:01:00') });
    const c = order({ id: 3, number: 3, order_time: at('13:03:00'), status: 'preparing' });
    const d = order({ id: 4, number: 4, order_time: at('12:00:00'), status: 'preparing' });
    const e = order({ id: 5, status: 'delivered', updated_at: at('13:10:00') });
    const f = order({ id: 6, status: 'delivered', updated_at: at('13:20:00') });
    const g = order({ id: 7, status: 'cancelled', updated_at: at('13:00:00') });
    const cols = toColumns([a, b, c, d, e, f, g], '2026-11-24');
    expect(cols.new.map((o) => o.id)).toEqual([2, 1]);
    expect(cols.preparing.map((o) => o.id)).toEqual([4, 3]);
    expect(cols.ready).toEqual([]);
    expect(cols.delivered.map((o) => o.id)).toEqual([6, 5]);
    expect(cols.cancelled.map((o) => o.id)).toEqual([7]);
  });

  it('breaks ties of the same minute by id, so tickets never swap places', () => {
    const x = order({ id: 11, order_time: at('13:00:00') });
    const y = order({ id: 10, order_time: at('13:00:00') });
    expect(toColumns([x, y], null).new.map((o) => o.id)).toEqual([10, 11]);
  });

  it('keeps yesterday’s unfinished orders but folds away only today’s finished ones', () => {
    const oldOpen = order({ id: 1, business_date: '2026-11-23', status: 'ready' });
    const oldDone = order({ id: 2, business_date: '2026-11-23', status: 'delivered' });
    const todayDone = order({ id: 3, status: 'cancelled' });
    const cols = toColumns([oldOpen, oldDone, todayDone], '2026-11-24');
    expect(cols.ready.map((o) => o.id)).toEqual([1]);
    expect(cols.delivered).toEqual([]);
    expect(cols.cancelled.map((o) => o.id)).toEqual([3]);
  });
});

describe('timer colour', () => {
  const t = { amberAfterMinutes: 5, redAfterMinutes: 10 };
  const taken = at('13:00:00');
  const plus = (minutes: number, seconds = 0) => Date.parse(taken) + minutes * 60_000 + seconds * 1000;

  it('is fresh before the amber threshold, amber from it, red from the red one', () => {
    expect(urgency(taken, plus(0), t)).toBe('fresh');
    expect(urgency(taken, plus(4, 59), t)).toBe('fresh');
    expect(urgency(taken, plus(5), t)).toBe('amber');
    expect(urgency(taken, plus(9, 59), t)).toBe('amber');
    expect(urgency(taken, plus(10), t)).toBe('red');
    expect(urgency(taken, plus(90), t)).toBe('red');
  });

  it('follows the thresholds from settings', () => {
    const strict = { amberAfterMinutes: 2, redAfterMinutes: 3 };
    expect(urgency(taken, plus(2), strict)).toBe('amber');
    expect(urgency(taken, plus(3), strict)).toBe('red');
    expect(urgency(taken, plus(5), { amberAfterMinutes: 15, redAfterMinutes: 25 })).toBe('fresh');
  });

  it('treats a clock slightly behind the server as a fresh ticket', () => {
    expect(urgency(taken, plus(0, -20), t)).toBe('fresh');
  });
});

describe('event merging', () => {
  it('adds a created order and flags it for the alert', () => {
    const o = order({ id: 1 });
    const fx = applyFrame(EMPTY, { type: 'order.created', order: o });
    expect(fx.orders.get(1)).toEqual(o);
    expect(fx.created).toEqual(o);
    expect(fx.refetch).toBe(false);
  });

  it('does not alert twice for an order it already knows (a replayed created)', () => {
    const o = order({ id: 1 });
    const known = upsert(EMPTY, o);
    expect(applyFrame(known, { type: 'order.created', order: o }).created).toBeUndefined();
  });

  it('applies updates and ignores ones older than what it holds (out of order)', () => {
    const v1 = order({ id: 1, status: 'new', updated_at: at('13:00:00') });
    const v2 = { ...v1, status: 'preparing' as const, updated_at: at('13:01:00') };
    const v3 = { ...v1, status: 'ready' as const, updated_at: at('13:02:00') };
    let orders = applyFrame(EMPTY, { type: 'order.created', order: v1 }).orders;
    orders = applyFrame(orders, { type: 'order.updated', order: v3 }).orders;
    const late = applyFrame(orders, { type: 'order.updated', order: v2 });
    expect(late.orders.get(1)?.status).toBe('ready');
    expect(late.orders).toBe(orders);
  });

  it('accepts an update for an order it never saw', () => {
    const o = order({ id: 9, status: 'preparing' });
    const fx = applyFrame(EMPTY, { type: 'order.updated', order: o });
    expect(fx.orders.get(9)?.status).toBe('preparing');
    expect(fx.created).toBeUndefined();
  });

  it('asks for a full re-fetch on hello and on resync', () => {
    const orders = upsert(EMPTY, order());
    expect(applyFrame(orders, { type: 'hello' })).toEqual({ orders, refetch: true });
    expect(applyFrame(orders, { type: 'resync', missed: 300 })).toEqual({ orders, refetch: true });
  });

  it('leaves orders alone for call and menu events', () => {
    const orders = upsert(EMPTY, order());
    expect(applyFrame(orders, { type: 'menu.updated' })).toEqual({ orders, refetch: false });
  });

  it('replaces everything with a re-fetch: orders gone from the server go from the board', () => {
    const stale = upsert(upsert(EMPTY, order({ id: 1 })), order({ id: 2, status: 'preparing' }));
    const truth = [order({ id: 2, status: 'ready', updated_at: at('13:05:00') }), order({ id: 3 })];
    const next = replaceAll(truth);
    expect([...next.keys()].sort()).toEqual([2, 3]);
    expect(next.get(2)?.status).toBe('ready');
    expect(stale.size).toBe(2);
  });

  it('merges an order that two lists of a re-fetch both returned', () => {
    const older = order({ id: 5, status: 'new', updated_at: at('13:00:00') });
    const newer = { ...older, status: 'preparing' as const, updated_at: at('13:00:05') };
    expect(replaceAll([newer, older]).get(5)?.status).toBe('preparing');
  });

  it('keeps events that arrived during a re-fetch when they are newer than its answer', () => {
    const fetched = [order({ id: 1, status: 'new', updated_at: at('13:00:00') })];
    const meanwhile = [
      { ...fetched[0]!, status: 'preparing' as const, updated_at: at('13:00:10') },
      order({ id: 2 }),
    ];
    const next = reconcile(fetched, meanwhile);
    expect(next.get(1)?.status).toBe('preparing');
    expect(next.has(2)).toBe(true);
    const staleMeanwhile = [{ ...fetched[0]!, status: 'new' as const, updated_at: at('12:59:00') }];
    const fetchedNewer = [{ ...fetched[0]!, status: 'ready' as const, updated_at: at('13:02:00') }];
    expect(reconcile(fetchedNewer, staleMeanwhile).get(1)?.status).toBe('ready');
  });
});

describe('alerts', () => {
  it('finds new orders that came in while the board was away', () => {
    const before = replaceAll([order({ id: 1 })]);
    const after = replaceAll([order({ id: 1 }), order({ id: 2 }), order({ id: 3, status: 'preparing' })]);
    expect(arrivedSince(before, after)).toEqual([2]);
  });

  it('stops alerting for orders that are no longer new or no longer there', () => {
    const orders = replaceAll([order({ id: 1 }), order({ id: 2, status: 'preparing' })]);
    expect([...pruneAlerts(new Set([1, 2, 3]), orders)]).toEqual([1]);
  });
});

describe('search', () => {
  const o = order({ number: 17, customer_phone: '+923001234567' });

  it('matches everything when empty', () => {
    expect(matchesSearch(o, '  ')).toBe(true);
  });

  it('matches the order number, with or without #', () => {
    expect(matchesSearch(o, '#17')).toBe(true);
    expect(matchesSearch(o, '# 17')).toBe(true);
    expect(matchesSearch(o, '17')).toBe(true);
    expect(matchesSearch(o, '#1')).toBe(false);
    expect(matchesSearch(o, '#567')).toBe(false);
  });

  it('matches the end of the phone number from three digits on', () => {
    expect(matchesSearch(o, '567')).toBe(true);
    expect(matchesSearch(o, '4567')).toBe(true);
    expect(matchesSearch(o, '1234567')).toBe(true);
    expect(matchesSearch(o, '4568')).toBe(false);
    expect(matchesSearch(o, '56')).toBe(false);
  });

  it('matches the whole number however it is written', () => {
    expect(matchesSearch(o, '0300-1234567')).toBe(true);
    expect(matchesSearch(o, '0300 123 4567')).toBe(true);
    expect(matchesSearch(o, '+92 300 1234567')).toBe(true);
    expect(matchesSearch(o, '00923001234567')).toBe(true);
    expect(matchesSearch(o, '0301-1234567')).toBe(false);
  });

  it('never matches an order without a phone by digits, nor text that is not a number', () => {
    const noPhone = order({ number: 3, customer_phone: null });
    expect(matchesSearch(noPhone, '4567')).toBe(false);
    expect(matchesSearch(noPhone, '3')).toBe(true);
    expect(matchesSearch(o, 'Ali')).toBe(false);
  });

  it('normalises Pakistani numbers to international digits', () => {
    expect(phoneDigits('0300-1234567')).toBe('923001234567');
    expect(phoneDigits('+92 300 1234567')).toBe('923001234567');
    expect(phoneDigits('0092 300 1234567')).toBe('923001234567');
  });
});

describe('riders and the new statuses (issue 16)', () => {
  it('one tap follows the fulfilment: a delivery goes out then is delivered, a pickup is collected', () => {
    const delivery = order({ status: 'ready' });
    const pickup = order({ status: 'ready', fulfilment: { type: 'pickup', pickup_in_minutes: null } });
    expect(nextStatus(delivery)).toBe('out_for_delivery');
    expect(nextStatus(pickup)).toBe('collected');
    expect(nextStatus(order({ status: 'out_for_delivery' }))).toBe('delivered');
    for (const s of ['delivered', 'collected', 'returned', 'cancelled'] as const) {
      expect(nextStatus(order({ status: s }))).toBeUndefined();
      expect(isFinal(s)).toBe(true);
    }
  });

  it('shows orders out for delivery under Ready after the ready ones, collected with delivered, returned with cancelled', () => {
    const out = order({ status: 'out_for_delivery', order_time: '2026-11-24T09:00:00.000Z' });
    const ready = order({ status: 'ready', order_time: '2026-11-24T10:00:00.000Z' });
    const collected = order({ status: 'collected' });
    const returned = order({ status: 'returned' });
    const cols = toColumns([out, ready, collected, returned], '2026-11-24');
    expect(cols.ready.map((o) => o.id)).toEqual([ready.id, out.id]);
    expect(cols.delivered.map((o) => o.id)).toEqual([collected.id]);
    expect(cols.cancelled.map((o) => o.id)).toEqual([returned.id]);
    expect(toColumns([collected], '2026-11-25').delivered).toEqual([]);
  });
});
