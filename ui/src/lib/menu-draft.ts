// The menu editor's working copy: prices as the rupee text the owner types, and the
// conversion back to the API's menu (paisa) with the problems found on the way, keyed by
// the same field paths the server uses (`items[0].sizes[1].price`).

import type { FieldProblem, ItemKind, MenuItem } from './api';
import { fieldErrorText, type Lang } from './i18n';
import { paisaToRupeeText, parseRupees } from './money';

export type DraftSize = { key: number; id: string; label: string; price: string; available: boolean };

export type DraftItem = {
  key: number;
  id: string;
  /** Ids of saved items are stable (orders refer to them); new items may choose theirs. */
  isNew: boolean;
  name: string;
  name_ur: string;
  kind: ItemKind;
  available: boolean;
  sizes: DraftSize[];
};

let nextKey = 1;
function key(): number {
  return nextKey++;
}

export function toDraft(items: readonly MenuItem[]): DraftItem[] {
  return items.map((i) => ({
    key: key(),
    id: i.id,
    isNew: false,
    name: i.name,
    name_ur: i.name_ur ?? '',
    kind: i.kind,
    available: i.available,
    sizes: i.sizes.map((s) => ({
      key: key(),
      id: s.id,
      label: s.label,
      price: paisaToRupeeText(s.price),
      available: s.available,
    })),
  }));
}

export function newSize(): DraftSize {
  return { key: key(), id: '', label: '', price: '', available: true };
}

export function newItem(kind: ItemKind = 'pizza'): DraftItem {
  return { key: key(), id: '', isNew: true, name: '', name_ur: '', kind, available: true, sizes: [newSize()] };
}

/** An id from a name: `Chicken Tikka` → `chicken-tikka`; `1.5 L` → `1.5-l`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40);
}

export type Problems = Record<string, string>;

export type DraftResult = { ok: true; items: MenuItem[] } | { ok: false; problems: Problems };

/**
 * The menu to send. Blank ids of new items and sizes come from their names; prices must be
 * rupees. Everything else (names, duplicates, limits) the server checks and names.
 */
export function fromDraft(draft: readonly DraftItem[], badPrice: string): DraftResult {
  const problems: Problems = {};
  const items: MenuItem[] = draft.map((d, i) => {
    const item: MenuItem = {
      id: d.id.trim() || slugify(d.name),
      name: d.name.trim(),
      kind: d.kind,
      available: d.available,
      sizes: d.sizes.map((s, j) => {
        const price = parseRupees(s.price);
        if (price === null) problems[`items[${i}].sizes[${j}].price`] = badPrice;
        return { id: s.id.trim() || slugify(s.label), label: s.label.trim(), price: price ?? 0, available: s.available };
      }),
    };
    const ur = d.name_ur.trim();
    if (ur !== '') item.name_ur = ur;
    return item;
  });
  return Object.keys(problems).length === 0 ? { ok: true, items } : { ok: false, problems };
}

/** The server's field problems by path (the first of each field), in the screen's language. */
export function problemsByField(fields: readonly FieldProblem[], lang: Lang): Problems {
  const out: Problems = {};
  for (const f of fields) if (!Object.hasOwn(out, f.field)) out[f.field] = fieldErrorText(f, lang);
  return out;
}
