// The open call cards as reactive state for the board: loaded on every (re)connection of
// the live stream, kept current by `call_card.created` / `call_card.done`, and marked done
// from here. The rules are in call-cards.ts.

import { api, ApiError, type CallCard } from './api';
import type { Frame } from './board';
import { applyCardFrame, sortCards, withoutCard } from './call-cards';
import { kitchen } from './kitchen.svelte';

/** How the cards hear the live stream (the kitchen's; tests pass their own). */
type Subscribe = (listener: (frame: Frame) => void) => () => void;

export class CallCards {
  /** The open cards, newest first. */
  cards = $state.raw<CallCard[]>([]);
  /** Cards whose Done is on its way to the server (their button waits). */
  pending = $state.raw<ReadonlySet<number>>(new Set());
  /** The last Done that failed, worded where it is shown. */
  failure = $state.raw<unknown>(null);
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly subscribe: Subscribe = (l) => kitchen.subscribe(l)) {}

  /** Follows the live stream (once) and loads the cards now. */
  start(): void {
    if (!this.unsubscribe) {
      this.unsubscribe = this.subscribe((frame) => {
        if (frame.type === 'hello' || frame.type === 'resync') {
          void this.load();
          return;
        }
        const next = applyCardFrame(this.cards, frame);
        if (next) this.cards = next;
      });
    }
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.cards = sortCards(await api.callCards());
    } catch {
      // Offline or logged out: the banner and the login say so; the next `hello` loads again.
    }
  }

  /** Someone dealt with the card: it leaves this screen now and the others by the event. */
  async done(card: CallCard): Promise<void> {
    if (this.pending.has(card.id)) return;
    this.pending = new Set([...this.pending, card.id]);
    try {
      await api.callCardDone(card.id);
      this.cards = withoutCard(this.cards, card.id);
      this.failure = null;
    } catch (e) {
      // Gone already (another screen, or the server forgot it): nothing left to do.
      if (e instanceof ApiError && e.code === 'not_found') this.cards = withoutCard(this.cards, card.id);
      else this.failure = e;
    } finally {
      const next = new Set(this.pending);
      next.delete(card.id);
      this.pending = next;
    }
  }

  dismissFailure(): void {
    this.failure = null;
  }
}

export const callCards = new CallCards();
