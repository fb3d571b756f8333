// The order builder's rules apart from its screens: the form's state, what the menu allows
// on a line (sizes, options, halves, a deal's slots), the request it sends, and where the
// server's problems go. Prices are never computed here: the server quotes every bill.

import type {
  Deal,
  DealChoice,
  DealSlot,
  FieldProblem,
  LineRequest,
  MenuDto,
  MenuItem,
  MenuSize,
  MenuOption,
  OptionChoice,
  OptionGroup,
  OrderRequest,
  PaymentMethod,
  SettingsDto,
} from './api';
import { localProblem } from './field';
import { paisaToRupeeText, parseRupees } from './money';

/** An item (or half-and-half pizza) with its size and options: an item line or a deal's choice. */
export type Choice = { item_id: string; size_id: string; options: OptionChoice[]; half_id: string | null };

export type ItemLine = Choice & { key: number; type: 'item'; quantity: number; note: string };

/** One of the `count` choices of a slot; `item_id` is empty until something is picked. */
export type SlotChoice = Choice & { key: number };

export type DealLine = {
  key: number;
  type: 'deal';
  deal_id: string;
  quantity: number;
  note: string;
  /** The choices of each slot, by slot id, `count` of them. */
  slots: Record<string, SlotChoice[]>;
};

export type Line = ItemLine | DealLine;

export type Draft = {
  lines: Line[];
  fulfilment: 'delivery' | 'pickup';
  address: string;
  landmark: string;
  zone_id: string;
  /** Pickup: minutes from now, as typed (empty: as soon as it is ready). */
  pickup_minutes: string;
  payment: PaymentMethod;
  /** Cash: the note the customer pays with, in rupees as typed. */
  pays_with: string;
  customer_name: string;
  customer_phone: string;
  note: string;
};

export const MAX_QUANTITY = 20;
export const MAX_NOTE = 200;

let lastKey = 0;
function nextKey(): number {
  lastKey += 1;
  return lastKey;
}

type Lang = 'en' | 'ur';
type Named = { name: string; name_ur?: string | null | undefined };

/** A menu thing's name in the screen's language (English when it has no Urdu name). */
export function localName(x: Named, lang: Lang): string {
  return lang === 'ur' && x.name_ur ? x.name_ur : x.name;
}

/** A size's label in the screen's language (the English one when it has no Urdu label). */
export function sizeLabel(size: Pick<MenuSize, 'label' | 'label_ur'>, lang: Lang): string {
  return lang === 'ur' && size.label_ur ? size.label_ur : size.label;
}

/** An order line's (or deal part's) size in the screen's language; older orders have only English. */
export function lineSizeLabel(line: { size_label: string; size_label_ur?: string | null | undefined }, lang: Lang): string {
  return lang === 'ur' && line.size_label_ur ? line.size_label_ur : line.size_label;
}

/** A slot's label in the screen's language. */
export function slotLabel(slot: Pick<DealSlot, 'label' | 'label_ur'>, lang: Lang): string {
  return lang === 'ur' && slot.label_ur ? slot.label_ur : slot.label;
}

export function emptyDraft(settings: SettingsDto | null = null): Draft {
  const methods = settings?.payment_methods ?? [];
  return {
    lines: [],
    fulfilment: 'delivery',
    address: '',
    landmark: '',
    zone_id: '',
    pickup_minutes: '',
    payment: methods.includes('cash') || methods.length === 0 ? 'cash' : methods[0]!,
    pays_with: '',
    customer_name: '',
    customer_phone: '',
    note: '',
  };
}

// ---------------------------------------------------------------------------------------
// What the menu allows

/** A menu as the server sent it, with the lists an older server leaves out made empty. */
export function normalizeMenu(menu: Partial<MenuDto> & Pick<MenuDto, 'items'>): MenuDto {
  return { items: menu.items ?? [], option_groups: menu.option_groups ?? [], deals: menu.deals ?? [] };
}

export function findItem(menu: MenuDto, id: string): MenuItem | undefined {
  return menu.items.find((i) => i.id === id);
}

