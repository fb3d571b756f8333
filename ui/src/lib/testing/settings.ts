// Shop settings for unit tests, shaped like the API's.

import type { SettingsDto } from '../api';

/** The order settings of a shop with two delivery zones, pickup, and 16 % tax on cash. */
export const ORDER_SETTINGS: Pick<SettingsDto, 'delivery_zones' | 'pickup' | 'tax' | 'payment_methods' | 'hours'> = {
  delivery_zones: [
    {
      id: 'gulberg',
      name: 'Gulberg',
      name_ur: 'گلبرگ',
      fee: 15_000,
      min_order: 100_000,
      free_above: 300_000,
      eta_minutes: 40,
      areas: ['Gulberg II', 'Gulberg III'],
    },
    { id: 'dha', name: 'DHA', fee: 25_000, min_order: 150_000, eta_minutes: 50, areas: [] },
  ],
  pickup: { enabled: true, eta_minutes: 20 },
  tax: { registered: true, prices_include_tax: false, rates_bp: { cash: 1600, card: 500, wallet: 500 }, on_delivery_fee: false },
  payment_methods: ['cash', 'card', 'wallet'],
  hours: null,
};

export function settings(over: Partial<SettingsDto> = {}): SettingsDto {
  return {
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
    busy_minutes_per_order: 0,
    catering_min_items: 0,
    max_concurrent_ai_calls: 4,
    max_call_minutes: 15,
    max_calls_per_caller_per_hour: 6,
    daily_ai_budget_minutes: 300,
    ai_prices: { audio_input: 8960, audio_output: 17920, text_input: 1120, text_output: 6720, cached_input: 112 },
    riders: [],
    voice_engine: 'realtime-bridge',
    openai_project_id: null,
    openai_webhook_secret_set: false,
    openai_live_model: 'gpt-live-1.1',
    openai_live_backend_model: 'gpt-5-mini',
    ai_voice_gender: null,
    printers: [],
    shop_address: null,
    ticket_language: 'en',
    ...ORDER_SETTINGS,
    ...over,
  };
}

/** The order settings of a shop that has set none (the server's defaults). */
export function orderSettingsDefaults(): Pick<SettingsDto, 'delivery_zones' | 'pickup' | 'tax' | 'payment_methods' | 'hours'> {
  return {
    delivery_zones: [],
    pickup: { enabled: true, eta_minutes: 20 },
    tax: { registered: false, prices_include_tax: true, rates_bp: { cash: 1600, card: 500, wallet: 500 }, on_delivery_fee: false },
    payment_methods: ['cash', 'card', 'wallet'],
    hours: null,
  };
}
