import { describe, expect, it } from 'vitest';
import { lastDelivered, recallable } from './recall';
import { order } from './testing/orders';

const today = '2026-11-24';
const at = (minute: number) => `2026-11-24T13:${String(minute).padStart(2, '0')}:00.000Z`;

describe('recall tray', () => {
  const delivered1 = order({ id: 1, status: 'delivered', status_since: at(10), updated_at: at(10) });
  const cancelled = order({ id: 2, status: 'cancelled', status_since: at(20), updated_at: at(20) });
  const delivered2 = order({ id: 3, status: 'delivered', status_since: at(5), updated_at: at(30) });
  const open = order({ id: 4, status: 'ready', status_since: at(40), updated_at: at(40) });
  const yesterday = order({ id: 5, status: 'delivered', business_date: '2026-11-23', status_since: at(50), updated_at: at(50) });

  it("lists today's delivered and cancelled orders, the latest delivered or cancelled first", () => {
    const list = recallable([delivered1, cancelled, delivered2, open, yesterday], today);
    expect(list.map((o) => o.id)).toEqual([2, 1, 3]);
  });

  it('has no time limit: an order finished hours ago is still listed', () => {
    const old = order({ id: 6, status: 'delivered', status_since: '2026-11-24T01:00:00.000Z' });
    expect(recallable([old], today).map((o) => o.id)).toEqual([6]);
  });

  it('R brings back the last delivered order, never a cancelled one', () => {
    expect(lastDelivered([delivered1, cancelled, delivered2, open], today)?.id).toBe(1);
    expect(lastDelivered([cancelled, open], today)).toBeNull();
  });
});
