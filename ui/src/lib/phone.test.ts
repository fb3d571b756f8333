// The Phone page's logic: live frames, the tunnel's text in both languages, copying.

import { describe, expect, it, vi } from 'vitest';
import type { PhoneDto, SettingsDto, TunnelDto } from './api';
import { allReady, applyPhoneFrame, copyOrSelect, tunnelText } from './phone';
import { MESSAGES } from './i18n';
import { orderSettingsDefaults } from './testing/settings';

const off: TunnelDto = { state: 'off', url: null, message: null, retry_in_secs: null, attempt: null };

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
      ...orderSettingsDefaults(),
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
    const en = MESSAGES.en.phone;
    expect(tunnelText(en, off)).toContain('ngrok authtoken');
    expect(tunnelText(en, { ...off, state: 'connecting', attempt: 1 })).toBe('Connecting to ngrok…');
    expect(tunnelText(en, { ...off, state: 'connecting', attempt: 3 })).toContain('try 3');
    expect(tunnelText(en, { ...off, state: 'online', url: 'https://x' })).toContain('Online');
    const failed: TunnelDto = { ...off, state: 'failed', message: 'ngrok refused the authtoken.', retry_in_secs: 8 };
    expect(tunnelText(en, failed)).toBe('Not online: ngrok refused the authtoken. Trying again in 8 s.');
    expect(tunnelText(MESSAGES.ur.phone, failed)).toContain('ngrok refused the authtoken.');
    expect(tunnelText(MESSAGES.ur.phone, failed)).toContain('8');
  });
});

describe('allReady', () => {
  it('is true only when every part passed', () => {
    expect(allReady([])).toBe(false);
    expect(allReady([{ part: 'openai', ok: true, message: '' }])).toBe(true);
    expect(
      allReady([
        { part: 'openai', ok: true, message: '' },
        { part: 'twilio', ok: false, message: 'Twilio refused' },
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
