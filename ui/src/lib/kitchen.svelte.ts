// The live kitchen: the board's orders, the alerts, the undo offer and the connection, as
// reactive state for the components. The rules live in board.ts and undo.ts; this file
// wires them to the API and the event stream.
//
// The state survives a lost session on purpose: when the session expires the stream stops
// and the login screen shows over the board; after logging in again it resumes (and
// re-fetches, as every new connection does).

import { api, ApiError, eventsUrl, reportUnauthorized, type OrderDto, type OrderStatus } from './api';
import {
  applyFrame,
  arrivedSince,
  canCancel,
  EMPTY,
  nextStatus,
  pruneAlerts,
  reconcile,
  upsert,
  type Frame,
  type Orders,
} from './board';
import { changedSince } from './changed';
import { LiveConnection, type LiveStatus, type SessionCheck, type SocketLike } from './live';
import { shopSettings } from './settings.svelte';
import { businessDate } from './time';
import { afterOrderNews, canUndo, recordChange, type UndoEntry } from './undo';

/** A problem to show the chef for a moment. */
export type Notice = { kind: 'error' | 'info'; text: string; at: number };

export type ActionFailure =
  | { kind: 'offline' }
  | { kind: 'changed' }
  | { kind: 'undo_expired' }
  | { kind: 'nothing_to_undo' }
  | { kind: 'not_recallable' }
  /** Worded by its code when the dashboard knows it (`errorText`), else its message. */
  | { kind: 'other'; message: string; error?: unknown };

/** Reads a failed action's error as something the chef can act on. */
export function describeFailure(e: unknown): ActionFailure {
  if (e instanceof ApiError) {
    if (e.offline) return { kind: 'offline' };
    if (e.code === 'invalid_transition' || e.code === 'not_found') return { kind: 'changed' };
    if (e.code === 'undo_expired') return { kind: 'undo_expired' };
    if (e.code === 'nothing_to_undo') return { kind: 'nothing_to_undo' };
    if (e.code === 'not_recallable') return { kind: 'not_recallable' };
    return { kind: 'other', message: e.message, error: e };
  }
  return { kind: 'other', message: e instanceof Error ? e.message : String(e) };
}

type FrameListener = (frame: Frame) => void;

export class Kitchen {
  orders = $state.raw<Orders>(EMPTY);
  /** Orders flashing until someone taps them. */
  alerting = $state.raw<ReadonlySet<number>>(new Set());
  undo = $state.raw<UndoEntry | null>(null);
  /** The order number of the last change undone, and when (for a short confirmation). */
  undone = $state.raw<{ number: number; at: number } | null>(null);
  /** The last order recalled from the tray: its number, where it went back to, and when. */
  recalled = $state.raw<{ id: number; number: number; to: OrderStatus; at: number } | null>(null);
  /** Orders with a change on its way to the server (their buttons wait). */
  pending = $state.raw<ReadonlySet<number>>(new Set());
  connection = $state<LiveStatus>('stopped');
  /** When the next reconnect attempt happens (ms), while offline. */
  retryAt = $state<number | null>(null);
  /** Whether the board has loaded once (before that there is nothing to show). */
  loaded = $state(false);
  failure = $state.raw<ActionFailure | null>(null);
  /** Today's business date as the board counts it. */
  today = $state(businessDate(new Date()));

  private listeners = new Set<FrameListener>();
  /** Order news that arrived while a re-fetch was in flight (null: none in flight). */
  private meanwhile: OrderDto[] | null = null;
  private refetchAgain = false;
  private readonly live: LiveConnection;

  /** `openSocket` replaces the browser's WebSocket (tests). */
  constructor(openSocket?: (url: string) => SocketLike) {
    this.live = new LiveConnection({
      url: typeof location === 'undefined' ? 'ws://localhost/api/events' : eventsUrl(),
      onFrame: (f) => this.onFrame(f),
      onStatus: (status, retryAt) => {
        this.connection = status;
        this.retryAt = retryAt;
      },
      onUnauthorized: () => reportUnauthorized(),
      checkSession: checkSession,
      ...(openSocket ? { open: openSocket } : {}),
    });
  }

