// Deals in the menu editor's working copy: the price as typed, the hours it can be ordered
// (windows in shop time that may cross midnight), and its slots — which items may fill each
// (any of a kind, only some, or all but some), in which sizes, and the premium flavours'
// surcharges.

import type { Deal, DealSlot, TimeWindow, Weekday } from './api';
import { Check, idOf, newKey, optionalText, WEEKDAYS } from './draft';
import type { DraftItem, MenuKind, Refs } from './menu-draft';
import { paisaToRupeeText } from './money';

export type DraftWindow = { key: number; days: Weekday[]; from: string; to: string };

/** Which items a slot takes: any (of its kind), only those ticked, or all but those ticked. */
export type SlotChoice = 'any' | 'only' | 'except';

/** A premium flavour's surcharge: the item's key (null until chosen) and rupees as typed. */
export type DraftSurcharge = { key: number; item: number | null; amount: string };

export type DraftSlot = {
  key: number;
  id: string;
  isNew: boolean;
  label: string;
  label_ur: string;
  count: string;
  /** '' : any kind. */
  kind: MenuKind | '';
  choice: SlotChoice;
  /** Keys of the items ticked (taken or left out, by `choice`). */
  items: number[];
  /** Size ids. */
  sizes: string[];
  surcharges: DraftSurcharge[];
};

export type DraftDeal = {
  key: number;
  id: string;
  isNew: boolean;
  name: string;
  name_ur: string;
  description: string;
  description_ur: string;
  price: string;
  available: boolean;
  /** None: it can be ordered whenever the shop is open. */
  hours: DraftWindow[];
  slots: DraftSlot[];
};

function keys(ids: readonly string[], byId: ReadonlyMap<string, number>): number[] {
  return ids.flatMap((id) => {
    const k = byId.get(id);
    return k === undefined ? [] : [k];
  });
}

export function dealToDraft(d: Deal, refs: Pick<Refs, 'itemKey'>): DraftDeal {
  return {
    key: newKey(),
    id: d.id,
    isNew: false,
    name: d.name,
    name_ur: d.name_ur ?? '',
    description: d.description ?? '',
    description_ur: d.description_ur ?? '',
    price: paisaToRupeeText(d.price),
    available: d.available,
    hours: (d.hours ?? []).map((w) => ({ key: newKey(), days: [...w.days], from: w.from, to: w.to })),
    slots: d.slots.map((s) => slotToDraft(s, refs)),
  };
}

function slotToDraft(s: DealSlot, refs: Pick<Refs, 'itemKey'>): DraftSlot {
  const excluded = s.exclude_items ?? [];
  // Only some items: leaving out one of those is leaving it unticked.
  const [choice, items]: [SlotChoice, string[]] = s.items
    ? ['only', s.items.filter((i) => !excluded.includes(i))]
    : excluded.length > 0
      ? ['except', excluded]
      : ['any', []];
  return {
    key: newKey(),
    id: s.id,
    isNew: false,
    label: s.label,
    label_ur: s.label_ur ?? '',
    count: String(s.count),
    kind: s.kind === undefined || s.kind === 'deal' ? '' : s.kind,
    choice,
    items: keys(items, refs.itemKey),
    sizes: [...s.sizes],
    surcharges: Object.entries(s.surcharges ?? {}).flatMap(([item, paisa]) => {
      const k = refs.itemKey.get(item);
      return k === undefined ? [] : [{ key: newKey(), item: k, amount: paisaToRupeeText(paisa ?? 0) }];
    }),
  };
}

export function newWindow(): DraftWindow {
  return { key: newKey(), days: [...WEEKDAYS], from: '', to: '' };
}

export function newSlot(kind: MenuKind | '' = 'pizza'): DraftSlot {
  return { key: newKey(), id: '', isNew: true, label: '', label_ur: '', count: '1', kind, choice: 'any', items: [], sizes: [], surcharges: [] };
}

export function newSurcharge(): DraftSurcharge {
  return { key: newKey(), item: null, amount: '' };
}

export function newDeal(): DraftDeal {
  return {
    key: newKey(),
    id: '',
    isNew: true,
    name: '',
    name_ur: '',
    description: '',
    description_ur: '',
    price: '',
    available: true,
    hours: [],
    slots: [newSlot()],
  };
}

