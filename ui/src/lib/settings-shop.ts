// The shop's order settings as the owner edits them (issue 12): delivery zones, pickup,
// sales tax, payment methods and opening hours. Money as rupee text, tax rates as percent
// text (sent as basis points, 16 % → 1600), hours as `HH:MM`; turned into the parts of a
// `PUT /api/settings` body that changed, with the problems found on the way keyed by the
// server's field paths (`delivery_zones[0].fee`, `hours.weekly.mon[0].to`).

import type { DeliveryZone, OpeningHours, PaymentMethod, PickupSettings, SettingsDto, SettingsUpdate, TaxSettings, Weekday } from './api';
import { basisPointsToPercentText, Check, idOf, newKey, optionalText, WEEKDAYS } from './draft';
import { paisaToRupeeText } from './money';

export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cash', 'card', 'wallet'];

export type ZoneDraft = {
  key: number;
  id: string;
  isNew: boolean;
  name: string;
  name_ur: string;
  fee: string;
  min_order: string;
  /** Blank: delivery is never free. */
  free_above: string;
  eta_minutes: string;
  /** One area a line. */
  areas: string;
};

export type RangeDraft = { key: number; from: string; to: string };
export type DateDraft = { key: number; date: string };

/** A rider as typed: the id is made when the owner adds one (`r-` and random letters). */
export type RiderDraft = { key: number; id: string; name: string; phone: string };

/** A new rider's id: unique enough for one shop, in the server's id alphabet. */
export function newRiderId(taken: readonly string[] = []): string {
  for (;;) {
    const id = `r-${Math.random().toString(36).slice(2, 8)}`;
    if (!taken.includes(id)) return id;
  }
}

export function newRider(taken: readonly string[] = []): RiderDraft {
  return { key: newKey(), id: newRiderId(taken), name: '', phone: '' };
}

export type ShopForm = {
  zones: ZoneDraft[];
  riders: RiderDraft[];
  pickup: { enabled: boolean; eta_minutes: string };
  tax: { registered: boolean; prices_include_tax: boolean; rates: Record<PaymentMethod, string>; on_delivery_fee: boolean };
  payment_methods: PaymentMethod[];
  /** Opening hours unset (`null`): always open. */
  always_open: boolean;
  /** A day without ranges is closed. */
  weekly: Record<Weekday, RangeDraft[]>;
  closed_dates: DateDraft[];
};

function emptyWeek(): Record<Weekday, RangeDraft[]> {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

export function toShopForm(s: SettingsDto): ShopForm {
  const weekly = emptyWeek();
  for (const day of WEEKDAYS) {
    weekly[day] = (s.hours?.weekly[day] ?? []).map((r) => ({ key: newKey(), from: r.from, to: r.to }));
  }
  return {
    riders: (s.riders ?? []).map((r) => ({ key: newKey(), id: r.id, name: r.name, phone: r.phone })),
    zones: (s.delivery_zones ?? []).map((z) => ({
      key: newKey(),
      id: z.id,
      isNew: false,
      name: z.name,
      name_ur: z.name_ur ?? '',
      fee: paisaToRupeeText(z.fee),
      min_order: paisaToRupeeText(z.min_order),
      free_above: z.free_above === undefined ? '' : paisaToRupeeText(z.free_above),
      eta_minutes: String(z.eta_minutes),
      areas: z.areas.join('\n'),
    })),
    pickup: { enabled: s.pickup?.enabled ?? true, eta_minutes: String(s.pickup?.eta_minutes ?? 20) },
    tax: {
      registered: s.tax?.registered ?? false,
      prices_include_tax: s.tax?.prices_include_tax ?? false,
      rates: {
        cash: basisPointsToPercentText(s.tax?.rates_bp.cash ?? 0),
        card: basisPointsToPercentText(s.tax?.rates_bp.card ?? 0),
        wallet: basisPointsToPercentText(s.tax?.rates_bp.wallet ?? 0),
      },
      on_delivery_fee: s.tax?.on_delivery_fee ?? false,
    },
    payment_methods: PAYMENT_METHODS.filter((m) => (s.payment_methods ?? ['cash']).includes(m)),
    always_open: s.hours === null || s.hours === undefined,
    weekly,
    closed_dates: (s.hours?.closed_dates ?? []).map((date) => ({ key: newKey(), date })),
  };
}

export function newZone(): ZoneDraft {
  return { key: newKey(), id: '', isNew: true, name: '', name_ur: '', fee: '0', min_order: '0', free_above: '', eta_minutes: '40', areas: '' };
}

export function newRange(from = '', to = ''): RangeDraft {
  return { key: newKey(), from, to };
}

export function newDate(): DateDraft {
  return { key: newKey(), date: '' };
}

/** Gives every day the ranges `day` has (fresh rows, so each day edits on its own). */
export function copyDayToAll(form: ShopForm, day: Weekday): void {
  const ranges = form.weekly[day];
  for (const other of WEEKDAYS) {
    if (other !== day) form.weekly[other] = ranges.map((r) => newRange(r.from, r.to));
  }
}

type ShopParts = Required<Pick<SettingsUpdate, 'delivery_zones' | 'pickup' | 'tax' | 'payment_methods' | 'riders'>> & {
  hours: OpeningHours | null;
};

function zoneFromDraft(z: ZoneDraft, at: string, check: Check): DeliveryZone {
  const zone: DeliveryZone = {
    id: idOf(z.id, z.name),
    name: z.name.trim(),
    fee: check.rupees(z.fee, `${at}.fee`),
    min_order: check.rupees(z.min_order, `${at}.min_order`),
    eta_minutes: check.whole(z.eta_minutes, `${at}.eta_minutes`),
    areas: z.areas
      .split('\n')
      .map((a) => a.trim())
      .filter((a) => a !== ''),
  };
  const name_ur = optionalText(z.name_ur);
  if (name_ur !== undefined) zone.name_ur = name_ur;
  const free = check.optionalRupees(z.free_above, `${at}.free_above`);
  if (free !== undefined) zone.free_above = free;
  return zone;
}

function parts(form: ShopForm, check: Check): ShopParts {
  const pickup: PickupSettings = { enabled: form.pickup.enabled, eta_minutes: check.whole(form.pickup.eta_minutes, 'pickup.eta_minutes') };
  const tax: TaxSettings = {
    registered: form.tax.registered,
    prices_include_tax: form.tax.prices_include_tax,
    rates_bp: {
      cash: check.percent(form.tax.rates.cash, 'tax.rates_bp.cash'),
      card: check.percent(form.tax.rates.card, 'tax.rates_bp.card'),
      wallet: check.percent(form.tax.rates.wallet, 'tax.rates_bp.wallet'),
    },
    on_delivery_fee: form.tax.on_delivery_fee,
  };
  let hours: OpeningHours | null = null;
  if (!form.always_open) {
    const weekly: OpeningHours['weekly'] = {};
    for (const day of WEEKDAYS) {
      const ranges = form.weekly[day];
      if (ranges.length === 0) continue;
      weekly[day] = ranges.map((r, j) => ({
        from: check.time(r.from, `hours.weekly.${day}[${j}].from`),
        to: check.time(r.to, `hours.weekly.${day}[${j}].to`),
      }));
    }
    const closed_dates = form.closed_dates.map((d, j) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date)) check.add(`hours.closed_dates[${j}]`, 'required');
      return d.date;
    });
    hours = { weekly, closed_dates };
  }
  return {
    delivery_zones: form.zones.map((z, i) => zoneFromDraft(z, `delivery_zones[${i}]`, check)),
    riders: form.riders.map((r) => ({ id: r.id, name: r.name.trim(), phone: r.phone.trim() })),
    pickup,
    tax,
    payment_methods: PAYMENT_METHODS.filter((m) => form.payment_methods.includes(m)),
    hours,
  };
}

