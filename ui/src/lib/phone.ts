// The Phone page's logic, kept out of the component so it is tested without a browser:
// how live events change what the page shows, the tunnel's line of text, and copying the
// public address (clipboard, or selecting the text where the clipboard is not allowed).

import type { PhoneDto, SetupCheck, TunnelDto } from './api';
import type { Frame } from './board';
import { MESSAGES, tunnelReason, type Lang, type Messages } from './i18n';

/** What a live frame means for the Phone page. */
export type PhoneFrameEffect = {
  /** The page's data after the frame (unchanged when the frame is not about the phone). */
  phone: PhoneDto | null;
  /** Re-read `/api/phone` (a new connection, or the tunnel's address changed). */
  refetch: boolean;
};

export function applyPhoneFrame(phone: PhoneDto | null, frame: Frame): PhoneFrameEffect {
  switch (frame.type) {
    case 'hello':
    case 'resync':
      return { phone, refetch: true };
    case 'answering.changed':
      return { phone: phone && { ...phone, answering_paused: frame.paused }, refetch: false };
    case 'settings.changed':
      // The Twilio number, the shop's phone or the tunnel's token may have changed: re-read.
      return {
        phone: phone && { ...phone, answering_paused: frame.settings.answering_paused },
        refetch: true,
      };
    case 'tunnel.changed':
      // The public address follows the tunnel (or falls back to PUBLIC_BASE_URL): re-read it.
      return { phone: phone && { ...phone, tunnel: frame.tunnel }, refetch: true };
    default:
      return { phone, refetch: false };
  }
}

/** One line about the tunnel, in the page's language (a failure worded from its code). */
export function tunnelText(lang: Lang, tunnel: TunnelDto): string {
  const t = MESSAGES[lang].phone;
  switch (tunnel.state) {
    case 'off':
      return t.tunnelOff;
    case 'connecting':
      return t.tunnelConnecting(tunnel.attempt ?? 1);
    case 'online':
      return t.tunnelOnline;
    case 'failed': {
      // An older server sends only the English message: shown on an English screen only.
      const reason =
        tunnel.code == null && lang === 'en' && tunnel.message ? tunnel.message : tunnelReason({ ...(tunnel.params ?? {}), code: tunnel.code ?? undefined }, lang);
      return t.tunnelFailed(reason, tunnel.retry_in_secs ?? null);
    }
  }
}

/** A wizard step that holds a setting (see `STEPS` in setup-form.ts). */
export type SetupStepName = 'ai' | 'phone' | 'tunnel';

/**
 * Where the owner sets the thing a Phone-page message is about: a field of Settings, or a
 * field of a setup wizard step (what Settings does not have: the Twilio account SID and
 * number, the AI model, the ngrok token and domain). `field` is the form field's name.
 */
export type FixTarget =
  | { place: 'settings'; field: 'openai_api_key' | 'twilio_auth_token' | 'shop_phone' }
  | { place: 'setup'; step: SetupStepName; field: 'openai_model' | 'twilio_account_sid' | 'twilio_phone_number' | 'ngrok_authtoken' | 'ngrok_domain' };

/**
 * Where to fix what a message's code (a Check setup line, a Connect refusal, the tunnel's
 * failure) is about; null when there is nothing to set (a button on the page does it, or
 * the fix is outside the app).
 */
export function fixTarget(code: string | null | undefined, params: Readonly<Record<string, string | undefined>> = {}): FixTarget | null {
  switch (code) {
    case 'openai_no_key':
    case 'openai_refused_key':
      return { place: 'settings', field: 'openai_api_key' };
    case 'openai_unknown_model':
      return { place: 'setup', step: 'ai', field: 'openai_model' };
    case 'missing_twilio_account_sid':
      return { place: 'setup', step: 'phone', field: 'twilio_account_sid' };
    case 'missing_twilio_auth_token':
    case 'twilio_refused_credentials':
      return { place: 'settings', field: 'twilio_auth_token' };
    case 'missing_twilio_number':
    case 'number_not_in_account':
      return { place: 'setup', step: 'phone', field: 'twilio_phone_number' };
    case 'no_shop_phone':
      return { place: 'settings', field: 'shop_phone' };
    case 'ngrok_domain_refused':
      return { place: 'setup', step: 'tunnel', field: 'ngrok_domain' };
    case 'ngrok_refused_token':
    case 'ngrok_agent_limit':
    case 'no_public_address':
    case 'address_unreachable':
      return { place: 'setup', step: 'tunnel', field: 'ngrok_authtoken' };
    case 'tunnel_failed':
      return fixTarget(params.tunnel_code, {});
    case 'no_public_url':
      if (params.reason === 'tunnel_failed') return fixTarget(params.tunnel_code, {});
      return params.reason === 'tunnel_connecting' ? null : { place: 'setup', step: 'tunnel', field: 'ngrok_authtoken' };
    default:
      return null;
  }
}