export function findDeal(menu: MenuDto, id: string): Deal | undefined {
  return menu.deals.find((d) => d.id === id);
}

/** The option groups an item offers, in the item's order (unknown ids left out). */
export function groupsOf(menu: MenuDto, item: MenuItem | undefined): OptionGroup[] {
  if (!item) return [];
  return (item.option_groups ?? []).flatMap((id) => menu.option_groups.filter((g) => g.id === id));
}

/**
 * An option's menu price for a size, or null when that size is not offered it:
 * `prices[size]`, else `price`, else free; with `prices` and no `price`, only the sizes listed.
 */
export function optionPrice(option: MenuOption, sizeId: string): number | null {
  if (option.prices && Object.hasOwn(option.prices, sizeId)) return option.prices[sizeId]!;
  if (option.price !== undefined) return option.price;
  return option.prices ? null : 0;
}

/** The options of a group offered for a size (sold-out ones included: they show as such). */
export function offeredOptions(group: OptionGroup, sizeId: string): MenuOption[] {
  return group.options.filter((o) => optionPrice(o, sizeId) !== null);
}

/** Whether an item can be half of a half-and-half pizza in this size. */
export function halfAllowed(item: MenuItem | undefined, sizeId: string): boolean {
  if (!item || item.kind !== 'pizza' || !item.half_and_half) return false;
  if (!item.sizes.some((s) => s.id === sizeId)) return false;
  return item.half_sizes === undefined || item.half_sizes.includes(sizeId);
}

/**
 * The pizzas that can be the other half of `item` in this size (none when `item` itself
 * cannot be halved there); `among` narrows them (a deal slot's flavours).
 */
export function halfCandidates(menu: MenuDto, item: MenuItem | undefined, sizeId: string, among?: readonly MenuItem[]): MenuItem[] {
  if (!item || !halfAllowed(item, sizeId)) return [];
  return (among ?? menu.items).filter((o) => o.id !== item.id && halfAllowed(o, sizeId));
}

/** Whether an item and its size can be ordered now (neither sold out). */
export function canOrder(item: MenuItem, sizeId?: string): boolean {
  if (!item.available) return false;
  if (sizeId === undefined) return item.sizes.some((s) => s.available);
  return item.sizes.some((s) => s.id === sizeId && s.available);
}

/** The items a deal's slot allows, in menu order (sold-out ones included: they show as such). */
export function slotItems(menu: MenuDto, slot: DealSlot): MenuItem[] {
  return menu.items.filter(
    (i) =>
      (slot.items ? slot.items.includes(i.id) : slot.kind ? i.kind === slot.kind : true) &&
      !(slot.exclude_items ?? []).includes(i.id) &&
      i.sizes.some((s) => slot.sizes.includes(s.id)),
  );
}

/** The sizes of an item a slot allows. */
export function slotSizes(slot: DealSlot, item: MenuItem | undefined): MenuItem['sizes'] {
  return item ? item.sizes.filter((s) => slot.sizes.includes(s.id)) : [];
}

/** A slot's surcharge for an item (premium flavours), 0 when none. */
export function surcharge(slot: DealSlot, itemId: string): number {
  return slot.surcharges?.[itemId] ?? 0;
}

// ---------------------------------------------------------------------------------------
// Editing

/** A new line for an item, in its first size that is not sold out. */
export function newItemLine(item: MenuItem): ItemLine {
  const size = item.sizes.find((s) => s.available) ?? item.sizes[0];
  return { key: nextKey(), type: 'item', item_id: item.id, size_id: size?.id ?? '', options: [], half_id: null, quantity: 1, note: '' };
}

function emptyChoice(): SlotChoice {
  return { key: nextKey(), item_id: '', size_id: '', options: [], half_id: null };
}

/** A new deal line, its slots empty (a slot with only one thing it can hold comes filled). */
export function newDealLine(menu: MenuDto, deal: Deal): DealLine {
  const slots: Record<string, SlotChoice[]> = {};
  for (const slot of deal.slots) {
    const items = slotItems(menu, slot).filter((i) => canOrder(i));
    slots[slot.id] = Array.from({ length: slot.count }, () => {
      const choice = emptyChoice();
      if (items.length === 1) pickSlotItem(choice, slot, items[0]!);
      return choice;
    });
  }
  return { key: nextKey(), type: 'deal', deal_id: deal.id, quantity: 1, note: '', slots };
}

