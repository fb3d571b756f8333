// Every string the dashboard shows, in English and Urdu. `Messages` is the English
// dictionary's type, so a missing or mistyped Urdu entry fails `npm run check`.
// The server's errors are worded here too, from their stable codes (`fieldErrorText`,
// `errorText`): an Urdu screen never shows the server's English message.

import {
  ApiError,
  type CallCardKind,
  type CallEndReason,
  type CallOutcome,
  type FieldCode,
  type FieldProblem,
  type ItemKind,
  type OrderStatus,
  type PaymentMethod,
  type PrintDocument,
  type PrinterKind,
  type PrinterState,
  type TicketLanguage,
  type TimeWindow,
  type Weekday,
} from './api';
import { formatMoney } from './money';
import type { SlotChoice } from './menu-deals';
import type { KeyHelp } from './keys';
import type { AiPriceKind } from './settings-form';

export type Lang = 'en' | 'ur';

/** A field error's parameters, as the server sends them (`{"max": "80"}`). */
export type Params = Readonly<Record<string, string | undefined>>;

/**
 * Codes of field errors the dashboard finds itself, before sending (never from the server):
 * `whole_number` — a number field holds something else; `rupees` — an amount of money is
 * not rupees; `rupee_amount` — the same, from the order builder; `percent` — a percentage is not a number with at most two decimals.
 */
export const UI_FIELD_CODES = ['whole_number', 'rupee_amount', 'rupees', 'percent'] as const;
export type UiFieldCode = (typeof UI_FIELD_CODES)[number];

/** Each field error code worded in one language, its params substituted. */
export type FieldErrorTexts = Record<FieldCode | UiFieldCode, (p: Params) => string>;

/**
 * The top-level error codes the forms word (the server's `error.code`, plus `offline` when
 * it cannot be reached). Others get `apiErrorGeneric` (Urdu) or the server's message.
 */
export const API_ERROR_CODES = [
  'offline',
  'unauthorized',
  'invalid_credentials',
  'too_many_attempts',
  'rate_limited',
  'forbidden_origin',
  'misdirected_host',
  'request_timeout',
  'owner_only',
  'pairing_code_unknown',
  'pairing_code_expired',
  'pairing_code_used',
  'validation_failed',
  'invalid_json',
  'invalid_body',
  'body_too_large',
  'unsupported_media_type',
  'route_not_found',
  'database_busy',
  'secret_store_failed',
  'internal',
  'order_not_editable',
  // Every other code the kitchen API answers with (issue 13: Urdu everywhere).
  'invalid_query',
  'invalid_header',
  'not_found',
  'method_not_allowed',
  'invalid_transition',
  'idempotency_conflict',
  'cash_changed',
  'nothing_to_undo',
  'undo_expired',
  'not_recallable',
  'invalid_status',
  'reason_required',
  'invalid_reason',
  // The Phone page's refusals (worded with their params by `serverText` too).
  'missing_twilio_account_sid',
  'missing_twilio_auth_token',
  'missing_twilio_number',
  'twilio_refused_credentials',
  'twilio_unreachable',
  'twilio_error',
  'number_not_in_account',
  'no_public_url',
  // The SIP trunk's refusals (issue 17).
  'engine_not_sip',
  'engine_is_sip',
  'missing_openai_project_id',
  'bad_openai_project_id',
  'missing_openai_webhook_secret',
  // Printing (issue 16).
  'printer_not_found',
  'no_printer_for_document',
] as const;
export type WordedApiCode = (typeof API_ERROR_CODES)[number];
export type ApiErrorTexts = Record<WordedApiCode, string>;

/**
 * Keeps a left-to-right token (`+923001234567`, `sk-`) whole and in order inside Urdu text:
 * without the isolate, the bidi algorithm moves a leading `+` or trailing `-` to the wrong end.
 */
export function ltr(text: string): string {
  return `\u2066${text}\u2069`;
}

/**
 * Keeps a name (a menu item, a zone), whichever way it reads, whole inside a sentence: an
 * English name stays left to right inside Urdu, an Urdu one right to left.
 */
export function iso(text: string): string {
  return `\u2068${text}\u2069`;
}

/** How each payment method is called, in each language. */
const PAYMENT_METHODS: Record<'en' | 'ur', Record<PaymentMethod, string>> = {
  en: { cash: 'Cash', card: 'Card', wallet: 'Mobile wallet' },
  ur: { cash: 'نقد', card: 'کارڈ', wallet: 'موبائل والٹ' },
};

/** A money param (paisa, as the server sends it) in the language's words. */
function money(paisa: string | undefined, lang: 'en' | 'ur'): string {
  const n = Number(paisa);
  return paisa !== undefined && paisa !== '' && Number.isFinite(n) ? formatMoney(n, lang) : (paisa ?? '');
}

/** A list of payment method ids (`cash,card`) named in the language. */
function methods(list: string | undefined, lang: 'en' | 'ur'): string {
  const names = PAYMENT_METHODS[lang] as Record<string, string>;
  return (list ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '')
    .map((m) => (Object.hasOwn(names, m) ? names[m]! : m))
    .join(lang === 'ur' ? '، ' : ', ');
}

const URDU_DAYS: Record<string, string> = {
  daily: 'روزانہ',
  mon: 'پیر',
  tue: 'منگل',
  wed: 'بدھ',
  thu: 'جمعرات',
  fri: 'جمعہ',
  sat: 'ہفتہ',
  sun: 'اتوار',
};

/**
 * A deal's hours as the server writes them (`daily 00:00–03:00; mon,tue 12:00–15:00`) in
 * Urdu, or null when they are written some other way (then they are left out, not shown in
 * English).
 */
export function windowUr(window: string): string | null {
  const parts = window.split(';').map((w) => {
    const m = /^\s*([a-z]+(?:,[a-z]+)*)\s+(\d{1,2}:\d{2})\s*[–-]\s*(\d{1,2}:\d{2})\s*$/.exec(w);
    if (!m) return null;
    const days = m[1]!.split(',').map((d) => URDU_DAYS[d]);
    if (days.some((d) => d === undefined)) return null;
    return `${days.join('، ')} ${ltr(`${m[2]}–${m[3]}`)}`;
  });
  return parts.every((p) => p !== null) ? parts.join('؛ ') : null;
}

