// The kitchen store against a scripted API (fetch) and a fake event stream: what the
// board holds after hellos, events and re-fetches racing each other, alerts, one-tap
// changes and undo.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderDto } from './api';
import { setUnauthorizedHandler } from './api';
import { Kitchen } from './kitchen.svelte';
import type { SocketLike } from './live';
import { order } from './testing/orders';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) } as MessageEvent);
  }
  close(): void {}
}

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fake server: the orders it holds, answering the board's requests. */
class FakeApi {
  orders = new Map<number, OrderDto>();
  calls: string[] = [];
  /** Lets a test hold the next orders list until it says so. */
  gate: Promise<void> | null = null;
  override: Handler | null = null;

  handle = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://kitchen');
    const method = init.method ?? 'GET';
    this.calls.push(`${method} ${url.pathname}${url.search}`);
    if (this.override) return this.override(url, init);
    if (url.pathname === '/api/summary') return json({ date: '2026-11-24', orders: 0, revenue: 0, average_minutes_to_ready: null, cancelled: 0, delivered: 0, ai_calls: 0, ai_seconds: 0, ai_cost_paisa: 0 });
    if (url.pathname === '/api/orders' && method === 'GET') {
      const snapshot = [...this.orders.values()];
      if (this.gate) await this.gate;
      const status = url.searchParams.get('status');
      return json(snapshot.filter((o) => (status ? o.status === status : o.business_date === url.searchParams.get('since'))));
    }
    const m = /^\/api\/orders\/(\d+)\/(status|undo)$/.exec(url.pathname);
    if (m) {
      const o = this.orders.get(Number(m[1]))!;
      const body = init.body ? (JSON.parse(String(init.body)) as { status: OrderDto['status']; reason?: string }) : null;
      const next: OrderDto = {
        ...o,
        status: m[2] === 'undo' ? 'new' : body!.status,
        cancel_reason: body?.reason ?? null,
        updated_at: new Date(Date.parse(o.updated_at) + 1000).toISOString(),
      };
      this.orders.set(next.id, next);
      return json(next);
    }
    return json({ error: { code: 'route_not_found', message: 'no' } }, 404);
  };
}

let server: FakeApi;
let socket: FakeSocket;
let kitchen: Kitchen;

const settle = () => new Promise((r) => setTimeout(r, 0));
async function settled(): Promise<void> {
  for (let i = 0; i < 10; i++) await settle();
}

beforeEach(() => {
  server = new FakeApi();
  vi.stubGlobal('fetch', server.handle);
  kitchen = new Kitchen(() => (socket = new FakeSocket()));
  kitchen.start();
});

afterEach(() => {
  kitchen.reset();
  vi.unstubAllGlobals();
});