/** Puts an item in a deal's choice: the slot's first size it has in stock, no options, whole. */
export function pickSlotItem(choice: Choice, slot: DealSlot, item: MenuItem | undefined): void {
  const sizes = slotSizes(slot, item);
  choice.item_id = item?.id ?? '';
  choice.size_id = (sizes.find((s) => s.available) ?? sizes[0])?.id ?? '';
  choice.options = [];
  choice.half_id = null;
}

/**
 * Changes a choice's size, keeping the options still offered in it and the half only if
 * both halves still allow it.
 */
export function changeSize(menu: MenuDto, choice: Choice, sizeId: string): void {
  choice.size_id = sizeId;
  const item = findItem(menu, choice.item_id);
  const groups = groupsOf(menu, item);
  choice.options = choice.options.filter((c) => {
    const option = groups.find((g) => g.id === c.group)?.options.find((o) => o.id === c.option);
    return option !== undefined && optionPrice(option, sizeId) !== null;
  });
  if (choice.half_id !== null && !halfAllowed(findItem(menu, choice.half_id), sizeId)) choice.half_id = null;
  if (!halfAllowed(item, sizeId)) choice.half_id = null;
}

export function isChosen(options: readonly OptionChoice[], group: string, option: string): boolean {
  return options.some((c) => c.group === group && c.option === option);
}

/** How many options of a group are chosen. */
export function chosenCount(options: readonly OptionChoice[], group: string): number {
  return options.filter((c) => c.group === group).length;
}

/**
 * Options after tapping one: chosen ones come off; in a group of at most one, the new one
 * replaces the old; otherwise it is added while the group's maximum allows.
 */
export function toggleOption(options: readonly OptionChoice[], group: OptionGroup, option: string): OptionChoice[] {
  if (isChosen(options, group.id, option)) return options.filter((c) => !(c.group === group.id && c.option === option));
  if (group.max === 1) return [...options.filter((c) => c.group !== group.id), { group: group.id, option }];
  if (chosenCount(options, group.id) >= group.max) return [...options];
  return [...options, { group: group.id, option }];
}

/** Whether an option can be tapped now: in stock, and chosen or with room in its group. */
export function canToggle(options: readonly OptionChoice[], group: OptionGroup, option: MenuOption): boolean {
  if (isChosen(options, group.id, option.id)) return true;
  if (!option.available) return false;
  return group.max === 1 || chosenCount(options, group.id) < group.max;
}

export function clampQuantity(n: number): number {
  return Math.min(MAX_QUANTITY, Math.max(1, Math.round(n)));
}

// ---------------------------------------------------------------------------------------
// The request

/** Which slot and which of its choices each sent choice of a deal line is. */
export type ChoiceRef = { slot: string; n: number };

export type Built = {
  request: OrderRequest;
  /** Per line, per sent choice (`items[i].choices[k]`): its slot and place there. */
  choiceRefs: ChoiceRef[][];
  /** What the dashboard found wrong itself (amounts that are not amounts). */
  problems: FieldProblem[];
};

/**
 * The address sent with a quote while the delivery address is not typed yet: the address
 * does not change the price, so the bill shows while the order is built. Placing the order
 * sends what was typed (and the server asks for an address if there is none).
 */
export const QUOTE_ADDRESS = 'address to follow';

function choiceRequest(c: Choice): Pick<DealChoice, 'item_id' | 'options' | 'half'> {
  return {
    item_id: c.item_id,
    ...(c.options.length > 0 ? { options: c.options.map((o) => ({ group: o.group, option: o.option })) } : {}),
    ...(c.half_id ? { half: { item_id: c.half_id } } : {}),
  };
}