export type ShopChanges = { ok: true; changes: SettingsUpdate } | { ok: false; check: Check };

/** The parts that differ from `saved` (each sent whole), or the problems found. */
export function shopChanges(form: ShopForm, saved: SettingsDto): ShopChanges {
  const check = new Check();
  const now = parts(form, check);
  if (!check.ok) return { ok: false, check };
  const before = parts(toShopForm(saved), new Check());
  const changes: SettingsUpdate = {};
  if (JSON.stringify(now.delivery_zones) !== JSON.stringify(before.delivery_zones)) changes.delivery_zones = now.delivery_zones;
  if (JSON.stringify(now.pickup) !== JSON.stringify(before.pickup)) changes.pickup = now.pickup;
  if (JSON.stringify(now.tax) !== JSON.stringify(before.tax)) changes.tax = now.tax;
  if (JSON.stringify(now.payment_methods) !== JSON.stringify(before.payment_methods)) changes.payment_methods = now.payment_methods;
  if (JSON.stringify(now.hours) !== JSON.stringify(before.hours)) changes.hours = now.hours;
  if (JSON.stringify(now.riders) !== JSON.stringify(before.riders)) changes.riders = now.riders;
  return { ok: true, changes };
}

/** Every field path the order settings show a problem at. */
export function shopPaths(form: ShopForm): string[] {
  const paths = ['delivery_zones', 'pickup', 'pickup.enabled', 'pickup.eta_minutes', 'tax', 'tax.registered', 'tax.prices_include_tax'];
  paths.push('tax.rates_bp', 'tax.rates_bp.cash', 'tax.rates_bp.card', 'tax.rates_bp.wallet', 'tax.on_delivery_fee', 'payment_methods');
  paths.push('hours', 'hours.weekly', 'hours.closed_dates');
  form.zones.forEach((_, i) => {
    paths.push(`delivery_zones[${i}]`);
    for (const f of ['id', 'name', 'name_ur', 'fee', 'min_order', 'free_above', 'eta_minutes', 'areas']) paths.push(`delivery_zones[${i}].${f}`);
  });
  for (const day of WEEKDAYS) {
    paths.push(`hours.weekly.${day}`);
    form.weekly[day].forEach((_, j) => paths.push(`hours.weekly.${day}[${j}].from`, `hours.weekly.${day}[${j}].to`));
  }
  form.closed_dates.forEach((_, j) => paths.push(`hours.closed_dates[${j}]`));
  paths.push('riders');
  form.riders.forEach((_, i) => paths.push(`riders[${i}]`, `riders[${i}].id`, `riders[${i}].name`, `riders[${i}].phone`));
  return paths;
}