  /** Connects the stream (its `hello` loads the board). */
  start(): void {
    this.live.start();
  }

  /** Stops the stream, keeping everything shown (the session ended). */
  pause(): void {
    this.live.stop();
  }

  /** Forgets everything (logged out on purpose). */
  reset(): void {
    this.live.stop();
    this.orders = EMPTY;
    this.alerting = new Set();
    this.undo = null;
    this.loaded = false;
    this.failure = null;
  }

  retryNow(): void {
    this.live.retryNow();
  }

  /** Hears every stream frame (the call log and the menu editor listen too). */
  subscribe(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onFrame(frame: Frame): void {
    if (this.meanwhile && (frame.type === 'order.created' || frame.type === 'order.updated')) {
      this.meanwhile.push(frame.order);
    }
    const effect = applyFrame(this.orders, frame);
    this.orders = effect.orders;
    if (effect.created) this.alerting = new Set([...this.alerting, effect.created.id]);
    // A changed order alerts again, like a new one, until someone takes it.
    if (effect.changed) this.alerting = new Set([...this.alerting, effect.changed.id]);
    if (effect.order) this.undo = afterOrderNews(this.undo, effect.orders.get(effect.order.id) ?? effect.order);
    this.alerting = pruneAlerts(this.alerting, this.orders);
    if (effect.refetch) void this.refetch();
    // The ticket timers follow the settings saved anywhere (another tablet, the desktop app).
    if (frame.type === 'settings.changed') shopSettings.set(frame.settings);
    if (frame.type === 'answering.changed' && shopSettings.value) {
      shopSettings.set({ ...shopSettings.value, answering_paused: frame.paused });
    }
    for (const l of this.listeners) l(frame);
  }

  /** Loads the whole board: every open order, and today's finished ones. */
  async refetch(): Promise<void> {
    if (this.meanwhile) {
      this.refetchAgain = true;
      return;
    }
    this.meanwhile = [];
    try {
      const today = await this.businessToday();
      const lists = await Promise.all([
        api.orders({ status: 'new', limit: 5000 }),
        api.orders({ status: 'preparing', limit: 5000 }),
        api.orders({ status: 'ready', limit: 5000 }),
        api.orders({ since: today, limit: 5000 }),
      ]);
      const before = this.orders;
      const next = reconcile(lists.flat(), this.meanwhile);
      if (this.loaded) {
        const arrived = [...arrivedSince(before, next), ...changedSince(before, next)];
        if (arrived.length > 0) this.alerting = new Set([...this.alerting, ...arrived]);
      }
      this.orders = next;
      this.today = today;
      this.loaded = true;
      this.alerting = pruneAlerts(this.alerting, next);
      if (this.undo) {
        const o = next.get(this.undo.orderId);
        this.undo = o ? afterOrderNews(this.undo, o) : null;
      }
    } catch (e) {
      // A 401 already sent us to the login screen; offline shows in the banner. The next
      // connection's hello fetches again.
      if (!(e instanceof ApiError && (e.unauthorized || e.offline))) this.failure = describeFailure(e);
    } finally {
      this.meanwhile = null;
      if (this.refetchAgain) {
        this.refetchAgain = false;
        void this.refetch();
      }
    }
  }

  /** False once the server said it has no `/api/summary` (then the local clock decides). */
  private summaryAvailable = true;

  /**
   * Today's business day as the server counts it (its time zone and day start), from the
   * day summary; this screen's clock is the fallback.
   */
  private async businessToday(): Promise<string> {
    if (this.summaryAvailable) {
      try {
        return (await api.summary()).date;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) this.summaryAvailable = false;
        else if (e instanceof ApiError && (e.unauthorized || e.offline)) throw e;
      }
    }
    return businessDate(new Date());
  }

  acknowledge(id: number): void {
    if (!this.alerting.has(id)) return;
    const next = new Set(this.alerting);
    next.delete(id);
    this.alerting = next;
  }