function lineRequest(menu: MenuDto, line: Line): { line: LineRequest; refs: ChoiceRef[] } {
  const note = line.note.trim();
  const common = { quantity: line.quantity, ...(note !== '' ? { note } : {}) };
  if (line.type === 'item') {
    const { item_id, options, half } = choiceRequest(line);
    return {
      line: { item_id, size_id: line.size_id, ...common, ...(options ? { options } : {}), ...(half ? { half } : {}) },
      refs: [],
    };
  }
  const deal = findDeal(menu, line.deal_id);
  // The menu's slot order; slots the menu no longer has keep their place after them.
  const order = [...(deal?.slots.map((s) => s.id) ?? []), ...Object.keys(line.slots)].filter((id, i, all) => all.indexOf(id) === i);
  const choices: DealChoice[] = [];
  const refs: ChoiceRef[] = [];
  for (const slotId of order) {
    const slot = deal?.slots.find((s) => s.id === slotId);
    (line.slots[slotId] ?? []).forEach((c, n) => {
      if (c.item_id === '') return;
      const oneSize = slot !== undefined && slot.sizes.length === 1;
      choices.push({ slot: slotId, ...choiceRequest(c), ...(oneSize || c.size_id === '' ? {} : { size_id: c.size_id }) });
      refs.push({ slot: slotId, n });
    });
  }
  return { line: { deal_id: line.deal_id, ...common, choices }, refs };
}

function optional(key: string, text: string): Record<string, string> {
  const t = text.trim();
  return t === '' ? {} : { [key]: t };
}

/**
 * The request a draft makes. `forQuote` stands in for a missing delivery address
 * (`QUOTE_ADDRESS`). Amounts that are not amounts are left out and named in `problems`.
 */
export function buildRequest(menu: MenuDto, draft: Draft, opts: { forQuote?: boolean } = {}): Built {
  const problems: FieldProblem[] = [];
  const built = draft.lines.map((l) => lineRequest(menu, l));
  const request: OrderRequest = { items: built.map((b) => b.line) };

  if (draft.fulfilment === 'delivery') {
    const address = draft.address.trim();
    request.fulfilment = {
      type: 'delivery',
      address: address === '' && opts.forQuote ? QUOTE_ADDRESS : address,
      ...optional('landmark', draft.landmark),
      ...optional('zone_id', draft.zone_id),
    };
  } else {
    const minutes = draft.pickup_minutes.trim();
    if (minutes !== '' && !/^\d{1,4}$/.test(minutes)) problems.push(localProblem('fulfilment.pickup_in_minutes', 'whole_number'));
    request.fulfilment = { type: 'pickup', ...(/^\d{1,4}$/.test(minutes) ? { pickup_in_minutes: Number(minutes) } : {}) };
  }

  const payment: NonNullable<OrderRequest['payment']> = { method: draft.payment };
  if (draft.payment === 'cash' && draft.pays_with.trim() !== '') {
    const paisa = parseRupees(draft.pays_with);
    if (paisa === null) problems.push(localProblem('payment.pays_with', 'rupee_amount'));
    else payment.pays_with = paisa;
  }
  request.payment = payment;
  Object.assign(request, optional('customer_name', draft.customer_name), optional('customer_phone', draft.customer_phone));
  Object.assign(request, optional('note', draft.note));
  return { request, choiceRefs: built.map((b) => b.refs), problems };
}

/**
 * The draft a request makes: `buildRequest`'s other way, to change an order already placed.
 * A deal's choices go to their slots in order, each slot filled to its `count` with empty
 * choices (a slot the menu no longer has keeps its choices, so the server can name it);
 * the pays-with note is shown in rupees, as typed.
 */
