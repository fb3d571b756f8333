// The board's "Calls to return": the open call cards (an unfinished order to ring back, a
// transfer's summary, a promised call back), as plain data and pure functions. The live
// events keep them current on every screen; the wiring is in call-cards.svelte.ts.

import type { CallCard } from './api';
import type { Frame } from './board';
import { ms } from './time';

/** Newest first, as the server lists them (ties by id, the later one first). */
export function sortCards(cards: readonly CallCard[]): CallCard[] {
  return [...cards].sort((a, b) => ms(b.created_at) - ms(a.created_at) || b.id - a.id);
}

/** What a stream frame does to the open cards: `null` when it says nothing about them. */
export function applyCardFrame(cards: readonly CallCard[], frame: Frame): CallCard[] | null {
  switch (frame.type) {
    case 'call_card.created':
      // A card that is already done (a late or replayed event) is not shown.
      if (frame.card.done_at !== null) return withoutCard(cards, frame.card.id);
      return sortCards([...cards.filter((c) => c.id !== frame.card.id), frame.card]);
    case 'call_card.done':
      return withoutCard(cards, frame.id);
    default:
      return null;
  }
}

/** The cards without card `id` (the same list when it was not there). */
export function withoutCard(cards: readonly CallCard[], id: number): CallCard[] {
  return cards.some((c) => c.id === id) ? cards.filter((c) => c.id !== id) : [...cards];
}

/**
 * A `tel:` link for a card's number (E.164: `+` and digits), or null when there is none to
 * ring. Anything else the server might hold is not put into a link.
 */
export function telHref(phone: string | null): string | null {
  if (phone === null || !/^\+\d{6,15}$/.test(phone)) return null;
  return `tel:${phone}`;
}
