import { describe, expect, it } from 'vitest';
import type { SettingsDto } from './api';
import { changes, FIELDS, mergeProblems, PRICE_FIELDS, problemCount, toForm } from './settings-form';
import { ORDER_SETTINGS } from './testing/settings';

const saved: SettingsDto = {
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
  ...ORDER_SETTINGS,
};

describe('settings form', () => {
  it('sends nothing when nothing changed, and never a blank secret', () => {
    expect(changes(toForm(saved), saved)).toEqual({ ok: true, changes: {} });
  });

  it('sends only what changed, numbers as numbers, secrets when typed', () => {
    const form = toForm(saved);
    form.red_after_minutes = '12';
    form.greeting = 'Assalam o alaikum';
    form.shop_phone = '';
    form.twilio_auth_token = ' tok ';
    expect(changes(form, saved)).toEqual({
      ok: true,
      changes: { red_after_minutes: 12, greeting: 'Assalam o alaikum', shop_phone: '', twilio_auth_token: 'tok' },
    });
  });

  it('sends busy minutes as a number and the voice gender, empty to follow the voice again', () => {
    const form = toForm(saved);
    expect([form.busy_minutes_per_order, form.ai_voice_gender]).toEqual(['0', '']);
    form.busy_minutes_per_order = '5';
    form.ai_voice_gender = 'male';
    expect(changes(form, saved)).toEqual({ ok: true, changes: { busy_minutes_per_order: 5, ai_voice_gender: 'male' } });
    const male: SettingsDto = { ...saved, ai_voice_gender: 'male' };
    const back = toForm(male);
    back.ai_voice_gender = '';
    expect(changes(back, male)).toEqual({ ok: true, changes: { ai_voice_gender: '' } });
    form.busy_minutes_per_order = 'lots';
    expect(changes(form, saved)).toMatchObject({ ok: false, fields: ['busy_minutes_per_order'] });
  });

  it('sends the catering size as a number, and refuses one that is not a whole number', () => {
    const form = toForm(saved);
    expect(form.catering_min_items).toBe('0');
    form.catering_min_items = ' 25 ';
    expect(changes(form, saved)).toEqual({ ok: true, changes: { catering_min_items: 25 } });
    expect(changes(toForm({ ...saved, catering_min_items: 25 }), { ...saved, catering_min_items: 25 })).toEqual({
      ok: true,
      changes: {},
    });
    form.catering_min_items = '2.5';
    expect(changes(form, saved)).toMatchObject({ ok: false, fields: ['catering_min_items'] });
    expect(FIELDS).toContain('catering_min_items');
  });

  it('sends the caps on the phone AI as numbers, and the price table whole when a price changed', () => {
    const form = toForm(saved);
    expect(form.max_concurrent_ai_calls).toBe('4');
    expect(form.ai_prices.audio_input).toBe('8960');
    form.max_concurrent_ai_calls = '2';
    form.daily_ai_budget_minutes = ' 120 ';
    form.ai_prices.text_output = '7000';
    expect(changes(form, saved)).toEqual({
      ok: true,
      changes: {
        max_concurrent_ai_calls: 2,
        daily_ai_budget_minutes: 120,
        ai_prices: { ...saved.ai_prices, text_output: 7000 },
      },
    });
    form.max_call_minutes = 'long';
    form.ai_prices.cached_input = '-1';
    expect(changes(form, saved)).toMatchObject({ ok: false, fields: ['max_call_minutes', 'ai_prices.cached_input'] });
    expect(FIELDS).toContain('max_calls_per_caller_per_hour');
    expect(PRICE_FIELDS).toEqual([
      'ai_prices.audio_input',
      'ai_prices.audio_output',
      'ai_prices.text_input',
      'ai_prices.text_output',
      'ai_prices.cached_input',
    ]);
  });

  it('sends the start-at-login switch only when it was flipped', () => {
    const form = toForm(saved);
    expect(form.start_at_login).toBe(false);
    form.start_at_login = true;
    expect(changes(form, saved)).toEqual({ ok: true, changes: { start_at_login: true } });
  });

  it('names every field that is not a whole number, and keeps the other changes to check meanwhile', () => {
    const form = toForm(saved);
    form.amber_after_minutes = '5.5';
    expect(changes(form, saved)).toEqual({ ok: false, fields: ['amber_after_minutes'], changes: {} });
    form.eta_minutes = '';
    form.red_after_minutes = 'ten';
    form.shop_name = '  ';
    expect(changes(form, saved)).toEqual({
      ok: false,
      fields: ['eta_minutes', 'amber_after_minutes', 'red_after_minutes'],
      changes: { shop_name: '' },
    });
  });

  it('merges our problems with the server’s, once each, and counts fields', () => {
    const ours = [{ field: 'eta_minutes', code: 'whole_number' }];
    const theirs = [
      { field: 'eta_minutes', code: 'whole_number' },
      { field: 'shop_name', code: 'required' },
      { field: 'shop_phone', code: 'phone_invalid' },
    ];
    expect(mergeProblems(ours, theirs).map((p) => p.field)).toEqual(['eta_minutes', 'shop_name', 'shop_phone']);
    expect(problemCount({ eta_minutes: 'a', shop_name: 'b' }, ['zones: c'])).toBe(3);
    expect(problemCount({}, [])).toBe(0);
  });

  it('knows every field it shows, to place the server’s problems', () => {
    // The price table's problems are placed per price (`ai_prices.<kind>`, PRICE_FIELDS).
    expect([...FIELDS, 'ai_prices'].sort()).toEqual(Object.keys(toForm(saved)).sort());
    expect(PRICE_FIELDS.map((f) => f.replace('ai_prices.', '')).sort()).toEqual(Object.keys(toForm(saved).ai_prices).sort());
  });

  it('never puts a saved secret into the form', () => {
    const form = toForm(saved);
    expect(form.openai_api_key).toBe('');
    expect(form.twilio_auth_token).toBe('');
  });
});