export function draftFromRequest(menu: MenuDto, request: OrderRequest, settings: SettingsDto | null = null): Draft {
  const draft = emptyDraft(settings);
  for (const l of request.items) {
    const quantity = l.quantity ?? 1;
    const note = l.note ?? '';
    if (l.deal_id !== undefined) {
      const deal = findDeal(menu, l.deal_id);
      const slots: Record<string, SlotChoice[]> = {};
      for (const slot of deal?.slots ?? []) slots[slot.id] = [];
      for (const c of l.choices ?? []) {
        const slot = deal?.slots.find((s) => s.id === c.slot);
        const size = c.size_id ?? (slot && slot.sizes.length === 1 ? slot.sizes[0]! : '');
        (slots[c.slot] ??= []).push({
          key: nextKey(),
          item_id: c.item_id,
          size_id: size,
          options: (c.options ?? []).map((o) => ({ group: o.group, option: o.option })),
          half_id: c.half?.item_id ?? null,
        });
      }
      for (const slot of deal?.slots ?? []) {
        const choices = slots[slot.id]!;
        while (choices.length < slot.count) choices.push(emptyChoice());
      }
      draft.lines.push({ key: nextKey(), type: 'deal', deal_id: l.deal_id, quantity, note, slots });
    } else {
      const item = findItem(menu, l.item_id ?? '');
      const size = l.size_id ?? (item && item.sizes.length === 1 ? item.sizes[0]!.id : '');
      draft.lines.push({
        key: nextKey(),
        type: 'item',
        item_id: l.item_id ?? '',
        size_id: size,
        options: (l.options ?? []).map((o) => ({ group: o.group, option: o.option })),
        half_id: l.half?.item_id ?? null,
        quantity,
        note,
      });
    }
  }

  const f = request.fulfilment;
  if (f?.type === 'pickup') {
    draft.fulfilment = 'pickup';
    draft.pickup_minutes = f.pickup_in_minutes === undefined ? '' : String(f.pickup_in_minutes);
  } else if (f) {
    draft.address = f.address;
    draft.landmark = f.landmark ?? '';
    draft.zone_id = f.zone_id ?? '';
  } else {
    // The earlier shape: an address means delivery.
    draft.address = request.address ?? '';
    draft.landmark = request.landmark ?? '';
  }
  if (request.payment) {
    draft.payment = request.payment.method;
    draft.pays_with = request.payment.pays_with === undefined ? '' : paisaToRupeeText(request.payment.pays_with);
  }
  draft.customer_name = request.customer_name ?? '';
  draft.customer_phone = request.customer_phone ?? '';
  draft.note = request.note ?? '';
  return draft;
}

// ---------------------------------------------------------------------------------------
// Where problems show

/** The parts of the builder a problem can show beside. */
export const part = {
  line: (i: number) => `items[${i}]`,
  lineField: (i: number, f: 'size_id' | 'quantity' | 'note' | 'half') => `items[${i}].${f}`,
  group: (i: number, g: string) => `items[${i}].group.${g}`,
  slot: (i: number, s: string) => `items[${i}].slot.${s}`,
  choice: (i: number, s: string, n: number) => `items[${i}].choice.${s}.${n}`,
  choiceField: (i: number, s: string, n: number, f: 'size_id' | 'half') => `items[${i}].choice.${s}.${n}.${f}`,
  choiceGroup: (i: number, s: string, n: number, g: string) => `items[${i}].choice.${s}.${n}.group.${g}`,
};

/** The builder's parts outside the lines. */
export const ORDER_PARTS = [
  'items',
  'fulfilment',
  'fulfilment.address',
  'fulfilment.landmark',
  'fulfilment.zone_id',
  'fulfilment.pickup_in_minutes',
  'payment',
  'payment.method',
  'payment.pays_with',
  'customer_name',
  'customer_phone',
  'note',
] as const;

/** Every part the builder shows for a draft (what `placeProblems` may place a problem at). */
export function partKeys(menu: MenuDto, draft: Draft): Set<string> {
  const keys = new Set<string>(ORDER_PARTS);
  draft.lines.forEach((line, i) => {
    keys.add(part.line(i));
    keys.add(part.lineField(i, 'quantity'));
    keys.add(part.lineField(i, 'note'));
    if (line.type === 'item') {
      keys.add(part.lineField(i, 'size_id'));
      keys.add(part.lineField(i, 'half'));
      for (const g of groupsOf(menu, findItem(menu, line.item_id))) keys.add(part.group(i, g.id));
      return;
    }
    for (const [slotId, choices] of Object.entries(line.slots)) {
      keys.add(part.slot(i, slotId));
      choices.forEach((c, n) => {
        keys.add(part.choice(i, slotId, n));
        keys.add(part.choiceField(i, slotId, n, 'size_id'));
        keys.add(part.choiceField(i, slotId, n, 'half'));
        for (const g of groupsOf(menu, findItem(menu, c.item_id))) keys.add(part.choiceGroup(i, slotId, n, g.id));
      });
    }
  });
  return keys;
}

