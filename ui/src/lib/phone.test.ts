// The Phone page's logic: live frames, the tunnel's text in both languages, copying.

import { describe, expect, it, vi } from 'vitest';
import type { PhoneDto, SettingsDto, TunnelDto } from './api';
import {
  allReady,
  applyPhoneFrame,
  copyOrSelect,
  engineChange,
  fixLabel,
  fixTarget,
  isSipEngine,
  sipDraftProblems,
  tunnelText,
  VOICE_ENGINES,
  webhookEvent,
  webhookUrl,
} from './phone';
import { MESSAGES } from './i18n';
import { ORDER_SETTINGS } from './testing/settings';

const off: TunnelDto = { state: 'off', url: null, message: null, code: null, params: {}, retry_in_secs: null, attempt: null };
const LATIN_PHRASE = /[A-Za-z]{3,}(?:\s+[A-Za-z]{3,})+/;

function phone(over: Partial<PhoneDto> = {}): PhoneDto {
  return {
    tunnel: off,
    public_base_url: 'https://shop.example.com',
    incoming_call_url: 'https://shop.example.com/incoming-call',
    answering_paused: false,
    twilio_number: '+924235550123',
    connected_voice_url: null,
    connected: false,
    ...over,
  };
}

describe('applyPhoneFrame', () => {
  it('takes a pause or resume from the event without a re-read', () => {
    const e = applyPhoneFrame(phone(), { type: 'answering.changed', paused: true });
    expect(e.phone?.answering_paused).toBe(true);
    expect(e.refetch).toBe(false);
    expect(applyPhoneFrame(e.phone, { type: 'answering.changed', paused: false }).phone?.answering_paused).toBe(false);
  });

  it('follows a settings change: the pause at once, the rest by a re-read', () => {
    const settings: SettingsDto = {
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
      shop_name: 'Melt 8',
      greeting: null,
      eta_minutes: 35,
      amber_after_minutes: 5,
      red_after_minutes: 10,
      shop_phone: null,
      twilio_account_sid: null,
      twilio_phone_number: '+924235550123',
      openai_model: 'gpt-realtime-2.1',
      ngrok_domain: null,
      start_at_login: true,
      setup_done: true,
      answering_paused: true,
      openai_api_key_set: true,
      twilio_auth_token_set: false,
      ngrok_authtoken_set: false,
      ...ORDER_SETTINGS,
    };
    const e = applyPhoneFrame(phone(), { type: 'settings.changed', settings });
    expect(e.phone?.answering_paused).toBe(true);
    expect(e.refetch).toBe(true);
  });

  it('shows a tunnel change at once and re-reads the address it brings', () => {
    const online: TunnelDto = { ...off, state: 'online', url: 'https://a.ngrok-free.app' };
    const e = applyPhoneFrame(phone(), { type: 'tunnel.changed', tunnel: online });
    expect(e.phone?.tunnel).toEqual(online);
    expect(e.refetch).toBe(true);
  });

  it('re-reads after a (re)connection and ignores order news', () => {
    expect(applyPhoneFrame(phone(), { type: 'hello' }).refetch).toBe(true);
    expect(applyPhoneFrame(phone(), { type: 'resync', missed: 3 }).refetch).toBe(true);
    const p = phone();
    const e = applyPhoneFrame(p, { type: 'menu.updated' });
    expect(e).toEqual({ phone: p, refetch: false });
  });

  it('waits for the first load before applying anything', () => {
    expect(applyPhoneFrame(null, { type: 'answering.changed', paused: true })).toEqual({ phone: null, refetch: false });
  });
});