describe('kitchen store', () => {
  it('loads every open order and today’s finished ones on hello, without alerting', async () => {
    server.orders.set(1, order({ id: 1, status: 'new' }));
    server.orders.set(2, order({ id: 2, status: 'preparing', business_date: '2026-11-23' }));
    server.orders.set(3, order({ id: 3, status: 'delivered' }));
    socket.send({ type: 'hello' });
    await settled();
    expect(kitchen.connection).toBe('online');
    expect(kitchen.loaded).toBe(true);
    expect([...kitchen.orders.keys()].sort()).toEqual([1, 2, 3]);
    expect(kitchen.alerting.size).toBe(0);
    expect(kitchen.today).toBe('2026-11-24');
  });

  it('alerts for an order created live, and for orders that arrived while it was away', async () => {
    socket.send({ type: 'hello' });
    await settled();
    socket.send({ type: 'order.created', order: order({ id: 5 }) });
    expect([...kitchen.alerting]).toEqual([5]);

    server.orders.set(5, order({ id: 5 }));
    server.orders.set(6, order({ id: 6 }));
    socket.onclose?.({} as CloseEvent);
    kitchen.retryNow();
    socket.send({ type: 'hello' });
    await settled();
    expect([...kitchen.alerting].sort()).toEqual([5, 6]);
    kitchen.acknowledge(6);
    expect([...kitchen.alerting]).toEqual([5]);
  });

  it('alerts again for a new order the caller changed, until it is taken', async () => {
    const o = order({ id: 7, number: 17, updated_at: '2026-11-24T13:00:00.000Z' });
    server.orders.set(7, o);
    socket.send({ type: 'hello' });
    await settled();
    expect(kitchen.alerting.size).toBe(0);
    const what = [{ en: '+1 Coca-Cola 1.5 L', ur: '+1 کوکا کولا ڈیڑھ لیٹر' }];
    const changed = { ...o, updated_at: '2026-11-24T13:04:00.000Z', changed: { at: '2026-11-24T13:04:00.000Z', what } };
    socket.send({ type: 'order.updated', order: changed });
    expect([...kitchen.alerting]).toEqual([7]);
    kitchen.acknowledge(7);
    expect(kitchen.alerting.size).toBe(0);
    // The same change heard again (a reconnect's re-fetch) does not alert twice.
    server.orders.set(7, changed);
    socket.onclose?.({} as CloseEvent);
    kitchen.retryNow();
    socket.send({ type: 'hello' });
    await settled();
    expect(kitchen.alerting.size).toBe(0);
    // Changed again while the board was away: it alerts after the re-fetch.
    server.orders.set(7, { ...changed, updated_at: '2026-11-24T13:08:00.000Z', changed: { at: '2026-11-24T13:08:00.000Z', what } });
    socket.onclose?.({} as CloseEvent);
    kitchen.retryNow();
    socket.send({ type: 'hello' });
    await settled();
    expect([...kitchen.alerting]).toEqual([7]);
    // Started: the alert stops by itself.
    socket.send({ type: 'order.updated', order: { ...server.orders.get(7)!, status: 'preparing', updated_at: '2026-11-24T13:09:00.000Z' } });
    expect(kitchen.alerting.size).toBe(0);
  });

  it('keeps an event that arrives while a re-fetch is in flight with older data', async () => {
    const o = order({ id: 1, status: 'new', updated_at: '2026-11-24T13:00:00.000Z' });
    server.orders.set(1, o);
    let open!: () => void;
    server.gate = new Promise((r) => (open = r));
    socket.send({ type: 'hello' });
    await settle();
    socket.send({ type: 'order.updated', order: { ...o, status: 'preparing', updated_at: '2026-11-24T13:00:05.000Z' } });
    open();
    await settled();
    expect(kitchen.orders.get(1)?.status).toBe('preparing');
  });

  it('drops orders the server no longer lists after a resync', async () => {
    server.orders.set(1, order({ id: 1 }));
    socket.send({ type: 'hello' });
    await settled();
    server.orders.clear();
    socket.send({ type: 'resync', missed: 400 });
    await settled();
    expect(kitchen.orders.size).toBe(0);
  });

  it('advances once however fast it is tapped, and offers to undo that change', async () => {
    server.orders.set(1, order({ id: 1, number: 4 }));
    socket.send({ type: 'hello' });
    await settled();
    const o = kitchen.orders.get(1)!;
    const first = kitchen.advance(o);
    const second = kitchen.advance(o);
    await Promise.all([first, second]);
    expect(server.calls.filter((c) => c.startsWith('PUT'))).toEqual(['PUT /api/orders/1/status']);
    expect(kitchen.orders.get(1)?.status).toBe('preparing');
    expect(kitchen.undo).toMatchObject({ orderId: 1, number: 4, from: 'new', to: 'preparing' });

    expect(await kitchen.undoLast()).toBe(true);
    expect(server.calls.at(-1)).toBe('POST /api/orders/1/undo');
    expect(kitchen.orders.get(1)?.status).toBe('new');
    expect(kitchen.undo).toBeNull();
    expect(kitchen.undone?.number).toBe(4);
  });

  it('will not cancel without a reason, and sends the reason', async () => {
    server.orders.set(1, order({ id: 1 }));
    socket.send({ type: 'hello' });
    await settled();
    const o = kitchen.orders.get(1)!;
    expect(await kitchen.cancel(o, '   ')).toBe(false);
    expect(server.calls.some((c) => c.startsWith('PUT'))).toBe(false);
    expect(await kitchen.cancel(o, ' Customer cancelled ')).toBe(true);
    expect(kitchen.orders.get(1)).toMatchObject({ status: 'cancelled', cancel_reason: 'Customer cancelled' });
  });

  it('explains a refused change and fetches that order again', async () => {
    server.orders.set(1, order({ id: 1 }));
    socket.send({ type: 'hello' });
    await settled();
    const o = kitchen.orders.get(1)!;
    const moved = { ...o, status: 'ready' as const, updated_at: '2026-11-24T14:00:00.000Z' };
    server.override = (url) =>
      url.pathname.endsWith('/status')
        ? json({ error: { code: 'invalid_transition', message: 'cannot go from ready to preparing' } }, 409)
        : json(moved);
    await kitchen.advance(o);
    await settled();
    expect(kitchen.failure).toEqual({ kind: 'changed' });
    expect(kitchen.orders.get(1)?.status).toBe('ready');
    expect(kitchen.undo).toBeNull();
  });

  it('recalls a delivered order with no time limit, and explains a refused recall by its code', async () => {
    const delivered = order({ id: 1, status: 'delivered', updated_at: '2026-11-24T10:00:00.000Z' });
    server.orders.set(1, delivered);
    socket.send({ type: 'hello' });
    await settled();
    const back = { ...delivered, status: 'ready' as const, updated_at: '2026-11-24T14:00:00.000Z' };
    server.override = () => json(back);
    expect(await kitchen.recall(kitchen.orders.get(1)!)).toMatchObject({ status: 'ready' });
    expect(kitchen.orders.get(1)?.status).toBe('ready');
    expect(kitchen.recalled).toMatchObject({ id: 1, number: delivered.number, to: 'ready' });
    expect(kitchen.failure).toBeNull();
    expect(server.calls).toContain('POST /api/orders/1/recall');

    server.override = (url) =>
      url.pathname.endsWith('/recall')
        ? json({ error: { code: 'not_recallable', message: 'an order that is ready cannot be recalled' } }, 409)
        : json(back);
    expect(await kitchen.recall(back)).toBeNull();
    expect(kitchen.failure).toEqual({ kind: 'not_recallable' });
    expect(kitchen.pending.size).toBe(0);
  });

  it('keeps the code of a failure it has no words of its own for', async () => {
    server.orders.set(1, order({ id: 1 }));
    socket.send({ type: 'hello' });
    await settled();
    server.override = () => json({ error: { code: 'database_busy', message: 'busy' } }, 503);
    await kitchen.advance(kitchen.orders.get(1)!);
    expect(kitchen.failure).toMatchObject({ kind: 'other', message: 'busy' });
    const f = kitchen.failure as { error?: { code?: string } };
    expect(f.error?.code).toBe('database_busy');
  });

  it('reports a lost session from any request', async () => {
    const expired = vi.fn();
    setUnauthorizedHandler(expired);
    server.override = () => json({ error: { code: 'unauthorized', message: 'log in' } }, 401);
    socket.send({ type: 'hello' });
    await settled();
    expect(expired).toHaveBeenCalled();
    expect(kitchen.failure).toBeNull();
  });
});