type Seg = { name: string; index: number | null };

function parsePath(path: string): Seg[] | null {
  const segs: Seg[] = [];
  for (const piece of path.split('.')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$/.exec(piece);
    if (!m) return null;
    const indexes = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    segs.push({ name: m[1]!, index: indexes[0] ?? null });
  }
  return segs;
}

/** A group's id from an id or a name (the server names groups by name in `group`). */
function groupId(menu: MenuDto, g: string | undefined): string | null {
  if (!g) return null;
  return (menu.option_groups.find((x) => x.id === g) ?? menu.option_groups.find((x) => x.name === g))?.id ?? g;
}

/** The group an `options[k]` path names, from the request sent (or the `group` param). */
function groupKey(menu: MenuDto, sent: readonly OptionChoice[] | undefined, seg: Seg, params: Record<string, string>): string | null {
  if (seg.index !== null) {
    const group = sent?.[seg.index]?.group;
    if (group) return `group.${group}`;
  }
  const id = groupId(menu, params.group);
  return id ? `group.${id}` : null;
}

/** A deal's slot id from an id or a label (the server names slots by label in `slot`). */
function slotId(menu: MenuDto, dealId: string | undefined, s: string | undefined): string | null {
  if (!s) return null;
  const slots = (dealId ? findDeal(menu, dealId)?.slots : undefined) ?? [];
  return (slots.find((x) => x.id === s) ?? slots.find((x) => x.label === s))?.id ?? s;
}

/** The part a server path names, before falling back to a part the builder shows. */
function rawPart(problem: FieldProblem, built: Built, menu: MenuDto): string {
  const segs = parsePath(problem.field);
  if (!segs || segs.length === 0) return problem.field;
  const [head, ...rest] = segs;
  if (head!.name === 'address' || head!.name === 'landmark') return `fulfilment.${head!.name}`;
  if (head!.name !== 'items' || head!.index === null) return problem.field;
  const i = head!.index;
  const line = built.request.items[i];
  const base = part.line(i);
  const [next, ...more] = rest;
  if (!next) return base;
  switch (next.name) {
    case 'item_id':
    case 'deal_id':
      return base;
    case 'options':
    case 'option_groups': {
      const g = groupKey(menu, line?.options, next, problem.params);
      return g ? `${base}.${g}` : base;
    }
    case 'half':
      return `${base}.half`;
    case 'choices': {
      const ref = next.index !== null ? built.choiceRefs[i]?.[next.index] : undefined;
      if (!ref) {
        const slot = slotId(menu, line?.deal_id, problem.params.slot);
        return slot ? part.slot(i, slot) : base;
      }
      const choice = part.choice(i, ref.slot, ref.n);
      const [field] = more;
      if (!field || field.name === 'item_id' || field.name === 'slot') return choice;
      if (field.name === 'options') {
        const g = groupKey(menu, line?.choices?.[next.index!]?.options, field, problem.params);
        return g ? `${choice}.${g}` : choice;
      }
      return `${choice}.${field.name}`;
    }
    default:
      return `${base}.${next.name}`;
  }
}

/** A part, or the nearest part around it the builder shows (null: none). */
function nearestPart(key: string, shown: ReadonlySet<string>): string | null {
  let k = key;
  for (;;) {
    if (shown.has(k)) return k;
    if (/\[\d+\]$/.test(k)) k = k.replace(/\[\d+\]$/, '');
    else if (k.includes('.')) k = k.slice(0, k.lastIndexOf('.'));
    else return null;
    // `items[1].choice` and `items[1].group` are no parts; `items[1]` is.
    if (/\.(choice|group|slot)$/.test(k)) k = k.slice(0, k.lastIndexOf('.'));
  }
}

