import { describe, expect, it } from 'vitest';
import type { SettingsDto } from './api';
import { copyDayToAll, newDate, newRange, newRider, newRiderId, newZone, shopChanges, shopPaths, toShopForm } from './settings-shop';
import { orderSettingsDefaults } from './testing/settings';

const base: SettingsDto = {
  busy_minutes_per_order: 0,
  catering_min_items: 0,
  max_concurrent_ai_calls: 4,
  max_call_minutes: 15,
  max_calls_per_caller_per_hour: 6,
  daily_ai_budget_minutes: 300,
  ai_prices: { audio_input: 8960, audio_output: 17920, text_input: 1120, text_output: 6720, cached_input: 112 },
  printers: [],
  shop_address: null,
  ticket_language: 'en',
  riders: [],
  voice_engine: 'realtime-bridge',
  openai_project_id: null,
  openai_webhook_secret_set: false,
  openai_live_model: 'gpt-live-1.1',
  openai_live_backend_model: 'gpt-5-mini',
  ai_voice_gender: null,
  shop_name: 'Melt 8 Pizza',
  greeting: null,
  eta_minutes: 35,
  amber_after_minutes: 5,
  red_after_minutes: 10,
  shop_phone: '+923001234567',
  twilio_account_sid: null,
  twilio_phone_number: null,
  openai_model: 'gpt-realtime-2.1',
  ngrok_domain: null,
  start_at_login: false,
  setup_done: true,
  answering_paused: false,
  openai_api_key_set: true,
  twilio_auth_token_set: false,
  ngrok_authtoken_set: false,
  ...orderSettingsDefaults(),
};

/** The contract's example (docs/menus-and-orders.md). */
const configured: SettingsDto = {
  ...base,
  delivery_zones: [
    { id: 'gulberg', name: 'Gulberg', name_ur: 'گلبرگ', fee: 15_000, min_order: 100_000, free_above: 300_000, eta_minutes: 40, areas: ['Gulberg II', 'Gulberg III'] },
  ],
  pickup: { enabled: true, eta_minutes: 20 },
  tax: { registered: true, prices_include_tax: false, rates_bp: { cash: 1600, card: 500, wallet: 550 }, on_delivery_fee: false },
  payment_methods: ['wallet', 'cash'],
  hours: { weekly: { mon: [{ from: '12:00', to: '02:00' }], sat: [{ from: '12:00', to: '15:00' }, { from: '18:00', to: '03:00' }] }, closed_dates: ['2026-12-25'] },
};

function changed(form: ReturnType<typeof toShopForm>, saved: SettingsDto) {
  const out = shopChanges(form, saved);
  if (!out.ok) throw new Error(JSON.stringify(out.check.problems));
  return out.changes;
}

