import { describe, expect, it } from 'vitest';
import { ApiError, FIELD_CODES, type FieldProblem } from './api';
import {
  API_ERROR_CODES,
  errorText,
  fieldErrorText,
  historyActor,
  historyReason,
  hoursText,
  loginErrorText,
  MESSAGES,
  SERVER_CODES,
  serverText,
  UI_FIELD_CODES,
  type Lang,
} from './i18n';

const SERVER_MESSAGE = 'Server says, in English: that will not do.';
const REASON = 'it contains characters other than digits';
/** Every param any code takes, with values to look for. */
const PARAMS = { max: '80', min: '8', amber: '12', red: '7', reason: REASON };
/** Which params each code's wording must show (besides `reason`, English only). */
const SHOWS: Partial<Record<string, string[]>> = {
  too_long: ['max'],
  too_short: ['min'],
  out_of_range: ['min', 'max'],
  red_before_amber: ['amber', 'red'],
};
/** Names and numbers the menu and order codes take, in each screen's language. */
const ORDER_PARAMS: Record<Lang, Record<string, string>> = {
  en: {
    given: 'Chicken Tikka',
    allowed: 'Thin crust, Stuffed crust',
    name: 'Malai Boti',
    option: 'Extra cheese',
    group: 'Crust',
    slot: 'Large pizza',
    deal: 'Deal 3',
    window: 'daily 00:00–03:00',
    count: '2',
    id: 'crust',
    minimum: '100000',
    food_total: '85000',
    total: '599500',
  },
  ur: {
    given: 'چکن تکہ',
    allowed: 'پتلا کرسٹ، اسٹفڈ کرسٹ',
    name: 'ملائی بوٹی',
    option: 'اضافی چیز',
    group: 'کرسٹ',
    slot: 'لارج پیزا',
    deal: 'ڈیل 3',
    window: 'daily 00:00–03:00',
    count: '2',
    minimum: '100000',
    food_total: '85000',
    total: '599500',
  },
};
const ALL_CODES = [...FIELD_CODES, ...UI_FIELD_CODES];
const LANGS: Lang[] = ['en', 'ur'];

function problem(code: string | null, params: Record<string, string> = {}, message = SERVER_MESSAGE): FieldProblem {
  return { field: 'x', code, params, message };
}

/** Latin tokens an Urdu sentence may carry: examples the owner types as they are. */
const LATIN_ALLOWED = [
  '+923001234567',
  'melt8-gulberg.ngrok.app',
  'sk-',
  'proj_',
  'whsec_',
  'AC',
  // The services the owner sets up, their sites and terms as their screens show them.
  'Twilio',
  'OpenAI',
  'ngrok',
  'SID',
  'API',
  'AI',
  'HTTP',
  'https',
  'https://',
  'dashboard.ngrok.com',
  'platform.openai.com',
  '+924235550123',
  // Direct SIP (issue 17): Twilio's name for the trunk, and the prefixes OpenAI's ids show.
  'SIP',
  'proj_',
  'whsec_',
];
const ISOLATED = /\u2066([^\u2066\u2069]*)\u2069/g;

/** The Latin letters of an Urdu text outside its isolated examples. */
function latinOutsideExamples(text: string): string {
  return (text.replace(ISOLATED, '').match(/[A-Za-z]+/g) ?? []).join(' ');
}

function urduTexts(): string[] {
  const ur = MESSAGES.ur;
  return [
    ...ALL_CODES.flatMap((c) => [ur.fieldErrors[c]({}), ur.fieldErrors[c](PARAMS), ur.fieldErrors[c](ORDER_PARAMS.ur)]),
    ur.fieldErrorGeneric,
    ...API_ERROR_CODES.map((c) => ur.apiErrors[c]),
    ur.apiErrorGeneric,
  ];
}