export type Placed = {
  /** Problems by the part they show beside. */
  byPart: Record<string, FieldProblem[]>;
  /** Problems with no part of the builder to show beside (shown by the button). */
  unplaced: FieldProblem[];
};

/** Places the server's problems (and the builder's own) beside the parts they name. */
export function placeProblems(
  problems: readonly FieldProblem[],
  built: Built,
  shown: ReadonlySet<string>,
  menu: MenuDto,
): Placed {
  const byPart: Record<string, FieldProblem[]> = {};
  const unplaced: FieldProblem[] = [];
  for (const p of problems) {
    const key = nearestPart(rawPart(p, built, menu), shown);
    if (key === null) unplaced.push(p);
    else (byPart[key] ??= []).push(p);
  }
  return { byPart, unplaced };
}

// ---------------------------------------------------------------------------------------
// Naming the menu in problems

/** Params that hold menu, zone or payment ids (or lists of them) to show by name. */
const NAMED_PARAMS = ['given', 'allowed', 'name', 'option', 'group', 'slot', 'deal'] as const;

/**
 * A problem's params with the ids and English names they hold put in the screen's language
 * from the menu and the zones (`allowed: "thin,stuffed"` → `Thin crust، Stuffed crust`).
 * Ids the menu does not know stay as they are.
 */
export function nameParams(problem: FieldProblem, menu: MenuDto, zones: SettingsDto['delivery_zones'], lang: Lang): FieldProblem {
  const lookup = new Map<string, string>();
  const add = (id: string, x: Named) => {
    if (!lookup.has(id)) lookup.set(id, localName(x, lang));
    if (!lookup.has(x.name)) lookup.set(x.name, localName(x, lang));
  };
  for (const i of menu.items) add(i.id, i);
  for (const d of menu.deals) add(d.id, d);
  for (const g of menu.option_groups) add(g.id, g);
  for (const z of zones) add(z.id, z);
  for (const d of menu.deals) for (const s of d.slots) add(s.id, { name: s.label, name_ur: s.label_ur });
  for (const g of menu.option_groups) for (const o of g.options) add(o.id, o);
  for (const i of menu.items) for (const s of i.sizes) add(s.id, { name: s.label, name_ur: s.label_ur });
  // A sold-out size or half is named with its item: `Chicken Tikka Large 13"`.
  for (const i of menu.items) {
    for (const s of i.sizes) {
      const whole = `${i.name} ${s.label}`;
      if (!lookup.has(whole)) lookup.set(whole, `${localName(i, lang)} ${sizeLabel(s, lang)}`);
    }
  }
  const params = { ...problem.params };
  // "none" is the server's English for an empty list.
  if (params.allowed === 'none' || params.allowed === '') delete params.allowed;
  for (const key of NAMED_PARAMS) {
    const v = params[key];
    if (v === undefined) continue;
    const parts = key === 'allowed' || key === 'given' ? v.split(',').map((x) => x.trim()).filter((x) => x !== '') : [v];
    params[key] = parts.map((x) => lookup.get(x) ?? x).join(lang === 'ur' ? '، ' : ', ');
  }
  return { ...problem, params };
}

// ---------------------------------------------------------------------------------------
// Placing it

/** A random UUID (v4) for `Idempotency-Key`; works over plain http too, unlike `randomUUID`. */
export function newIdempotencyKey(random: (bytes: Uint8Array) => void = (b) => crypto.getRandomValues(b)): string {
  const b = new Uint8Array(16);
  random(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The last attempt to place an order: its body and key. */
export type Attempt = { body: string; key: string };

/**
 * The key for placing `request`: the last attempt's when it is the same order (a retry after
 * a lost answer must not place it twice), a new one when anything changed.
 */
export function attemptFor(request: OrderRequest, last: Attempt | null, newKey: () => string = newIdempotencyKey): Attempt {
  const body = JSON.stringify(request);
  return last && last.body === body ? last : { body, key: newKey() };
}