const ENGLISH_DAYS: Record<string, string> = {
  daily: 'daily',
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** A deal's hours from the menu (`[{days, from, to}]`), in the language: `daily 00:00–03:00`. */
export function hoursText(windows: readonly TimeWindow[], lang: Lang): string {
  const names = lang === 'ur' ? URDU_DAYS : ENGLISH_DAYS;
  return windows
    .map((w) => {
      const days = w.days.length === 7 ? names.daily! : w.days.map((d) => names[d]).join(lang === 'ur' ? '، ' : ', ');
      const time = `${w.from}–${w.to}`;
      return `${days} ${lang === 'ur' ? ltr(time) : time}`;
    })
    .join(lang === 'ur' ? '؛ ' : '; ');
}

const EXAMPLE_PHONE = '+923001234567';
const EXAMPLE_DOMAIN = 'melt8-gulberg.ngrok.app';

const enFieldErrors: FieldErrorTexts = {
  printer_address_format: () => "Write the printer's network address as host:port, for example 192.168.1.50:9100 (port 9100 when left out).",
  printer_name_format: () => "That is not a printer this computer knows: choose one from the list.",
  paper_width: () => 'Paper width is 58 or 80 mm.',
  ticket_language: () => 'Tickets print in English or Urdu.',
  voice_engine: () => 'Choose one of the four voice engines.',
  openai_project_format: () =>
    'That is not an OpenAI project id: it starts with proj_ (OpenAI dashboard → Settings → Project → General).',
  webhook_secret_format: () =>
    'That does not look like an OpenAI webhook secret: it starts with whsec_ (shown once when you make the webhook).',
  required: () => 'This is needed: please fill it in.',
  too_long: ({ max }) => (max ? `Too long: at most ${max} characters.` : 'Too long: please shorten it.'),
  too_short: ({ min }) => (min ? `Too short: at least ${min} characters.` : 'Too short: please add to it.'),
  out_of_range: ({ min, max }) =>
    min && max
      ? `Use a number from ${min} to ${max}.`
      : min
        ? `Use a number of at least ${min}.`
        : max
          ? `Use a number of at most ${max}.`
          : 'That number is out of range.',
  red_before_amber: ({ amber, red }) =>
    amber && red
      ? `A ticket must turn red after it turns amber: red is ${red} min, amber ${amber} min.`
      : 'A ticket must turn red after it turns amber.',
  phone_invalid: ({ reason }) =>
    `That is not a phone number we can dial${reason ? ` (${reason})` : ''}. Write it with the country code, for example ${EXAMPLE_PHONE}.`,
  phone_withheld: () => `A phone number is needed here, not “withheld”: for example ${EXAMPLE_PHONE}.`,
  has_spaces: () => 'There is a space in it: copy it again without spaces.',
  openai_key_format: () => 'That does not look like an OpenAI API key: it should start with sk-.',
  twilio_sid_format: () =>
    'The Twilio Account SID is AC followed by 32 letters and digits (0-9, a-f); copy it again from the Twilio console.',
  twilio_token_format: () =>
    'The Twilio auth token is 32 letters and digits (0-9, a-f); copy it again from the Twilio console.',
  model_format: () => 'That is not a model name: use only letters, digits, dots, dashes and underscores.',
  gender_unknown: () => 'Choose a woman or a man.',
  ngrok_domain_format: () =>
    `That is not a domain name: copy your reserved domain from the ngrok dashboard, for example ${EXAMPLE_DOMAIN}, or leave it empty.`,
  ngrok_token_format: () => 'That does not look like an ngrok authtoken: copy it again from the ngrok dashboard.',
  twilio_incomplete: () =>
    'The Twilio Account SID, auth token and number go together: fill this in too, or leave all three empty to set up calls later.',
  ngrok_needs_token: () => 'A reserved domain needs your ngrok authtoken too (from the ngrok dashboard).',
  same_as_username: () => 'The chef password must not be the same as the username.',
  invalid: ({ reason }) =>
    reason ? `This is not accepted: ${reason.replace(/[.!\s]*$/, '.')}` : 'This is not accepted: check it and try again.',
  unknown_item: ({ given, allowed }) =>
    `${given ? `There is no “${given}” on the menu.` : 'That item is not on the menu.'}${allowed ? ` Choose from: ${allowed}.` : ''}`,
  unknown_size: ({ given, allowed }) =>
    `${given ? `There is no size “${given}” for this item.` : 'This item does not come in that size.'}${allowed ? ` Sizes: ${allowed}.` : ''}`,
  unknown_deal: ({ given, allowed }) =>
    `${given ? `There is no deal “${given}” on the menu.` : 'That deal is not on the menu.'}${allowed ? ` Deals: ${allowed}.` : ''}`,
  unknown_option_group: ({ given, allowed }) =>
    `${given ? `This item has no “${given}” to choose.` : 'This item has no such choice.'}${allowed ? ` It has: ${allowed}.` : ''}`,
  unknown_option: ({ given, allowed }) =>
    `${given ? `There is no option “${given}” here.` : 'That option is not in this group.'}${allowed ? ` Options: ${allowed}.` : ''}`,
  unknown_slot: ({ given, allowed }) =>
    `${given ? `This deal has no part “${given}”.` : 'That part is not in this deal.'}${allowed ? ` Its parts: ${allowed}.` : ''}`,
  sold_out: ({ name }) => (name ? `Sold out: ${name}.` : 'Sold out: it cannot be ordered now.'),
  option_not_offered: ({ option, allowed }) =>
    `${option ? `This item or size does not offer ${option}.` : 'This item or size does not offer that option.'}${allowed ? ` Offered: ${allowed}.` : ''}`,
  too_many_options: ({ group, max }) =>
    `Too many chosen${group ? ` for ${group}` : ''}${max ? `: at most ${max}` : ''}.`,
  too_few_options: ({ group, min }) =>
    min ? `Choose at least ${min}${group ? ` for ${group}` : ''}.` : `Choose more${group ? ` for ${group}` : ' here'}.`,
  half_not_allowed: ({ allowed }) =>
    `Half and half is not offered for this pizza in this size.${allowed ? ` It is offered in: ${allowed}.` : ''}`,
  slot_wrong_count: ({ slot, count, given }) =>
    count
      ? `Choose exactly ${count}${slot ? ` for ${slot}` : ''}${given ? ` (${given} chosen)` : ''}.`
      : `Choose the right number${slot ? ` for ${slot}` : ' for this part'}.`,
  slot_item_not_allowed: ({ slot, allowed }) =>
    `That is not part of this deal${slot ? ` (${slot})` : ''}.${allowed ? ` Choose from: ${allowed}.` : ''}`,
  slot_size_not_allowed: ({ slot, allowed }) =>
    `That size is not part of this deal${slot ? ` (${slot})` : ''}.${allowed ? ` Sizes: ${allowed}.` : ''}`,
  deal_not_available_now: ({ deal, window }) =>
    `Not available at this time${deal ? `: ${deal}` : ''}${window ? ` (only ${window})` : ''}.`,
  zone_required: () => 'Choose the delivery zone.',
  unknown_zone: ({ allowed }) => `The shop does not deliver to that zone.${allowed ? ` Zones: ${allowed}.` : ''}`,
  below_minimum_order: ({ minimum, food_total }) =>
    minimum
      ? `Below this zone’s minimum order of ${money(minimum, 'en')}${food_total ? ` (the food is ${money(food_total, 'en')})` : ''}.`
      : 'Below this zone’s minimum order.',
  pays_with_below_total: ({ total }) =>
    `Less than the total${total ? ` of ${money(total, 'en')}` : ''}: ask which note they will pay with.`,
  address_required: () => 'Write the delivery address.',
  pickup_not_offered: () => 'The shop does not offer pickup now.',
  payment_method_not_accepted: ({ allowed }) =>
    `The shop does not take this payment method.${allowed ? ` It takes: ${methods(allowed, 'en')}.` : ''}`,
  duplicate_id: ({ id }) => (id ? `The id “${id}” is used twice: give each its own.` : 'An id is used twice: give each its own.'),
  unknown_rider: () => 'That rider is not in Settings any more: reload the board and choose another.',
  rider_required: () => 'Choose the rider who takes this order.',
  rider_not_allowed: () => 'A rider is chosen only when the order goes out for delivery.',
  unknown_reference: ({ given, allowed }) =>
    `${given ? `Nothing on the menu is called “${given}”.` : 'This refers to something not on the menu.'}${allowed ? ` Choose from: ${allowed}.` : ''}`,
  whole_number: () => 'Enter a whole number.',
  rupee_amount: () => 'Enter an amount in rupees, for example 5000.',
  rupees: () => 'Enter an amount in rupees, e.g. 1250.',
  percent: () => 'Enter a percentage, e.g. 16 or 2.5.',
};

const urFieldErrors: FieldErrorTexts = {
  printer_address_format: () => `پرنٹر کا نیٹ ورک ایڈریس اور پورٹ لکھیں، مثلاً ${ltr('192.168.1.50:9100')} (پورٹ نہ لکھیں تو 9100)۔`,
  printer_name_format: () => 'یہ کمپیوٹر اس نام کا پرنٹر نہیں جانتا: فہرست میں سے چنیں۔',
  paper_width: () => 'کاغذ کی چوڑائی 58 یا 80 ملی میٹر ہوتی ہے۔',
  ticket_language: () => 'ٹکٹ انگریزی یا اردو میں چھپتے ہیں۔',
  voice_engine: () => 'چار وائس انجنوں میں سے ایک چنیں۔',
  openai_project_format: () =>
    `یہ اوپن اے آئی پروجیکٹ آئی ڈی نہیں: یہ ${ltr('proj_')} سے شروع ہوتی ہے (اوپن اے آئی ڈیش بورڈ ← سیٹنگز ← پروجیکٹ)۔`,
  webhook_secret_format: () =>
    `یہ اوپن اے آئی ویب ہک سیکرٹ نہیں لگتا: یہ ${ltr('whsec_')} سے شروع ہوتا ہے (ویب ہک بناتے وقت ایک بار دکھایا جاتا ہے)۔`,
  required: () => 'یہ خانہ بھرنا ضروری ہے۔',
  too_long: ({ max }) => (max ? `یہ بہت لمبا ہے: زیادہ سے زیادہ ${max} حروف۔` : 'یہ بہت لمبا ہے: اسے مختصر کریں۔'),
  too_short: ({ min }) => (min ? `یہ بہت چھوٹا ہے: کم از کم ${min} حروف۔` : 'یہ بہت چھوٹا ہے: اس میں کچھ اور لکھیں۔'),
  out_of_range: ({ min, max }) =>
    min && max
      ? `${min} سے ${max} تک کوئی عدد لکھیں۔`
      : min
        ? `کم از کم ${min} کا عدد لکھیں۔`
        : max
          ? `زیادہ سے زیادہ ${max} کا عدد لکھیں۔`
          : 'یہ عدد حد سے باہر ہے۔',
  red_before_amber: ({ amber, red }) =>
    amber && red
      ? `ٹکٹ پیلا ہونے کے بعد لال ہونا چاہیے: ابھی لال ${red} منٹ پر ہے اور پیلا ${amber} منٹ پر۔`
      : 'ٹکٹ پیلا ہونے کے بعد لال ہونا چاہیے۔',
  // `reason` is English (the server's words), so it is left out here.
  phone_invalid: () => `یہ ایسا فون نمبر نہیں جس پر کال ہو سکے۔ ملک کے کوڈ کے ساتھ لکھیں، مثلاً ${ltr(EXAMPLE_PHONE)}۔`,
  phone_withheld: () => `یہاں فون نمبر لکھنا ضروری ہے، "نمبر پوشیدہ" نہیں چلے گا۔ مثلاً ${ltr(EXAMPLE_PHONE)}۔`,
  has_spaces: () => 'اس میں خالی جگہ آ گئی ہے: اسے خالی جگہ کے بغیر دوبارہ کاپی کریں۔',
  openai_key_format: () => `یہ درست کلید نہیں لگتی: اسے ${ltr('sk-')} سے شروع ہونا چاہیے۔`,
  twilio_sid_format: () =>
    `اکاؤنٹ کی شناخت ${ltr('AC')} سے شروع ہوتی ہے اور اس کے بعد 32 حروف اور ہندسے ہوتے ہیں؛ اسے کنسول سے دوبارہ کاپی کریں۔`,
  twilio_token_format: () => 'یہ ٹوکن 32 حروف اور ہندسوں کا ہوتا ہے؛ اسے کنسول سے دوبارہ کاپی کریں۔',
  model_format: () => 'یہ ماڈل کا نام نہیں: صرف حروف، ہندسے، نقطہ، ڈیش اور انڈر اسکور استعمال کریں۔',
  gender_unknown: () => 'خاتون یا مرد میں سے ایک چنیں۔',
  ngrok_domain_format: () =>
    `یہ ڈومین کا نام نہیں: اپنا مخصوص ڈومین ڈیش بورڈ سے کاپی کریں، مثلاً ${ltr(EXAMPLE_DOMAIN)}، یا یہ خانہ خالی چھوڑ دیں۔`,
  ngrok_token_format: () => 'یہ درست ٹوکن نہیں لگتا: اسے ڈیش بورڈ سے دوبارہ کاپی کریں۔',
  twilio_incomplete: () =>
    'اکاؤنٹ کی شناخت، ٹوکن اور نمبر تینوں ایک ساتھ دیں: یہ بھی بھریں، یا کالیں بعد میں سیٹ کرنی ہوں تو تینوں خالی چھوڑ دیں۔',
  ngrok_needs_token: () => 'مخصوص ڈومین کے لیے ٹنل کا ٹوکن بھی ضروری ہے (ڈیش بورڈ سے)۔',
  same_as_username: () => 'شیف پاس ورڈ یوزر نیم جیسا نہیں ہونا چاہیے۔',
  // `reason` is English too.
  invalid: () => 'یہ جواب قبول نہیں ہوا: اسے دیکھ کر دوبارہ کوشش کریں۔',
  unknown_item: ({ given, allowed }) =>
    `${given ? `مینو میں ${iso(given)} نام کی کوئی چیز نہیں۔` : 'یہ چیز مینو میں نہیں۔'}${allowed ? ` ان میں سے چنیں: ${iso(allowed)}۔` : ''}`,
  unknown_size: ({ given, allowed }) =>
    `${given ? `یہ چیز ${iso(given)} سائز میں نہیں ملتی۔` : 'یہ چیز اس سائز میں نہیں ملتی۔'}${allowed ? ` سائز: ${iso(allowed)}۔` : ''}`,
  unknown_deal: ({ given, allowed }) =>
    `${given ? `مینو میں ${iso(given)} نام کی کوئی ڈیل نہیں۔` : 'یہ ڈیل مینو میں نہیں۔'}${allowed ? ` ڈیلز: ${iso(allowed)}۔` : ''}`,
  unknown_option_group: ({ given, allowed }) =>
    `${given ? `اس چیز میں ${iso(given)} کا انتخاب نہیں۔` : 'اس چیز میں ایسا کوئی انتخاب نہیں۔'}${allowed ? ` اس میں ہیں: ${iso(allowed)}۔` : ''}`,
  unknown_option: ({ given, allowed }) =>
    `${given ? `یہاں ${iso(given)} نام کا کوئی آپشن نہیں۔` : 'یہ آپشن اس گروپ میں نہیں۔'}${allowed ? ` آپشن: ${iso(allowed)}۔` : ''}`,
  unknown_slot: ({ given, allowed }) =>
    `${given ? `اس ڈیل کا کوئی حصہ ${iso(given)} نہیں۔` : 'یہ حصہ اس ڈیل میں نہیں۔'}${allowed ? ` اس کے حصے: ${iso(allowed)}۔` : ''}`,
  sold_out: ({ name }) => (name ? `${iso(name)} ختم ہو گیا ہے۔` : 'یہ ختم ہو گیا ہے: ابھی آرڈر نہیں ہو سکتا۔'),
  option_not_offered: ({ option, allowed }) =>
    `${option ? `${iso(option)} اس چیز یا سائز کے ساتھ نہیں ملتا۔` : 'یہ آپشن اس چیز یا سائز کے ساتھ نہیں ملتا۔'}${allowed ? ` ملتے ہیں: ${iso(allowed)}۔` : ''}`,
  too_many_options: ({ group, max }) =>
    `${group ? `${iso(group)} میں ` : ''}بہت زیادہ چنے گئے ہیں${max ? `: زیادہ سے زیادہ ${max}` : ''}۔`,
  too_few_options: ({ group, min }) =>
    min ? `${group ? `${iso(group)} میں ` : ''}کم از کم ${min} چنیں۔` : `${group ? `${iso(group)} میں ` : 'یہاں '}کچھ اور چننا ضروری ہے۔`,
  half_not_allowed: ({ allowed }) =>
    `اس پیزا میں اس سائز کا آدھا آدھا نہیں ملتا۔${allowed ? ` آدھا آدھا ان سائز میں ملتا ہے: ${iso(allowed)}۔` : ''}`,
  slot_wrong_count: ({ slot, count, given }) =>
    count
      ? `${slot ? `${iso(slot)}: ` : ''}ٹھیک ${count} چنیں${given ? ` (ابھی ${given} چنے ہیں)` : ''}۔`
      : `${slot ? `${iso(slot)} میں ` : 'اس حصے میں '}صحیح تعداد چنیں۔`,
  slot_item_not_allowed: ({ slot, allowed }) =>
    `یہ چیز اس ڈیل${slot ? ` (${iso(slot)})` : ''} میں شامل نہیں۔${allowed ? ` ان میں سے چنیں: ${iso(allowed)}۔` : ''}`,
  slot_size_not_allowed: ({ slot, allowed }) =>
    `یہ سائز اس ڈیل${slot ? ` (${iso(slot)})` : ''} میں شامل نہیں۔${allowed ? ` سائز: ${iso(allowed)}۔` : ''}`,
  deal_not_available_now: ({ deal, window }) => {
    const hours = window ? windowUr(window) : null;
    return `${deal ? iso(deal) : 'یہ ڈیل'} اس وقت نہیں ملتی${hours ? ` (صرف ${hours})` : ''}۔`;
  },
  zone_required: () => 'ڈیلیوری کا علاقہ چنیں۔',
  unknown_zone: ({ allowed }) => `دکان اس علاقے میں ڈیلیوری نہیں کرتی۔${allowed ? ` علاقے: ${iso(allowed)}۔` : ''}`,
  below_minimum_order: ({ minimum, food_total }) =>
    minimum
      ? `اس علاقے کے لیے کم از کم آرڈر ${money(minimum, 'ur')} کا ہے${food_total ? ` (ابھی کھانا ${money(food_total, 'ur')} کا ہے)` : ''}۔`
      : 'یہ آرڈر اس علاقے کے کم از کم آرڈر سے کم ہے۔',
  pays_with_below_total: ({ total }) =>
    `یہ رقم کل بل${total ? ` (${money(total, 'ur')})` : ''} سے کم ہے: پوچھیں کون سا نوٹ دیں گے۔`,
  address_required: () => 'ڈیلیوری کا پتہ لکھیں۔',
  pickup_not_offered: () => 'دکان ابھی پک اپ کی سہولت نہیں دیتی۔',
  payment_method_not_accepted: ({ allowed }) =>
    `دکان ادائیگی کا یہ طریقہ نہیں لیتی۔${allowed ? ` یہ طریقے لیتی ہے: ${iso(methods(allowed, 'ur'))}۔` : ''}`,
  duplicate_id: ({ id }) =>
    id ? `شناخت ${iso(id)} دو بار آئی ہے: ہر ایک کی الگ رکھیں۔` : 'ایک ہی شناخت دو بار آئی ہے: ہر ایک کی الگ رکھیں۔',
  unknown_rider: () => 'یہ رائیڈر اب سیٹنگز میں نہیں: بورڈ دوبارہ کھولیں اور کوئی اور چنیں۔',
  rider_required: () => 'وہ رائیڈر چنیں جو یہ آرڈر لے کر جائے گا۔',
  rider_not_allowed: () => 'رائیڈر صرف تب چنا جاتا ہے جب آرڈر ڈیلیوری کے لیے روانہ ہو۔',
  unknown_reference: ({ given, allowed }) =>
    `${given ? `مینو میں ${iso(given)} نام کی کوئی چیز نہیں۔` : 'یہ مینو کی کسی چیز کا حوالہ نہیں۔'}${allowed ? ` ان میں سے چنیں: ${iso(allowed)}۔` : ''}`,
  whole_number: () => 'پورا عدد لکھیں۔',
  rupee_amount: () => 'رقم روپوں میں لکھیں، مثلاً 5000۔',
  rupees: () => 'رقم روپوں میں لکھیں، مثلاً 1250۔',
  percent: () => 'فیصد لکھیں، مثلاً 16 یا 2.5۔',
};

/**
 * Codes of the Phone page's server messages (issue 13): each "Check setup" line
 * (`SetupCheck.code`), "Connect my number"'s result (`connected`) and refusals, and the
 * tunnel's failures (`TunnelDto.code`, `ngrok_…`). Worded here with their params by
 * `serverText`, so an Urdu screen never shows the server's English `message`.
 */
export const SERVER_CODES = [
  'openai_ok',
  'openai_no_key',
  'openai_refused_key',
  'openai_unknown_model',
  'openai_over_limit',
  'openai_refused',
  'openai_unreachable',
  'openai_broken',
  'twilio_connected',
  'twilio_not_connected',
  'missing_twilio_account_sid',
  'missing_twilio_auth_token',
  'missing_twilio_number',
  'twilio_refused_credentials',
  'twilio_unreachable',
  'twilio_error',
  'number_not_in_account',
  'tunnel_online',
  'own_address_ok',
  'address_unreachable',
  'no_public_address',
  'tunnel_connecting',
  'tunnel_failed',
  'tunnel_address_pending',
  'shop_phone_set',
  'no_shop_phone',
  'answering_paused',
  'answering_on',
  'fallback_missing',
  'fallback_foreign',
  'fallback_outdated',
  'fallback_dials_shop',
  'fallback_message',
  'connected',
  'connected_unreachable',
  'no_public_url',
  'ngrok_unreachable',
  'ngrok_tls',
  'ngrok_bad_server_addr',
  'ngrok_refused_token',
  'ngrok_agent_limit',
  'ngrok_refused',
  'ngrok_closed',
  'ngrok_not_started',
  'ngrok_domain_refused',
  'ngrok_endpoint_refused',
  'ngrok_dropped',
  'ngrok_failed',
  // The SIP voice engines (issue 17): Check setup's trunk lines, "Set up SIP trunk".
  'twilio_account_ok',
  'number_on_sip_trunk',
  'sip_no_project_id',
  'sip_no_webhook_secret',
  'sip_openai_ready',
  'sip_trunk_missing',
  'sip_trunk_secure',
  'sip_trunk_not_secure',
  'sip_transfers_on',
  'sip_transfers_off',
  'sip_origination_ok',
  'sip_origination_disabled',
  'sip_origination_other',
  'sip_origination_unknown',
  'sip_number_on_trunk',
  'sip_number_off_trunk',
  'sip_recovery_set',
  'sip_recovery_missing',
  'sip_connected',
  'engine_not_sip',
  'engine_is_sip',
  'missing_openai_project_id',
  'bad_openai_project_id',
  'missing_openai_webhook_secret',
] as const;
export type ServerCode = (typeof SERVER_CODES)[number];
export type ServerTexts = Record<ServerCode, (p: Params) => string>;

/** Why Twilio cannot reach an address (`address_unreachable`'s `why`). */
const UNREACHABLE_WHY: Record<Lang, Record<string, string>> = {
  en: {
    not_a_url: 'it is not a web address (it should start with https://)',
    not_https: 'it is not https (Twilio needs https for the call’s audio)',
    no_host: 'it has no host name',
    localhost: 'it is this computer (localhost), which only this computer can open',
    local_name: 'it is a name on the shop’s own network, not on the internet',
    loopback: 'it is this computer (a loopback address), which only this computer can open',
    lan: 'it is an address on the shop’s own network (LAN), not on the internet',
  },
  ur: {
    not_a_url: `یہ ویب پتہ نہیں (اسے ${ltr('https://')} سے شروع ہونا چاہیے)`,
    not_https: `یہ ${ltr('https')} نہیں (کال کی آواز کے لیے Twilio کو ${ltr('https')} چاہیے)`,
    no_host: 'اس میں میزبان کا نام نہیں',
    localhost: `یہ یہی کمپیوٹر ہے (${ltr('localhost')})، جسے صرف یہی کمپیوٹر کھول سکتا ہے`,
    local_name: 'یہ دکان کے اپنے نیٹ ورک کا نام ہے، انٹرنیٹ کا نہیں',
    loopback: 'یہ یہی کمپیوٹر ہے (لوپ بیک پتہ)، جسے صرف یہی کمپیوٹر کھول سکتا ہے',
    lan: `یہ دکان کے اپنے نیٹ ورک (${ltr('LAN')}) کا پتہ ہے، انٹرنیٹ کا نہیں`,
  },
};

/** English text with ngrok's own words after it, when there are any. */
function said(text: string, detail: string | undefined): string {
  return detail ? `${text}: ${detail}` : `${text}.`;
}

const enServer: ServerTexts = {
  openai_ok: ({ model }) => (model ? `OpenAI accepted the key (model ${model}).` : 'OpenAI accepted the key.'),
  openai_no_key: () => 'No OpenAI key yet: get one at platform.openai.com (API keys) and add it.',
  openai_refused_key: () => 'OpenAI refused the key: copy it again from platform.openai.com (API keys), and check the account has credit.',
  openai_unknown_model: ({ model }) => `OpenAI does not know the model${model ? ` ${model}` : ''}: choose another.`,
  openai_over_limit: () => 'OpenAI says the account is over its limit or out of credit: check billing on platform.openai.com.',
  openai_refused: ({ status }) => `OpenAI refused the connection${status ? ` (HTTP ${status})` : ''}; try again in a minute.`,
  openai_unreachable: () => 'Could not reach OpenAI: check the internet connection.',
  openai_broken: () => 'The connection to OpenAI broke; try again.',
  twilio_connected: ({ number }) => `Twilio accepted the account details; calls to ${number ?? 'the number'} come to this shop.`,
  twilio_not_connected: ({ number }) =>
    `Twilio accepted the account details and found ${number ?? 'the number'}; press “Connect my number” so its calls come to this shop.`,
  missing_twilio_account_sid: () => 'Add your Twilio Account SID first (it starts with AC; find it on the Twilio console’s home page).',
  missing_twilio_auth_token: () => 'Add your Twilio auth token first (Twilio console → Account → API keys & tokens).',
  missing_twilio_number: () => 'Add the shop’s Twilio number first (the number callers dial, e.g. +924235550123).',
  twilio_refused_credentials: () =>
    'Twilio refused the Account SID and auth token: copy both again from the Twilio console (Account → API keys & tokens).',
  twilio_unreachable: () => 'Could not reach Twilio: check the internet connection and try again.',
  twilio_error: ({ status }) => `Twilio answered with an error${status ? ` (HTTP ${status})` : ''}; try again in a minute.`,
  number_not_in_account: ({ number }) =>
    `The number${number ? ` ${number}` : ''} is not in this Twilio account: check the number, or see Phone Numbers → Manage → Active numbers in the Twilio console.`,
  tunnel_online: ({ url }) => (url ? `The tunnel is online at ${url}.` : 'The tunnel is online.'),
  own_address_ok: ({ url }) => `Twilio reaches this shop at ${url ?? 'your address'} (your own address).`,
  address_unreachable: ({ url, why }) => {
    const reason = why && Object.hasOwn(UNREACHABLE_WHY.en, why) ? `: ${UNREACHABLE_WHY.en[why]}` : '';
    return `Twilio cannot reach ${url ?? 'this address'}${reason}. Use the ngrok tunnel (add your ngrok authtoken), or a public https address that forwards to this PC.`;
  },
  no_public_address: () => 'No public address: add your ngrok authtoken (dashboard.ngrok.com → Your Authtoken) so the app can open its tunnel.',
  tunnel_connecting: () => 'The tunnel is still connecting; check again in a moment.',
  tunnel_failed: (p) => `The tunnel is not online: ${tunnelReason(p, 'en')}`,
  tunnel_address_pending: () => 'The tunnel is online but its address is not in use yet; check again in a moment.',
  shop_phone_set: ({ phone }) => `Callers who ask for a person, or whom the AI cannot serve, go to ${phone ?? 'the shop’s phone'}.`,
  no_shop_phone: () => 'No shop phone: callers the AI cannot serve only hear an apology. Add the shop’s phone.',
  answering_paused: () => 'AI answering is paused: calls go to the shop’s phone. Press Resume to let the AI answer.',
  answering_on: () => 'The AI answers calls.',
  fallback_missing: ({ number }) =>
    `When this PC is off or offline, callers to ${number ?? 'the number'} hear Twilio’s error message and the call drops: press “Connect my number” so they are put through to the shop instead.`,
  fallback_foreign: ({ number, url }) =>
    `When this PC is off or offline, calls to ${number ?? 'the number'} go to ${url ?? 'another address'}, which is not this shop’s backup: press “Connect my number” so they are put through to the shop’s phone.`,
  fallback_outdated: () =>
    'The backup for when this PC is off was made for an older shop phone: press “Connect my number” to bring it up to date.',
  fallback_dials_shop: ({ number, phone }) =>
    `When this PC is off or offline, Twilio puts callers to ${number ?? 'the number'} through to ${phone ?? 'the shop’s phone'}.`,
  fallback_message: ({ number }) =>
    `When this PC is off or offline, callers to ${number ?? 'the number'} hear a short apology (add the shop’s phone in Settings, then press “Connect my number”, to put them through instead).`,
  connected: ({ number, voice_url, fallback }) =>
    `Done: calls to ${number ?? 'the number'} now come to this shop${voice_url ? ` (${voice_url})` : ''}.${
      fallback === 'dial'
        ? ' When this PC is off, Twilio puts them through to the shop’s phone.'
        : fallback === 'message'
          ? ' When this PC is off, callers hear a short apology.'
          : ''
    }`,
  connected_unreachable: ({ number, voice_url, why }) => {
    const reason = why && Object.hasOwn(UNREACHABLE_WHY.en, why) ? `: ${UNREACHABLE_WHY.en[why]}` : '';
    return `The number ${number ?? ''} now points at ${voice_url ?? 'this shop'}, but Twilio cannot reach it${reason}. Calls will fail until the shop has a public https address: use the ngrok tunnel (add your ngrok authtoken), then press “Connect my number” again.`;
  },
  no_public_url: (p) => {
    const why =
      p.reason === 'tunnel_failed'
        ? `The tunnel says: ${tunnelReason(p, 'en')}`
        : p.reason === 'tunnel_connecting'
          ? 'The tunnel is connecting; try again in a moment.'
          : 'Add your ngrok authtoken so the app can open its tunnel.';
    return `This shop has no public address yet, so Twilio cannot reach it. ${why}`;
  },
  ngrok_unreachable: ({ server_addr }) =>
    `Could not reach ngrok${server_addr ? ` at ${server_addr}` : ''}: check the internet connection (and that no firewall blocks it).`,
  ngrok_tls: ({ server_addr }) =>
    `Could not talk securely to ngrok${server_addr ? ` at ${server_addr}` : ''}: a firewall or proxy may be intercepting the connection.`,
  ngrok_bad_server_addr: ({ server_addr }) => `The ngrok server address${server_addr ? ` “${server_addr}”` : ''} is not valid: use host:port.`,
  ngrok_refused_token: () => 'ngrok refused the authtoken: copy it again from dashboard.ngrok.com (Your Authtoken).',
  ngrok_agent_limit: () =>
    'Your ngrok account already has an agent online (free accounts allow one): close the other ngrok program, or wait a minute.',
  ngrok_refused: ({ detail }) => said('ngrok refused the connection', detail),
  ngrok_closed: ({ detail }) => said('ngrok closed the connection while starting', detail),
  ngrok_not_started: ({ detail }) => said('ngrok did not start', detail),
  ngrok_domain_refused: ({ domain, detail }) =>
    `ngrok would not open ${domain ?? 'the domain'}: check that this domain is reserved in your ngrok account (dashboard.ngrok.com → Domains).${detail ? ` ngrok said: ${detail}` : ''}`,
  ngrok_endpoint_refused: ({ detail }) => said('ngrok would not open a public address', detail),
  ngrok_dropped: () => 'The connection to ngrok dropped (internet trouble?); connecting again.',
  ngrok_failed: ({ detail }) => detail || 'The tunnel could not open.',
  twilio_account_ok: ({ number }) => `Twilio accepted the account details and found ${number ?? 'the number'}.`,
  number_on_sip_trunk: ({ number }) =>
    `Calls to ${number ?? 'the number'} still go over the SIP trunk straight to OpenAI, not to this PC: press “Connect my number” to bring them back.`,
  sip_no_project_id: () => 'No OpenAI project id: add it on this page (platform.openai.com → Settings → Project → General; it starts with proj_).',
  sip_no_webhook_secret: ({ event, webhook_url }) =>
    `No OpenAI webhook secret: in platform.openai.com → Settings → Project → Webhooks, add a webhook to ${webhook_url ?? 'this shop’s address /openai/webhook'} for ${event ?? 'incoming calls'}, then paste its secret (whsec_…) on this page.`,
  sip_openai_ready: ({ project_id, event, webhook_url }) =>
    `OpenAI project ${project_id ?? ''} and its webhook secret are set (the webhook must send ${event ?? 'incoming calls'} to ${webhook_url ?? 'this shop'}).`,
  sip_trunk_missing: () => 'There is no SIP trunk for this shop in Twilio yet: press “Set up SIP trunk”.',
  sip_trunk_secure: () => 'The SIP trunk is there and encrypted (secure media and signalling, which OpenAI needs).',
  sip_trunk_not_secure: () => 'The SIP trunk is not encrypted, so OpenAI will refuse its calls: press “Set up SIP trunk”.',
  sip_transfers_on: () => 'Transfers are on: the AI can put a caller through to the shop’s phone.',
  sip_transfers_off: () =>
    'Transfers to phone numbers are off on the trunk, so a caller who asks for a person cannot be put through: press “Set up SIP trunk”.',
  sip_origination_ok: ({ sip_url }) => `The trunk sends calls to the OpenAI project${sip_url ? ` (${sip_url})` : ''}.`,
  sip_origination_disabled: () => 'The trunk’s address for OpenAI is switched off: press “Set up SIP trunk”.',
  sip_origination_other: ({ sip_url }) =>
    `The trunk does not send calls to the OpenAI project${sip_url ? ` (${sip_url})` : ''}: press “Set up SIP trunk”.`,
  sip_origination_unknown: () => 'Add the OpenAI project id on this page, then press “Set up SIP trunk” so the trunk sends calls to it.',
  sip_number_on_trunk: ({ number }) => `Calls to ${number ?? 'the number'} go over the SIP trunk straight to OpenAI.`,
  sip_number_off_trunk: ({ number }) => `Calls to ${number ?? 'the number'} do not go over the SIP trunk yet: press “Set up SIP trunk”.`,
  sip_recovery_set: ({ url }) =>
    `If OpenAI cannot take a call, Twilio runs the shop’s backup${url ? ` (${url})` : ''}, even while this PC is off.`,
  sip_recovery_missing: () => 'If OpenAI cannot take a call, the caller hears an error and the call drops: press “Set up SIP trunk”.',
  sip_connected: ({ number, sip_url, fallback, created }) =>
    `${
      created === 'true'
        ? 'Made the shop’s SIP trunk in Twilio. '
        : created === 'false'
          ? 'The shop’s SIP trunk was already in Twilio: brought up to date, no second one made. '
          : ''
    }Done: calls to ${number ?? 'the number'} now go over the SIP trunk straight to OpenAI${sip_url ? ` (${sip_url})` : ''}.${
      fallback === 'dial'
        ? ' If OpenAI cannot take a call, Twilio puts it through to the shop’s phone.'
        : fallback === 'message'
          ? ' If OpenAI cannot take a call, the caller hears a short apology.'
          : ''
    }`,
  engine_not_sip: () =>
    'This shop answers calls through this PC: choose a SIP voice engine (Direct SIP) and save it before setting up the SIP trunk.',
  engine_is_sip: () =>
    'This shop answers calls over the SIP trunk: press “Set up SIP trunk” instead, or choose a bridge engine and save it to bring calls back to this PC.',
  missing_openai_project_id: () =>
    'Add the OpenAI project id first (platform.openai.com → Settings → Project → General; it starts with proj_).',
  bad_openai_project_id: ({ project_id }) =>
    `${project_id ?? 'That'} is not an OpenAI project id: copy it from platform.openai.com → Settings → Project → General (it starts with proj_).`,
  missing_openai_webhook_secret: () =>
    'Add the OpenAI webhook secret first (platform.openai.com → Settings → Project → Webhooks; it starts with whsec_).',
};

/**
 * Isolates each Latin token (Twilio, ngrok, SID, HTTP…) of an Urdu text that is not isolated
 * yet, so the bidi algorithm keeps it whole and in place.
 */
function isolateLatin(text: string): string {
  return text
    .split(/(\u2066[^\u2066\u2069]*\u2069)/)
    .map((part) => (part.startsWith('\u2066') ? part : part.replace(/[A-Za-z][A-Za-z0-9]*/g, (w) => ltr(w))))
    .join('');
}

const urServerWords: ServerTexts = {
  openai_ok: ({ model }) => `OpenAI نے کی قبول کر لی${model ? ` (ماڈل ${ltr(model)})` : ''}۔`,
  openai_no_key: () => `ابھی OpenAI کی نہیں: ${ltr('platform.openai.com')} سے (API کیز) لے کر یہاں ڈالیں۔`,
  openai_refused_key: () =>
    `OpenAI نے کی رد کر دی: ${ltr('platform.openai.com')} سے (API کیز) دوبارہ کاپی کریں، اور دیکھیں کہ اکاؤنٹ میں کریڈٹ ہے۔`,
  openai_unknown_model: ({ model }) => `OpenAI ${model ? `ماڈل ${ltr(model)}` : 'یہ ماڈل'} نہیں جانتا: کوئی اور ماڈل چنیں۔`,
  openai_over_limit: () => `OpenAI کے مطابق اکاؤنٹ کی حد پوری ہو گئی یا کریڈٹ ختم ہے: ${ltr('platform.openai.com')} پر بلنگ دیکھیں۔`,
  openai_refused: ({ status }) => `OpenAI نے رابطہ رد کر دیا${status ? ` (${ltr(`HTTP ${status}`)})` : ''}؛ ایک منٹ بعد دوبارہ کوشش کریں۔`,
  openai_unreachable: () => 'OpenAI تک رسائی نہیں ہو سکی: انٹرنیٹ کنکشن چیک کریں۔',
  openai_broken: () => 'OpenAI سے رابطہ ٹوٹ گیا؛ دوبارہ کوشش کریں۔',
  twilio_connected: ({ number }) =>
    `Twilio نے اکاؤنٹ کی تفصیل قبول کر لی؛ ${number ? ltr(number) : 'اس نمبر'} پر آنے والی کالیں اس دکان کو آتی ہیں۔`,
  twilio_not_connected: ({ number }) =>
    `Twilio نے اکاؤنٹ کی تفصیل قبول کر لی اور ${number ? ltr(number) : 'نمبر'} مل گیا؛ «میرا نمبر جوڑیں» دبائیں تاکہ اس کی کالیں اس دکان کو آئیں۔`,
  missing_twilio_account_sid: () => `پہلے اپنا Twilio اکاؤنٹ SID ڈالیں (یہ ${ltr('AC')} سے شروع ہوتا ہے؛ Twilio کنسول کے پہلے صفحے پر ملتا ہے)۔`,
  missing_twilio_auth_token: () => 'پہلے اپنا Twilio آتھ ٹوکن ڈالیں (Twilio کنسول میں اکاؤنٹ ← API کیز اور ٹوکن)۔',
  missing_twilio_number: () => `پہلے دکان کا Twilio نمبر ڈالیں (وہ نمبر جو گاہک ملاتے ہیں، مثلاً ${ltr('+924235550123')})۔`,
  twilio_refused_credentials: () =>
    'Twilio نے اکاؤنٹ SID اور آتھ ٹوکن رد کر دیے: دونوں Twilio کنسول سے دوبارہ کاپی کریں (اکاؤنٹ ← API کیز اور ٹوکن)۔',
  twilio_unreachable: () => 'Twilio تک رسائی نہیں ہو سکی: انٹرنیٹ کنکشن چیک کر کے دوبارہ کوشش کریں۔',
  twilio_error: ({ status }) => `Twilio نے غلطی بتائی${status ? ` (${ltr(`HTTP ${status}`)})` : ''}؛ ایک منٹ بعد دوبارہ کوشش کریں۔`,
  number_not_in_account: ({ number }) =>
    `نمبر${number ? ` ${ltr(number)}` : ''} اس Twilio اکاؤنٹ میں نہیں: نمبر چیک کریں، یا Twilio کنسول میں فعال نمبروں کی فہرست دیکھیں۔`,
  tunnel_online: ({ url }) => (url ? `ٹنل ${ltr(url)} پر آن لائن ہے۔` : 'ٹنل آن لائن ہے۔'),
  own_address_ok: ({ url }) => `Twilio اس دکان تک ${url ? ltr(url) : 'آپ کے پتے'} پر پہنچتا ہے (آپ کا اپنا پتہ)۔`,
  address_unreachable: ({ url, why }) => {
    const reason = why && Object.hasOwn(UNREACHABLE_WHY.ur, why) ? `: ${UNREACHABLE_WHY.ur[why]}` : '';
    return `Twilio ${url ? ltr(url) : 'اس پتے'} تک نہیں پہنچ سکتا${reason}۔ ngrok ٹنل استعمال کریں (اپنا ngrok ٹوکن ڈالیں)، یا کوئی عوامی ${ltr('https')} پتہ جو اس کمپیوٹر تک پہنچائے۔`;
  },
  no_public_address: () => `کوئی عوامی پتہ نہیں: اپنا ngrok ٹوکن (${ltr('dashboard.ngrok.com')} سے) ڈالیں تاکہ ایپ اپنا ٹنل کھول سکے۔`,
  tunnel_connecting: () => 'ٹنل ابھی جڑ رہا ہے؛ تھوڑی دیر بعد دوبارہ چیک کریں۔',
  tunnel_failed: (p) => `ٹنل آن لائن نہیں: ${tunnelReason(p, 'ur')}`,
  tunnel_address_pending: () => 'ٹنل آن لائن ہے مگر اس کا پتہ ابھی استعمال میں نہیں آیا؛ تھوڑی دیر بعد دوبارہ چیک کریں۔',
  shop_phone_set: ({ phone }) => `جو گاہک کسی انسان سے بات کرنا چاہیں، یا جنہیں AI نہ سنبھال سکے، وہ ${phone ? ltr(phone) : 'دکان کے فون'} پر جاتے ہیں۔`,
  no_shop_phone: () => 'دکان کا فون نہیں: جن گاہکوں کو AI نہ سنبھال سکے وہ صرف معذرت سنتے ہیں۔ دکان کا فون نمبر ڈالیں۔',
  answering_paused: () => 'AI جواب رکا ہوا ہے: کالیں دکان کے فون پر جاتی ہیں۔ AI سے جواب دلوانے کے لیے «AI جواب دوبارہ شروع کریں» دبائیں۔',
  answering_on: () => 'AI کالوں کا جواب دیتا ہے۔',
  fallback_missing: ({ number }) =>
    `جب یہ کمپیوٹر بند یا انٹرنیٹ سے کٹا ہو تو ${number ? ltr(number) : 'نمبر'} پر کال کرنے والے Twilio کی خرابی کا پیغام سنتے ہیں اور کال کٹ جاتی ہے: «میرا نمبر جوڑیں» دبائیں تاکہ ایسی کالیں دکان کو مل جائیں۔`,
  fallback_foreign: ({ number, url }) =>
    `جب یہ کمپیوٹر بند یا انٹرنیٹ سے کٹا ہو تو ${number ? ltr(number) : 'نمبر'} کی کالیں ${url ? ltr(url) : 'کسی اور پتے'} پر جاتی ہیں، جو اس دکان کا متبادل نہیں: «میرا نمبر جوڑیں» دبائیں تاکہ ایسی کالیں دکان کے فون پر جائیں۔`,
  fallback_outdated: () =>
    'کمپیوٹر بند ہونے پر کالیں سنبھالنے والا متبادل دکان کے پرانے فون نمبر کے لیے بنا تھا: اسے تازہ کرنے کے لیے «میرا نمبر جوڑیں» دبائیں۔',
  fallback_dials_shop: ({ number, phone }) =>
    `جب یہ کمپیوٹر بند یا انٹرنیٹ سے کٹا ہو تو Twilio ${number ? ltr(number) : 'نمبر'} کی کالیں ${phone ? ltr(phone) : 'دکان کے فون'} پر ملا دیتا ہے۔`,
  fallback_message: ({ number }) =>
    `جب یہ کمپیوٹر بند یا انٹرنیٹ سے کٹا ہو تو ${number ? ltr(number) : 'نمبر'} پر کال کرنے والے ایک مختصر معذرت سنتے ہیں (انہیں دکان سے ملانے کے لیے ترتیبات میں دکان کا فون ڈالیں، پھر «میرا نمبر جوڑیں» دبائیں)۔`,
  connected: ({ number, voice_url, fallback }) =>
    `ہو گیا: ${number ? ltr(number) : 'نمبر'} پر آنے والی کالیں اب اس دکان کو آتی ہیں${voice_url ? ` (${ltr(voice_url)})` : ''}۔${
      fallback === 'dial'
        ? ' جب یہ کمپیوٹر بند ہو تو Twilio انہیں دکان کے فون پر ملا دیتا ہے۔'
        : fallback === 'message'
          ? ' جب یہ کمپیوٹر بند ہو تو کال کرنے والے ایک مختصر معذرت سنتے ہیں۔'
          : ''
    }`,
  connected_unreachable: ({ number, voice_url, why }) => {
    const reason = why && Object.hasOwn(UNREACHABLE_WHY.ur, why) ? `: ${UNREACHABLE_WHY.ur[why]}` : '';
    return `نمبر ${number ? ltr(number) : ''} اب ${voice_url ? ltr(voice_url) : 'اس دکان'} کی طرف ہے، مگر Twilio وہاں تک نہیں پہنچ سکتا${reason}۔ جب تک دکان کا کوئی عوامی ${ltr('https')} پتہ نہ ہو کالیں ناکام ہوں گی: ngrok ٹنل استعمال کریں (اپنا ngrok ٹوکن ڈالیں)، پھر دوبارہ «میرا نمبر جوڑیں» دبائیں۔`;
  },
  no_public_url: (p) => {
    const why =
      p.reason === 'tunnel_failed'
        ? `ٹنل کہتا ہے: ${tunnelReason(p, 'ur')}`
        : p.reason === 'tunnel_connecting'
          ? 'ٹنل جڑ رہا ہے؛ تھوڑی دیر بعد دوبارہ کوشش کریں۔'
          : 'اپنا ngrok ٹوکن ڈالیں تاکہ ایپ اپنا ٹنل کھول سکے۔';
    return `اس دکان کا ابھی کوئی عوامی پتہ نہیں، اس لیے Twilio اس تک نہیں پہنچ سکتا۔ ${why}`;
  },
  ngrok_unreachable: ({ server_addr }) =>
    `ngrok تک${server_addr ? ` ${ltr(server_addr)} پر` : ''} رسائی نہیں ہو سکی: انٹرنیٹ کنکشن چیک کریں (اور یہ کہ کوئی فائر وال اسے نہ روکے)۔`,
  ngrok_tls: ({ server_addr }) =>
    `ngrok سے${server_addr ? ` ${ltr(server_addr)} پر` : ''} محفوظ رابطہ نہیں ہو سکا: شاید کوئی فائر وال یا پراکسی کنکشن میں دخل دے رہی ہے۔`,
  ngrok_bad_server_addr: ({ server_addr }) =>
    `ngrok سرور کا پتہ${server_addr ? ` ${ltr(server_addr)}` : ''} درست نہیں: ${ltr('host:port')} کی شکل میں لکھیں۔`,
  ngrok_refused_token: () => `ngrok نے ٹوکن رد کر دیا: ${ltr('dashboard.ngrok.com')} سے دوبارہ کاپی کریں۔`,
  ngrok_agent_limit: () =>
    'آپ کے ngrok اکاؤنٹ پر ایک ایجنٹ پہلے سے آن لائن ہے (مفت اکاؤنٹ میں ایک کی اجازت ہے): دوسرا ngrok پروگرام بند کریں، یا ایک منٹ انتظار کریں۔',
  ngrok_refused: () => 'ngrok نے رابطہ رد کر دیا۔',
  ngrok_closed: () => 'ngrok نے شروع ہوتے ہوئے رابطہ بند کر دیا۔',
  ngrok_not_started: () => 'ngrok شروع نہیں ہوا۔',
  ngrok_domain_refused: ({ domain }) =>
    `ngrok نے ${domain ? ltr(domain) : 'یہ ڈومین'} نہیں کھولا: دیکھیں کہ یہ ڈومین آپ کے ngrok اکاؤنٹ میں محفوظ ہے (${ltr('dashboard.ngrok.com')})۔`,
  ngrok_endpoint_refused: () => 'ngrok نے عوامی پتہ نہیں کھولا۔',
  ngrok_dropped: () => 'ngrok سے رابطہ ٹوٹ گیا (انٹرنیٹ کا مسئلہ؟)؛ دوبارہ جڑ رہے ہیں۔',
  ngrok_failed: () => 'ٹنل نہیں کھل سکا۔',
  twilio_account_ok: ({ number }) => `Twilio نے اکاؤنٹ کی تفصیلات قبول کر لیں اور ${number ? ltr(number) : 'نمبر'} مل گیا۔`,
  number_on_sip_trunk: ({ number }) =>
    `${number ? ltr(number) : 'نمبر'} کی کالیں ابھی بھی SIP ٹرنک سے سیدھی OpenAI کو جاتی ہیں، اس کمپیوٹر پر نہیں: انہیں واپس لانے کے لیے «میرا نمبر جوڑیں» دبائیں۔`,
  sip_no_project_id: () =>
    `OpenAI پروجیکٹ آئی ڈی نہیں: اسے اسی صفحے پر ڈالیں (${ltr('platform.openai.com')} ← سیٹنگز ← پروجیکٹ؛ یہ ${ltr('proj_')} سے شروع ہوتی ہے)۔`,
  sip_no_webhook_secret: ({ event, webhook_url }) =>
    `OpenAI ویب ہُک کا راز نہیں: ${ltr('platform.openai.com')} ← سیٹنگز ← پروجیکٹ ← ویب ہُکس میں ${webhook_url ? ltr(webhook_url) : 'اس دکان کے پتے'} کے لیے ${event ? ltr(event) : 'آنے والی کالوں'} کا ویب ہُک بنائیں، پھر اس کا راز (${ltr('whsec_')}) اس صفحے پر ڈالیں۔`,
  sip_openai_ready: ({ project_id, event, webhook_url }) =>
    `OpenAI پروجیکٹ ${project_id ? ltr(project_id) : ''} اور اس کے ویب ہُک کا راز موجود ہیں (ویب ہُک کو ${event ? ltr(event) : 'آنے والی کالیں'} ${webhook_url ? ltr(webhook_url) : 'اس دکان'} پر بھیجنی ہیں)۔`,
  sip_trunk_missing: () => 'Twilio میں ابھی اس دکان کا کوئی SIP ٹرنک نہیں: «SIP ٹرنک بنائیں» دبائیں۔',
  sip_trunk_secure: () => 'SIP ٹرنک موجود ہے اور محفوظ (خفیہ) ہے، جیسا OpenAI کو چاہیے۔',
  sip_trunk_not_secure: () => 'SIP ٹرنک محفوظ (خفیہ) نہیں، اس لیے OpenAI اس کی کالیں رد کرے گا: «SIP ٹرنک بنائیں» دبائیں۔',
  sip_transfers_on: () => 'کال منتقل کرنا آن ہے: AI گاہک کو دکان کے فون سے ملا سکتا ہے۔',
  sip_transfers_off: () =>
    'ٹرنک پر فون نمبروں کو کال منتقل کرنا بند ہے، اس لیے جو گاہک کسی انسان سے بات کرنا چاہے اسے ملایا نہیں جا سکتا: «SIP ٹرنک بنائیں» دبائیں۔',
  sip_origination_ok: ({ sip_url }) => `ٹرنک کالیں OpenAI پروجیکٹ کو بھیجتا ہے${sip_url ? ` (${ltr(sip_url)})` : ''}۔`,
  sip_origination_disabled: () => 'ٹرنک پر OpenAI کا پتہ بند ہے: «SIP ٹرنک بنائیں» دبائیں۔',
  sip_origination_other: ({ sip_url }) =>
    `ٹرنک کالیں OpenAI پروجیکٹ${sip_url ? ` (${ltr(sip_url)})` : ''} کو نہیں بھیجتا: «SIP ٹرنک بنائیں» دبائیں۔`,
  sip_origination_unknown: () => 'اس صفحے پر OpenAI پروجیکٹ آئی ڈی ڈالیں، پھر «SIP ٹرنک بنائیں» دبائیں تاکہ ٹرنک کالیں اسے بھیجے۔',
  sip_number_on_trunk: ({ number }) => `${number ? ltr(number) : 'نمبر'} کی کالیں SIP ٹرنک سے سیدھی OpenAI کو جاتی ہیں۔`,
  sip_number_off_trunk: ({ number }) => `${number ? ltr(number) : 'نمبر'} کی کالیں ابھی SIP ٹرنک سے نہیں جاتیں: «SIP ٹرنک بنائیں» دبائیں۔`,
  sip_recovery_set: ({ url }) =>
    `اگر OpenAI کوئی کال نہ لے سکے تو Twilio دکان کا متبادل${url ? ` (${ltr(url)})` : ''} چلاتا ہے، چاہے یہ کمپیوٹر بند ہو۔`,
  sip_recovery_missing: () => 'اگر OpenAI کوئی کال نہ لے سکے تو گاہک خرابی کا پیغام سنتا ہے اور کال کٹ جاتی ہے: «SIP ٹرنک بنائیں» دبائیں۔',
  sip_connected: ({ number, sip_url, fallback, created }) =>
    `${
      created === 'true'
        ? 'Twilio میں دکان کا SIP ٹرنک بنا دیا۔ '
        : created === 'false'
          ? 'دکان کا SIP ٹرنک Twilio میں پہلے سے تھا: اسے تازہ کر دیا، دوسرا نہیں بنایا۔ '
          : ''
    }ہو گیا: ${number ? ltr(number) : 'نمبر'} کی کالیں اب SIP ٹرنک سے سیدھی OpenAI کو جاتی ہیں${sip_url ? ` (${ltr(sip_url)})` : ''}۔${
      fallback === 'dial'
        ? ' اگر OpenAI کوئی کال نہ لے سکے تو Twilio اسے دکان کے فون سے ملا دیتا ہے۔'
        : fallback === 'message'
          ? ' اگر OpenAI کوئی کال نہ لے سکے تو گاہک ایک مختصر معذرت سنتا ہے۔'
          : ''
    }`,
  engine_not_sip: () => 'یہ دکان کالیں اسی کمپیوٹر کے ذریعے لیتی ہے: SIP ٹرنک بنانے سے پہلے براہِ راست SIP والا انجن چنیں اور محفوظ کریں۔',
  engine_is_sip: () =>
    'یہ دکان کالیں SIP ٹرنک سے لیتی ہے: اس کی بجائے «SIP ٹرنک بنائیں» دبائیں، یا کالیں اس کمپیوٹر پر واپس لانے کے لیے کمپیوٹر والا انجن چن کر محفوظ کریں۔',
  missing_openai_project_id: () =>
    `پہلے OpenAI پروجیکٹ آئی ڈی ڈالیں (${ltr('platform.openai.com')} ← سیٹنگز ← پروجیکٹ؛ یہ ${ltr('proj_')} سے شروع ہوتی ہے)۔`,
  bad_openai_project_id: ({ project_id }) =>
    `${project_id ? ltr(project_id) : 'یہ'} OpenAI پروجیکٹ آئی ڈی نہیں: اسے ${ltr('platform.openai.com')} ← سیٹنگز ← پروجیکٹ سے کاپی کریں (یہ ${ltr('proj_')} سے شروع ہوتی ہے)۔`,
  missing_openai_webhook_secret: () =>
    `پہلے OpenAI ویب ہُک کا راز ڈالیں (${ltr('platform.openai.com')} ← سیٹنگز ← پروجیکٹ ← ویب ہُکس؛ یہ ${ltr('whsec_')} سے شروع ہوتا ہے)۔`,
};

const urServer = Object.fromEntries(
  Object.entries(urServerWords).map(([code, word]) => [code, (p: Params) => isolateLatin(word(p))]),
) as ServerTexts;

const SERVER_TEXTS: Record<Lang, ServerTexts> = { en: enServer, ur: urServer };

/**
 * Why the tunnel is not online, from a failed tunnel's code (`TunnelDto.code`, or
 * `tunnel_code` in a Check setup line or a Connect refusal) and its params.
 */
export function tunnelReason(p: Params & { tunnel_code?: string | undefined; code?: string | undefined }, lang: Lang): string {
  const code = p.tunnel_code ?? p.code ?? null;
  const texts = SERVER_TEXTS[lang];
  if (code !== null && code.startsWith('ngrok_') && Object.hasOwn(texts, code)) return texts[code as ServerCode](p);
  return lang === 'ur' ? 'ٹنل نہیں کھل سکا، یہ خود دوبارہ کوشش کرے گا۔' : 'it will retry by itself.';
}

/**
 * A server message (a Check setup line, Connect's result, the tunnel's failure) in the
 * screen's language, from its code and params. A code this dashboard does not know shows
 * the server's English message on an English screen, a generic sentence on an Urdu one.
 */
export function serverText(m: { code: string | null | undefined; params?: Params | undefined; message?: string | null | undefined }, lang: Lang): string {
  const texts = SERVER_TEXTS[lang];
  const code = m.code ?? null;
  if (code !== null && Object.hasOwn(texts, code)) return texts[code as ServerCode](m.params ?? {});
  if (lang === 'en' && m.message) return m.message;
  return MESSAGES[lang].apiErrorGeneric;
}

const enApiErrors: ApiErrorTexts = {
  printer_not_found: 'That printer is no longer set up. Choose one in Settings → Printers.',
  no_printer_for_document: 'No printer is set up to print this. Tick it for a printer in Settings → Printers.',
  offline: 'The kitchen server cannot be reached. Try again when it is back.',
  unauthorized: 'Your session has ended: log in again. Nothing was saved.',
  invalid_credentials: 'Wrong username or password.',
  too_many_attempts: 'Too many attempts. Wait a minute and try again.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  forbidden_origin: 'The kitchen server refused a request from another site.',
  misdirected_host: 'The kitchen server does not answer to this address. Open it by the address it shows on the shop PC.',
  request_timeout: 'The kitchen server took too long and stopped; nothing was saved. Try again.',
  owner_only: 'Only the owner may do this. Enter the owner password to continue.',
  pairing_code_unknown: 'That code is not one the shop computer showed. Check the digits.',
  pairing_code_expired: 'That code has expired. Show a new one on the shop computer.',
  pairing_code_used: 'That code was already used. Show a new one on the shop computer.',
  validation_failed: 'Some answers need fixing.',
  invalid_json: 'The kitchen server did not understand this form. Reload the page and try again.',
  invalid_body: 'The kitchen server did not understand this form. Reload the page and try again.',
  body_too_large: 'That is too much text to save at once.',
  unsupported_media_type: 'The kitchen server did not understand this form. Reload the page and try again.',
  route_not_found: 'This kitchen server does not offer that yet: it may need updating.',
  database_busy: 'The database is busy, so nothing was saved. Try again in a moment.',
  secret_store_failed: 'The keys could not be saved in this computer’s keychain, so nothing was saved.',
  internal: 'Something went wrong on the kitchen server; it has been logged. Try again.',
  order_not_editable: 'This order is already being made and can no longer be changed.',
  not_recallable: 'Only a delivered or cancelled order can be recalled; this one is already back on the board.',
  nothing_to_undo: 'Nothing to undo: the order has changed since.',
  undo_expired: 'Too late to undo: 30 seconds have passed. Recall brings back a delivered or cancelled order.',
  invalid_transition: 'That step is not possible from the order’s status now; it may have changed on another screen.',
  not_found: 'That order no longer exists.',
  invalid_query: 'The kitchen server did not understand this request. Reload the page and try again.',
  invalid_header: 'The kitchen server did not understand this request. Reload the page and try again.',
  method_not_allowed: 'This kitchen server does not offer that yet: it may need updating.',
  idempotency_conflict: 'This order was already sent once with different contents. Start a new order.',
  cash_changed: 'This rider’s cash changed while you were counting (a delivery came in or was undone). The new amount is shown: count it and mark again.',
  invalid_status: 'The kitchen server does not know that order status. Reload the page.',
  reason_required: 'Write why the order is cancelled.',
  invalid_reason: 'The reason is too long: keep it under 500 characters.',
  missing_twilio_account_sid: enServer.missing_twilio_account_sid({}),
  missing_twilio_auth_token: enServer.missing_twilio_auth_token({}),
  missing_twilio_number: enServer.missing_twilio_number({}),
  twilio_refused_credentials: enServer.twilio_refused_credentials({}),
  twilio_unreachable: enServer.twilio_unreachable({}),
  twilio_error: enServer.twilio_error({}),
  number_not_in_account: enServer.number_not_in_account({}),
  no_public_url: enServer.no_public_url({}),
  engine_not_sip: enServer.engine_not_sip({}),
  engine_is_sip: enServer.engine_is_sip({}),
  missing_openai_project_id: enServer.missing_openai_project_id({}),
  bad_openai_project_id: enServer.bad_openai_project_id({}),
  missing_openai_webhook_secret: enServer.missing_openai_webhook_secret({}),
};

const urApiErrors: ApiErrorTexts = {
  printer_not_found: 'یہ پرنٹر اب سیٹ اپ نہیں۔ سیٹنگز ← پرنٹرز میں سے چنیں۔',
  no_printer_for_document: 'کوئی پرنٹر یہ چھاپنے کے لیے سیٹ نہیں۔ سیٹنگز ← پرنٹرز میں کسی پرنٹر کے لیے اسے چنیں۔',
  offline: 'کچن سرور تک رسائی نہیں۔ سرور واپس آنے پر دوبارہ کوشش کریں۔',
  unauthorized: 'آپ کا سیشن ختم ہو گیا: دوبارہ لاگ اِن کریں۔ کچھ محفوظ نہیں ہوا۔',
  invalid_credentials: 'یوزر نیم یا پاس ورڈ غلط ہے۔',
  too_many_attempts: 'بہت زیادہ کوششیں۔ ایک منٹ بعد دوبارہ کوشش کریں۔',
  rate_limited: 'بہت زیادہ کوششیں۔ ایک منٹ بعد دوبارہ کوشش کریں۔',
  forbidden_origin: 'کچن سرور نے کسی اور سائٹ سے آئی درخواست رد کر دی۔',
  misdirected_host: 'کچن سرور اس پتے پر جواب نہیں دیتا۔ اسے اسی پتے سے کھولیں جو دکان کے کمپیوٹر پر دکھایا گیا ہے۔',
  request_timeout: 'کچن سرور کو بہت دیر لگی اور اس نے کام روک دیا؛ کچھ محفوظ نہیں ہوا۔ دوبارہ کوشش کریں۔',
  owner_only: 'یہ کام صرف مالک کر سکتا ہے۔ آگے بڑھنے کے لیے مالک کا پاس ورڈ درج کریں۔',
  pairing_code_unknown: 'یہ کوڈ دکان کے کمپیوٹر نے نہیں دکھایا۔ ہندسے دوبارہ دیکھیں۔',
  pairing_code_expired: 'اس کوڈ کا وقت ختم ہو گیا۔ دکان کے کمپیوٹر پر نیا کوڈ دکھائیں۔',
  pairing_code_used: 'یہ کوڈ پہلے استعمال ہو چکا ہے۔ دکان کے کمپیوٹر پر نیا کوڈ دکھائیں۔',
  validation_failed: 'کچھ جواب درست کرنے ہیں۔',
  invalid_json: 'کچن سرور یہ فارم نہیں سمجھ سکا۔ صفحہ دوبارہ کھولیں اور پھر کوشش کریں۔',
  invalid_body: 'کچن سرور یہ فارم نہیں سمجھ سکا۔ صفحہ دوبارہ کھولیں اور پھر کوشش کریں۔',
  body_too_large: 'ایک ساتھ محفوظ کرنے کے لیے یہ بہت زیادہ عبارت ہے۔',
  unsupported_media_type: 'کچن سرور یہ فارم نہیں سمجھ سکا۔ صفحہ دوبارہ کھولیں اور پھر کوشش کریں۔',
  route_not_found: 'یہ کچن سرور ابھی یہ سہولت نہیں دیتا: شاید اسے اپ ڈیٹ کرنا ہو۔',
  database_busy: 'ڈیٹا بیس مصروف ہے، اس لیے کچھ محفوظ نہیں ہوا۔ تھوڑی دیر بعد دوبارہ کوشش کریں۔',
  secret_store_failed: 'کیز اس کمپیوٹر کے کی چین میں محفوظ نہیں ہو سکیں، اس لیے کچھ محفوظ نہیں ہوا۔',
  internal: 'کچن سرور پر کچھ خرابی ہوئی؛ اسے درج کر لیا گیا ہے۔ دوبارہ کوشش کریں۔',
  order_not_editable: 'یہ آرڈر بننا شروع ہو چکا ہے، اب اس میں تبدیلی نہیں ہو سکتی۔',
  not_recallable: 'صرف ڈیلیور یا منسوخ آرڈر واپس لایا جا سکتا ہے؛ یہ آرڈر پہلے ہی بورڈ پر ہے۔',
  nothing_to_undo: 'واپس کرنے کو کچھ نہیں: آرڈر اس کے بعد بدل چکا ہے۔',
  undo_expired: 'واپسی کا وقت ختم: 30 سیکنڈ گزر گئے۔ ڈیلیور یا منسوخ آرڈر «واپس لائیں» سے واپس آتا ہے۔',
  invalid_transition: 'آرڈر کی موجودہ حالت سے یہ قدم ممکن نہیں؛ شاید یہ کسی اور اسکرین پر بدل چکا ہے۔',
  not_found: 'یہ آرڈر اب موجود نہیں۔',
  invalid_query: 'کچن سرور یہ درخواست نہیں سمجھ سکا۔ صفحہ دوبارہ کھولیں اور پھر کوشش کریں۔',
  invalid_header: 'کچن سرور یہ درخواست نہیں سمجھ سکا۔ صفحہ دوبارہ کھولیں اور پھر کوشش کریں۔',
  method_not_allowed: 'یہ کچن سرور ابھی یہ سہولت نہیں دیتا: شاید اسے اپ ڈیٹ کرنا ہو۔',
  idempotency_conflict: 'یہ آرڈر پہلے ہی مختلف چیزوں کے ساتھ بھیجا جا چکا ہے۔ نیا آرڈر شروع کریں۔',
  cash_changed: 'گنتی کے دوران اس رائیڈر کی رقم بدل گئی (کوئی ڈیلیوری آئی یا واپس ہوئی)۔ نئی رقم سامنے ہے: اسے گنیں اور دوبارہ نشان لگائیں۔',
  invalid_status: 'کچن سرور آرڈر کی یہ حالت نہیں جانتا۔ صفحہ دوبارہ کھولیں۔',
  reason_required: 'آرڈر منسوخ کرنے کی وجہ لکھیں۔',
  invalid_reason: 'وجہ بہت لمبی ہے: 500 حروف سے کم رکھیں۔',
  missing_twilio_account_sid: urServer.missing_twilio_account_sid({}),
  missing_twilio_auth_token: urServer.missing_twilio_auth_token({}),
  missing_twilio_number: urServer.missing_twilio_number({}),
  twilio_refused_credentials: urServer.twilio_refused_credentials({}),
  twilio_unreachable: urServer.twilio_unreachable({}),
  twilio_error: urServer.twilio_error({}),
  number_not_in_account: urServer.number_not_in_account({}),
  no_public_url: urServer.no_public_url({}),
  engine_not_sip: urServer.engine_not_sip({}),
  engine_is_sip: urServer.engine_is_sip({}),
  missing_openai_project_id: urServer.missing_openai_project_id({}),
  bad_openai_project_id: urServer.bad_openai_project_id({}),
  missing_openai_webhook_secret: urServer.missing_openai_webhook_secret({}),
};

const en = {
  appName: 'Melt 8 Kitchen',
  nav: { board: 'Board', menu: 'Menu', settings: 'Settings', calls: 'Calls', summary: 'Day summary', phone: 'Phone' },
  logout: 'Log out',
  switchLanguage: 'اردو',
  soundOn: 'Sound on',
  soundOff: 'Sound off',
  connection: { stopped: 'Not connected', connecting: 'Connecting…', online: 'Live', offline: 'Offline' } satisfies Record<
    'stopped' | 'connecting' | 'online' | 'offline',
    string
  >,
  offlineBanner: (seconds: number | null) =>
    seconds === null
      ? 'No connection to the kitchen server. The board may be out of date.'
      : `No connection to the kitchen server. Trying again in ${seconds} s — the board may be out of date.`,
  retryNow: 'Try now',

  login: {
    title: 'Chef login',
    username: 'Username',
    password: 'Password',
    submit: 'Log in',
    busy: 'Logging in…',
    expired: 'Your session has ended. Log in again — the board is kept.',
    wrong: 'Wrong username or password.',
    tooMany: (seconds: number | null) =>
      seconds === null ? 'Too many attempts. Wait a minute and try again.' : `Too many attempts. Try again in ${seconds} s.`,
    unreachable: 'The kitchen server cannot be reached.',
    joinTitle: 'Join as kitchen tablet',
    joinHint: 'Type the code shown on the shop computer (Settings → Pair a tablet).',
    joinCode: 'Pairing code',
    joinSubmit: 'Join the kitchen',
    joinBusy: 'Joining…',
  },

  owner: {
    title: 'Owner password needed',
    hint: 'This page is for the owner. Enter the owner password to continue on this screen.',
    password: 'Owner password',
    submit: 'Continue as owner',
    busy: 'Checking…',
    cancel: 'Back to the board',
  },

  pairing: {
    title: 'Pair a tablet',
    hint: 'Open the dashboard on the tablet and type this code under “Join as kitchen tablet”, or scan the QR code. The tablet gets the board only — never settings or secrets.',
    show: 'Show a pairing code',
    again: 'Show a new code',
    busy: 'Making a code…',
    expires: (time: string) => `Works once, until ${time}.`,
    qr: 'QR code of the join link',
  },

  status: {
    new: 'New',
    preparing: 'Preparing',
    ready: 'Ready',
    out_for_delivery: 'Out for delivery',
    delivered: 'Delivered',
    collected: 'Collected',
    returned: 'Returned',
    cancelled: 'Cancelled',
  } satisfies Record<OrderStatus, string>,
  kind: {
    pizza: 'Pizza',
    side: 'Side',
    drink: 'Drink',
    dip: 'Dip',
    dessert: 'Dessert',
    pasta: 'Pasta',
    other: 'Other',
    deal: 'Deal',
  } satisfies Record<ItemKind, string>,

  board: {
    search: 'Search phone or #number',
    clearSearch: 'Clear',
    empty: 'No orders',
    loading: 'Loading orders…',
    today: 'Today',
    doneSummary: (delivered: number, cancelled: number) => `Today: ${delivered} delivered, ${cancelled} cancelled`,
    matches: (n: number) => (n === 1 ? '1 order matches' : `${n} orders match`),
    strip: 'New orders — tap one to take it',
    stripEntry: (n: number) => `Take order #${n}`,
    stripEntryChanged: (n: number) => `Take changed order #${n}`,
    oldest: (age: string) => `oldest ${age}`,
    stages: 'Stages',
    menu: 'Pages',
    counts: 'Open orders',
    skip: 'Skip to board',
    skipContent: 'Skip to content',
  },

  // Call cards on the board: calls the kitchen must return or follow up (issue 14).
  callCards: {
    title: 'Calls to return',
    kinds: {
      unfinished_order: 'Unfinished order',
      transfer: 'Transfer',
      call_back: 'Call back',
    } satisfies Record<CallCardKind, string>,
    callBack: 'Call back',
    callBackTo: (phone: string) => `Call back ${phone}`,
    noNumber: 'No number',
    done: 'Done',
    doneLabel: (kind: string, phone: string) => `Done: ${kind}, ${phone}`,
    ago: (age: string) => `${age} ago`,
  },

  // The recall tray and the line strike-off (issue 13).
  recallTray: {
    open: 'Recall',
    title: 'Delivered and cancelled today',
    hint: 'Bring an order back: a delivered one to Ready, a cancelled one to where it was.',
    empty: 'Nothing delivered or cancelled today yet.',
    recall: 'Recall',
    recallOrder: (n: number) => `Recall order #${n}`,
    ago: (age: string) => `${age} ago`,
    back: (n: number, to: string) => `Order #${n} is back in ${to}.`,
  },
  strike: {
    hint: 'Tap a line when it is made; tap again to bring it back.',
  },
  keys: {
    open: 'Keys',
    title: 'Keyboard and bump bar',
    actions: {
      bump: 'Move the selected ticket to the next stage',
      recall: 'Undo the last change, or recall the last delivered order',
      next: 'Next ticket',
      prev: 'Previous ticket',
      column: 'Ticket in the next column',
      ack: 'Take the newest new order (stops the alarm)',
      stage: 'Go to New, Preparing or Ready',
      help: 'Show or hide this list',
      close: 'Close this list or the recall tray',
    } satisfies Record<KeyHelp, string>,
    nothingToRecall: 'Nothing to undo or recall.',
  },

  ticket: {
    number: (n: number) => `#${n}`,
    advance: { new: 'Start preparing', preparing: 'Mark ready', ready: 'Delivered' } satisfies Partial<Record<OrderStatus, string>>,
    /** The one-tap button, by the status it moves the order to (issue 16). */
    advanceTo: {
      new: 'New',
      preparing: 'Start preparing',
      ready: 'Mark ready',
      out_for_delivery: 'Send out',
      delivered: 'Delivered',
      collected: 'Collected',
      returned: 'Returned',
      cancelled: 'Cancel',
    } satisfies Record<OrderStatus, string>,
    rider: 'Rider',
    sendWith: 'Send with a rider',
    sendWithRider: 'Send with',
    returned: 'Returned',
    cancel: 'Cancel',
    edit: 'Edit',
    acknowledge: 'New order — tap to stop the alert',
    phone: 'Phone',
    withheld: 'Number withheld',
    noPhone: 'No phone',
    address: 'Address',
    landmark: 'Landmark',
    total: 'Total',
    fromPhone: 'Phone order',
    fromStaff: 'Counter order',
    reason: 'Reason',
    age: 'Waiting',
    details: 'Details',
    // Issue 12: deals, options, halves, notes, delivery or pickup, payment.
    delivery: 'DELIVERY',
    pickup: 'PICKUP',
    pickupIn: (minutes: number) => `in ${minutes} min`,
    zone: 'Zone',
    methods: PAYMENT_METHODS.en,
    pays: (amount: string) => `pays ${amount}`,
    change: (amount: string) => `change ${amount}`,
    note: 'Note',
    orderNote: 'Order note',
    late: 'LATE',
    inStage: 'Time in this stage',
    customer: 'Customer',
    changed: 'CHANGED',
    changedWhat: 'What the customer changed',
  },

  // Riders, returned orders and the cash-up (issue 16).
  returnOrder: {
    title: (n: number) => `Order #${n} came back?`,
    reason: 'Why (required)',
    presets: ['Customer not at home', 'Customer refused', 'Wrong address', 'Customer not reachable'],
    confirm: 'Mark returned',
    back: 'Keep it out',
    required: 'Give a reason for the return.',
  },

  riders: {
    title: 'Riders',
    hint: 'Each ready delivery on the board gets one button per rider: one tap sends it out with them.',
    none: 'No riders: a ready delivery goes out with one “Send out” button.',
    add: 'Add rider',
    remove: 'Remove',
    name: 'Name',
    phone: 'Phone',
    removeLabel: (name: string) => `Remove rider ${name}`,
  },

  cashup: {
    title: 'Cash-up',
    byMethod: 'By payment method',
    byRider: 'By rider',
    method: 'Method',
    orders: 'Orders',
    total: 'Total',
    toCollect: 'Cash to collect',
    rider: 'Rider',
    dispatched: 'Sent out',
    delivered: 'Delivered',
    returned: 'Returned',
    out: 'Still out',
    collected: 'Collected',
    notCollected: 'Not yet',
    collectedLine: (amount: string, by: string, time: string) => `${amount} by ${by} at ${time}`,
    mark: 'Mark collected',
    markLabel: (name: string) => `Mark ${name}’s cash collected`,
    unmark: 'Take back',
    unmarkLabel: (name: string) => `Take back: ${name}’s cash not collected`,
    noRiders: 'No rider went out this day.',
    removed: '(removed)',
    hint: 'Cash orders are counted to a rider once delivered; returned and cancelled orders count nowhere.',
  },

  undo: {
    changed: (n: number, to: string) => `Order #${n} → ${to}`,
    button: (seconds: number) => `Undo (${seconds} s)`,
    done: (n: number) => `Order #${n}: change undone`,
    expired: 'Too late to undo: 30 seconds have passed.',
    nothing: 'Nothing to undo: the order has changed since.',
  },

  cancel: {
    title: (n: number) => `Cancel order #${n}?`,
    reason: 'Reason (required)',
    presets: ['Customer cancelled', 'Customer not reachable', 'Item out of stock', 'Duplicate order'],
    confirm: 'Cancel the order',
    back: 'Keep the order',
    required: 'Give a reason for cancelling.',
  },

  errors: {
    failed: (message: string) => `That did not work: ${message}`,
    offline: 'The kitchen server cannot be reached. Try again when it is back.',
    changedElsewhere: 'That order was changed on another screen; the board now shows it as it is.',
    dismiss: 'Dismiss',
  },

  menu: {
    title: 'Menu',
    loading: 'Loading the menu…',
    addItem: 'Add item',
    removeItem: 'Remove item',
    addSize: 'Add size',
    removeSize: 'Remove size',
    id: 'Id',
    name: 'Name (English)',
    nameUr: 'Name (Urdu)',
    kind: 'Kind',
    soldOut: 'Sold out',
    size: 'Size',
    sizeId: 'Size id',
    price: 'Price (Rs)',
    save: 'Save menu',
    saving: 'Saving…',
    saved: 'Menu saved. The next call uses it.',
    discard: 'Discard changes',
    fix: 'Some fields need fixing (marked below).',
    changedElsewhere: 'The menu was changed on another screen.',
    reload: 'Load it',
    newItem: 'New item',
    unsaved: 'Unsaved changes',
    available: 'Available',
    onSale: 'On sale',
    sizeUr: 'Size (Urdu)',
  },

  soldOut: {
    open: 'Sold out',
    title: 'Sold out',
    hint: 'One tap saves it: the next order and the next call see it at once.',
    search: 'Find an item, crust, extra or deal',
    now: 'Sold out now',
    none: 'Everything is on sale.',
    backOnSale: 'Back on sale',
    items: 'Items',
    options: 'Crusts and extras',
    deals: 'Deals',
    noMatch: 'Nothing matches.',
    loading: 'Loading the menu…',
    sizes: (name: string) => `Sizes of ${name}`,
    close: 'Close',
  },

  settings: {
    title: 'Settings',
    loading: 'Loading settings…',
    /** Beside Save: how many fields need fixing (each is marked beside itself). */
    problemCount: (n: number) => (n === 1 ? 'Not saved: 1 field needs fixing (marked in red).' : `Not saved: ${n} fields need fixing (marked in red).`),
    shopName: 'Shop name',
    greeting: 'Greeting (said by the AI at the start of a call)',
    etaMinutes: 'Delivery time told to callers (minutes)',
    busyMinutes: 'Busy mode: minutes added per open order (0 = off)',
    cateringMinItems: 'Catering size: orders of this many items or more go to a person (0 = off)',
    capsTitle: 'Limits on the phone AI (what callers can cost)',
    maxConcurrentAiCalls: 'Calls the AI takes at once (more go to the shop’s phone)',
    maxCallMinutes: 'Longest call with the AI (minutes; then it is passed to the shop’s phone)',
    maxCallsPerCallerPerHour: 'Calls the AI takes from one number in an hour',
    dailyAiBudgetMinutes: 'AI minutes per business day (then calls go to the shop’s phone)',
    pricesTitle: 'AI prices for the cost estimate (rupees per million tokens)',
    prices: {
      audio_input: 'Audio heard',
      audio_output: 'Audio spoken',
      text_input: 'Text read',
      text_output: 'Text written',
      cached_input: 'Cached input',
    } satisfies Record<AiPriceKind, string>,
    voiceGender: 'The phone AI speaks of itself as',
    voiceGenderChoice: { '': 'As the voice sounds', female: 'A woman', male: 'A man' },
    amberAfter: 'Ticket turns amber after (minutes)',
    redAfter: 'Ticket turns red after (minutes)',
    shopPhone: "Shop's phone (calls are passed here)",
    startAtLogin: 'Start Melt 8 Kitchen when this computer starts (desktop app)',
    openaiKey: 'OpenAI API key',
    twilioToken: 'Twilio auth token',
    isSet: 'set',
    notSet: 'not set',
    secretHint: 'Type a new value to replace it. Saved values are never shown.',
    save: 'Save settings',
    saving: 'Saving…',
    saved: 'Settings saved.',
    unavailable: 'This kitchen server does not offer settings yet.',
  },

  // Issue 12: the menu editor's option groups, deals and sold-out switches, and the
  // shop's order settings (zones, pickup, tax, payments, opening hours).
  weekdays: { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' } satisfies Record<Weekday, string>,

  menuEd: {
    tabs: { items: 'Items', option_groups: 'Option groups', deals: 'Deals' },
    problemsIn: (n: number) => (n === 1 ? '1 problem' : `${n} problems`),
    description: 'Description (English)',
    descriptionUr: 'Description (Urdu)',
    groupsOffered: 'Option groups it offers',
    noGroups: 'No option groups yet: add them on the Option groups tab.',
    halfAndHalf: 'Half-and-half: a customer may have half this and half another pizza',
    halfSizes: 'Half-and-half in these sizes',
    halfSizesHint: 'None ticked: every size.',
    soldOutHint: 'Stays on the menu; nobody can order it until you switch this off.',
    newGroup: 'New option group',
    addGroup: 'Add option group',
    removeGroup: 'Remove group',
    noGroupsYet: 'No option groups yet (crusts, extra toppings, dips).',
    min: 'Choose at least',
    max: 'Choose at most',
    minMaxHint: '0 to 10. “At least 0” makes the group optional.',
    options: 'Options',
    newOption: 'New option',
    addOption: 'Add option',
    removeOption: 'Remove option',
    optionPrice: 'Price (Rs), any size',
    optionPriceHint: 'Blank: free, or only in the sizes priced below.',
    perSize: 'Price by size',
    addSizePrice: 'Add a size’s price',
    removeSizePrice: 'Remove this size’s price',
    chooseSize: 'Choose a size',
    newDeal: 'New deal',
    addDeal: 'Add deal',
    removeDeal: 'Remove deal',
    noDealsYet: 'No deals yet.',
    dealPrice: 'Deal price (Rs)',
    hours: 'When it can be ordered',
    anyTime: 'Any time the shop is open.',
    hoursHint: 'Shop time. “From” after “To” runs past midnight (23:00 to 03:00); the same time is the whole day.',
    addHours: 'Add hours',
    removeHours: 'Remove these hours',
    days: 'Days',
    from: 'From',
    to: 'To',
    slots: 'What the customer chooses',
    newSlot: 'New choice',
    addSlot: 'Add a choice',
    removeSlot: 'Remove this choice',
    label: 'Label (English)',
    labelUr: 'Label (Urdu)',
    count: 'How many',
    slotKind: 'Kind',
    anyKind: 'Any kind',
    which: 'Which items',
    choices: { any: 'Any of this kind', only: 'Only these', except: 'All but these' } satisfies Record<SlotChoice, string>,
    itemsOnly: 'Items it takes',
    itemsExcept: 'Items left out',
    sizes: 'Sizes allowed',
    noSizes: 'No item fits this choice yet.',
    surcharges: 'Surcharges (premium flavours)',
    addSurcharge: 'Add surcharge',
    removeSurcharge: 'Remove surcharge',
    surchargeItem: 'Item',
    surchargeAmount: 'Extra (Rs)',
    chooseItem: 'Choose an item',
    leaveTitle: 'Leave without saving?',
    leaveBody: 'Your changes on this page are not saved yet.',
    stay: 'Stay here',
    leave: 'Leave without saving',
  },

  settingsShop: {
    general: 'Shop',
    zones: 'Delivery zones',
    noZones: 'No zones: delivery is free everywhere, with no minimum order.',
    newZone: 'New zone',
    addZone: 'Add zone',
    removeZone: 'Remove zone',
    zoneId: 'Id',
    zoneName: 'Name (English)',
    zoneNameUr: 'Name (Urdu)',
    fee: 'Delivery fee (Rs)',
    minOrder: 'Minimum order (Rs)',
    freeAbove: 'Free delivery from (Rs)',
    freeAboveHint: 'Blank: never free.',
    eta: 'Delivery time (minutes)',
    areas: 'Areas it covers (one per line)',
    pickup: 'Pickup',
    pickupEnabled: 'Customers may collect their order',
    pickupEta: 'Ready to collect in (minutes)',
    tax: 'Sales tax',
    registered: 'This shop is registered for sales tax',
    notRegistered: 'Not registered: no tax is charged.',
    pricesIncludeTax: 'Menu prices already include the tax',
    rates: 'Tax rate by payment method (%)',
    onDeliveryFee: 'Tax the delivery fee too',
    payments: 'Payment methods accepted',
    payment: { cash: 'Cash', card: 'Card', wallet: 'Mobile wallet' } satisfies Record<PaymentMethod, string>,
    hours: 'Opening hours',
    alwaysOpen: 'Always open',
    hoursHint: 'Shop time. A range may run past midnight (12:00 to 02:00). A day with no hours is closed.',
    closed: 'Closed',
    closedAllWeek: 'No opening hours on any day: the shop would take no orders. Add hours, or switch on “Always open”.',
    addRange: 'Add hours',
    removeRange: 'Remove these hours',
    copyToAll: 'Same hours every day',
    from: 'From',
    to: 'To',
    closedDates: 'Closed all day on',
    noClosedDates: 'No closed dates.',
    date: 'Date',
    addDate: 'Add date',
    removeDate: 'Remove date',
    unsaved: 'Unsaved changes',
  },

  setup: {
    title: 'Set up your shop',
    intro: 'A few questions, once. You can change every answer later in Settings.',
    loading: 'Loading…',
    steps: {
      shop: 'Shop',
      password: 'Chef password',
      ai: 'AI',
      phone: 'Phone',
      tunnel: 'Tunnel',
      review: 'Review & save',
    },
    shopName: 'Shop name',
    shopNameHint: 'The AI greets every caller with this name.',
    chefPassword: 'New chef password',
    chefPasswordHint: (user: string) =>
      `For logging in to this board as "${user}". At least 8 characters. Leave empty to keep the password you logged in with.`,
    openaiKey: 'OpenAI API key',
    openaiKeyHint: 'Needed: the AI that answers calls. Starts with sk-. Create one at platform.openai.com under API keys.',
    openaiModel: 'AI model',
    openaiModelHint: 'The mini model costs less; the full one understands noisy lines a little better.',
    twilioSid: 'Twilio Account SID',
    twilioToken: 'Twilio auth token',
    twilioNumber: 'Your Twilio phone number',
    twilioHint:
      'Optional now, needed for calls: the three Twilio answers go together (from the Twilio console). Leave all three empty to add them later.',
    shopPhone: "Shop's own phone",
    shopPhoneHint: 'Needed: callers who ask for a person, or whom the AI cannot serve, are passed here. For example 0300 1234567.',
    ngrokToken: 'ngrok authtoken',
    ngrokTokenHint: 'Optional: lets Twilio reach this computer without a website of your own (free at dashboard.ngrok.com).',
    ngrokDomain: 'Reserved ngrok domain (optional)',
    ngrokDomainHint: 'Keeps the same address after every restart, for example melt8-gulberg.ngrok.app.',
    secretKept: 'Already saved — leave empty to keep it.',
    reviewIntro: 'Check your answers, then save. Keys are never shown again.',
    secretStates: { new: 'new value', kept: 'kept', missing: 'not set' } satisfies Record<'new' | 'kept' | 'missing', string>,
    notSet: '—',
    problems: (n: number) => (n === 1 ? '1 problem' : `${n} problems`),
    fixProblems: 'Some answers need fixing; they are marked in red.',
    back: 'Back',
    next: 'Next',
    save: 'Save and start',
    saving: 'Saving…',
    skip: 'Skip for now',
    reopen: 'Open the setup wizard',
  },

  calls: {
    title: 'Call log',
    loading: 'Loading calls…',
    none: 'No calls yet.',
    time: 'Time',
    caller: 'Caller',
    duration: 'Duration',
    outcome: 'Outcome',
    order: 'Order',
    transcript: 'Transcript',
    showTranscript: 'Show what was said',
    hideTranscript: 'Hide',
    noTranscript: 'Nothing was said on this call.',
    withheld: 'Withheld',
    outcomes: {
      in_progress: 'In progress',
      ordered: 'Ordered',
      transferred: 'Transferred',
      abandoned: 'Hung up',
      failed: 'Failed',
      status: 'Asked about an order',
      cancelled: 'Order cancelled',
      changed: 'Order changed',
      enquiry: 'Enquiry',
      complaint: 'Complaint',
      wrong_number: 'Wrong number',
    } satisfies Record<CallOutcome, string>,
    reasons: {
      answering_paused: 'AI answering was paused',
      no_openai_key: 'No OpenAI key is set',
      no_public_url: 'No public address is set',
      concurrent_cap: 'Too many calls with the AI at once (the shop’s cap)',
      caller_hourly_cap: 'This number called too often this hour (the shop’s cap)',
      daily_budget: 'Today’s AI budget was used up',
      caller_asked_for_person: 'The caller asked for a person',
      ai_failed: 'The AI connection failed',
    } satisfies Record<CallEndReason, string>,
    speakers: { caller: 'Caller', ai: 'AI', system: 'System' } as Record<string, string>,
    quotes: 'Prices read back',
    quote: (n: number) => `Quote ${n}`,
    missing: 'Still needed',
    nothingMissing: 'Ready to place',
    missingWords: {
      fulfilment: 'delivery or pickup',
      address: 'address',
      zone: 'delivery area',
      payment: 'payment',
      customer_name: 'name',
      callback_number: 'callback number',
      callback_confirmation: 'callback number confirmed',
    } as Record<string, string>,
    cards: 'Call cards',
    cardOpen: 'Open',
    cardDone: 'Done',
    cardResolved: 'Resolved by a later order',
    cost: 'AI cost (estimate)',
  },

  summary: {
    title: 'Day summary',
    date: 'Business day',
    loading: 'Loading…',
    orders: 'Orders',
    revenue: 'All orders, cancelled and returned not counted',
    avgToReady: 'Average time to ready',
    minutes: (m: number) => `${m.toFixed(1)} min`,
    cancelled: 'Cancelled',
    delivered: 'Delivered',
    none: '—',
    csv: 'Download CSV',
    unavailable: 'This kitchen server does not offer day summaries yet.',
    /** What each amount counts: every amount is what customers pay, tax and delivery fees included. */
    revenueHint: 'Delivered and open orders, incl. tax and delivery fees',
    sales: 'Sales: delivered orders',
    salesHint: 'Delivered and collected, incl. tax and delivery fees',
    open: 'Still open: not delivered yet',
    openHint: 'New, preparing, ready and out-for-delivery orders, not yet paid',
    ordersHint: 'Cancelled ones included',
    cancelledHint: 'Not in any amount',
    previousDay: 'Previous day',
    nextDay: 'Next day',
    pickDay: 'Pick a day',
    csvHint: 'For Excel: amounts in rupees, Urdu names kept',
    ai: 'Phone AI',
    aiLine: (calls: number, minutes: number) => `${calls} ${calls === 1 ? 'call' : 'calls'}, ${minutes} min`,
    aiCost: 'AI cost (estimate)',
    aiHint: 'From each call’s token usage at the prices in Settings',
  },

  order: {
    title: (n: number) => `Order #${n}`,
    history: 'History',
    by: (who: string) => `by ${who}`,
    back: 'Back to the board',
    notFound: 'No such order.',
    taken: 'Taken',
    /** The server's own reasons in the history (a cancel's reason is the staff's words). */
    reasons: { changed: 'Order changed', undo: 'Undone', recall: 'Recalled' } as Record<string, string>,
    /** Who made a change, when it is not a person's username (issue 13). */
    actors: {
      'phone-ai': 'the phone AI',
      dashboard: 'the dashboard',
      api: 'a program (API)',
      system: 'the kitchen server',
      demo: 'the demo',
    } as Record<string, string>,
    /** Between the old and the new status: points the way the text reads. */
    arrow: '→',
  },

  phone: {
    title: 'Phone',
    loading: 'Loading the phone settings…',
    tunnel: 'Public address',
    tunnelOff: 'No tunnel yet: add your ngrok authtoken so Twilio can reach this shop.',
    tunnelConnecting: (attempt: number) => (attempt > 1 ? `Connecting to ngrok (try ${attempt})…` : 'Connecting to ngrok…'),
    tunnelOnline: 'Online: Twilio can reach this shop.',
    tunnelFailed: (reason: string, seconds: number | null) =>
      seconds === null ? `Not online: ${reason}` : `Not online: ${reason} Trying again in ${seconds} s.`,
    noAddress: 'No public address yet.',
    copy: 'Copy',
    copied: 'Copied.',
    selected: 'Selected: press Ctrl+C to copy.',
    number: 'Twilio number',
    noNumber: 'No Twilio number set.',
    connected: 'Connected: calls to this number come here.',
    notConnected: 'Not connected to this address yet.',
    numberOnSipTrunk: 'with a SIP engine, calls go over the SIP trunk straight to OpenAI (Set up SIP trunk, above); choose an engine through this PC to bring them back here.',
    connect: 'Connect my number',
    connecting: 'Connecting…',
    answering: 'AI answering',
    answeringOn: 'The AI answers calls.',
    answeringPaused: "Paused: calls go straight to the shop's phone.",
    pause: 'Pause AI answering',
    resume: 'Resume AI answering',
    check: 'Check setup',
    checking: 'Checking…',
    allReady: 'Everything is ready.',
    ok: 'OK',
    problem: 'Problem',
    parts: {
      openai: 'OpenAI key',
      twilio: 'Twilio account and number',
      public_url: 'Public address',
      shop_phone: "Shop's phone",
      answering: 'AI answering',
      fallback: 'When this PC is off',
      sip_openai: 'OpenAI project and webhook',
      sip_trunk: 'SIP trunk',
      sip_transfer: 'Transfers to the shop',
      sip_origination: 'Trunk to OpenAI',
      sip_number: 'Number on the trunk',
      sip_disaster_recovery: 'When OpenAI cannot answer',
    },
    /** The voice engine and the direct-SIP setup (issue 17). */
    engine: 'Voice engine',
    engineInUse: (name: string) => `In use: ${name}.`,
    engines: {
      'realtime-bridge': {
        name: 'Realtime through this PC',
        about: 'Paid per word spoken, about $0.05–0.10 a minute; the call’s audio goes through this PC. Proven Urdu.',
      },
      'live-bridge': {
        name: 'GPT-Live through this PC',
        about: '$0.05 a minute flat plus the ordering model’s use; the call’s audio goes through this PC. Urdu quality not yet confirmed.',
      },
      'sip-live': {
        name: 'GPT-Live, direct SIP',
        about: '$0.05 a minute flat plus the ordering model’s use; the audio never touches this PC. Needs the SIP trunk below. Urdu quality not yet confirmed.',
      },
      'sip-realtime': {
        name: 'Realtime, direct SIP',
        about: 'Paid per word spoken, about $0.05–0.10 a minute; the audio never touches this PC. Needs the SIP trunk below.',
      },
    } satisfies Record<'realtime-bridge' | 'live-bridge' | 'sip-live' | 'sip-realtime', { name: string; about: string }>,
    projectId: 'OpenAI project id',
    projectIdHelp: 'platform.openai.com → Settings → Project → General: the id starting with proj_.',
    projectIdMissing: 'Add the OpenAI project id (it starts with proj_).',
    projectIdInvalid: 'That is not a project id: it starts with proj_ followed by letters and digits.',
    webhookSecret: 'OpenAI webhook secret',
    webhookSecretHelp: (event: string, url: string | null) =>
      `platform.openai.com → Settings → Project → Webhooks: add a webhook to ${url ?? 'this shop’s public address + /openai/webhook'} for the event ${event}, then paste its secret (whsec_…).`,
    webhookSecretSet: 'Set (type a new one to replace it).',
    webhookSecretNotSet: 'Not set.',
    webhookSecretMissing: 'Paste the webhook secret (it starts with whsec_).',
    webhookSecretInvalid: 'That is not a webhook secret: it starts with whsec_.',
    saveEngine: 'Save engine',
    savingEngine: 'Saving…',
    engineSaved: 'Saved.',
    backToPc: 'If the number was on the SIP trunk, press “Connect my number” to bring its calls back to this PC.',
    sipSetup: 'Set up SIP trunk',
    sipSettingUp: 'Setting up…',
    sipHint: 'Makes (or updates) the shop’s SIP trunk in Twilio, points it at the OpenAI project and puts the number on it. Then press “Check setup”.',
    /** A link to where a setting is made (issue 13). */
    fixInSettings: (field: string) => `Set it in Settings: ${field}`,
    fixInSetup: (step: string, field: string) => `Set it in the setup wizard (${step}): ${field}`,
  },

  /** The order builder (issue 12). */
  /** Pausing AI answering with no shop phone set (callers hear only an apology). */
  aiBudget: {
    warning: (used: number, budget: number) => `AI minutes: ${used} of ${budget} today`,
    reached: 'AI minutes used up: calls go to the shop’s phone',
    warningHint: 'Over 80 % of today’s AI minutes are used. Once all are used, calls go to the shop’s phone until the next business day. Change the limit in Settings.',
    reachedHint: 'Today’s AI minutes are used up: calls go to the shop’s phone until the next business day. Raise the limit in Settings to let the AI answer again.',
  },

  pauseWarning: {
    title: 'No shop phone is set',
    noShopPhone: 'While AI answering is paused, calls go to the shop’s own phone. None is set, so callers would only hear an apology and the call would end.',
    setPhone: 'Set the shop’s phone in Settings',
    pauseAnyway: 'Pause anyway',
    cancel: 'Keep the AI answering',
    badge: 'AI paused',
    badgeNoPhone: 'no shop phone',
    badgeHint: 'AI answering is paused: calls go to the shop’s phone.',
    badgeNoPhoneHint: 'AI answering is paused and no shop phone is set, so callers hear only an apology: set one in Settings, or resume AI answering on the Phone page.',
  },

  builder: {
    title: 'New order',
    open: 'New order',
    loading: 'Loading the menu…',
    menu: 'Menu',
    deals: 'Deals',
    soldOut: 'Sold out',
    add: (name: string) => `Add ${name}`,
    order: 'Order',
    empty: 'Nothing yet: tap an item or a deal on the menu.',
    notOnMenu: 'No longer on the menu',
    quantity: 'Quantity',
    less: 'One less',
    more: 'One more',
    remove: 'Remove',
    size: 'Size',
    half: 'Half and half',
    whole: 'Whole',
    halfWith: (name: string) => `½ ${name}`,
    lineNote: 'Note for the kitchen',
    choose: (n: number) => (n === 1 ? 'Choose one' : `Choose ${n}`),
    groupRule: (min: number, max: number) => (min === max ? `choose ${min}` : min === 0 ? `up to ${max}` : `${min} to ${max}`),
    pick: 'Choose…',
    surcharge: (amount: string) => `+${amount}`,
    how: 'Delivery or pickup',
    delivery: 'Delivery',
    pickup: 'Pickup',
    address: 'Address',
    landmark: 'Landmark (optional)',
    zone: 'Zone',
    chooseZone: 'Choose the zone…',
    zoneFee: (name: string, fee: string) => `${name} · delivery ${fee}`,
    pickupMinutes: 'Collected in (minutes, optional)',
    payment: 'Payment',
    paysWith: 'Pays with a note of (rupees, optional)',
    change: 'Change to carry',
    customer: 'Customer',
    customerName: 'Name (optional)',
    customerPhone: 'Phone (optional)',
    orderNote: 'Note on the order (optional)',
    pricing: 'Pricing…',
    billEmpty: 'The bill shows here once the order has something in it.',
    billStale: 'Not priced yet: fix the marked parts.',
    eta: (delivery: boolean, minutes: number) =>
      delivery ? `Delivered in about ${minutes} min` : `Ready in about ${minutes} min`,
    place: 'Place order',
    placing: 'Placing…',
    fix: 'Some parts need fixing (marked in red).',
    startAgain: 'Start again',
    confirmStartAgain: 'Tap again to clear the order',
    back: 'Back to the board',
    // Changing an order already placed, while it is new.
    editTitle: (n: number) => `Editing order #${n}`,
    editing: 'Editing an order',
    save: 'Save changes',
    saving: 'Saving…',
    revert: 'Undo my changes',
    confirmRevert: 'Tap again to put the order back as it was',
    loadingOrder: 'Loading the order…',
    cancelledMeanwhile: 'This order has been cancelled and can no longer be changed.',
  },

  /** A bill, priced by the server (issue 12). */
  bill: {
    title: 'Bill',
    subtotal: 'Subtotal',
    dealSavings: 'Deal savings',
    deliveryFee: 'Delivery',
    free: 'Free',
    tax: (percent: string) => `Tax ${percent}`,
    taxIncluded: (percent: string) => `Tax ${percent} (included)`,
    percent: (rateBp: number) => `${rateBp / 100} %`,
    total: 'Total',
  },

  printers: {
    title: 'Printers',
    none: 'No printers yet. Add the kitchen printer and the counter printer here.',
    add: 'Add a printer',
    remove: 'Remove',
    name: 'Name',
    kind: 'Connected by',
    kinds: { network: 'Network (IP address)', system: "This computer's printer" } satisfies Record<PrinterKind, string>,
    address: 'Network address (host:port)',
    systemPrinter: "The computer's printer",
    noSystemPrinters: 'This computer lists no printers. Use a network printer, or set the printer up in the computer first.',
    systemUnsupported: 'On this computer, printers are reached over the network only: use the printer’s IP address.',
    width: 'Paper width',
    widthMm: (mm: number) => `${mm} mm`,
    documents: 'Prints',
    docs: { kot: 'Kitchen ticket (KOT)', bill: 'Bill' } satisfies Record<PrintDocument, string>,
    copies: 'Copies',
    autoPrint: 'Print new orders on its own',
    testPage: 'Print test page',
    testSaveFirst: 'Save the settings first, then print a test page.',
    testSent: 'Test page sent…',
    testPrinted: 'Test page printed.',
    shopAddress: 'Shop address (printed on the bill)',
    ticketLanguage: 'Ticket language',
    languages: { en: 'English', ur: 'Urdu' } satisfies Record<TicketLanguage, string>,
    states: {
      ready: 'Ready',
      printing: 'Printing',
      offline: 'Offline',
      out_of_paper: 'Out of paper',
      error: 'Not printing',
    } satisfies Record<PrinterState, string>,
    waiting: (n: number) => (n === 1 ? '1 ticket waiting' : `${n} tickets waiting`),
    banner: (name: string, state: PrinterState, n: number) => {
      const waiting = n === 0 ? '' : ` — ${n === 1 ? '1 ticket waiting' : `${n} tickets waiting`}; they print when it's back`;
      const what =
        state === 'offline'
          ? 'is offline: check it is on and plugged in'
          : state === 'out_of_paper'
            ? 'is out of paper: put in a new roll'
            : 'is not printing: check it, or its settings';
      return `${name} ${what}${waiting}.`;
    },
    printKot: 'Print KOT',
    printBill: 'Print bill',
    queued: 'Sent to the printer.',
  },
  common: { loading: 'Loading…', retry: 'Try again', close: 'Close' },

  /** The server's field errors by code (and the dashboard's own). */
  fieldErrors: enFieldErrors,
  /** A field error whose code this dashboard does not know (Urdu only; English shows the server's). */
  fieldErrorGeneric: 'This is not accepted: check it and try again.',
  /** The server's other errors by code. */
  apiErrors: enApiErrors,
  apiErrorGeneric: 'That did not work. Try again.',
};

export type Messages = typeof en;

const ur: Messages = {
  appName: 'میلٹ 8 کچن',
  nav: { board: 'آرڈر بورڈ', menu: 'مینو', settings: 'سیٹنگز', calls: 'کالیں', summary: 'دن کا خلاصہ', phone: 'فون' },
  logout: 'لاگ آؤٹ',
  switchLanguage: 'English',
  soundOn: 'آواز آن',
  soundOff: 'آواز بند',
  connection: { stopped: 'رابطہ نہیں', connecting: 'رابطہ ہو رہا ہے…', online: 'لائیو', offline: 'آف لائن' },
  offlineBanner: (seconds) =>
    seconds === null
      ? 'کچن سرور سے رابطہ نہیں۔ بورڈ پرانا ہو سکتا ہے۔'
      : `کچن سرور سے رابطہ نہیں۔ ${seconds} سیکنڈ میں دوبارہ کوشش — بورڈ پرانا ہو سکتا ہے۔`,
  retryNow: 'ابھی کوشش کریں',

  login: {
    title: 'شیف لاگ اِن',
    username: 'یوزر نیم',
    password: 'پاس ورڈ',
    submit: 'لاگ اِن',
    busy: 'لاگ اِن ہو رہا ہے…',
    expired: 'آپ کا سیشن ختم ہو گیا۔ دوبارہ لاگ اِن کریں — بورڈ محفوظ ہے۔',
    wrong: 'یوزر نیم یا پاس ورڈ غلط ہے۔',
    tooMany: (seconds) =>
      seconds === null ? 'بہت زیادہ کوششیں۔ ایک منٹ بعد دوبارہ کوشش کریں۔' : `بہت زیادہ کوششیں۔ ${seconds} سیکنڈ بعد کوشش کریں۔`,
    unreachable: 'کچن سرور تک رسائی نہیں ہو رہی۔',
    joinTitle: 'کچن ٹیبلٹ کے طور پر شامل ہوں',
    joinHint: 'دکان کے کمپیوٹر پر دکھایا گیا کوڈ لکھیں (سیٹنگز ← ٹیبلٹ جوڑیں)۔',
    joinCode: 'جوڑنے کا کوڈ',
    joinSubmit: 'کچن میں شامل ہوں',
    joinBusy: 'شامل ہو رہا ہے…',
  },

  owner: {
    title: 'مالک کا پاس ورڈ چاہیے',
    hint: 'یہ صفحہ مالک کے لیے ہے۔ اس اسکرین پر آگے بڑھنے کے لیے مالک کا پاس ورڈ درج کریں۔',
    password: 'مالک کا پاس ورڈ',
    submit: 'مالک کے طور پر جاری رکھیں',
    busy: 'جانچ ہو رہی ہے…',
    cancel: 'واپس بورڈ پر',
  },

  pairing: {
    title: 'ٹیبلٹ جوڑیں',
    hint: 'ٹیبلٹ پر ڈیش بورڈ کھولیں اور «کچن ٹیبلٹ کے طور پر شامل ہوں» میں یہ کوڈ لکھیں، یا QR کوڈ اسکین کریں۔ ٹیبلٹ کو صرف بورڈ ملتا ہے — سیٹنگز یا خفیہ چابیاں کبھی نہیں۔',
    show: 'جوڑنے کا کوڈ دکھائیں',
    again: 'نیا کوڈ دکھائیں',
    busy: 'کوڈ بن رہا ہے…',
    expires: (time) => `ایک بار چلے گا، ${time} تک۔`,
    qr: 'شامل ہونے کے لنک کا QR کوڈ',
  },

  status: {
    new: 'نیا',
    preparing: 'تیاری میں',
    ready: 'تیار',
    out_for_delivery: 'رائیڈر کے پاس',
    delivered: 'ڈیلیور ہو گیا',
    collected: 'گاہک لے گیا',
    returned: 'واپس آ گیا',
    cancelled: 'منسوخ',
  },
  kind: { pizza: 'پیزا', side: 'سائیڈ', drink: 'مشروب', dip: 'ڈِپ', dessert: 'میٹھا', pasta: 'پاستا', other: 'دیگر', deal: 'ڈیل' },

  board: {
    search: 'فون یا #نمبر تلاش کریں',
    clearSearch: 'صاف کریں',
    empty: 'کوئی آرڈر نہیں',
    loading: 'آرڈر آ رہے ہیں…',
    today: 'آج',
    doneSummary: (delivered, cancelled) => `آج: ${delivered} ڈیلیور، ${cancelled} منسوخ`,
    matches: (n) => `${n} آرڈر ملے`,
    strip: 'نئے آرڈر — لینے کے لیے چھوئیں',
    stripEntry: (n) => `آرڈر #${n} لیں`,
    stripEntryChanged: (n) => `بدلا ہوا آرڈر #${n} لیں`,
    oldest: (age) => `سب سے پرانا ${age}`,
    stages: 'مراحل',
    menu: 'صفحات',
    counts: 'کھلے آرڈر',
    skip: 'بورڈ پر جائیں',
    skipContent: 'مواد پر جائیں',
  },

  callCards: {
    title: 'واپس کال کرنی ہے',
    kinds: {
      unfinished_order: 'ادھورا آرڈر',
      transfer: 'منتقل کی گئی کال',
      call_back: 'واپس کال کا وعدہ',
    },
    callBack: 'واپس کال کریں',
    callBackTo: (phone) => `${phone} کو واپس کال کریں`,
    noNumber: 'نمبر نہیں',
    done: 'ہو گیا',
    doneLabel: (kind, phone) => `ہو گیا: ${kind}، ${phone}`,
    ago: (age) => `${age} پہلے`,
  },

  recallTray: {
    open: 'واپس لائیں',
    title: 'آج ڈیلیور اور منسوخ ہونے والے',
    hint: 'آرڈر واپس لائیں: ڈیلیور والا «تیار» میں، منسوخ والا جہاں تھا وہیں۔',
    empty: 'آج ابھی کوئی آرڈر ڈیلیور یا منسوخ نہیں ہوا۔',
    recall: 'واپس لائیں',
    recallOrder: (n) => `آرڈر #${n} واپس لائیں`,
    ago: (age) => `${age} پہلے`,
    back: (n, to) => `آرڈر #${n} واپس «${to}» میں ہے۔`,
  },
  strike: {
    hint: 'چیز بن جائے تو لائن کو چھوئیں؛ دوبارہ چھونے سے واپس۔',
  },
  keys: {
    open: 'کیز',
    title: 'کی بورڈ اور بمپ بار',
    actions: {
      bump: 'منتخب ٹکٹ اگلے مرحلے میں بھیجیں',
      recall: 'آخری تبدیلی واپس کریں، یا آخری ڈیلیور آرڈر واپس لائیں',
      next: 'اگلا ٹکٹ',
      prev: 'پچھلا ٹکٹ',
      column: 'ساتھ والے کالم کا ٹکٹ',
      ack: 'سب سے نیا آرڈر لیں (الارم بند)',
      stage: 'نیا، تیاری میں یا تیار پر جائیں',
      help: 'یہ فہرست دکھائیں یا چھپائیں',
      close: 'یہ فہرست یا واپسی کی ٹرے بند کریں',
    },
    nothingToRecall: 'واپس کرنے یا لانے کو کچھ نہیں۔',
  },

  ticket: {
    number: (n) => `#${n}`,
    advance: { new: 'تیاری شروع کریں', preparing: 'تیار ہے', ready: 'ڈیلیور ہو گیا' },
    advanceTo: {
      new: 'نیا',
      preparing: 'تیاری شروع کریں',
      ready: 'تیار ہے',
      out_for_delivery: 'روانہ کریں',
      delivered: 'ڈیلیور ہو گیا',
      collected: 'گاہک لے گیا',
      returned: 'واپس آ گیا',
      cancelled: 'منسوخ کریں',
    },
    rider: 'رائیڈر',
    sendWith: 'رائیڈر کے ساتھ بھیجیں',
    sendWithRider: 'بھیجیں:',
    returned: 'واپس آ گیا',
    cancel: 'منسوخ کریں',
    edit: 'تبدیل کریں',
    acknowledge: 'نیا آرڈر — الرٹ بند کرنے کے لیے چھوئیں',
    phone: 'فون',
    withheld: 'نمبر پوشیدہ',
    noPhone: 'فون نہیں',
    address: 'پتہ',
    landmark: 'نشانی',
    total: 'کل',
    fromPhone: 'فون آرڈر',
    fromStaff: 'کاؤنٹر آرڈر',
    reason: 'وجہ',
    age: 'انتظار',
    details: 'تفصیل',
    delivery: 'ڈیلیوری',
    pickup: 'پک اپ',
    pickupIn: (minutes) => `${minutes} منٹ میں`,
    zone: 'علاقہ',
    methods: PAYMENT_METHODS.ur,
    pays: (amount) => `${amount} دیں گے`,
    change: (amount) => `بقایا ${amount}`,
    note: 'ہدایت',
    orderNote: 'آرڈر کی ہدایت',
    late: 'لیٹ',
    inStage: 'اس مرحلے میں وقت',
    customer: 'گاہک',
    changed: 'تبدیل شدہ',
    changedWhat: 'گاہک نے کیا بدلا',
  },

  returnOrder: {
    title: (n) => `آرڈر #${n} واپس آ گیا؟`,
    reason: 'وجہ (ضروری)',
    presets: ['گاہک گھر پر نہیں تھا', 'گاہک نے لینے سے انکار کیا', 'غلط پتہ', 'گاہک سے رابطہ نہیں ہو سکا'],
    confirm: 'واپس آیا لکھیں',
    back: 'رائیڈر کے پاس رہنے دیں',
    required: 'واپسی کی وجہ لکھیں۔',
  },

  riders: {
    title: 'رائیڈر',
    hint: 'بورڈ پر ہر تیار ڈیلیوری کے ساتھ ہر رائیڈر کا ایک بٹن ہوگا: ایک بار چھونے سے آرڈر اس کے ساتھ روانہ۔',
    none: 'کوئی رائیڈر نہیں: تیار ڈیلیوری ایک «روانہ کریں» بٹن سے جاتی ہے۔',
    add: 'رائیڈر شامل کریں',
    remove: 'ہٹائیں',
    name: 'نام',
    phone: 'فون',
    removeLabel: (name) => `رائیڈر ${name} کو ہٹائیں`,
  },

  cashup: {
    title: 'دن کا حساب',
    byMethod: 'ادائیگی کے طریقے کے مطابق',
    byRider: 'رائیڈر کے مطابق',
    method: 'طریقہ',
    orders: 'آرڈر',
    total: 'کل',
    toCollect: 'وصول کرنے والی نقدی',
    rider: 'رائیڈر',
    dispatched: 'روانہ',
    delivered: 'ڈیلیور',
    returned: 'واپس',
    out: 'ابھی باہر',
    collected: 'وصول',
    notCollected: 'ابھی نہیں',
    collectedLine: (amount, by, time) => `${amount} — ${by}، ${time}`,
    mark: 'نقدی وصول ہو گئی',
    markLabel: (name) => `${name} کی نقدی وصول ہو گئی`,
    unmark: 'واپس لیں',
    unmarkLabel: (name) => `واپس لیں: ${name} کی نقدی وصول نہیں ہوئی`,
    noRiders: 'اس دن کوئی رائیڈر روانہ نہیں ہوا۔',
    removed: '(ہٹا دیا گیا)',
    hint: 'نقد آرڈر ڈیلیور ہونے پر رائیڈر کے ذمے لکھا جاتا ہے؛ واپس آئے اور منسوخ آرڈر کہیں نہیں گنے جاتے۔',
  },

  undo: {
    changed: (n, to) => `آرڈر #${n} ← ${to}`,
    button: (seconds) => `واپس کریں (${seconds} سیکنڈ)`,
    done: (n) => `آرڈر #${n}: تبدیلی واپس ہو گئی`,
    expired: 'واپسی کا وقت ختم: 30 سیکنڈ گزر گئے۔',
    nothing: 'واپس کرنے کو کچھ نہیں: آرڈر اس کے بعد بدل چکا ہے۔',
  },

  cancel: {
    title: (n) => `آرڈر #${n} منسوخ کریں؟`,
    reason: 'وجہ (ضروری)',
    presets: ['گاہک نے منسوخ کیا', 'گاہک سے رابطہ نہیں ہو سکا', 'چیز ختم ہو گئی', 'دوہرا آرڈر'],
    confirm: 'آرڈر منسوخ کریں',
    back: 'آرڈر رہنے دیں',
    required: 'منسوخی کی وجہ لکھیں۔',
  },

  errors: {
    failed: (message) => `یہ نہیں ہو سکا: ${message}`,
    offline: 'کچن سرور تک رسائی نہیں۔ سرور واپس آنے پر دوبارہ کوشش کریں۔',
    changedElsewhere: 'یہ آرڈر کسی اور اسکرین پر بدل چکا ہے؛ بورڈ اب درست حالت دکھا رہا ہے۔',
    dismiss: 'بند کریں',
  },

  menu: {
    title: 'مینو',
    loading: 'مینو آ رہا ہے…',
    addItem: 'آئٹم شامل کریں',
    removeItem: 'آئٹم ہٹائیں',
    addSize: 'سائز شامل کریں',
    removeSize: 'سائز ہٹائیں',
    id: 'شناخت',
    name: 'نام (انگریزی)',
    nameUr: 'نام (اردو)',
    kind: 'قسم',
    soldOut: 'ختم ہو گیا',
    size: 'سائز',
    sizeId: 'سائز شناخت',
    price: 'قیمت (روپے)',
    save: 'مینو محفوظ کریں',
    saving: 'محفوظ ہو رہا ہے…',
    saved: 'مینو محفوظ ہو گیا۔ اگلی کال یہی استعمال کرے گی۔',
    discard: 'تبدیلیاں چھوڑ دیں',
    fix: 'کچھ خانے درست کریں (نیچے نشان زدہ)۔',
    changedElsewhere: 'مینو کسی اور اسکرین پر بدل گیا ہے۔',
    reload: 'نیا مینو لائیں',
    newItem: 'نیا آئٹم',
    unsaved: 'غیر محفوظ تبدیلیاں',
    available: 'دستیاب',
    onSale: 'دستیاب ہے',
    sizeUr: 'سائز (اردو)',
  },

  soldOut: {
    open: 'ختم',
    title: 'کیا ختم ہے',
    hint: 'ایک ٹیپ سے محفوظ: اگلا آرڈر اور اگلی کال فوراً دیکھ لیں گے۔',
    search: 'آئٹم، کرسٹ، اضافی چیز یا ڈیل ڈھونڈیں',
    now: 'اس وقت ختم',
    none: 'سب کچھ دستیاب ہے۔',
    backOnSale: 'دوبارہ دستیاب',
    items: 'آئٹم',
    options: 'کرسٹ اور اضافی',
    deals: 'ڈیلز',
    noMatch: 'کچھ نہیں ملا۔',
    loading: 'مینو آ رہا ہے…',
    sizes: (name: string) => `${iso(name)} کے سائز`,
    close: 'بند کریں',
  },

  settings: {
    title: 'سیٹنگز',
    loading: 'سیٹنگز آ رہی ہیں…',
    problemCount: (n) => (n === 1 ? 'محفوظ نہیں ہوا: 1 خانہ درست کریں (سرخ نشان والا)۔' : `محفوظ نہیں ہوا: ${n} خانے درست کریں (سرخ نشان والے)۔`),
    shopName: 'دکان کا نام',
    greeting: 'سلام (کال کے شروع میں AI کہے گا)',
    etaMinutes: 'ڈیلیوری کا وقت جو گاہک کو بتایا جائے (منٹ)',
    busyMinutes: 'رش: ہر کھلے آرڈر پر مزید منٹ (0 = بند)',
    cateringMinItems: 'کیٹرنگ: اتنی یا زیادہ چیزوں کا آرڈر کسی آدمی کے حوالے (0 = بند)',
    capsTitle: 'فون AI کی حدیں (کالوں کا خرچ)',
    maxConcurrentAiCalls: 'AI ایک وقت میں اتنی کالیں لے (باقی دکان کے فون پر)',
    maxCallMinutes: 'AI کے ساتھ سب سے لمبی کال (منٹ؛ پھر دکان کے فون پر)',
    maxCallsPerCallerPerHour: 'ایک نمبر سے ایک گھنٹے میں AI اتنی کالیں لے',
    dailyAiBudgetMinutes: 'کاروباری دن میں AI کے منٹ (پھر کالیں دکان کے فون پر)',
    pricesTitle: 'خرچ کے اندازے کے لیے AI کی قیمتیں (روپے فی دس لاکھ ٹوکن)',
    prices: {
      audio_input: 'سنی گئی آواز',
      audio_output: 'بولی گئی آواز',
      text_input: 'پڑھا گیا متن',
      text_output: 'لکھا گیا متن',
      cached_input: 'کیش شدہ ان پٹ',
    },
    voiceGender: 'فون AI اپنے لیے بولے',
    voiceGenderChoice: { '': 'آواز کے مطابق', female: 'خاتون کی طرح', male: 'مرد کی طرح' },
    amberAfter: 'ٹکٹ پیلا ہو جائے (منٹ بعد)',
    redAfter: 'ٹکٹ لال ہو جائے (منٹ بعد)',
    shopPhone: 'دکان کا فون (کالیں یہاں منتقل ہوں گی)',
    startAtLogin: 'کمپیوٹر چلتے ہی میلٹ 8 کچن شروع کریں (ڈیسک ٹاپ ایپ)',
    openaiKey: 'OpenAI کی (API کی)',
    twilioToken: 'Twilio آتھ ٹوکن',
    isSet: 'موجود',
    notSet: 'موجود نہیں',
    secretHint: 'بدلنے کے لیے نئی قدر لکھیں۔ محفوظ قدر کبھی دکھائی نہیں جاتی۔',
    save: 'سیٹنگز محفوظ کریں',
    saving: 'محفوظ ہو رہا ہے…',
    saved: 'سیٹنگز محفوظ ہو گئیں۔',
    unavailable: 'یہ کچن سرور ابھی سیٹنگز نہیں دیتا۔',
  },

  weekdays: { mon: 'پیر', tue: 'منگل', wed: 'بدھ', thu: 'جمعرات', fri: 'جمعہ', sat: 'ہفتہ', sun: 'اتوار' },

  menuEd: {
    tabs: { items: 'آئٹم', option_groups: 'آپشن گروپ', deals: 'ڈیلز' },
    problemsIn: (n) => (n === 1 ? '1 مسئلہ' : `${n} مسائل`),
    description: 'تفصیل (انگریزی)',
    descriptionUr: 'تفصیل (اردو)',
    groupsOffered: 'اس کے آپشن گروپ',
    noGroups: 'ابھی کوئی آپشن گروپ نہیں: انہیں آپشن گروپ والے حصے میں شامل کریں۔',
    halfAndHalf: 'آدھا آدھا: گاہک آدھا یہ اور آدھا کوئی اور پیزا لے سکتا ہے',
    halfSizes: 'آدھا آدھا ان سائزوں میں',
    halfSizesHint: 'کوئی نشان نہیں: ہر سائز میں۔',
    soldOutHint: 'مینو پر رہے گا؛ جب تک آپ اسے بند نہ کریں کوئی اسے آرڈر نہیں کر سکتا۔',
    newGroup: 'نیا آپشن گروپ',
    addGroup: 'آپشن گروپ شامل کریں',
    removeGroup: 'گروپ ہٹائیں',
    noGroupsYet: 'ابھی کوئی آپشن گروپ نہیں (کرسٹ، اضافی ٹاپنگ، ڈِپ)۔',
    min: 'کم از کم چنیں',
    max: 'زیادہ سے زیادہ چنیں',
    minMaxHint: '0 سے 10 تک۔ "کم از کم 0" کا مطلب ہے یہ گروپ اختیاری ہے۔',
    options: 'آپشن',
    newOption: 'نیا آپشن',
    addOption: 'آپشن شامل کریں',
    removeOption: 'آپشن ہٹائیں',
    optionPrice: 'قیمت (روپے)، ہر سائز',
    optionPriceHint: 'خالی: مفت، یا صرف نیچے دیے گئے سائزوں میں۔',
    perSize: 'سائز کے حساب سے قیمت',
    addSizePrice: 'سائز کی قیمت شامل کریں',
    removeSizePrice: 'اس سائز کی قیمت ہٹائیں',
    chooseSize: 'سائز چنیں',
    newDeal: 'نئی ڈیل',
    addDeal: 'ڈیل شامل کریں',
    removeDeal: 'ڈیل ہٹائیں',
    noDealsYet: 'ابھی کوئی ڈیل نہیں۔',
    dealPrice: 'ڈیل کی قیمت (روپے)',
    hours: 'کب آرڈر ہو سکتی ہے',
    anyTime: 'جب بھی دکان کھلی ہو۔',
    hoursHint: 'دکان کا وقت۔ "سے" اگر "تک" کے بعد ہو تو آدھی رات کے پار چلتا ہے (23:00 سے 03:00)؛ دونوں ایک جیسے ہوں تو پورا دن۔',
    addHours: 'وقت شامل کریں',
    removeHours: 'یہ وقت ہٹائیں',
    days: 'دن',
    from: 'سے',
    to: 'تک',
    slots: 'گاہک کیا چنے گا',
    newSlot: 'نیا انتخاب',
    addSlot: 'انتخاب شامل کریں',
    removeSlot: 'یہ انتخاب ہٹائیں',
    label: 'عنوان (انگریزی)',
    labelUr: 'عنوان (اردو)',
    count: 'کتنے',
    slotKind: 'قسم',
    anyKind: 'کوئی بھی قسم',
    which: 'کون سے آئٹم',
    choices: { any: 'اس قسم کا کوئی بھی', only: 'صرف یہ', except: 'ان کے سوا سب' },
    itemsOnly: 'یہ آئٹم لیے جا سکتے ہیں',
    itemsExcept: 'یہ آئٹم شامل نہیں',
    sizes: 'اجازت والے سائز',
    noSizes: 'ابھی کوئی آئٹم اس انتخاب میں نہیں آتا۔',
    surcharges: 'اضافی قیمت (خاص فلیور)',
    addSurcharge: 'اضافی قیمت شامل کریں',
    removeSurcharge: 'اضافی قیمت ہٹائیں',
    surchargeItem: 'آئٹم',
    surchargeAmount: 'اضافی (روپے)',
    chooseItem: 'آئٹم چنیں',
    leaveTitle: 'محفوظ کیے بغیر جائیں؟',
    leaveBody: 'اس صفحے پر آپ کی تبدیلیاں ابھی محفوظ نہیں ہوئیں۔',
    stay: 'یہیں رہیں',
    leave: 'محفوظ کیے بغیر جائیں',
  },

  settingsShop: {
    general: 'دکان',
    zones: 'ڈیلیوری کے علاقے',
    noZones: 'کوئی علاقہ نہیں: ڈیلیوری ہر جگہ مفت ہے اور کم از کم آرڈر کی کوئی حد نہیں۔',
    newZone: 'نیا علاقہ',
    addZone: 'علاقہ شامل کریں',
    removeZone: 'علاقہ ہٹائیں',
    zoneId: 'شناخت',
    zoneName: 'نام (انگریزی)',
    zoneNameUr: 'نام (اردو)',
    fee: 'ڈیلیوری فیس (روپے)',
    minOrder: 'کم از کم آرڈر (روپے)',
    freeAbove: 'مفت ڈیلیوری اتنے سے (روپے)',
    freeAboveHint: 'خالی: کبھی مفت نہیں۔',
    eta: 'ڈیلیوری کا وقت (منٹ)',
    areas: 'اس میں شامل محلے (ہر سطر میں ایک)',
    pickup: 'دکان سے لے جانا',
    pickupEnabled: 'گاہک اپنا آرڈر دکان سے لے جا سکتے ہیں',
    pickupEta: 'لے جانے کے لیے تیار (منٹ میں)',
    tax: 'سیلز ٹیکس',
    registered: 'یہ دکان سیلز ٹیکس میں رجسٹرڈ ہے',
    notRegistered: 'رجسٹرڈ نہیں: کوئی ٹیکس نہیں لیا جاتا۔',
    pricesIncludeTax: 'مینو کی قیمتوں میں ٹیکس شامل ہے',
    rates: 'ادائیگی کے طریقے کے حساب سے ٹیکس (فیصد)',
    onDeliveryFee: 'ڈیلیوری فیس پر بھی ٹیکس',
    payments: 'ادائیگی کے قبول طریقے',
    payment: { cash: 'نقد', card: 'کارڈ', wallet: 'موبائل والیٹ' },
    hours: 'دکان کے اوقات',
    alwaysOpen: 'ہمیشہ کھلی',
    hoursHint: 'دکان کا وقت۔ وقت آدھی رات کے پار جا سکتا ہے (12:00 سے 02:00)۔ جس دن کا کوئی وقت نہ ہو وہ بند ہے۔',
    closed: 'بند',
    closedAllWeek: 'کسی بھی دن کے اوقات نہیں: دکان کوئی آرڈر نہیں لے گی۔ اوقات شامل کریں، یا "ہمیشہ کھلی" آن کریں۔',
    addRange: 'وقت شامل کریں',
    removeRange: 'یہ وقت ہٹائیں',
    copyToAll: 'ہر دن یہی اوقات',
    from: 'سے',
    to: 'تک',
    closedDates: 'ان تاریخوں کو سارا دن بند',
    noClosedDates: 'کوئی بند تاریخ نہیں۔',
    date: 'تاریخ',
    addDate: 'تاریخ شامل کریں',
    removeDate: 'تاریخ ہٹائیں',
    unsaved: 'غیر محفوظ تبدیلیاں',
  },

  setup: {
    title: 'اپنی دکان سیٹ کریں',
    intro: 'چند سوال، صرف ایک بار۔ ہر جواب بعد میں سیٹنگز میں بدلا جا سکتا ہے۔',
    loading: 'لوڈ ہو رہا ہے…',
    steps: {
      shop: 'دکان',
      password: 'شیف پاس ورڈ',
      ai: 'AI',
      phone: 'فون',
      tunnel: 'ٹنل',
      review: 'دیکھیں اور محفوظ کریں',
    },
    shopName: 'دکان کا نام',
    shopNameHint: 'AI ہر کال کرنے والے کو اسی نام سے سلام کرے گا۔',
    chefPassword: 'نیا شیف پاس ورڈ',
    chefPasswordHint: (user: string) =>
      `اس بورڈ پر "${user}" کے نام سے لاگ ان کے لیے۔ کم از کم 8 حروف۔ موجودہ پاس ورڈ رکھنے کے لیے خالی چھوڑ دیں۔`,
    openaiKey: 'OpenAI کی (API کی)',
    openaiKeyHint: 'ضروری: کالوں کا جواب دینے والا AI۔ sk- سے شروع ہوتی ہے۔ platform.openai.com پر API کیز میں بنائیں۔',
    openaiModel: 'AI ماڈل',
    openaiModelHint: 'mini ماڈل سستا ہے؛ پورا ماڈل شور والی لائن کو تھوڑا بہتر سمجھتا ہے۔',
    twilioSid: 'Twilio اکاؤنٹ SID',
    twilioToken: 'Twilio آتھ ٹوکن',
    twilioNumber: 'آپ کا Twilio فون نمبر',
    twilioHint:
      'ابھی اختیاری، کالوں کے لیے ضروری: Twilio کے تینوں جواب ایک ساتھ دیں (Twilio کنسول سے)۔ بعد میں دینے ہوں تو تینوں خالی چھوڑ دیں۔',
    shopPhone: 'دکان کا اپنا فون',
    shopPhoneHint: 'ضروری: جو کال کرنے والا کسی انسان سے بات کرنا چاہے، یا جسے AI نہ سنبھال سکے، یہاں منتقل ہو گا۔ مثلاً 0300 1234567۔',
    ngrokToken: 'ngrok ٹوکن',
    ngrokTokenHint: 'اختیاری: اپنی ویب سائٹ کے بغیر Twilio اس کمپیوٹر تک پہنچ سکے (dashboard.ngrok.com پر مفت)۔',
    ngrokDomain: 'مخصوص ngrok ڈومین (اختیاری)',
    ngrokDomainHint: 'ہر بار وہی پتا رہے گا، مثلاً melt8-gulberg.ngrok.app۔',
    secretKept: 'پہلے سے محفوظ ہے — رکھنے کے لیے خالی چھوڑ دیں۔',
    reviewIntro: 'اپنے جواب دیکھ لیں، پھر محفوظ کریں۔ کیز دوبارہ کبھی نہیں دکھائی جاتیں۔',
    secretStates: { new: 'نئی قدر', kept: 'پرانی رکھی گئی', missing: 'موجود نہیں' },
    notSet: '—',
    problems: (n: number) => (n === 1 ? '1 مسئلہ' : `${n} مسائل`),
    fixProblems: 'کچھ جواب درست کرنے ہیں؛ وہ لال رنگ میں ہیں۔',
    back: 'پیچھے',
    next: 'آگے',
    save: 'محفوظ کریں اور شروع کریں',
    saving: 'محفوظ ہو رہا ہے…',
    skip: 'ابھی چھوڑ دیں',
    reopen: 'سیٹ اپ وزرڈ کھولیں',
  },

  calls: {
    title: 'کال لاگ',
    loading: 'کالیں آ رہی ہیں…',
    none: 'ابھی کوئی کال نہیں۔',
    time: 'وقت',
    caller: 'کال کرنے والا',
    duration: 'دورانیہ',
    outcome: 'نتیجہ',
    order: 'آرڈر',
    transcript: 'گفتگو',
    showTranscript: 'گفتگو دیکھیں',
    hideTranscript: 'چھپائیں',
    noTranscript: 'اس کال پر کچھ نہیں کہا گیا۔',
    withheld: 'پوشیدہ',
    outcomes: {
      in_progress: 'جاری',
      ordered: 'آرڈر ہوا',
      transferred: 'منتقل',
      abandoned: 'فون بند کر دیا',
      failed: 'ناکام',
      status: 'آرڈر کا پوچھا',
      cancelled: 'آرڈر کینسل ہوا',
      changed: 'آرڈر بدلا',
      enquiry: 'معلومات لیں',
      complaint: 'شکایت',
      wrong_number: 'غلط نمبر',
    },
    reasons: {
      answering_paused: 'AI سے جواب دینا روکا ہوا تھا',
      no_openai_key: 'OpenAI کی چابی نہیں لگی',
      no_public_url: 'عوامی پتا نہیں لگا',
      concurrent_cap: 'ایک وقت میں AI کے پاس حد سے زیادہ کالیں (دکان کی حد)',
      caller_hourly_cap: 'اس نمبر نے اس گھنٹے حد سے زیادہ کالیں کیں (دکان کی حد)',
      daily_budget: 'آج کا AI بجٹ ختم ہو گیا',
      caller_asked_for_person: 'گاہک نے کسی بندے سے بات مانگی',
      ai_failed: 'AI سے رابطہ ٹوٹ گیا',
    },
    speakers: { caller: 'گاہک', ai: 'AI', system: 'سسٹم' },
    quotes: 'پڑھ کر سنائی گئی قیمتیں',
    quote: (n) => `قیمت ${n}`,
    missing: 'ابھی چاہیے',
    nothingMissing: 'آرڈر کے لیے تیار',
    missingWords: {
      fulfilment: 'ڈیلیوری یا پک اپ',
      address: 'پتا',
      zone: 'ڈیلیوری کا علاقہ',
      payment: 'ادائیگی',
      customer_name: 'نام',
      callback_number: 'واپس کال کا نمبر',
      callback_confirmation: 'واپس کال کے نمبر کی تصدیق',
    },
    cards: 'کال کارڈ',
    cardOpen: 'کھلا',
    cardDone: 'ہو گیا',
    cardResolved: 'بعد کے آرڈر سے حل ہو گیا',
    cost: 'AI کا خرچ (اندازہ)',
  },

  summary: {
    title: 'دن کا خلاصہ',
    date: 'کاروباری دن',
    loading: 'آ رہا ہے…',
    orders: 'آرڈر',
    revenue: 'تمام آرڈر، منسوخ اور واپس آئے کے بغیر',
    avgToReady: 'تیار ہونے کا اوسط وقت',
    minutes: (m) => `${m.toFixed(1)} منٹ`,
    cancelled: 'منسوخ',
    delivered: 'ڈیلیور',
    none: '—',
    csv: 'CSV ڈاؤن لوڈ کریں',
    unavailable: 'یہ کچن سرور ابھی دن کا خلاصہ نہیں دیتا۔',
    revenueHint: 'ڈیلیور اور کھلے آرڈر، ٹیکس اور ڈیلیوری فیس سمیت',
    sales: 'فروخت: ڈیلیور ہو چکے آرڈر',
    salesHint: 'ڈیلیور اور گاہک کے لے جانے والے، ٹیکس اور ڈیلیوری فیس سمیت',
    open: 'ابھی کھلے: ڈیلیور نہیں ہوئے',
    openHint: 'نئے، بن رہے، تیار اور رائیڈر کے پاس آرڈر، ادائیگی ابھی باقی',
    ordersHint: 'منسوخ شدہ بھی شامل',
    cancelledHint: 'کسی رقم میں شامل نہیں',
    previousDay: 'پچھلا دن',
    nextDay: 'اگلا دن',
    pickDay: 'دن چنیں',
    csvHint: 'ایکسل کے لیے: رقم روپوں میں، اردو نام محفوظ',
    ai: 'فون AI',
    aiLine: (calls: number, minutes: number) => `${calls} کالیں، ${minutes} منٹ`,
    aiCost: 'AI کا خرچ (اندازہ)',
    aiHint: 'ہر کال کے ٹوکن سے، سیٹنگز کی قیمتوں پر',
  },

  order: {
    title: (n) => `آرڈر #${n}`,
    history: 'تاریخچہ',
    by: (who) => `از ${who}`,
    back: 'بورڈ پر واپس',
    notFound: 'ایسا کوئی آرڈر نہیں۔',
    taken: 'لیا گیا',
    reasons: { changed: 'آرڈر تبدیل ہوا', undo: 'واپس لیا گیا', recall: 'واپس لایا گیا' },
    actors: {
      'phone-ai': 'فون والا AI',
      dashboard: 'ڈیش بورڈ',
      api: 'کوئی پروگرام (API)',
      system: 'کچن سرور',
      demo: 'ڈیمو',
    },
    arrow: '←',
  },

  phone: {
    title: 'فون',
    loading: 'فون کی سیٹنگز آ رہی ہیں…',
    tunnel: 'عوامی پتہ',
    tunnelOff: 'ابھی کوئی ٹنل نہیں: اپنا ngrok ٹوکن ڈالیں تاکہ Twilio اس دکان تک پہنچ سکے۔',
    tunnelConnecting: (attempt) => (attempt > 1 ? `ngrok سے جڑ رہے ہیں (کوشش ${attempt})…` : 'ngrok سے جڑ رہے ہیں…'),
    tunnelOnline: 'آن لائن: Twilio اس دکان تک پہنچ سکتا ہے۔',
    tunnelFailed: (reason, seconds) =>
      seconds === null ? `آن لائن نہیں: ${reason}` : `آن لائن نہیں: ${reason} ${seconds} سیکنڈ میں دوبارہ کوشش۔`,
    noAddress: 'ابھی کوئی عوامی پتہ نہیں۔',
    copy: 'کاپی کریں',
    copied: 'کاپی ہو گیا۔',
    selected: 'منتخب ہو گیا: کاپی کے لیے Ctrl+C دبائیں۔',
    number: 'Twilio نمبر',
    noNumber: 'کوئی Twilio نمبر نہیں۔',
    connected: 'جڑا ہوا: اس نمبر کی کالیں یہاں آتی ہیں۔',
    notConnected: 'ابھی اس پتے سے نہیں جڑا۔',
    numberOnSipTrunk: 'SIP انجن کے ساتھ کالیں SIP ٹرنک سے سیدھی اوپن اے آئی کو جاتی ہیں (اوپر SIP ٹرنک سیٹ اپ کریں)؛ انہیں واپس یہاں لانے کے لیے اس کمپیوٹر والا انجن چنیں۔',
    connect: 'میرا نمبر جوڑیں',
    connecting: 'جوڑ رہے ہیں…',
    answering: 'AI جواب',
    answeringOn: 'AI کالوں کا جواب دیتا ہے۔',
    answeringPaused: 'رکا ہوا: کالیں سیدھی دکان کے فون پر جاتی ہیں۔',
    pause: 'AI جواب روکیں',
    resume: 'AI جواب دوبارہ شروع کریں',
    check: 'سیٹ اپ چیک کریں',
    checking: 'چیک ہو رہا ہے…',
    allReady: 'سب کچھ تیار ہے۔',
    ok: 'ٹھیک',
    problem: 'مسئلہ',
    parts: {
      openai: 'OpenAI کی',
      twilio: 'Twilio اکاؤنٹ اور نمبر',
      public_url: 'عوامی پتہ',
      shop_phone: 'دکان کا فون',
      answering: 'AI جواب',
      fallback: 'جب یہ کمپیوٹر بند ہو',
      sip_openai: 'OpenAI پروجیکٹ اور ویب ہُک',
      sip_trunk: 'SIP ٹرنک',
      sip_transfer: 'دکان کو کال منتقل کرنا',
      sip_origination: 'ٹرنک سے OpenAI تک',
      sip_number: 'ٹرنک پر نمبر',
      sip_disaster_recovery: 'جب OpenAI جواب نہ دے سکے',
    },
    engine: 'آواز کا انجن',
    engineInUse: (name: string) => `استعمال میں: ${name}۔`,
    engines: {
      'realtime-bridge': {
        name: 'ریئل ٹائم، اس کمپیوٹر کے ذریعے',
        about: 'بولے گئے الفاظ کے حساب سے، تقریباً 0.05 سے 0.10 ڈالر فی منٹ؛ کال کی آواز اس کمپیوٹر سے گزرتی ہے۔ اردو آزمودہ۔',
      },
      'live-bridge': {
        name: 'جی پی ٹی لائیو، اس کمپیوٹر کے ذریعے',
        about: '0.05 ڈالر فی منٹ مقررہ، اور آرڈر لینے والے ماڈل کا خرچ الگ؛ کال کی آواز اس کمپیوٹر سے گزرتی ہے۔ اردو کا معیار ابھی تصدیق شدہ نہیں۔',
      },
      'sip-live': {
        name: 'جی پی ٹی لائیو، براہِ راست SIP',
        about: '0.05 ڈالر فی منٹ مقررہ، اور آرڈر لینے والے ماڈل کا خرچ الگ؛ آواز اس کمپیوٹر سے نہیں گزرتی۔ نیچے والا SIP ٹرنک چاہیے۔ اردو کا معیار ابھی تصدیق شدہ نہیں۔',
      },
      'sip-realtime': {
        name: 'ریئل ٹائم، براہِ راست SIP',
        about: 'بولے گئے الفاظ کے حساب سے، تقریباً 0.05 سے 0.10 ڈالر فی منٹ؛ آواز اس کمپیوٹر سے نہیں گزرتی۔ نیچے والا SIP ٹرنک چاہیے۔',
      },
    },
    projectId: 'OpenAI پروجیکٹ آئی ڈی',
    projectIdHelp: `${ltr('platform.openai.com')} ← سیٹنگز ← پروجیکٹ: وہ آئی ڈی جو ${ltr('proj_')} سے شروع ہوتی ہے۔`,
    projectIdMissing: `OpenAI پروجیکٹ آئی ڈی ڈالیں (یہ ${ltr('proj_')} سے شروع ہوتی ہے)۔`,
    projectIdInvalid: `یہ پروجیکٹ آئی ڈی نہیں: یہ ${ltr('proj_')} اور پھر حروف اور ہندسوں پر مشتمل ہوتی ہے۔`,
    webhookSecret: 'OpenAI ویب ہُک کا راز',
    webhookSecretHelp: (event: string, url: string | null) =>
      `${ltr('platform.openai.com')} ← سیٹنگز ← پروجیکٹ ← ویب ہُکس: ${url ? ltr(url) : 'اس دکان کے عوامی پتے'} کے لیے ${ltr(event)} کا ویب ہُک بنائیں، پھر اس کا راز (${ltr('whsec_')}) یہاں ڈالیں۔`,
    webhookSecretSet: 'موجود ہے (بدلنے کے لیے نیا لکھیں)۔',
    webhookSecretNotSet: 'موجود نہیں۔',
    webhookSecretMissing: `ویب ہُک کا راز ڈالیں (یہ ${ltr('whsec_')} سے شروع ہوتا ہے)۔`,
    webhookSecretInvalid: `یہ ویب ہُک کا راز نہیں: یہ ${ltr('whsec_')} سے شروع ہوتا ہے۔`,
    saveEngine: 'انجن محفوظ کریں',
    savingEngine: 'محفوظ ہو رہا ہے…',
    engineSaved: 'محفوظ ہو گیا۔',
    backToPc: 'اگر نمبر SIP ٹرنک پر تھا تو اس کی کالیں اس کمپیوٹر پر واپس لانے کے لیے «میرا نمبر جوڑیں» دبائیں۔',
    sipSetup: 'SIP ٹرنک بنائیں',
    sipSettingUp: 'بن رہا ہے…',
    sipHint: 'یہ Twilio میں دکان کا SIP ٹرنک بناتا (یا تازہ کرتا) ہے، اسے OpenAI پروجیکٹ سے جوڑتا ہے اور نمبر اس پر ڈالتا ہے۔ پھر «سیٹ اپ چیک کریں» دبائیں۔',
    fixInSettings: (field) => `سیٹنگز میں درج کریں: ${field}`,
    fixInSetup: (step, field) => `سیٹ اپ وزرڈ (${step}) میں درج کریں: ${field}`,
  },

  aiBudget: {
    warning: (used: number, budget: number) => `AI کے منٹ: آج ${budget} میں سے ${used}`,
    reached: 'AI کے منٹ ختم: کالیں دکان کے فون پر',
    warningHint: 'آج کے AI منٹوں میں سے 80 فیصد سے زیادہ استعمال ہو چکے۔ سب ختم ہونے پر اگلے کاروباری دن تک کالیں دکان کے فون پر جائیں گی۔ حد سیٹنگز میں بدلیں۔',
    reachedHint: 'آج کے AI منٹ ختم ہو گئے: اگلے کاروباری دن تک کالیں دکان کے فون پر جائیں گی۔ AI کو پھر جواب دینے دینے کے لیے سیٹنگز میں حد بڑھائیں۔',
  },

  pauseWarning: {
    title: 'دکان کا فون نمبر درج نہیں',
    noShopPhone: 'AI جواب رکنے پر کالیں دکان کے اپنے فون پر جاتی ہیں۔ کوئی نمبر درج نہیں، اس لیے کال کرنے والا صرف معذرت سنے گا اور کال ختم ہو جائے گی۔',
    setPhone: 'سیٹنگز میں دکان کا فون درج کریں',
    pauseAnyway: 'پھر بھی روکیں',
    cancel: 'AI کو جواب دینے دیں',
    badge: 'AI رکا ہوا',
    badgeNoPhone: 'دکان کا فون نہیں',
    badgeHint: 'AI جواب رکا ہوا ہے: کالیں دکان کے فون پر جاتی ہیں۔',
    badgeNoPhoneHint: 'AI جواب رکا ہوا ہے اور دکان کا فون درج نہیں، اس لیے کال کرنے والے صرف معذرت سنتے ہیں: سیٹنگز میں فون درج کریں، یا فون والے صفحے پر AI جواب دوبارہ شروع کریں۔',
  },

  builder: {
    title: 'نیا آرڈر',
    open: 'نیا آرڈر',
    loading: 'مینو آ رہا ہے…',
    menu: 'مینو',
    deals: 'ڈیلز',
    soldOut: 'ختم',
    add: (name) => `${name} شامل کریں`,
    order: 'آرڈر',
    empty: 'ابھی کچھ نہیں: مینو سے کوئی چیز یا ڈیل چنیں۔',
    notOnMenu: 'اب مینو میں نہیں',
    quantity: 'تعداد',
    less: 'ایک کم',
    more: 'ایک اور',
    remove: 'ہٹائیں',
    size: 'سائز',
    half: 'آدھا آدھا',
    whole: 'پورا',
    halfWith: (name) => `½ ${name}`,
    lineNote: 'کچن کے لیے ہدایت',
    choose: (n) => (n === 1 ? 'ایک چنیں' : `${n} چنیں`),
    groupRule: (min, max) => (min === max ? `${min} چنیں` : min === 0 ? `زیادہ سے زیادہ ${max}` : `${min} سے ${max} تک`),
    pick: 'چنیں…',
    surcharge: (amount) => `+${amount}`,
    how: 'ڈیلیوری یا پک اپ',
    delivery: 'ڈیلیوری',
    pickup: 'پک اپ',
    address: 'پتہ',
    landmark: 'نشانی (اختیاری)',
    zone: 'علاقہ',
    chooseZone: 'علاقہ چنیں…',
    zoneFee: (name, fee) => `${name} · ڈیلیوری ${fee}`,
    pickupMinutes: 'کتنے منٹ میں لیں گے (اختیاری)',
    payment: 'ادائیگی',
    paysWith: 'کتنے کا نوٹ دیں گے (روپے، اختیاری)',
    change: 'بقایا',
    customer: 'گاہک',
    customerName: 'نام (اختیاری)',
    customerPhone: 'فون (اختیاری)',
    orderNote: 'آرڈر پر ہدایت (اختیاری)',
    pricing: 'قیمت لگ رہی ہے…',
    billEmpty: 'آرڈر میں کچھ شامل ہوتے ہی بل یہاں نظر آئے گا۔',
    billStale: 'ابھی قیمت نہیں لگی: نشان زدہ حصے درست کریں۔',
    eta: (delivery, minutes) => (delivery ? `تقریباً ${minutes} منٹ میں ڈیلیوری` : `تقریباً ${minutes} منٹ میں تیار`),
    place: 'آرڈر دیں',
    placing: 'آرڈر جا رہا ہے…',
    fix: 'کچھ حصے درست کرنے ہیں (لال رنگ میں)۔',
    startAgain: 'نئے سرے سے',
    confirmStartAgain: 'آرڈر صاف کرنے کے لیے دوبارہ دبائیں',
    back: 'بورڈ پر واپس',
    editTitle: (n) => `آرڈر #${n} میں تبدیلی`,
    editing: 'آرڈر میں تبدیلی',
    save: 'تبدیلیاں محفوظ کریں',
    saving: 'محفوظ ہو رہا ہے…',
    revert: 'میری تبدیلیاں واپس',
    confirmRevert: 'آرڈر پہلے جیسا کرنے کے لیے دوبارہ دبائیں',
    loadingOrder: 'آرڈر آ رہا ہے…',
    cancelledMeanwhile: 'یہ آرڈر منسوخ ہو چکا ہے، اب اس میں تبدیلی نہیں ہو سکتی۔',
  },

  bill: {
    title: 'بل',
    subtotal: 'ذیلی کل',
    dealSavings: 'ڈیل کی بچت',
    deliveryFee: 'ڈیلیوری',
    free: 'مفت',
    tax: (percent) => `ٹیکس ${percent}`,
    taxIncluded: (percent) => `ٹیکس ${percent} (شامل)`,
    percent: (rateBp) => `${rateBp / 100} فیصد`,
    total: 'کل',
  },

  printers: {
    title: 'پرنٹرز',
    none: 'ابھی کوئی پرنٹر نہیں۔ کچن اور کاؤنٹر کے پرنٹر یہاں شامل کریں۔',
    add: 'پرنٹر شامل کریں',
    remove: 'ہٹائیں',
    name: 'نام',
    kind: 'کیسے جڑا ہے',
    kinds: { network: 'نیٹ ورک (آئی پی ایڈریس)', system: 'اس کمپیوٹر کا پرنٹر' },
    address: 'نیٹ ورک ایڈریس اور پورٹ',
    systemPrinter: 'کمپیوٹر کا پرنٹر',
    noSystemPrinters: 'اس کمپیوٹر پر کوئی پرنٹر نہیں ملا۔ نیٹ ورک پرنٹر استعمال کریں، یا پہلے کمپیوٹر میں پرنٹر لگائیں۔',
    systemUnsupported: 'اس کمپیوٹر پر پرنٹر صرف نیٹ ورک سے جڑتے ہیں: پرنٹر کا آئی پی ایڈریس لکھیں۔',
    width: 'کاغذ کی چوڑائی',
    widthMm: (mm: number) => `${mm} ملی میٹر`,
    documents: 'کیا چھاپے',
    docs: { kot: 'کچن ٹکٹ', bill: 'بل' },
    copies: 'کاپیاں',
    autoPrint: 'نئے آرڈر خود چھاپے',
    testPage: 'ٹیسٹ صفحہ چھاپیں',
    testSaveFirst: 'پہلے سیٹنگز محفوظ کریں، پھر ٹیسٹ صفحہ چھاپیں۔',
    testSent: 'ٹیسٹ صفحہ بھیج دیا…',
    testPrinted: 'ٹیسٹ صفحہ چھپ گیا۔',
    shopAddress: 'دکان کا پتہ (بل پر چھپتا ہے)',
    ticketLanguage: 'ٹکٹ کی زبان',
    languages: { en: 'انگریزی', ur: 'اردو' },
    states: {
      ready: 'تیار',
      printing: 'چھاپ رہا ہے',
      offline: 'بند / رابطہ نہیں',
      out_of_paper: 'کاغذ ختم',
      error: 'نہیں چھاپ رہا',
    },
    waiting: (n: number) => `${n} ٹکٹ انتظار میں`,
    banner: (name: string, state: PrinterState, n: number) => {
      const waiting = n === 0 ? '' : ` — ${n} ٹکٹ انتظار میں ہیں؛ پرنٹر ٹھیک ہوتے ہی چھپ جائیں گے`;
      const what =
        state === 'offline'
          ? 'بند ہے یا اس سے رابطہ نہیں: دیکھیں کہ آن ہے اور تار لگی ہے'
          : state === 'out_of_paper'
            ? 'میں کاغذ ختم ہو گیا ہے: نیا رول ڈالیں'
            : 'نہیں چھاپ رہا: پرنٹر یا اس کی سیٹنگز دیکھیں';
      return `${iso(name)} ${what}${waiting}۔`;
    },
    printKot: 'کچن ٹکٹ چھاپیں',
    printBill: 'بل چھاپیں',
    queued: 'پرنٹر کو بھیج دیا۔',
  },
  common: { loading: 'آ رہا ہے…', retry: 'دوبارہ کوشش کریں', close: 'بند کریں' },

  fieldErrors: urFieldErrors,
  fieldErrorGeneric: 'یہ جواب قبول نہیں ہوا: اسے دیکھ کر دوبارہ کوشش کریں۔',
  apiErrors: urApiErrors,
  apiErrorGeneric: 'یہ نہیں ہو سکا۔ دوبارہ کوشش کریں۔',
};

export const MESSAGES: Record<Lang, Messages> = { en, ur };

/** Text direction of a language. */
export function direction(lang: Lang): 'ltr' | 'rtl' {
  return lang === 'ur' ? 'rtl' : 'ltr';
}

function isKnown<K extends string>(table: Record<K, unknown>, code: string | null): code is K {
  return code !== null && Object.hasOwn(table, code);
}

/**
 * A field error in the screen's language: the code's wording with its params, whatever the
 * server's message says. A code this dashboard does not know shows the server's message in
 * English, and a generic sentence in Urdu (never English on an Urdu screen). For the generic
 * `invalid`, English shows the server's message too: it is the most specific there is.
 */
export function fieldErrorText(problem: Pick<FieldProblem, 'code' | 'params' | 'message'>, lang: Lang): string {
  const t = MESSAGES[lang];
  const { code, params, message } = problem;
  if (lang === 'en' && message !== '' && (code === 'invalid' || !isKnown(t.fieldErrors, code))) return message;
  if (isKnown(t.fieldErrors, code)) return t.fieldErrors[code](params);
  return t.fieldErrorGeneric;
}

/** Why a password was not taken (the login page, the owner's prompt), in `lang`. */
export function loginErrorText(e: unknown, lang: Lang): string {
  const t = MESSAGES[lang];
  if (e instanceof ApiError && e.offline) return t.login.unreachable;
  if (e instanceof ApiError && e.status === 401) return t.login.wrong;
  if (e instanceof ApiError && e.status === 429) return t.login.tooMany(null);
  return errorText(e, lang);
}

/**
 * Any error a form shows outside its fields, in the screen's language: an `ApiError` by its
 * code (`offline` when the server was not reached); an unknown code, or any other error,
 * as its own message in English and a generic sentence in Urdu.
 */
export function errorText(error: unknown, lang: Lang): string {
  const t = MESSAGES[lang];
  if (error instanceof ApiError) {
    const code = error.offline ? 'offline' : error.code;
    // The secret store's message names the file and the fix: worth more than our sentence.
    if (lang === 'en' && code === 'secret_store_failed' && error.message !== '') return error.message;
    // A code worded with its params (the Phone page's refusals) says the most.
    if (Object.hasOwn(SERVER_TEXTS[lang], code)) return serverText({ code, params: error.params }, lang);
    if (isKnown(t.apiErrors, code)) return t.apiErrors[code];
  }
  if (lang === 'ur') return t.apiErrorGeneric;
  const message = error instanceof Error ? error.message : String(error ?? '');
  return message !== '' ? message : t.apiErrorGeneric;
}

/**
 * Who made a change in an order's history, in the screen's language: a known actor
 * (`phone-ai`, `dashboard`…) worded, a username as typed (isolated, so a Latin name keeps
 * its order inside Urdu).
 */
export function historyActor(by: string, lang: Lang): string {
  const words = MESSAGES[lang].order.actors;
  return Object.hasOwn(words, by) ? words[by]! : iso(by);
}

/**
 * A reason in an order's history, in the screen's language: the server's own words
 * (`changed`, `undo`) translated, a cancel's reason (the staff's words) as typed.
 */
export function historyReason(reason: string, lang: Lang): string {
  const words = MESSAGES[lang].order.reasons;
  return Object.hasOwn(words, reason) ? words[reason]! : reason;
}
