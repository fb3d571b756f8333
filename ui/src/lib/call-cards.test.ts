// Calls to return: how live events and Done change the open call cards, the tel: link, and
// the words for each kind in both languages.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallCard } from './api';
import type { Frame } from './board';
import { applyCardFrame, sortCards, telHref, withoutCard } from './call-cards';
import { CallCards } from './call-cards.svelte';
import { MESSAGES } from './i18n';

function card(over: Partial<CallCard> = {}): CallCard {
  return {
    id: 1,
    kind: 'unfinished_order',
    call_sid: 'CA1',
    phone: '+923001234567',
    reason: null,
    summary: '2× Chicken Tikka Large, 1× Coca-Cola 1.5 L',
    total: 471_800,
    created_at: '2026-11-24T10:00:00.000Z',
    done_at: null,
    done_by: null,
    ...over,
  };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('call cards from live events', () => {
  const older = card({ id: 1, created_at: '2026-11-24T10:00:00.000Z' });
  const newer = card({ id: 2, kind: 'transfer', created_at: '2026-11-24T10:05:00.000Z' });

  it('keeps them newest first, a created card once, and drops a done one', () => {
    expect(sortCards([older, newer]).map((c) => c.id)).toEqual([2, 1]);
    const after = applyCardFrame([older], { type: 'call_card.created', card: newer });
    expect(after?.map((c) => c.id)).toEqual([2, 1]);
    // The same event twice (a replay) still shows the card once.
    expect(applyCardFrame(after!, { type: 'call_card.created', card: newer })?.map((c) => c.id)).toEqual([2, 1]);
    expect(applyCardFrame(after!, { type: 'call_card.done', id: 2 })?.map((c) => c.id)).toEqual([1]);
    // Done for a card this screen never had: nothing to take off.
    expect(applyCardFrame(after!, { type: 'call_card.done', id: 99 })?.map((c) => c.id)).toEqual([2, 1]);
    // A card that arrives already done is not shown.
    const done = card({ id: 3, done_at: '2026-11-24T10:06:00.000Z', done_by: 'system' });
    expect(applyCardFrame(after!, { type: 'call_card.created', card: done })?.map((c) => c.id)).toEqual([2, 1]);
    // Other frames say nothing about cards.
    expect(applyCardFrame(after!, { type: 'menu.updated' })).toBeNull();
    expect(withoutCard(after!, 1).map((c) => c.id)).toEqual([2]);
  });

  it('links only a real number for calling back', () => {
    expect(telHref('+923001234567')).toBe('tel:+923001234567');
    expect(telHref(null)).toBeNull();
    expect(telHref('withheld')).toBeNull();
    expect(telHref('+92 300 1234567')).toBeNull();
    expect(telHref('javascript:alert(1)')).toBeNull();
  });

  it('words every kind in English and in Urdu (no Latin letters on an Urdu screen)', () => {
    const kinds = ['unfinished_order', 'transfer', 'call_back'] as const;
    expect(kinds.map((k) => MESSAGES.en.callCards.kinds[k])).toEqual(['Unfinished order', 'Transfer', 'Call back']);
    for (const k of kinds) {
      const ur = MESSAGES.ur.callCards.kinds[k];
      expect(ur, k).toMatch(/[\u0600-\u06FF]/);
      expect(ur, k).not.toMatch(/[A-Za-z]/);
    }
    const urTexts = [
      MESSAGES.ur.callCards.title,
      MESSAGES.ur.callCards.callBack,
      MESSAGES.ur.callCards.done,
      MESSAGES.ur.callCards.noNumber,
      MESSAGES.ur.callCards.ago('0:12'),
      MESSAGES.ur.calls.quotes,
      MESSAGES.ur.calls.quote(2),
      MESSAGES.ur.calls.missing,
      MESSAGES.ur.calls.nothingMissing,
      MESSAGES.ur.calls.cards,
      MESSAGES.ur.calls.cardResolved,
      MESSAGES.ur.settings.cateringMinItems,
      ...Object.values(MESSAGES.ur.calls.missingWords),
    ];
    for (const text of urTexts) expect(text, text).not.toMatch(/[A-Za-z]/);
    expect(Object.keys(MESSAGES.ur.calls.missingWords).sort()).toEqual(Object.keys(MESSAGES.en.calls.missingWords).sort());
  });
});

describe('the board’s call cards against a scripted server', () => {
  let listener: ((f: Frame) => void) | null;
  let cards: CallCards;
  let requests: string[];
  let serverCards: CallCard[];
  let doneAnswer: (id: number) => Response;

  beforeEach(() => {
    listener = null;
    requests = [];
    serverCards = [card({ id: 1 })];
    doneAnswer = (id) => json({ ...card({ id }), done_at: '2026-11-24T10:10:00.000Z', done_by: 'chef' });
    vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      requests.push(`${method} ${input}`);
      if (input === '/api/call-cards') return json(serverCards);
      const m = /^\/api\/call-cards\/(\d+)\/done$/.exec(input);
      if (m && method === 'POST') return doneAnswer(Number(m[1]));
      return json({ error: { code: 'route_not_found', message: 'no' } }, 404);
    });
    cards = new CallCards((l) => {
      listener = l;
      return () => (listener = null);
    });
  });

  afterEach(() => vi.unstubAllGlobals());

  it('loads on start and on every hello, follows events, and subscribes once', async () => {
    cards.start();
    cards.start();
    await settle();
    expect(cards.cards.map((c) => c.id)).toEqual([1]);
    listener!({ type: 'call_card.created', card: card({ id: 2, created_at: '2026-11-24T10:01:00.000Z' }) });
    expect(cards.cards.map((c) => c.id)).toEqual([2, 1]);
    listener!({ type: 'call_card.done', id: 1 });
    expect(cards.cards.map((c) => c.id)).toEqual([2]);
    // A reconnection reloads: the server is the truth.
    serverCards = [card({ id: 5 })];
    listener!({ type: 'hello' });
    await settle();
    expect(cards.cards.map((c) => c.id)).toEqual([5]);
    expect(requests.filter((r) => r === 'GET /api/call-cards')).toHaveLength(3);
  });

  it('Done posts once, takes the card off, and a card already gone is taken off too', async () => {
    serverCards = [card({ id: 1 }), card({ id: 2, created_at: '2026-11-24T09:00:00.000Z' })];
    cards.start();
    await settle();
    const first = cards.cards[0]!;
    const pressing = cards.done(first);
    await cards.done(first); // a second tap while the first is on its way does nothing
    await pressing;
    expect(requests.filter((r) => r.startsWith('POST'))).toEqual(['POST /api/call-cards/1/done']);
    expect(cards.cards.map((c) => c.id)).toEqual([2]);
    expect(cards.pending.size).toBe(0);

    doneAnswer = () => json({ error: { code: 'not_found', message: 'no call card with id `2`' } }, 404);
    await cards.done(cards.cards[0]!);
    expect(cards.cards).toEqual([]);
    expect(cards.failure).toBeNull();
  });

  it('keeps the card and reports the failure when the server is unreachable', async () => {
    cards.start();
    await settle();
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('network down');
    });
    await cards.done(cards.cards[0]!);
    expect(cards.cards.map((c) => c.id)).toEqual([1]);
    expect(cards.failure).not.toBeNull();
    cards.dismissFailure();
    expect(cards.failure).toBeNull();
  });
});
