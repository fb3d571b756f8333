// The menu editor's working copy: prices as the rupee text the owner types, references
// between parts (an item's option groups, a deal slot's items) by the row's key so they
// survive renaming a new one; and the conversion back to the API's menu (paisa, ids) with
// the problems found on the way, keyed by the field paths the server uses
// (`items[0].sizes[1].price`). Option groups are in `menu-groups.ts`, deals in
// `menu-deals.ts`.

import type { ItemKind, MenuDto, MenuItem, MenuSize } from './api';
import { Check, idOf, newKey, optionalText } from './draft';
import { dealFromDraft, dealPaths, dealToDraft, type DraftDeal } from './menu-deals';
import { groupFromDraft, groupPaths, groupToDraft, type DraftGroup } from './menu-groups';
import { paisaToRupeeText } from './money';

export { slugify } from './draft';
export type { DraftDeal, DraftSlot, DraftSurcharge, DraftWindow, SlotChoice } from './menu-deals';
export type { DraftGroup, DraftOption, DraftPrice } from './menu-groups';

/** What a menu item can be (`deal` is only ever an order line's kind). */
export type MenuKind = Exclude<ItemKind, 'deal'>;
export const MENU_KINDS: readonly MenuKind[] = ['pizza', 'side', 'drink', 'dip', 'dessert', 'pasta', 'other'];

export type DraftSize = { key: number; id: string; label: string; label_ur: string; price: string; available: boolean };

export type DraftItem = {
  key: number;
  id: string;
  /** Ids of saved items are stable (orders refer to them); new items may choose theirs. */
  isNew: boolean;
  name: string;
  name_ur: string;
  kind: MenuKind;
  description: string;
  description_ur: string;
  available: boolean;
  sizes: DraftSize[];
  /** Keys of the option groups it offers. */
  groups: number[];
  half_and_half: boolean;
  /** Keys of the sizes half-and-half is offered in; none: every size. */
  half_sizes: number[];
};

export type MenuDraft = { items: DraftItem[]; groups: DraftGroup[]; deals: DraftDeal[] };

/** Ids ⇄ keys of the items and groups, for the references between them. */
export type Refs = {
  itemKey: ReadonlyMap<string, number>;
  groupKey: ReadonlyMap<string, number>;
  /** Ids as they will be sent (a new row's id may come from its name). */
  itemId: ReadonlyMap<number, string>;
  groupId: ReadonlyMap<number, string>;
};

function keysOf(ids: readonly string[] | undefined, byId: ReadonlyMap<string, number>): number[] {
  return (ids ?? []).flatMap((id) => {
    const k = byId.get(id);
    return k === undefined ? [] : [k];
  });
}

export function idsOf(keys: readonly number[], byKey: ReadonlyMap<number, string>): string[] {
  return keys.flatMap((k) => {
    const id = byKey.get(k);
    return id === undefined ? [] : [id];
  });
}

export function toDraft(menu: MenuDto): MenuDraft {
  const items = menu.items.map((i) => itemToDraft(i));
  const groups = (menu.option_groups ?? []).map(groupToDraft);
  const itemKey = new Map(items.map((d) => [d.id, d.key]));
  const groupKey = new Map(groups.map((g) => [g.id, g.key]));
  menu.items.forEach((i, n) => {
    const d = items[n]!;
    d.groups = keysOf(i.option_groups, groupKey);
    d.half_sizes = keysOf(i.half_sizes, new Map(d.sizes.map((s) => [s.id, s.key])));
  });
  const refs: Refs = { itemKey, groupKey, itemId: new Map(), groupId: new Map() };
  return { items, groups, deals: (menu.deals ?? []).map((d) => dealToDraft(d, refs)) };
}

function itemToDraft(i: MenuItem): DraftItem {
  return {
    key: newKey(),
    id: i.id,
    isNew: false,
    name: i.name,
    name_ur: i.name_ur ?? '',
    kind: i.kind === 'deal' ? 'other' : i.kind,
    description: i.description ?? '',
    description_ur: i.description_ur ?? '',
    available: i.available,
    sizes: i.sizes.map((s) => ({
      key: newKey(),
      id: s.id,
      label: s.label,
      label_ur: s.label_ur ?? '',
      price: paisaToRupeeText(s.price),
      available: s.available ?? true,
    })),
    groups: [],
    half_and_half: i.half_and_half ?? false,
    half_sizes: [],
  };
}

export function newSize(): DraftSize {
  return { key: newKey(), id: '', label: '', label_ur: '', price: '', available: true };
}

export function newItem(kind: MenuKind = 'pizza'): DraftItem {
  return {
    key: newKey(),
    id: '',
    isNew: true,
    name: '',
    name_ur: '',
    kind,
    description: '',
    description_ur: '',
    available: true,
    sizes: [newSize()],
    groups: [],
    half_and_half: false,
    half_sizes: [],
  };
}

/** The ids every row will be sent with, by key. */
export function refsOf(draft: MenuDraft): Refs {
  return {
    itemKey: new Map(draft.items.map((i) => [idOf(i.id, i.name), i.key])),
    groupKey: new Map(draft.groups.map((g) => [idOf(g.id, g.name), g.key])),
    itemId: new Map(draft.items.map((i) => [i.key, idOf(i.id, i.name)])),
    groupId: new Map(draft.groups.map((g) => [g.key, idOf(g.id, g.name)])),
  };
}

