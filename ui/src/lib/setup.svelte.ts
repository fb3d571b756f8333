// Whether the first-run setup wizard shows: after login, while `GET /api/setup` says it was
// never saved, unless the owner chose "Skip for now" in this browser tab. Settings opens it
// again. A server without `/api/setup` never shows it.

import { api, type SetupStatus } from './api';

const SKIP_KEY = 'melt8.setupSkipped';

class SetupWizard {
  status = $state.raw<SetupStatus | null>(null);
  open = $state(false);

  async load(): Promise<void> {
    try {
      const status = await api.setup();
      this.status = status;
      this.open = !status.done && !skipped();
    } catch {
      // No wizard on this server, or it is unreachable: the board works without it.
    }
  }

  /** "Skip for now": the board, until this tab is closed or Settings opens the wizard. */
  skip(): void {
    try {
      sessionStorage.setItem(SKIP_KEY, '1');
    } catch {
      // Storage may be off; skipping still works until the page reloads.
    }
    this.open = false;
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

function skipped(): boolean {
  try {
    return sessionStorage.getItem(SKIP_KEY) === '1';
  } catch {
    return false;
  }
}

export const setupWizard = new SetupWizard();
