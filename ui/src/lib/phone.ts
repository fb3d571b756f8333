// The Phone page's logic, kept out of the component so it is tested without a browser:
// how live events change what the page shows, the tunnel's line of text, and copying the
// public address (clipboard, or selecting the text where the clipboard is not allowed).

import type { PhoneDto, SetupCheck, TunnelDto } from './api';
import type { Frame } from './board';
import type { Messages } from './i18n';

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

/** One line about the tunnel, in the page's language. */
export function tunnelText(t: Messages['phone'], tunnel: TunnelDto): string {
  switch (tunnel.state) {
    case 'off':
      return t.tunnelOff;
    case 'connecting':
      return t.tunnelConnecting(tunnel.attempt ?? 1);
    case 'online':
      return t.tunnelOnline;
    case 'failed':
      return t.tunnelFailed(tunnel.message ?? '', tunnel.retry_in_secs ?? null);
  }
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