export type DraftResult = { ok: true; menu: MenuDto } | { ok: false; check: Check };

/**
 * The menu to send. Blank ids of new rows come from their names; prices must be rupees and
 * counts whole numbers. Everything else (names, duplicates, references, limits) the server
 * checks and names. A reference to a row removed meanwhile is dropped.
 */
export function fromDraft(draft: MenuDraft): DraftResult {
  const check = new Check();
  const refs = refsOf(draft);
  const menu: MenuDto = {
    items: draft.items.map((d, i) => itemFromDraft(d, `items[${i}]`, refs, check)),
    option_groups: draft.groups.map((g, i) => groupFromDraft(g, `option_groups[${i}]`, check)),
    deals: draft.deals.map((d, i) => dealFromDraft(d, `deals[${i}]`, refs, check)),
  };
  return check.ok ? { ok: true, menu } : { ok: false, check };
}

function itemFromDraft(d: DraftItem, at: string, refs: Refs, check: Check): MenuItem {
  const sizes: MenuSize[] = d.sizes.map((s, j) => {
    const size: MenuSize = {
      id: idOf(s.id, s.label),
      label: s.label.trim(),
      price: check.rupees(s.price, `${at}.sizes[${j}].price`),
      available: s.available,
    };
    const label_ur = optionalText(s.label_ur);
    if (label_ur !== undefined) size.label_ur = label_ur;
    return size;
  });
  const item: MenuItem = { id: idOf(d.id, d.name), name: d.name.trim(), kind: d.kind, available: d.available, sizes };
  const name_ur = optionalText(d.name_ur);
  if (name_ur !== undefined) item.name_ur = name_ur;
  const description = optionalText(d.description);
  if (description !== undefined) item.description = description;
  const description_ur = optionalText(d.description_ur);
  if (description_ur !== undefined) item.description_ur = description_ur;
  const groups = idsOf(d.groups, refs.groupId);
  if (groups.length > 0) item.option_groups = groups;
  if (d.half_and_half) {
    item.half_and_half = true;
    const sizeIds = new Map(d.sizes.map((s, j) => [s.key, sizes[j]!.id]));
    const half = idsOf(d.half_sizes, sizeIds);
    if (half.length > 0) item.half_sizes = half;
  }
  return item;
}

/** Every field path the editor shows a problem at (the rest are listed by the save button). */
export function shownPaths(draft: MenuDraft): Set<string> {
  const paths = new Set<string>(['items', 'option_groups', 'deals']);
  draft.items.forEach((item, i) => {
    const at = `items[${i}]`;
    paths.add(at);
    for (const f of ['id', 'name', 'name_ur', 'kind', 'description', 'description_ur', 'available', 'sizes', 'option_groups', 'half_and_half', 'half_sizes']) {
      paths.add(`${at}.${f}`);
    }
    item.sizes.forEach((_, j) => {
      paths.add(`${at}.sizes[${j}]`);
      for (const f of ['id', 'label', 'label_ur', 'price', 'available']) paths.add(`${at}.sizes[${j}].${f}`);
    });
  });
  draft.groups.forEach((g, i) => groupPaths(g, `option_groups[${i}]`, paths));
  draft.deals.forEach((d, i) => dealPaths(d, `deals[${i}]`, paths));
  return paths;
}

/** A row's name in the screen's language: the Urdu one on an Urdu screen when it has one. */
export function displayName(row: { name: string; name_ur: string }, lang: 'en' | 'ur'): string {
  return (lang === 'ur' && row.name_ur.trim()) || row.name.trim();
}

/** The sizes on the menu (each id once, with the first label seen), for choosing sizes. */
export function sizeChoices(items: readonly DraftItem[]): { id: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const item of items) {
    for (const s of item.sizes) {
      const id = idOf(s.id, s.label);
      if (id !== '' && !seen.has(id)) seen.set(id, s.label.trim() || id);
    }
  }
  return [...seen].map(([id, label]) => ({ id, label }));
}

/** Removes a group, and every item's reference to it. */
export function removeGroup(draft: MenuDraft, key: number): void {
  draft.groups = draft.groups.filter((g) => g.key !== key);
  for (const item of draft.items) item.groups = item.groups.filter((k) => k !== key);
}

/** Removes an item, and every deal slot's reference to it. */
export function removeItem(draft: MenuDraft, key: number): void {
  draft.items = draft.items.filter((i) => i.key !== key);
  for (const deal of draft.deals) {
    for (const slot of deal.slots) {
      slot.items = slot.items.filter((k) => k !== key);
      slot.surcharges = slot.surcharges.filter((s) => s.item !== key);
    }
  }
}

/** A size removed from an item is no longer among its half-and-half sizes. */
export function removeSize(item: DraftItem, key: number): void {
  item.sizes = item.sizes.filter((s) => s.key !== key);
  item.half_sizes = item.half_sizes.filter((k) => k !== key);
}

/** Adds or removes `value` from a list, in place (a ticked or unticked box). */
export function toggle<T>(list: T[], value: T, on: boolean): void {
  const at = list.indexOf(value);
  if (on && at < 0) list.push(value);
  if (!on && at >= 0) list.splice(at, 1);
}