/** The link's words: "Settings: OpenAI API key", "Setup → Phone: Twilio number". */
export function fixLabel(target: FixTarget, t: Messages): string {
  if (target.place === 'settings') {
    const field = { openai_api_key: t.settings.openaiKey, twilio_auth_token: t.settings.twilioToken, shop_phone: t.settings.shopPhone }[target.field];
    return t.phone.fixInSettings(field);
  }
  const field = {
    openai_model: t.setup.openaiModel,
    twilio_account_sid: t.setup.twilioSid,
    twilio_phone_number: t.setup.twilioNumber,
    ngrok_authtoken: t.setup.ngrokToken,
    ngrok_domain: t.setup.ngrokDomain,
  }[target.field];
  return t.phone.fixInSetup(t.setup.steps[target.step], field);
}

/** Whether every part of "Check setup" is ready. */
export function allReady(checks: SetupCheck[]): boolean {
  return checks.length > 0 && checks.every((c) => c.ok);
}

/** The clipboard as far as the page needs it (absent on plain-HTTP pages in some browsers). */
export type ClipboardLike = { writeText(text: string): Promise<void> } | undefined;

/**
 * Copies `text`. `'copied'` when the clipboard took it; otherwise `select()` is called so
 * the owner can copy it by hand (Ctrl+C), and `'selected'` is returned.
 */
export async function copyOrSelect(
  text: string,
  clipboard: ClipboardLike,
  select: () => void,
): Promise<'copied' | 'selected'> {
  if (clipboard) {
    try {
      await clipboard.writeText(text);
      return 'copied';
    } catch {
      // Not allowed here (no secure context, permission refused): select instead.
    }
  }
  select();
  return 'selected';
}

/** The voice engines, as the settings spell them (issue 17). */
export const VOICE_ENGINES = ['realtime-bridge', 'live-bridge', 'sip-live', 'sip-realtime'] as const;
export type EngineName = (typeof VOICE_ENGINES)[number];

/** Whether the engine sends calls over the SIP trunk straight to OpenAI (audio never touches this PC). */
export function isSipEngine(engine: string | null | undefined): boolean {
  return engine === 'sip-live' || engine === 'sip-realtime';
}

/** The OpenAI webhook event the engine needs subscribed. */
export function webhookEvent(engine: string | null | undefined): string {
  return engine === 'sip-realtime' ? 'realtime.call.incoming' : 'live.transport.incoming';
}

/** Where OpenAI sends the incoming-call webhook: `<public address>/openai/webhook`. */
export function webhookUrl(publicBase: string | null | undefined): string | null {
  return publicBase ? `${publicBase.replace(/\/+$/, '')}/openai/webhook` : null;
}

/** What is wrong with the SIP settings typed on the Phone page, as the server would say it. */
export type SipDraftProblems = {
  project?: 'missing' | 'invalid';
  secret?: 'missing' | 'invalid';
};

/**
 * Checks the SIP settings before they are saved: a SIP engine needs a project id
 * (`proj_` and letters or digits) and a webhook secret (`whsec_…`), typed now or already
 * stored (`secretSet`). A bridge engine needs neither.
 */
export function sipDraftProblems(engine: string, projectId: string, secret: string, secretSet: boolean): SipDraftProblems {
  if (!isSipEngine(engine)) return {};
  const problems: SipDraftProblems = {};
  const id = projectId.trim();
  if (id === '') problems.project = 'missing';
  else if (!/^proj_[A-Za-z0-9]+$/.test(id)) problems.project = 'invalid';
  const s = secret.trim();
  if (s === '' && !secretSet) problems.secret = 'missing';
  else if (s !== '' && !/^whsec_\S+$/.test(s)) problems.secret = 'invalid';
  return problems;
}

/**
 * The settings change that saves the engine choice: the engine, the project id when it
 * changed, the webhook secret only when one was typed (an empty box keeps the stored one).
 */
export function engineChange(
  engine: EngineName,
  projectId: string,
  storedProjectId: string | null | undefined,
  secret: string,
): { voice_engine: EngineName; openai_project_id?: string; openai_webhook_secret?: string } {
  const change: { voice_engine: EngineName; openai_project_id?: string; openai_webhook_secret?: string } = { voice_engine: engine };
  const id = projectId.trim();
  if (id !== '' && id !== (storedProjectId ?? '')) change.openai_project_id = id;
  if (secret.trim() !== '') change.openai_webhook_secret = secret.trim();
  return change;
}
