// The live connection to `WS /api/events`: connects, hands every frame on, and after any
// loss reconnects with exponential backoff and jitter. The server's `hello` on each
// (re)connection is what tells the board to re-fetch, so nothing is ever polled.
//
// A browser WebSocket does not expose the HTTP status of a refused upgrade, so when a
// connection fails before its `hello`, the session is checked: a gone session stops the
// reconnecting and reports it (the app asks for the password again).

import { backoffDelay, RECONNECT, type Backoff } from './backoff';
import type { Frame } from './board';

export type LiveStatus = 'stopped' | 'connecting' | 'online' | 'offline';

/** The part of `WebSocket` used here (tests pass a fake). */
export interface SocketLike {
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(code?: number, reason?: string): void;
}

export type SessionCheck = 'valid' | 'gone' | 'unknown';

export type LiveOptions = {
  url: string;
  onFrame: (frame: Frame) => void;
  onStatus: (status: LiveStatus, retryAt: number | null) => void;
  /** Told once when the server refuses us because the session is gone; reconnecting stops. */
  onUnauthorized: () => void;
  /** Whether the session still holds (`unknown` when the server cannot be reached). */
  checkSession: () => Promise<SessionCheck>;
  open?: (url: string) => SocketLike;
  backoff?: Backoff;
  random?: () => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
};

/** Parses a text frame; anything that is not a typed JSON object is dropped. */
export function parseFrame(data: unknown): Frame | null {
  if (typeof data !== 'string') return null;
  try {
    const v: unknown = JSON.parse(data);
    if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string') return v as Frame;
  } catch {
    // not JSON
  }
  return null;
}

export class LiveConnection {
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private running = false;
  private greeted = false;
  private readonly o: Required<LiveOptions>;

  constructor(options: LiveOptions) {
    this.o = {
      open: (url) => new WebSocket(url),
      backoff: RECONNECT,
      random: Math.random,
      now: Date.now,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  get active(): boolean {
    return this.running;
  }

  /** Connects (once; calling it again while running does nothing). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.connect();
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.running = false;
    this.cancelTimer();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.onopen = s.onmessage = s.onclose = s.onerror = null;
      s.close(1000, 'bye');
    }
    this.o.onStatus('stopped', null);
  }

  /** Skips the wait of a pending reconnect (the network came back, or someone asked). */
  retryNow(): void {
    if (!this.running || this.socket) return;
    this.cancelTimer();
    this.connect();
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.o.clearTimer(this.timer);
    this.timer = null;
  }

  private connect(): void {
    this.greeted = false;
    this.o.onStatus('connecting', null);
    let s: SocketLike;
    try {
      s = this.o.open(this.o.url);
    } catch {
      this.lost();
      return;
    }
    this.socket = s;
    s.onmessage = (ev) => {
      if (this.socket !== s) return;
      const frame = parseFrame(ev.data);
      if (!frame) return;
      if (frame.type === 'hello') {
        this.greeted = true;
        this.attempt = 0;
        this.o.onStatus('online', null);
      }
      this.o.onFrame(frame);
    };
    s.onclose = () => {
      if (this.socket !== s) return;
      this.socket = null;
      this.lost();
    };
    s.onerror = () => {
      // A close event always follows; it does the work.
    };
  }

  private lost(): void {
    if (!this.running) return;
    const refusedBeforeHello = !this.greeted;
    const delay = backoffDelay(this.attempt, this.o.random(), this.o.backoff);
    this.attempt += 1;
    this.o.onStatus('offline', this.o.now() + delay);
    this.timer = this.o.setTimer(() => {
      this.timer = null;
      if (this.running && !this.socket) this.connect();
    }, delay);
    if (refusedBeforeHello) {
      void this.o.checkSession().then((check) => {
        if (check === 'gone' && this.running) {
          this.stop();
          this.o.onUnauthorized();
        }
      });
    }
  }
}
