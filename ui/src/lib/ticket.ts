// How a ticket words an order's lines: a deal's parts under its name, options (removals
// marked), halves as "½ Tikka ½ Fajita", in the screen's language.

import type { ChosenOption, DealPart, Half, OrderDto, OrderItemDto } from './api';
import type { Lang } from './i18n';

/** A name in the screen's language (English when there is no Urdu one). */
export function named(x: { name: string; name_ur?: string | null | undefined }, lang: Lang): string {
  return lang === 'ur' && x.name_ur ? x.name_ur : x.name;
}

/** What to call a pizza: its name, or both halves (`½ Chicken Tikka ½ Chicken Fajita`). */
export function pizzaName(x: { name: string; name_ur?: string | null | undefined; half: Half | null }, lang: Lang): string {
  return x.half ? `½ ${named(x, lang)} ½ ${named(x.half, lang)}` : named(x, lang);
}

/** An option that takes something off ("No onion"): shown so it cannot be missed. */
export function isRemoval(option: Pick<ChosenOption, 'group' | 'name'>): boolean {
  return /(^|[-_.])(remove|removals?|without|no)([-_.]|$)/i.test(option.group) || /^(no|without)\b/i.test(option.name.trim());
}

export type OptionWord = { text: string; removal: boolean };

/** A line's options as the ticket shows them, in the order chosen. */
export function optionWords(options: readonly ChosenOption[], lang: Lang): OptionWord[] {
  return options.map((o) => ({ text: named(o, lang), removal: isRemoval(o) }));
}

/** A deal part's slot label in the screen's language. */
export function partSlot(part: DealPart, lang: Lang): string {
  return lang === 'ur' && part.slot_label_ur ? part.slot_label_ur : part.slot_label;
}

/** The line's name: a deal's or an item's (with its halves). */
export function lineName(item: OrderItemDto, lang: Lang): string {
  return item.deal ? named(item, lang) : pizzaName(item, lang);
}

/** Whether the order or any of its lines carries a note for the kitchen. */
export function hasNotes(order: Pick<OrderDto, 'note' | 'items'>): boolean {
  return !!order.note || order.items.some((i) => !!i.note);
}

export type TextRun = { text: string; ltr: boolean };

// A run of Latin-script text inside an Urdu one: it starts and ends with a letter or digit
// (or a closing inch mark, quote or percent) and may hold spaces and `.,'"/-&%` between.
// `·`, `+`, `:`, `،` and brackets stay outside, in the Urdu flow.
const LATIN_RUN = /[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F .,'"″/&%-]*[A-Za-z0-9\u00C0-\u024F'"″%])?/g;

/**
 * A text written by the server that mixes Urdu and English (a bill line's `description_ur`:
 * `ملائی بوٹی Large 13" · سٹفڈ کرسٹ + پیپسی 1.5 L`), cut into runs so the English ones can
 * each be laid out left to right on their own: left in the Urdu flow, `Large 13"` shows as
 * `"Large 13` and `1.5 L` as `L 1.5`.
 */
export function latinRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let at = 0;
  for (const m of text.matchAll(LATIN_RUN)) {
    if (m.index > at) runs.push({ text: text.slice(at, m.index), ltr: false });
    runs.push({ text: m[0], ltr: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) runs.push({ text: text.slice(at), ltr: false });
  return runs;
}