describe('field errors in English and Urdu', () => {
  it('words every code of the contract in both languages', () => {
    expect(FIELD_CODES).toHaveLength(53);
    for (const code of ALL_CODES) {
      const en = fieldErrorText(problem(code, { ...PARAMS, ...ORDER_PARAMS.en }, ''), 'en');
      const ur = fieldErrorText(problem(code, { ...PARAMS, ...ORDER_PARAMS.ur }), 'ur');
      expect(en, code).toMatch(/^[A-Z].*[.!]$/);
      expect(en, code).not.toMatch(/[\u0600-\u06FF]/);
      expect(ur, code).toMatch(/[\u0600-\u06FF]/);
      expect(ur, code).toMatch(/۔$/);
    }
    // No two codes share a wording (but `invalid`, which is the generic one).
    for (const lang of LANGS) {
      const texts = ALL_CODES.filter((c) => c !== 'invalid').map((c) => MESSAGES[lang].fieldErrors[c]({}));
      expect(new Set(texts).size, lang).toBe(texts.length);
    }
  });

  it('substitutes the params', () => {
    for (const [code, names] of Object.entries(SHOWS)) {
      for (const lang of LANGS) {
        const text = fieldErrorText(problem(code, PARAMS), lang);
        for (const name of names!) expect(text, `${lang} ${code}`).toContain(PARAMS[name as keyof typeof PARAMS]);
      }
    }
    expect(fieldErrorText(problem('out_of_range', { min: '5', max: '180' }), 'en')).toBe('Use a number from 5 to 180.');
    expect(fieldErrorText(problem('out_of_range', { min: '5', max: '180' }), 'ur')).toBe('5 سے 180 تک کوئی عدد لکھیں۔');
    expect(fieldErrorText(problem('too_long', { max: '80' }), 'ur')).toBe('یہ بہت لمبا ہے: زیادہ سے زیادہ 80 حروف۔');
    expect(fieldErrorText(problem('phone_invalid', { reason: REASON }), 'en')).toContain(`(${REASON})`);
    // Half the params: still a sentence.
    expect(fieldErrorText(problem('out_of_range', { min: '5' }), 'en')).toBe('Use a number of at least 5.');
    expect(fieldErrorText(problem('out_of_range', { max: '180' }), 'ur')).toBe('زیادہ سے زیادہ 180 کا عدد لکھیں۔');
  });

  it('reads well without its params, never showing "undefined" or a placeholder', () => {
    for (const code of ALL_CODES) {
      for (const lang of LANGS) {
        const text = MESSAGES[lang].fieldErrors[code]({});
        expect(text, `${lang} ${code}`).not.toMatch(/undefined|null|\$\{|\{\w+\}/);
        expect(text.length, `${lang} ${code}`).toBeGreaterThan(10);
      }
    }
  });

  it('keeps Latin letters out of Urdu, but for examples typed as they are, kept left to right', () => {
    for (const text of urduTexts()) {
      expect(latinOutsideExamples(text), text).toBe('');
      // Isolated runs are examples typed as they are, or numbers and times.
      for (const [, inside] of text.matchAll(ISOLATED)) if (/[A-Za-z]/.test(inside!)) expect(LATIN_ALLOWED, text).toContain(inside);
    }
    expect(fieldErrorText(problem('openai_key_format'), 'ur')).toContain('\u2066sk-\u2069');
    expect(fieldErrorText(problem('phone_invalid'), 'ur')).toContain('\u2066+923001234567\u2069');
  });

  it('never shows the server’s English on an Urdu screen, whatever the code', () => {
    const codes: (string | null)[] = [...ALL_CODES, 'a_code_from_a_newer_server', null, ''];
    for (const code of codes) {
      const text = fieldErrorText(problem(code, PARAMS), 'ur');
      expect(text, String(code)).not.toContain(SERVER_MESSAGE);
      expect(text, String(code)).not.toContain(REASON);
      expect(latinOutsideExamples(text), String(code)).toBe('');
    }
    expect(fieldErrorText(problem('a_code_from_a_newer_server'), 'ur')).toBe(MESSAGES.ur.fieldErrorGeneric);
    expect(fieldErrorText(problem(null), 'ur')).toBe(MESSAGES.ur.fieldErrorGeneric);
    expect(fieldErrorText(problem('invalid', { reason: REASON }), 'ur')).toBe(MESSAGES.ur.fieldErrors.invalid({}));
  });

  it('in English, words a known code itself and falls back to the server’s message for an unknown one', () => {
    expect(fieldErrorText(problem('openai_key_format'), 'en')).toBe('That does not look like an OpenAI API key: it should start with sk-.');
    expect(fieldErrorText(problem('a_code_from_a_newer_server'), 'en')).toBe(SERVER_MESSAGE);
    // An older server sends no code at all.
    expect(fieldErrorText(problem(null), 'en')).toBe(SERVER_MESSAGE);
    expect(fieldErrorText(problem(null, {}, ''), 'en')).toBe(MESSAGES.en.fieldErrorGeneric);
    // The generic code: the server's words are the most specific there are.
    expect(fieldErrorText(problem('invalid'), 'en')).toBe(SERVER_MESSAGE);
    expect(fieldErrorText(problem('invalid', { reason: 'too many emoji' }, ''), 'en')).toBe('This is not accepted: too many emoji.');
    expect(fieldErrorText(problem('invalid', {}, ''), 'en')).toBe(MESSAGES.en.fieldErrors.invalid({}));
    // A code that happens to name an object property is not a known code.
    expect(fieldErrorText(problem('toString'), 'en')).toBe(SERVER_MESSAGE);
    expect(fieldErrorText(problem('constructor'), 'ur')).toBe(MESSAGES.ur.fieldErrorGeneric);
  });
});

describe('menu and order errors', () => {
  const on = (code: string, lang: Lang, params: Record<string, string> = ORDER_PARAMS[lang]) =>
    fieldErrorText(problem(code, params, ''), lang);

  it('name the things they are about, in the screen’s language', () => {
    expect(on('sold_out', 'en')).toBe('Sold out: Malai Boti.');
    expect(on('sold_out', 'ur')).toBe('\u2068ملائی بوٹی\u2069 ختم ہو گیا ہے۔');
    expect(on('too_many_options', 'en', { group: 'Extras', min: '0', max: '3' })).toBe('Too many chosen for Extras: at most 3.');
    expect(on('too_few_options', 'ur', { group: 'کرسٹ', min: '1', max: '1' })).toBe('\u2068کرسٹ\u2069 میں کم از کم 1 چنیں۔');
    expect(on('slot_wrong_count', 'en', { slot: 'Large pizza', count: '2', given: '1' })).toBe(
      'Choose exactly 2 for Large pizza (1 chosen).',
    );
    expect(on('slot_wrong_count', 'ur', { slot: 'لارج پیزا', count: '2', given: '1' })).toBe(
      '\u2068لارج پیزا\u2069: ٹھیک 2 چنیں (ابھی 1 چنے ہیں)۔',
    );
    expect(on('option_not_offered', 'en', { option: 'Stuffed crust', allowed: 'Thin crust' })).toBe(
      'This item or size does not offer Stuffed crust. Offered: Thin crust.',
    );
  });

  it('show money params (paisa) as rupees', () => {
    expect(on('below_minimum_order', 'en', { minimum: '100000', food_total: '85000' })).toBe(
      'Below this zone’s minimum order of Rs 1,000 (the food is Rs 850).',
    );
    expect(on('below_minimum_order', 'ur', { minimum: '100000', food_total: '85000' })).toBe(
      'اس علاقے کے لیے کم از کم آرڈر 1,000 روپے کا ہے (ابھی کھانا 850 روپے کا ہے)۔',
    );
    expect(on('pays_with_below_total', 'en', { total: '599500' })).toBe(
      'Less than the total of Rs 5,995: ask which note they will pay with.',
    );
    expect(on('pays_with_below_total', 'ur', { total: '599500' })).toContain('5,995 روپے');
  });

  it('name payment methods in the language, and leave out a time window written in English', () => {
    expect(on('payment_method_not_accepted', 'en', { allowed: 'cash,card' })).toBe(
      'The shop does not take this payment method. It takes: Cash, Card.',
    );
    expect(on('payment_method_not_accepted', 'ur', { allowed: 'cash,card' })).toContain('نقد، کارڈ');
    expect(on('deal_not_available_now', 'en', { deal: 'Deal 3', window: 'daily 00:00–03:00' })).toBe(
      'Not available at this time: Deal 3 (only daily 00:00–03:00).',
    );
    expect(on('deal_not_available_now', 'ur', { deal: 'ڈیل 3', window: 'daily 00:00–03:00' })).toBe(
      '\u2068ڈیل 3\u2069 اس وقت نہیں ملتی (صرف روزانہ \u206600:00–03:00\u2069)۔',
    );
    expect(on('deal_not_available_now', 'ur', { deal: 'ڈیل 3', window: 'mon,fri 12:00–15:00; sun 13:00–16:00' })).toBe(
      '\u2068ڈیل 3\u2069 اس وقت نہیں ملتی (صرف پیر، جمعہ \u206612:00–15:00\u2069؛ اتوار \u206613:00–16:00\u2069)۔',
    );
    expect(on('deal_not_available_now', 'ur', { deal: 'ڈیل 3', window: 'weekends at lunch' })).toBe(
      '\u2068ڈیل 3\u2069 اس وقت نہیں ملتی۔',
    );
  });
});

describe('a deal’s hours', () => {
  it('reads in the screen’s language', () => {
    const all = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    expect(hoursText([{ days: [...all], from: '00:00', to: '03:00' }], 'en')).toBe('daily 00:00–03:00');
    expect(hoursText([{ days: ['fri', 'sun'], from: '12:00', to: '15:00' }], 'en')).toBe('Fri, Sun 12:00–15:00');
    expect(hoursText([{ days: [...all], from: '00:00', to: '03:00' }], 'ur')).toBe('روزانہ \u206600:00–03:00\u2069');
    expect(hoursText([{ days: ['fri'], from: '12:00', to: '15:00' }, { days: ['sun'], from: '13:00', to: '16:00' }], 'ur')).toBe(
      'جمعہ \u206612:00–15:00\u2069؛ اتوار \u206613:00–16:00\u2069',
    );
  });
});

describe('other errors of a form', () => {
  it('words every code the forms meet in both languages', () => {
    for (const code of API_ERROR_CODES) {
      const e = new ApiError(code === 'offline' ? 0 : 500, code, SERVER_MESSAGE);
      const en = errorText(e, 'en');
      const ur = errorText(e, 'ur');
      if (code !== 'secret_store_failed') expect(en, code).toBe(MESSAGES.en.apiErrors[code]);
      expect(ur, code).toBe(MESSAGES.ur.apiErrors[code]);
      expect(ur, code).not.toContain(SERVER_MESSAGE);
      expect(latinOutsideExamples(ur), code).toBe('');
    }
  });

  it('says "cannot be reached" for a request that never got an answer', () => {
    const e = new ApiError(0, 'offline', 'The kitchen server cannot be reached.');
    expect(errorText(e, 'ur')).toBe(MESSAGES.ur.apiErrors.offline);
    expect(errorText(e, 'en')).toBe(MESSAGES.en.apiErrors.offline);
  });

  it('in English, shows the server’s message for an unknown code and for the secret store (it names the fix)', () => {
    expect(errorText(new ApiError(409, 'something_new', SERVER_MESSAGE), 'en')).toBe(SERVER_MESSAGE);
    expect(errorText(new ApiError(409, 'something_new', SERVER_MESSAGE), 'ur')).toBe(MESSAGES.ur.apiErrorGeneric);
    expect(errorText(new ApiError(500, 'secret_store_failed', 'cannot write /home/x/secrets.json: disk full'), 'en')).toContain('secrets.json');
    expect(errorText(new ApiError(500, 'secret_store_failed', 'cannot write /home/x/secrets.json'), 'ur')).not.toContain('secrets');
  });

  it('words an error that is not the server’s', () => {
    expect(errorText(new TypeError('Failed to fetch'), 'en')).toBe('Failed to fetch');
    expect(errorText(new TypeError('Failed to fetch'), 'ur')).toBe(MESSAGES.ur.apiErrorGeneric);
    expect(errorText('boom', 'en')).toBe('boom');
    expect(errorText(new Error(''), 'en')).toBe(MESSAGES.en.apiErrorGeneric);
  });
});

describe('the menu editor’s and the shop settings’ words', () => {
  /** Every text of a part of the dictionary, functions called with sample arguments. */
  function texts(value: unknown): string[] {
    if (typeof value === 'string') return [value];
    if (typeof value === 'function') return [String((value as (n: number) => unknown)(2)), String((value as (n: number) => unknown)(1))];
    if (value && typeof value === 'object') return Object.values(value).flatMap(texts);
    return [];
  }

  it('has every word in English and in Urdu, the Urdu without Latin letters', () => {
    for (const part of ['menuEd', 'settingsShop', 'weekdays', 'kind'] as const) {
      const en = texts(MESSAGES.en[part]);
      const ur = texts(MESSAGES.ur[part]);
      expect(ur.length, part).toBe(en.length);
      for (const text of ur) {
        expect(text, part).toMatch(/[\u0600-\u06FF]/);
        expect(latinOutsideExamples(text), `${part}: ${text}`).toBe('');
      }
      for (const text of en) expect(text, part).not.toMatch(/[\u0600-\u06FF]/);
    }
  });

  it('words the dashboard’s own checks of money and percentages', () => {
    expect(fieldErrorText(problem('rupees'), 'en')).toBe('Enter an amount in rupees, e.g. 1250.');
    expect(fieldErrorText(problem('rupees'), 'ur')).toBe('رقم روپوں میں لکھیں، مثلاً 1250۔');
    expect(fieldErrorText(problem('percent', {}, ''), 'en')).toBe('Enter a percentage, e.g. 16 or 2.5.');
  });
});

describe('server messages of the Phone page (codes with params)', () => {
  const PHONE_PARAMS: Record<string, string> = {
    model: 'gpt-realtime-mini',
    status: '503',
    number: '+924235550123',
    phone: '+924235761234',
    url: 'https://192.168.1.20:8080',
    why: 'lan',
    voice_url: 'https://melt8-gulberg.ngrok.app/incoming-call',
    server_addr: 'connect.ngrok-agent.com:443',
    domain: 'melt8-gulberg.ngrok.app',
    detail: 'ngrok says something in English',
    reason: 'tunnel_failed',
    tunnel_code: 'ngrok_refused_token',
  };

  it('words every code in both languages: Urdu without English, each param shown isolated', () => {
    for (const code of SERVER_CODES) {
      for (const params of [{}, PHONE_PARAMS]) {
        const en = serverText({ code, params, message: SERVER_MESSAGE }, 'en');
        const ur = serverText({ code, params, message: SERVER_MESSAGE }, 'ur');
        expect(en, code).not.toBe(SERVER_MESSAGE);
        expect(en.length, code).toBeGreaterThan(5);
        expect(ur, code).not.toContain(SERVER_MESSAGE);
        expect(latinOutsideExamples(ur), `${code}: ${ur}`).toBe('');
        expect(ur, code).not.toContain('undefined');
        expect(en, code).not.toContain('undefined');
      }
    }
    const ur = (code: string) => serverText({ code, params: PHONE_PARAMS }, 'ur');
    expect(ur('connected')).toContain('\u2066+924235550123\u2069');
    expect(ur('connected')).toContain('\u2066https://melt8-gulberg.ngrok.app/incoming-call\u2069');
    expect(ur('shop_phone_set')).toContain('\u2066+924235761234\u2069');
    expect(ur('address_unreachable')).toContain('\u2066https://192.168.1.20:8080\u2069');
    expect(ur('address_unreachable')).toContain('نیٹ ورک');
    expect(ur('openai_ok')).toContain('\u2066gpt-realtime-mini\u2069');
    expect(ur('ngrok_refused')).not.toContain('something in English');
    expect(ur('fallback_dials_shop')).toContain('\u2066+924235761234\u2069');
    expect(ur('fallback_foreign')).toContain('\u2066https://192.168.1.20:8080\u2069');
    expect(serverText({ code: 'connected', params: { ...PHONE_PARAMS, fallback: 'dial' } }, 'ur')).toContain('دکان کے فون پر ملا دیتا ہے');
  });

  it('words English from the params, the server message only for an unknown code', () => {
    const en = (code: string, params: Record<string, string> = PHONE_PARAMS) => serverText({ code, params, message: SERVER_MESSAGE }, 'en');
    expect(en('connected')).toBe('Done: calls to +924235550123 now come to this shop (https://melt8-gulberg.ngrok.app/incoming-call).');
    expect(en('address_unreachable')).toContain('Twilio cannot reach https://192.168.1.20:8080: it is an address on the shop’s own network (LAN)');
    expect(en('tunnel_failed')).toContain('ngrok refused the authtoken');
    expect(en('no_public_url', { reason: 'no_tunnel' })).toContain('Add your ngrok authtoken');
    expect(en('no_public_url', { reason: 'tunnel_failed', tunnel_code: 'ngrok_agent_limit' })).toContain('already has an agent online');
    expect(en('ngrok_refused')).toBe('ngrok refused the connection: ngrok says something in English');
    expect(en('connected', { ...PHONE_PARAMS, fallback: 'dial' })).toContain('When this PC is off, Twilio puts them through to the shop’s phone.');
    expect(en('connected', { ...PHONE_PARAMS, fallback: 'message' })).toContain('callers hear a short apology');
    expect(en('fallback_dials_shop')).toBe('When this PC is off or offline, Twilio puts callers to +924235550123 through to +924235761234.');
    expect(en('fallback_missing')).toContain('press “Connect my number”');
    expect(en('fallback_foreign')).toContain('go to https://192.168.1.20:8080, which is not this shop’s backup');
    // Set up SIP trunk says whether it made the trunk or brought an earlier one up to date.
    const sip = { number: '+924235550123', sip_url: 'sip:proj_Melt8@sip.api.openai.com;transport=tls', fallback: 'dial' };
    expect(en('sip_connected', { ...sip, created: 'true' })).toMatch(/^Made the shop’s SIP trunk in Twilio\. Done: calls to \+924235550123 now go over/);
    expect(en('sip_connected', { ...sip, created: 'false' })).toMatch(/^The shop’s SIP trunk was already in Twilio: brought up to date, no second one made\. Done:/);
    expect(en('sip_connected', sip)).toMatch(/^Done: /);
    const urSip = (created: string) => serverText({ code: 'sip_connected', params: { ...sip, created } }, 'ur');
    expect(urSip('true')).toContain('ٹرنک بنا دیا');
    expect(urSip('false')).toContain('دوسرا نہیں بنایا');
    expect(urSip('false')).not.toContain('ٹرنک بنا دیا');
    expect(en('a_code_from_a_newer_server')).toBe(SERVER_MESSAGE);
    expect(serverText({ code: 'a_code_from_a_newer_server', message: SERVER_MESSAGE }, 'ur')).toBe(MESSAGES.ur.apiErrorGeneric);
    expect(serverText({ code: 'toString', message: '' }, 'en')).toBe(MESSAGES.en.apiErrorGeneric);
    for (const text of [en('missing_twilio_number'), en('no_public_address'), en('address_unreachable')]) {
      expect(text).not.toMatch(/PUBLIC_BASE_URL|[A-Z]{2,}_[A-Z_]+/);
      expect(text).not.toContain('in Settings');
    }
  });

  it('words a Phone refusal with its params through errorText', () => {
    const e = new ApiError(422, 'number_not_in_account', SERVER_MESSAGE, [], { number: '+923219876543' });
    expect(errorText(e, 'en')).toContain('The number +923219876543 is not in this Twilio account');
    expect(errorText(e, 'ur')).toContain('\u2066+923219876543\u2069');
    // Without params (an older server) the code's plain wording.
    expect(errorText(new ApiError(422, 'number_not_in_account', SERVER_MESSAGE), 'ur')).toBe(MESSAGES.ur.apiErrors.number_not_in_account);
    expect(errorText(new ApiError(409, 'invalid_transition', SERVER_MESSAGE, [], { from: 'ready', to: 'new' }), 'ur')).toBe(
      MESSAGES.ur.apiErrors.invalid_transition,
    );
  });

  it('has every code the kitchen API answers with', () => {
    // ApiError::code() in crates/kitchen-http/src/error.rs and the Phone API's refusals.
    const server = [
      'invalid_json', 'invalid_body', 'invalid_query', 'invalid_header', 'unsupported_media_type', 'body_too_large',
      'unauthorized', 'invalid_credentials', 'too_many_attempts', 'forbidden_origin', 'misdirected_host', 'request_timeout', 'not_found', 'route_not_found',
      'method_not_allowed', 'invalid_transition', 'idempotency_conflict', 'nothing_to_undo', 'undo_expired',
      'order_not_editable', 'not_recallable', 'validation_failed', 'invalid_status', 'reason_required', 'invalid_reason',
      'database_busy', 'secret_store_failed', 'internal', 'missing_twilio_account_sid', 'missing_twilio_auth_token',
      'missing_twilio_number', 'twilio_refused_credentials', 'twilio_unreachable', 'twilio_error', 'number_not_in_account',
      'no_public_url', 'owner_only', 'pairing_code_unknown', 'pairing_code_expired', 'pairing_code_used',
    ];
    for (const code of server) expect(API_ERROR_CODES as readonly string[], code).toContain(code);
  });
});

describe('order history', () => {
  it('words the known actors in both languages and keeps a username as typed, isolated', () => {
    expect(historyActor('phone-ai', 'en')).toBe('the phone AI');
    expect(historyActor('phone-ai', 'ur')).toBe('فون والا AI');
    expect(historyActor('dashboard', 'ur')).toBe('ڈیش بورڈ');
    expect(historyActor('chef', 'ur')).toBe('\u2068chef\u2069');
    expect(historyActor('toString', 'en')).toBe('\u2068toString\u2069');
    for (const by of Object.keys(MESSAGES.en.order.actors)) {
      expect(Object.keys(MESSAGES.ur.order.actors), by).toContain(by);
      expect(MESSAGES.ur.order.by(historyActor(by, 'ur')), by).not.toContain(by === 'api' ? 'program' : by);
    }
    expect(MESSAGES.ur.order.by(historyActor('phone-ai', 'ur'))).not.toContain('phone-ai');
  });

  it('points the status arrow the way each language reads', () => {
    expect(MESSAGES.en.order.arrow).toBe('→');
    expect(MESSAGES.ur.order.arrow).toBe('←');
    expect(historyReason('recall', 'ur')).toBe('واپس لایا گیا');
  });
});

describe('call outcomes', () => {
  it('each outcome has its own words in English and in Urdu, with no English on the Urdu screen', () => {
    for (const lang of ['en', 'ur'] as const) {
      const words = Object.values(MESSAGES[lang].calls.outcomes);
      expect(words).toHaveLength(11);
      expect(new Set(words).size).toBe(words.length);
      for (const w of words) expect(w.trim()).not.toBe('');
    }
    for (const w of Object.values(MESSAGES.ur.calls.outcomes)) expect(w).not.toMatch(/[A-Za-z]/);
    expect(MESSAGES.en.calls.outcomes.enquiry).toBe('Enquiry');
    expect(MESSAGES.en.calls.outcomes.wrong_number).toBe('Wrong number');
    expect(MESSAGES.ur.calls.outcomes.complaint).toBe('شکایت');
  });
});

describe('loginErrorText', () => {
  it('says why a password was not taken, in both languages, never the server’s English', () => {
    for (const lang of ['en', 'ur'] as Lang[]) {
      const t = MESSAGES[lang];
      expect(loginErrorText(new ApiError(401, 'invalid_credentials', SERVER_MESSAGE), lang)).toBe(t.login.wrong);
      expect(loginErrorText(new ApiError(429, 'too_many_attempts', SERVER_MESSAGE), lang)).toBe(t.login.tooMany(null));
      expect(loginErrorText(new ApiError(0, 'offline', SERVER_MESSAGE), lang)).toBe(t.login.unreachable);
    }
    expect(loginErrorText(new ApiError(500, 'internal', SERVER_MESSAGE), 'ur')).not.toContain(SERVER_MESSAGE);
  });
});