describe('tunnelText', () => {
  it('says each state in plain words, in English and Urdu', () => {
    expect(tunnelText('en', off)).toContain('ngrok authtoken');
    expect(tunnelText('en', off)).not.toContain('PUBLIC_BASE_URL');
    expect(tunnelText('ur', off)).not.toContain('PUBLIC_BASE_URL');
    expect(tunnelText('en', { ...off, state: 'connecting', attempt: 1 })).toBe('Connecting to ngrok…');
    expect(tunnelText('en', { ...off, state: 'connecting', attempt: 3 })).toContain('try 3');
    expect(tunnelText('en', { ...off, state: 'online', url: 'https://x' })).toContain('Online');
  });

  it('words a failure from its code in the screen language, never the server English in Urdu', () => {
    const failed: TunnelDto = {
      ...off,
      state: 'failed',
      message: 'ngrok refused the authtoken: copy it again from dashboard.ngrok.com (Your Authtoken)',
      code: 'ngrok_refused_token',
      retry_in_secs: 8,
    };
    expect(tunnelText('en', failed)).toBe(
      'Not online: ngrok refused the authtoken: copy it again from dashboard.ngrok.com (Your Authtoken). Trying again in 8 s.',
    );
    const ur = tunnelText('ur', failed);
    expect(ur).toContain('ٹوکن رد کر دیا');
    expect(ur).toContain('\u2066dashboard.ngrok.com\u2069');
    expect(ur).toContain('8');
    expect(ur).not.toMatch(LATIN_PHRASE);
    const unreachable: TunnelDto = { ...failed, code: 'ngrok_unreachable', params: { server_addr: 'connect.ngrok-agent.com:443' } };
    expect(tunnelText('en', unreachable)).toContain('Could not reach ngrok at connect.ngrok-agent.com:443');
    expect(tunnelText('ur', unreachable)).toContain('\u2066connect.ngrok-agent.com:443\u2069');
    // ngrok's own English words appear on English screens only.
    const refused: TunnelDto = { ...failed, code: 'ngrok_refused', params: { detail: 'account suspended' } };
    expect(tunnelText('en', refused)).toContain('account suspended');
    expect(tunnelText('ur', refused)).not.toContain('account suspended');
    // An older server (no code): its message in English, a plain sentence in Urdu.
    const old: TunnelDto = { ...failed, code: null, message: 'something odd' };
    expect(tunnelText('en', old)).toContain('something odd');
    expect(tunnelText('ur', old)).not.toContain('something odd');
  });
});

describe('fixTarget', () => {
  it('sends each fixable problem to the Settings field or the wizard step that sets it', () => {
    expect(fixTarget('openai_no_key')).toEqual({ place: 'settings', field: 'openai_api_key' });
    expect(fixTarget('twilio_refused_credentials')).toEqual({ place: 'settings', field: 'twilio_auth_token' });
    expect(fixTarget('no_shop_phone')).toEqual({ place: 'settings', field: 'shop_phone' });
    expect(fixTarget('missing_twilio_account_sid')).toEqual({ place: 'setup', step: 'phone', field: 'twilio_account_sid' });
    expect(fixTarget('number_not_in_account', { number: '+92' })).toEqual({ place: 'setup', step: 'phone', field: 'twilio_phone_number' });
    expect(fixTarget('openai_unknown_model')).toEqual({ place: 'setup', step: 'ai', field: 'openai_model' });
    expect(fixTarget('address_unreachable')).toEqual({ place: 'setup', step: 'tunnel', field: 'ngrok_authtoken' });
    expect(fixTarget('tunnel_failed', { tunnel_code: 'ngrok_domain_refused' })).toEqual({ place: 'setup', step: 'tunnel', field: 'ngrok_domain' });
    expect(fixTarget('no_public_url', { reason: 'no_tunnel' })).toEqual({ place: 'setup', step: 'tunnel', field: 'ngrok_authtoken' });
    expect(fixTarget('no_public_url', { reason: 'tunnel_connecting' })).toBeNull();
    // Nothing to set: a button on the page, or outside the app.
    for (const code of ['answering_paused', 'twilio_not_connected', 'openai_over_limit', 'twilio_unreachable', 'ngrok_dropped', null]) {
      expect(fixTarget(code), String(code)).toBeNull();
    }
  });

  it('names the place and the field in both languages, never an environment variable', () => {
    for (const lang of ['en', 'ur'] as const) {
      const t = MESSAGES[lang];
      const settings = fixLabel({ place: 'settings', field: 'shop_phone' }, t);
      expect(settings).toContain(t.settings.shopPhone);
      const setup = fixLabel({ place: 'setup', step: 'phone', field: 'twilio_phone_number' }, t);
      expect(setup).toContain(t.setup.steps.phone);
      expect(setup).toContain(t.setup.twilioNumber);
      expect(setup + settings).not.toMatch(/[A-Z]{2,}_[A-Z_]+/);
    }
    expect(fixLabel({ place: 'settings', field: 'openai_api_key' }, MESSAGES.en)).toBe('Set it in Settings: OpenAI API key');
  });
});

