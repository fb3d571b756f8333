// The settings form: what the owner typed, turned into the smallest `PUT /api/settings`
// body (only what changed; secrets only when a new value was typed).

import type { SettingsDto, SettingsUpdate } from './api';

export type SettingsForm = {
  shop_name: string;
  greeting: string;
  eta_minutes: string;
  amber_after_minutes: string;
  red_after_minutes: string;
  shop_phone: string;
  openai_api_key: string;
  twilio_auth_token: string;
  /** The desktop app starts when the owner signs in to the PC. */
  start_at_login: boolean;
  /** Busy mode: minutes added per open order (0: off). */
  busy_minutes_per_order: string;
  /** The phone AI's grammatical gender; '' follows the voice. */
  ai_voice_gender: VoiceGenderChoice;
  /** Catering size: orders of at least this many items go to a person (0: off). */
  catering_min_items: string;
  /** The caps on the phone AI (see the settings' doc comments on the server). */
  max_concurrent_ai_calls: string;
  max_call_minutes: string;
  max_calls_per_caller_per_hour: string;
  daily_ai_budget_minutes: string;
  /** The AI's prices, whole rupees per million tokens, by kind. */
  ai_prices: Record<AiPriceKind, string>;
};

/** The kinds of token the price table prices, in the order the form shows them. */
export const AI_PRICE_KINDS = ['audio_input', 'audio_output', 'text_input', 'text_output', 'cached_input'] as const;
export type AiPriceKind = (typeof AI_PRICE_KINDS)[number];

/** The form field (and the server's problem field) of one price. */
export function priceField(kind: AiPriceKind): `ai_prices.${AiPriceKind}` {
  return `ai_prices.${kind}`;
}

/** The voice-gender choices: '' follows the configured voice (the default `marin` is a woman's). */
export const VOICE_GENDERS = ['', 'female', 'male'] as const;
export type VoiceGenderChoice = (typeof VOICE_GENDERS)[number];

/** Every field the form shows (a server problem for any other is shown beside the buttons). */
export const FIELDS = [
  'shop_name',
  'greeting',
  'eta_minutes',
  'amber_after_minutes',
  'red_after_minutes',
  'busy_minutes_per_order',
  'ai_voice_gender',
  'catering_min_items',
  'max_concurrent_ai_calls',
  'max_call_minutes',
  'max_calls_per_caller_per_hour',
  'daily_ai_budget_minutes',
  'shop_phone',
  'start_at_login',
  'openai_api_key',
  'twilio_auth_token',
] as const satisfies readonly (keyof SettingsForm)[];

/** The price fields, as the server names their problems. */
export const PRICE_FIELDS = AI_PRICE_KINDS.map(priceField);

export function toForm(s: SettingsDto): SettingsForm {
  return {
    shop_name: s.shop_name,
    greeting: s.greeting ?? '',
    eta_minutes: String(s.eta_minutes),
    amber_after_minutes: String(s.amber_after_minutes),
    red_after_minutes: String(s.red_after_minutes),
    shop_phone: s.shop_phone ?? '',
    openai_api_key: '',
    twilio_auth_token: '',
    start_at_login: s.start_at_login,
    busy_minutes_per_order: String(s.busy_minutes_per_order),
    ai_voice_gender: s.ai_voice_gender ?? '',
    catering_min_items: String(s.catering_min_items),
    max_concurrent_ai_calls: String(s.max_concurrent_ai_calls),
    max_call_minutes: String(s.max_call_minutes),
    max_calls_per_caller_per_hour: String(s.max_calls_per_caller_per_hour),
    daily_ai_budget_minutes: String(s.daily_ai_budget_minutes),
    ai_prices: Object.fromEntries(AI_PRICE_KINDS.map((k) => [k, String(s.ai_prices[k])])) as Record<AiPriceKind, string>,
  };
}

const NUMBERS = [
  'eta_minutes',
  'amber_after_minutes',
  'red_after_minutes',
  'busy_minutes_per_order',
  'catering_min_items',
  'max_concurrent_ai_calls',
  'max_call_minutes',
  'max_calls_per_caller_per_hour',
  'daily_ai_budget_minutes',
] as const;

export type SettingsChanges =
  | { ok: true; changes: SettingsUpdate }
  /** Every field that is not a whole number, and the other changes (to check with the server meanwhile). */
  | { ok: false; fields: string[]; changes: SettingsUpdate };

/** The changes against `saved`, or every field that is not a whole number. */
export function changes(form: SettingsForm, saved: SettingsDto): SettingsChanges {
  const out: SettingsUpdate = {};
  const bad: string[] = [];
  if (form.shop_name.trim() !== saved.shop_name) out.shop_name = form.shop_name.trim();
  // An emptied text is sent as "" (the server clears it); null would mean "unchanged".
  const greeting = form.greeting.trim();
  if (greeting !== (saved.greeting ?? '')) out.greeting = greeting;
  const phone = form.shop_phone.trim();
  if (phone !== (saved.shop_phone ?? '')) out.shop_phone = phone;
  for (const f of NUMBERS) {
    const text = form[f].trim();
    if (!/^\d{1,5}$/.test(text)) {
      bad.push(f);
      continue;
    }
    const n = Number(text);
    if (n !== saved[f]) out[f] = n;
  }
  // The price table goes as a whole when any price changed.
  const prices = { ...saved.ai_prices };
  let pricesChanged = false;
  for (const k of AI_PRICE_KINDS) {
    const text = form.ai_prices[k].trim();
    if (!/^\d{1,7}$/.test(text)) {
      bad.push(priceField(k));
      continue;
    }
    const n = Number(text);
    if (n !== saved.ai_prices[k]) {
      prices[k] = n;
      pricesChanged = true;
    }
  }
  if (pricesChanged) out.ai_prices = prices;
  if (form.openai_api_key.trim() !== '') out.openai_api_key = form.openai_api_key.trim();
  if (form.twilio_auth_token.trim() !== '') out.twilio_auth_token = form.twilio_auth_token.trim();
  if (form.start_at_login !== saved.start_at_login) out.start_at_login = form.start_at_login;
  // '' is sent as "" (the server forgets the choice and follows the voice again).
  if (form.ai_voice_gender !== (saved.ai_voice_gender ?? '')) out.ai_voice_gender = form.ai_voice_gender;
  return bad.length === 0 ? { ok: true, changes: out } : { ok: false, fields: bad, changes: out };
}

/** How many fields have a problem, counted once each however many problems one has. */
export function problemCount(placed: Record<string, string>, unplaced: readonly string[]): number {
  return Object.keys(placed).length + unplaced.length;
}

/**
 * The problems to show: ours (typed values that cannot be sent) first, then the server's for
 * the rest, one per field and code.
 */
export function mergeProblems<P extends { field: string; code: string | null }>(local: readonly P[], server: readonly P[]): P[] {
  const out = [...local];
  for (const p of server) if (!out.some((q) => q.field === p.field && q.code === p.code)) out.push(p);
  return out;
}
