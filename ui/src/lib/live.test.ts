import { describe, expect, it } from 'vitest';
import { LiveConnection, parseFrame, type LiveStatus, type SessionCheck, type SocketLike } from './live';
import type { Frame } from './board';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  closed = false;
  send(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) } as MessageEvent);
  }
  drop(): void {
    this.onclose?.({} as CloseEvent);
  }
  close(): void {
    this.closed = true;
  }
}

function harness(session: SessionCheck = 'valid') {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const frames: Frame[] = [];
  const statuses: LiveStatus[] = [];
  let unauthorized = 0;
  let sessionChecks = 0;
  const live = new LiveConnection({
    url: 'ws://kitchen/api/events',
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onFrame: (f) => frames.push(f),
    onStatus: (s) => statuses.push(s),
    onUnauthorized: () => unauthorized++,
    checkSession: async () => {
      sessionChecks++;
      return session;
    },
    random: () => 1,
    now: () => 0,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
  });
  const fire = () => {
    const t = timers.filter((x) => !x.cleared).at(-1);
    if (!t) throw new Error('no timer pending');
    t.cleared = true;
    t.fn();
  };
  return {
    live,
    sockets,
    timers,
    frames,
    statuses,
    fire,
    get unauthorized() {
      return unauthorized;
    },
    get sessionChecks() {
      return sessionChecks;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('live connection', () => {
  it('is online on hello and passes every frame on', () => {
    const h = harness();
    h.live.start();
    expect(h.statuses).toEqual(['connecting']);
    h.sockets[0]!.send({ type: 'hello' });
    h.sockets[0]!.send({ type: 'menu.updated' });
    h.sockets[0]!.send('not json');
    h.sockets[0]!.send({ no: 'type' });
    expect(h.statuses.at(-1)).toBe('online');
    expect(h.frames.map((f) => f.type)).toEqual(['hello', 'menu.updated']);
  });

  it('reconnects after a drop with growing, capped delays, and resets after a hello', async () => {
    const h = harness();
    h.live.start();
    h.sockets[0]!.send({ type: 'hello' });
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      h.sockets.at(-1)!.drop();
      expect(h.statuses.at(-1)).toBe('offline');
      delays.push(h.timers.at(-1)!.ms);
      h.fire();
      expect(h.statuses.at(-1)).toBe('connecting');
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    h.sockets.at(-1)!.send({ type: 'hello' });
    h.sockets.at(-1)!.drop();
    expect(h.timers.at(-1)!.ms).toBe(500);
    expect(h.sockets).toHaveLength(8);
    await tick();
  });

  it('asks whether the session holds when refused, and stops if it is gone', async () => {
    const h = harness('gone');
    h.live.start();
    h.sockets[0]!.drop();
    await tick();
    expect(h.sessionChecks).toBe(1);
    expect(h.unauthorized).toBe(1);
    expect(h.live.active).toBe(false);
    expect(h.statuses.at(-1)).toBe('stopped');
    expect(h.timers.at(-1)!.cleared).toBe(true);
  });

  it('keeps trying when the server is simply down', async () => {
    const h = harness('unknown');
    h.live.start();
    h.sockets[0]!.drop();
    await tick();
    expect(h.unauthorized).toBe(0);
    h.fire();
    expect(h.sockets).toHaveLength(2);
  });

  it('does not check the session after losing a connection that was greeted', async () => {
    const h = harness('gone');
    h.live.start();
    h.sockets[0]!.send({ type: 'hello' });
    h.sockets[0]!.drop();
    await tick();
    expect(h.sessionChecks).toBe(0);
  });

  it('stops cleanly: closes the socket, cancels the retry, ignores late events', () => {
    const h = harness();
    h.live.start();
    const s = h.sockets[0]!;
    h.live.stop();
    expect(s.closed).toBe(true);
    s.drop();
    expect(h.timers).toHaveLength(0);
    expect(h.statuses.at(-1)).toBe('stopped');
  });

  it('retries at once when asked while waiting', () => {
    const h = harness();
    h.live.start();
    h.sockets[0]!.drop();
    h.live.retryNow();
    expect(h.timers[0]!.cleared).toBe(true);
    expect(h.sockets).toHaveLength(2);
    h.live.retryNow();
    expect(h.sockets).toHaveLength(2);
  });

  it('starts once however often asked', () => {
    const h = harness();
    h.live.start();
    h.live.start();
    expect(h.sockets).toHaveLength(1);
  });

  it('parses only typed JSON objects', () => {
    expect(parseFrame('{"type":"hello"}')).toEqual({ type: 'hello' });
    expect(parseFrame('[1]')).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });
});
