import { describe, expect, it } from 'vitest';
import { afterOrderNews, canUndo, recordChange, undoRemainingMs, UNDO_WINDOW_MS } from './undo';
import { order } from './testing/orders';

const before = order({ id: 1, number: 7, status: 'new', updated_at: '2026-11-24T13:00:00.000Z' });
const after = { ...before, status: 'preparing' as const, updated_at: '2026-11-24T13:01:00.000Z' };
const T0 = 1_000_000;

describe('undo window', () => {
  it('records what changed, from and to', () => {
    expect(recordChange(before, after, T0)).toEqual({
      orderId: 1,
      number: 7,
      from: 'new',
      to: 'preparing',
      at: T0,
      updatedAt: after.updated_at,
    });
  });

  it('is open for 30 seconds and closed from then on', () => {
    const e = recordChange(before, after, T0);
    expect(UNDO_WINDOW_MS).toBe(30_000);
    expect(canUndo(e, T0)).toBe(true);
    expect(canUndo(e, T0 + 29_999)).toBe(true);
    expect(canUndo(e, T0 + 30_000)).toBe(false);
    expect(canUndo(e, T0 + 120_000)).toBe(false);
    expect(undoRemainingMs(e, T0 + 12_500)).toBe(17_500);
    expect(undoRemainingMs(e, T0 + 40_000)).toBe(0);
    expect(canUndo(null, T0)).toBe(false);
  });

  it('never shows more than 30 seconds, even if the clock steps back', () => {
    const e = recordChange(before, after, T0);
    expect(undoRemainingMs(e, T0 - 60_000)).toBe(30_000);
  });

  it('is withdrawn when that order changes again after our change', () => {
    const e = recordChange(before, after, T0);
    const ready = { ...after, status: 'ready' as const, updated_at: '2026-11-24T13:01:30.000Z' };
    expect(afterOrderNews(e, ready)).toBeNull();
  });

  it('stays for the echo of our own change, an older event, or another order', () => {
    const e = recordChange(before, after, T0);
    expect(afterOrderNews(e, after)).toBe(e);
    expect(afterOrderNews(e, before)).toBe(e);
    expect(afterOrderNews(e, order({ id: 2, updated_at: '2026-11-24T14:00:00.000Z' }))).toBe(e);
  });
});