describe('order settings form', () => {
  it('sends nothing when nothing changed', () => {
    expect(changed(toShopForm(base), base)).toEqual({});
    expect(changed(toShopForm(configured), configured)).toEqual({});
  });

  it('shows money in rupees, rates in percent and hours per day', () => {
    const form = toShopForm(configured);
    expect(form.zones[0]).toMatchObject({ fee: '150', min_order: '1000', free_above: '3000', eta_minutes: '40', areas: 'Gulberg II\nGulberg III' });
    expect(form.tax.rates).toEqual({ cash: '16', card: '5', wallet: '5.5' });
    expect(form.payment_methods).toEqual(['cash', 'wallet']);
    expect(form.always_open).toBe(false);
    expect(form.weekly.sat.map((r) => `${r.from}-${r.to}`)).toEqual(['12:00-15:00', '18:00-03:00']);
    expect(form.weekly.tue).toEqual([]);
    expect(toShopForm(base).always_open).toBe(true);
  });

  it('sends a new zone in paisa, the tax in basis points, and only the parts that changed', () => {
    const form = toShopForm(base);
    const zone = newZone();
    zone.name = 'DHA Phase 5';
    zone.fee = '200';
    zone.min_order = '1500';
    zone.areas = ' Khayaban-e-Iqbal \n\n  Y Block';
    form.zones.push(zone);
    form.tax.registered = true;
    form.tax.prices_include_tax = false;
    form.tax.rates.card = '2.5';
    expect(changed(form, base)).toEqual({
      delivery_zones: [{ id: 'dha-phase-5', name: 'DHA Phase 5', fee: 20_000, min_order: 150_000, eta_minutes: 40, areas: ['Khayaban-e-Iqbal', 'Y Block'] }],
      tax: { registered: true, prices_include_tax: false, rates_bp: { cash: 1600, card: 250, wallet: 500 }, on_delivery_fee: false },
    });
  });

  it('sets opening hours that cross midnight, copies a day to the week, and goes back to always open', () => {
    const form = toShopForm(base);
    form.always_open = false;
    form.weekly.fri.push(newRange('12:00', '02:00'));
    copyDayToAll(form, 'fri');
    form.weekly.sun = [];
    form.closed_dates.push(newDate());
    form.closed_dates[0]!.date = '2026-12-25';
    const out = changed(form, base);
    expect(out.hours?.weekly).toEqual({
      mon: [{ from: '12:00', to: '02:00' }],
      tue: [{ from: '12:00', to: '02:00' }],
      wed: [{ from: '12:00', to: '02:00' }],
      thu: [{ from: '12:00', to: '02:00' }],
      fri: [{ from: '12:00', to: '02:00' }],
      sat: [{ from: '12:00', to: '02:00' }],
    });
    expect(out.hours?.closed_dates).toEqual(['2026-12-25']);
    // Each day's rows are its own.
    expect(form.weekly.mon[0]!.key).not.toBe(form.weekly.fri[0]!.key);
    const back = toShopForm(configured);
    back.always_open = true;
    expect(changed(back, configured)).toEqual({ hours: null });
  });

  it('sends the payment methods in a fixed order, and pickup when switched off', () => {
    const form = toShopForm(base);
    form.payment_methods = ['wallet', 'cash'];
    form.pickup.enabled = false;
    expect(changed(form, base)).toEqual({ payment_methods: ['cash', 'wallet'], pickup: { enabled: false, eta_minutes: 20 } });
  });

  it('names each field that is not money, a number, a percentage, a time or a date by its server path', () => {
    const form = toShopForm(configured);
    form.zones[0]!.fee = 'free';
    form.zones[0]!.eta_minutes = 'soon';
    form.tax.rates.card = '5 percent';
    form.pickup.eta_minutes = '';
    form.weekly.sat[1]!.to = '';
    form.closed_dates.push(newDate());
    const out = shopChanges(form, configured);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.check.problems.map((p) => [p.field, p.code])).toEqual([
      ['pickup.eta_minutes', 'whole_number'],
      ['tax.rates_bp.card', 'percent'],
      ['hours.weekly.sat[1].to', 'required'],
      ['hours.closed_dates[1]', 'required'],
      ['delivery_zones[0].fee', 'rupees'],
      ['delivery_zones[0].eta_minutes', 'whole_number'],
    ]);
    const paths = shopPaths(form);
    for (const p of out.check.problems) expect(paths).toContain(p.field);
  });
});

describe('riders (issue 16)', () => {
  const withRiders: SettingsDto = {
    ...base,
    riders: [
      { id: 'r-aslam', name: 'Aslam', phone: '+923001112223' },
      { id: 'r-akram', name: 'اکرم', phone: '+923214445556' },
    ],
  };

  it('sends the whole list only when a rider was added, renamed or removed', () => {
    const form = toShopForm(withRiders);
    expect(shopChanges(form, withRiders)).toEqual({ ok: true, changes: {} });
    form.riders[1]!.name = ' اکرم خان ';
    form.riders.splice(0, 1);
    const added = newRider(form.riders.map((r) => r.id));
    added.name = 'Bilal';
    added.phone = '0300 7778889';
    form.riders.push(added);
    const out = shopChanges(form, withRiders);
    expect(out).toEqual({
      ok: true,
      changes: {
        riders: [
          { id: 'r-akram', name: 'اکرم خان', phone: '+923214445556' },
          { id: added.id, name: 'Bilal', phone: '0300 7778889' },
        ],
      },
    });
    expect(shopPaths(form)).toEqual(expect.arrayContaining(['riders', 'riders[1].name', 'riders[1].phone']));
  });

  it('makes a new id in the server’s id alphabet, never one already taken', () => {
    const taken = Array.from({ length: 50 }, () => newRiderId());
    for (const id of taken) expect(id).toMatch(/^r-[a-z0-9]{1,6}$/);
    const again = newRiderId(taken);
    expect(taken).not.toContain(again);
  });
});