describe('allReady', () => {
  it('is true only when every part passed', () => {
    expect(allReady([])).toBe(false);
    expect(allReady([{ part: 'openai', ok: true, message: '', code: 'openai_ok', params: {} }])).toBe(true);
    expect(
      allReady([
        { part: 'openai', ok: true, message: '', code: 'openai_ok', params: {} },
        { part: 'twilio', ok: false, message: 'Twilio refused', code: 'twilio_refused_credentials', params: {} },
      ]),
    ).toBe(false);
  });
});

describe('copyOrSelect', () => {
  it('copies with the clipboard when it is allowed', async () => {
    const writeText = vi.fn(async () => {});
    const select = vi.fn();
    expect(await copyOrSelect('https://x/incoming-call', { writeText }, select)).toBe('copied');
    expect(writeText).toHaveBeenCalledWith('https://x/incoming-call');
    expect(select).not.toHaveBeenCalled();
  });

  it('selects the text when the clipboard refuses or is missing', async () => {
    const select = vi.fn();
    const refusing = { writeText: vi.fn(async () => Promise.reject(new Error('NotAllowedError'))) };
    expect(await copyOrSelect('u', refusing, select)).toBe('selected');
    expect(await copyOrSelect('u', undefined, select)).toBe('selected');
    expect(select).toHaveBeenCalledTimes(2);
  });
});

describe('voice engines (issue 17)', () => {
  it('knows which engines go over SIP and which webhook event each needs', () => {
    expect(VOICE_ENGINES.filter(isSipEngine)).toEqual(['sip-live', 'sip-realtime']);
    expect(isSipEngine(null)).toBe(false);
    expect(webhookEvent('sip-live')).toBe('live.transport.incoming');
    expect(webhookEvent('sip-realtime')).toBe('realtime.call.incoming');
    expect(webhookUrl('https://melt8.ngrok.app/')).toBe('https://melt8.ngrok.app/openai/webhook');
    expect(webhookUrl(null)).toBeNull();
  });

  it('asks a SIP engine for a project id and a webhook secret, a bridge engine for neither', () => {
    expect(sipDraftProblems('realtime-bridge', '', '', false)).toEqual({});
    expect(sipDraftProblems('sip-live', '', '', false)).toEqual({ project: 'missing', secret: 'missing' });
    expect(sipDraftProblems('sip-live', 'abc', 'secret', false)).toEqual({ project: 'invalid', secret: 'invalid' });
    expect(sipDraftProblems('sip-live', 'proj_ab;c', '', true)).toEqual({ project: 'invalid' });
    expect(sipDraftProblems('sip-realtime', ' proj_Abc123 ', '', true)).toEqual({});
    expect(sipDraftProblems('sip-live', 'proj_Abc123', 'whsec_xyz=', false)).toEqual({});
  });

  it('saves the engine, a changed project id, and the secret only when one was typed', () => {
    expect(engineChange('realtime-bridge', '', null, '')).toEqual({ voice_engine: 'realtime-bridge' });
    expect(engineChange('sip-live', 'proj_abc', 'proj_abc', '')).toEqual({ voice_engine: 'sip-live' });
    expect(engineChange('sip-live', ' proj_new ', 'proj_abc', ' whsec_1 ')).toEqual({
      voice_engine: 'sip-live',
      openai_project_id: 'proj_new',
      openai_webhook_secret: 'whsec_1',
    });
  });
});
