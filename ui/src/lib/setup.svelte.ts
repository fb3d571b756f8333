// Whether the first-run setup wizard shows. It opens by itself only on a fresh install:
// after login, while `GET /api/setup` says it was neither saved (`done`) nor skipped
// (`skipped`, kept on the server for every tab, browser and restart), and never over the
// kitchen board's own address (`#/board`, what a kitchen screen is left on): the owner's
// questions are not the cook's. Settings opens it again at any time. A server without
// `/api/setup` never shows it; a server without `/api/setup/skip` (older) keeps the skip for
// this tab only.

import { api, type SetupStatus } from './api';

const SKIP_KEY = 'melt8.setupSkipped';

/**
 * Whether the wizard opens by itself: a fresh install (neither done nor skipped, here or on
 * the server) and not the kitchen board's address.
 */
export function opensByItself(status: Pick<SetupStatus, 'done'> & { skipped?: boolean }, hash: string, skippedHere = false): boolean {
  if (status.done || status.skipped === true || skippedHere) return false;
  return !isKitchenBoard(hash);
}

/** `#/board` (and `#/board?…`): the address a kitchen screen is left on. `#/` or nothing is the landing page. */
export function isKitchenBoard(hash: string): boolean {
  return /^#\/?board(?:[/?]|$)/.test(hash);
}

class SetupWizard {
  status = $state.raw<SetupStatus | null>(null);
  open = $state(false);

  async load(hash: string = currentHash()): Promise<void> {
    try {
      const status = await api.setup();
      this.status = status;
      this.open = opensByItself(status, hash, skippedHere());
    } catch {
      // No wizard on this server, or it is unreachable: the board works without it.
    }
  }

  /** "Skip for now": the board, in every tab and browser, until Settings opens the wizard. */
  async skip(): Promise<void> {
    this.open = false;
    try {
      this.status = await api.skipSetup();
    } catch {
      // An older server, or unreachable: remember it in this tab at least.
      try {
        sessionStorage.setItem(SKIP_KEY, '1');
      } catch {
        // Storage may be off; skipping still works until the page reloads.
      }
    }
  }

  reopen(): void {
    this.open = true;
  }

  /** Saved: the board shows. */
  finish(status: SetupStatus): void {
    this.status = status;
    this.open = false;
  }

  reset(): void {
    this.status = null;
    this.open = false;
  }
}

function currentHash(): string {
  try {
    return location.hash;
  } catch {
    return '';
  }
}

function skippedHere(): boolean {
  try {
    return sessionStorage.getItem(SKIP_KEY) === '1';
  } catch {
    return false;
  }
}

export const setupWizard = new SetupWizard();