  /**
   * One tap: the next status (new → preparing → ready → out for delivery → delivered; a
   * pickup: ready → collected). With riders set up a delivery goes out by `dispatch`.
   */
  async advance(order: OrderDto): Promise<void> {
    const to = nextStatus(order);
    if (!to) return;
    if (to === 'out_for_delivery' && (shopSettings.value?.riders?.length ?? 0) > 0) return;
    await this.change(order, () => api.setStatus(order.id, to));
  }

  /** A ready delivery goes out with rider `riderId` (one tap). */
  async dispatch(order: OrderDto, riderId: string): Promise<void> {
    if (order.status !== 'ready' || order.fulfilment.type !== 'delivery') return;
    await this.change(order, () => api.dispatch(order.id, riderId));
  }

  /** The rider came back with it; resolves true when done. */
  async returnOrder(order: OrderDto, reason: string): Promise<boolean> {
    if (order.status !== 'out_for_delivery' || reason.trim() === '') return false;
    return this.change(order, () => api.setStatus(order.id, 'returned', reason.trim()));
  }

  /** Cancels with a reason; resolves true when done. */
  async cancel(order: OrderDto, reason: string): Promise<boolean> {
    if (!canCancel(order.status) || reason.trim() === '') return false;
    return this.change(order, () => api.setStatus(order.id, 'cancelled', reason.trim()));
  }

  private async change(order: OrderDto, send: () => Promise<OrderDto>): Promise<boolean> {
    if (this.pending.has(order.id)) return false;
    this.acknowledge(order.id);
    this.pending = new Set([...this.pending, order.id]);
    try {
      const after = await send();
      this.orders = upsert(this.orders, after);
      this.undo = recordChange(order, after, Date.now());
      this.undone = null;
      this.alerting = pruneAlerts(this.alerting, this.orders);
      this.failure = null;
      return true;
    } catch (e) {
      this.failure = describeFailure(e);
      if (this.failure.kind === 'changed') void this.refreshOrder(order.id);
      return false;
    } finally {
      const next = new Set(this.pending);
      next.delete(order.id);
      this.pending = next;
    }
  }

  /** Undoes the last change, if still within its 30 seconds. */
  async undoLast(): Promise<boolean> {
    const entry = this.undo;
    if (!canUndo(entry, Date.now())) {
      this.undo = null;
      return false;
    }
    this.undo = null;
    try {
      const order = await api.undo(entry.orderId);
      this.orders = upsert(this.orders, order);
      this.undone = { number: order.number, at: Date.now() };
      this.failure = null;
      return true;
    } catch (e) {
      this.failure = describeFailure(e);
      void this.refreshOrder(entry.orderId);
      return false;
    }
  }

  /**
   * Brings a delivered or cancelled order back (no time limit; the server records it as
   * `recall`). Resolves with the order as it is now, or null when it could not.
   */
  async recall(order: OrderDto): Promise<OrderDto | null> {
    if (this.pending.has(order.id)) return null;
    this.pending = new Set([...this.pending, order.id]);
    try {
      const after = await api.recall(order.id);
      this.orders = upsert(this.orders, after);
      // A recall replaces the undo offer: the last change is no longer the one it named.
      if (this.undo?.orderId === order.id) this.undo = null;
      this.recalled = { id: after.id, number: after.number, to: after.status, at: Date.now() };
      this.failure = null;
      return after;
    } catch (e) {
      this.failure = describeFailure(e);
      void this.refreshOrder(order.id);
      return null;
    } finally {
      const next = new Set(this.pending);
      next.delete(order.id);
      this.pending = next;
    }
  }

  dismissUndo(): void {
    this.undo = null;
  }

  dismissFailure(): void {
    this.failure = null;
  }

  private async refreshOrder(id: number): Promise<void> {
    try {
      this.orders = upsert(this.orders, await api.order(id));
    } catch {
      // The stream or the next re-fetch will bring it.
    }
  }
}

async function checkSession(): Promise<SessionCheck> {
  try {
    await api.session();
    return 'valid';
  } catch (e) {
    if (e instanceof ApiError && e.unauthorized) return 'gone';
    return 'unknown';
  }
}

export const kitchen = new Kitchen();
