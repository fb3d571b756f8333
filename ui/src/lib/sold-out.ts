// The board's sold-out panel: what each switch sends, what is sold out now, and the search
// over items (with their sizes), option groups' options (crusts, extras) and deals.

import type { AvailabilityChange, Deal, MenuDto, MenuItem, MenuOption, OptionGroup } from './api';
import { localName, sizeLabel } from './order-builder';

type Lang = 'en' | 'ur';

/** One switch on the panel. */
export type Target =
  | { kind: 'item'; item_id: string }
  | { kind: 'size'; item_id: string; size_id: string }
  | { kind: 'option'; group: string; option: string }
  | { kind: 'deal'; deal_id: string };

/** The request body of one tap. */
export function changeOf(target: Target, available: boolean): AvailabilityChange {
  switch (target.kind) {
    case 'item':
      return { item_id: target.item_id, available };
    case 'size':
      return { item_id: target.item_id, size_id: target.size_id, available };
    case 'option':
      return { group: target.group, option: target.option, available };
    case 'deal':
      return { deal_id: target.deal_id, available };
  }
}

/** A stable key for a switch (to mark the one being saved). */
export function keyOf(target: Target): string {
  switch (target.kind) {
    case 'item':
      return `item:${target.item_id}`;
    case 'size':
      return `size:${target.item_id}:${target.size_id}`;
    case 'option':
      return `option:${target.group}:${target.option}`;
    case 'deal':
      return `deal:${target.deal_id}`;
  }
}

/** Something sold out, named in the screen's language. */
export type SoldOutThing = { target: Target; key: string; name: string };

/**
 * Everything sold out now, in menu order: whole items, single sizes (named with their item:
 * "Pepperoni Family 16\""), options and deals.
 */
export function soldOutNow(menu: MenuDto, lang: Lang): SoldOutThing[] {
  const out: SoldOutThing[] = [];
  const push = (target: Target, name: string) => out.push({ target, key: keyOf(target), name });
  for (const item of menu.items) {
    if (!item.available) push({ kind: 'item', item_id: item.id }, localName(item, lang));
    for (const size of item.sizes) {
      if (!size.available) {
        push({ kind: 'size', item_id: item.id, size_id: size.id }, `${localName(item, lang)} ${sizeLabel(size, lang)}`);
      }
    }
  }
  for (const group of menu.option_groups) {
    for (const option of group.options) {
      if (!option.available) push({ kind: 'option', group: group.id, option: option.id }, localName(option, lang));
    }
  }
  for (const deal of menu.deals) {
    if (!deal.available) push({ kind: 'deal', deal_id: deal.id }, localName(deal, lang));
  }
  return out;
}

/** How many switches are off (the header button's count). */
export function soldOutCount(menu: MenuDto | null): number {
  return menu ? soldOutNow(menu, 'en').length : 0;
}

function fold(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase('en').replace(/\s+/g, ' ').trim();
}

function matches(words: readonly (string | null | undefined)[], query: string): boolean {
  return words.some((w) => w && fold(w).includes(query));
}

/** What the panel lists for a search: matching items, groups with their matching options, deals. */
export type Shown = { items: MenuItem[]; groups: { group: OptionGroup; options: MenuOption[] }[]; deals: Deal[] };

/**
 * The menu filtered by `query`, in English or Urdu, by name, id or (for items) a size's
 * label; a group's name matching shows all its options. An empty query shows everything.
 */
export function search(menu: MenuDto, query: string): Shown {
  const q = fold(query);
  if (q === '') {
    return { items: [...menu.items], groups: menu.option_groups.map((group) => ({ group, options: [...group.options] })), deals: [...menu.deals] };
  }
  const items = menu.items.filter((i) => matches([i.name, i.name_ur, i.id, ...i.sizes.flatMap((s) => [s.label, s.label_ur])], q));
  const groups = menu.option_groups
    .map((group) => ({
      group,
      options: matches([group.name, group.name_ur, group.id], q) ? [...group.options] : group.options.filter((o) => matches([o.name, o.name_ur, o.id], q)),
    }))
    .filter((g) => g.options.length > 0);
  const deals = menu.deals.filter((d) => matches([d.name, d.name_ur, d.id], q));
  return { items, groups, deals };
}

/**
 * Items with anything sold out (the item or one of its sizes) first, the rest in menu
 * order. Worked out when the panel opens or the search changes, not on every tap, so a row
 * never jumps from under the finger.
 */
export function soldOutFirst(items: readonly MenuItem[]): MenuItem[] {
  const off = (i: MenuItem) => !i.available || i.sizes.some((s) => !s.available);
  return [...items.filter(off), ...items.filter((i) => !off(i))];
}