export function dealFromDraft(d: DraftDeal, at: string, refs: Pick<Refs, 'itemId'>, check: Check): Deal {
  const deal: Deal = {
    id: idOf(d.id, d.name),
    name: d.name.trim(),
    price: check.rupees(d.price, `${at}.price`),
    available: d.available,
    slots: d.slots.map((s, j) => slotFromDraft(s, `${at}.slots[${j}]`, refs, check)),
  };
  const name_ur = optionalText(d.name_ur);
  if (name_ur !== undefined) deal.name_ur = name_ur;
  const description = optionalText(d.description);
  if (description !== undefined) deal.description = description;
  const description_ur = optionalText(d.description_ur);
  if (description_ur !== undefined) deal.description_ur = description_ur;
  if (d.hours.length > 0) deal.hours = d.hours.map((w, j) => windowFromDraft(w, `${at}.hours[${j}]`, check));
  return deal;
}

function windowFromDraft(w: DraftWindow, at: string, check: Check): TimeWindow {
  return {
    days: WEEKDAYS.filter((day) => w.days.includes(day)),
    from: check.time(w.from, `${at}.from`),
    to: check.time(w.to, `${at}.to`),
  };
}

function slotFromDraft(s: DraftSlot, at: string, refs: Pick<Refs, 'itemId'>, check: Check): DealSlot {
  const slot: DealSlot = {
    id: idOf(s.id, s.label),
    label: s.label.trim(),
    count: check.whole(s.count, `${at}.count`),
    sizes: [...s.sizes],
  };
  const label_ur = optionalText(s.label_ur);
  if (label_ur !== undefined) slot.label_ur = label_ur;
  if (s.kind !== '') slot.kind = s.kind;
  const ids = s.items.flatMap((k) => refs.itemId.get(k) ?? []);
  if (s.choice === 'only') slot.items = ids;
  if (s.choice === 'except' && ids.length > 0) slot.exclude_items = ids;
  if (s.surcharges.length > 0) {
    const surcharges: Record<string, number> = {};
    for (const row of s.surcharges) {
      const amount = check.rupees(row.amount, `${at}.surcharges`);
      const item = row.item === null ? undefined : refs.itemId.get(row.item);
      if (item === undefined) check.add(`${at}.surcharges`, 'required');
      else if (Object.hasOwn(surcharges, item)) check.add(`${at}.surcharges`, 'invalid');
      else surcharges[item] = amount;
    }
    slot.surcharges = surcharges;
  }
  return slot;
}

export function dealPaths(d: DraftDeal, at: string, paths: Set<string>): void {
  paths.add(at);
  for (const f of ['id', 'name', 'name_ur', 'description', 'description_ur', 'price', 'available', 'hours', 'slots']) {
    paths.add(`${at}.${f}`);
  }
  d.hours.forEach((_, j) => {
    for (const f of ['days', 'from', 'to']) paths.add(`${at}.hours[${j}].${f}`);
  });
  d.slots.forEach((s, j) => {
    const slot = `${at}.slots[${j}]`;
    paths.add(slot);
    for (const f of ['id', 'label', 'label_ur', 'count', 'kind', 'sizes', 'surcharges']) paths.add(`${slot}.${f}`);
    // The ticked items show under one list, whichever way they count.
    paths.add(`${slot}.${s.choice === 'except' ? 'exclude_items' : 'items'}`);
  });
}

/** The items that can fill a slot as it stands (for its sizes and surcharges). */
export function slotCandidates(slot: DraftSlot, items: readonly DraftItem[]): DraftItem[] {
  if (slot.choice === 'only') return items.filter((i) => slot.items.includes(i.key));
  return items.filter(
    (i) => (slot.kind === '' || i.kind === slot.kind) && !(slot.choice === 'except' && slot.items.includes(i.key)),
  );
}

/** The items a slot's tick list offers: those of its kind (all kinds when any), plus any ticked. */
export function slotItemChoices(slot: DraftSlot, items: readonly DraftItem[]): DraftItem[] {
  return items.filter((i) => slot.kind === '' || i.kind === slot.kind || slot.items.includes(i.key));
}
