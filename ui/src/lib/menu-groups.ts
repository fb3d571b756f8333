// Option groups in the menu editor's working copy: a group's bounds as typed, and each
// option's price as one price for every size, prices per size, or both (per size where
// given, else the one price).

import type { MenuOption, OptionGroup } from './api';
import { Check, idOf, newKey, optionalText } from './draft';
import { paisaToRupeeText } from './money';

/** One size's price of an option: the size's id and rupees as typed. */
export type DraftPrice = { key: number; size: string; price: string };

export type DraftOption = {
  key: number;
  id: string;
  isNew: boolean;
  name: string;
  name_ur: string;
  /** Rupees for any size; blank: none (free, unless priced per size). */
  price: string;
  prices: DraftPrice[];
  available: boolean;
};

export type DraftGroup = {
  key: number;
  id: string;
  isNew: boolean;
  name: string;
  name_ur: string;
  min: string;
  max: string;
  options: DraftOption[];
};

export function groupToDraft(g: OptionGroup): DraftGroup {
  return {
    key: newKey(),
    id: g.id,
    isNew: false,
    name: g.name,
    name_ur: g.name_ur ?? '',
    min: String(g.min),
    max: String(g.max),
    options: g.options.map(optionToDraft),
  };
}

function optionToDraft(o: MenuOption): DraftOption {
  return {
    key: newKey(),
    id: o.id,
    isNew: false,
    name: o.name,
    name_ur: o.name_ur ?? '',
    price: o.price === undefined ? '' : paisaToRupeeText(o.price),
    prices: Object.entries(o.prices ?? {}).map(([size, paisa]) => ({ key: newKey(), size, price: paisaToRupeeText(paisa ?? 0) })),
    available: o.available,
  };
}

export function newOption(): DraftOption {
  return { key: newKey(), id: '', isNew: true, name: '', name_ur: '', price: '', prices: [], available: true };
}

/** A new group: pick at most one, with one option to fill in. */
export function newGroup(): DraftGroup {
  return { key: newKey(), id: '', isNew: true, name: '', name_ur: '', min: '0', max: '1', options: [newOption()] };
}

export function newPrice(size = ''): DraftPrice {
  return { key: newKey(), size, price: '' };
}

export function groupFromDraft(g: DraftGroup, at: string, check: Check): OptionGroup {
  const group: OptionGroup = {
    id: idOf(g.id, g.name),
    name: g.name.trim(),
    min: check.whole(g.min, `${at}.min`),
    max: check.whole(g.max, `${at}.max`),
    options: g.options.map((o, j) => optionFromDraft(o, `${at}.options[${j}]`, check)),
  };
  const name_ur = optionalText(g.name_ur);
  if (name_ur !== undefined) group.name_ur = name_ur;
  return group;
}

function optionFromDraft(o: DraftOption, at: string, check: Check): MenuOption {
  const option: MenuOption = { id: idOf(o.id, o.name), name: o.name.trim(), available: o.available };
  const name_ur = optionalText(o.name_ur);
  if (name_ur !== undefined) option.name_ur = name_ur;
  const price = check.optionalRupees(o.price, `${at}.price`);
  if (price !== undefined) option.price = price;
  if (o.prices.length > 0) {
    const prices: Record<string, number> = {};
    for (const p of o.prices) {
      const size = p.size.trim();
      // Each size once, and a price for every row.
      if (size === '') check.add(`${at}.prices`, 'required');
      else if (Object.hasOwn(prices, size)) check.add(`${at}.prices`, 'invalid');
      prices[size] = check.rupees(p.price, `${at}.prices`);
    }
    option.prices = prices;
  }
  return option;
}

export function groupPaths(g: DraftGroup, at: string, paths: Set<string>): void {
  paths.add(at);
  for (const f of ['id', 'name', 'name_ur', 'min', 'max', 'options']) paths.add(`${at}.${f}`);
  g.options.forEach((_, j) => {
    paths.add(`${at}.options[${j}]`);
    for (const f of ['id', 'name', 'name_ur', 'price', 'prices', 'available']) paths.add(`${at}.options[${j}].${f}`);
  });
}
