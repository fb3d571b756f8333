// Who is logged in. A 401 from any request (or a refused event stream) marks the session
// expired: the login screen shows over the board, which keeps its state; logging in again
// resumes it.

import { api, ApiError, setOwnerOnlyHandler, setUnauthorizedHandler, type Role } from './api';
import { kitchen } from './kitchen.svelte';
import { shopSettings } from './settings.svelte';
import { setupWizard } from './setup.svelte';

export type SessionState = 'checking' | 'out' | 'expired' | 'in';

class Session {
  state = $state<SessionState>('checking');
  username = $state<string | null>(null);
  /** The owner (everything) or a kitchen tablet (the board). */
  role = $state<Role>('owner');
  /** A kitchen session asked for an owner's page: the owner password is asked for. */
  ownerNeeded = $state(false);
  /** The first check could not reach the server. */
  unreachable = $state(false);

  async check(): Promise<void> {
    try {
      const me = await api.session();
      this.enter(me.username, me.role);
    } catch (e) {
      this.unreachable = e instanceof ApiError && e.offline;
      if (this.state === 'checking') this.state = 'out';
    }
  }

  /** Throws the `ApiError` of a refused login. */
  async login(username: string, password: string): Promise<void> {
    const me = await api.login(username, password);
    this.enter(me.username, me.role);
  }

  /** Joins as a kitchen tablet with a pairing code; throws the `ApiError` of a refusal. */
  async pair(code: string): Promise<void> {
    const me = await api.pair(code);
    this.enter(me.username, me.role);
  }

  /** The owner password typed on a kitchen session: it becomes an owner session. */
  async becomeOwner(username: string, password: string): Promise<void> {
    const me = await api.login(username, password);
    this.role = me.role;
    this.ownerNeeded = false;
    void setupWizard.load();
  }

  async logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // Gone already, or the server is down: either way this screen forgets the session.
    }
    kitchen.reset();
    setupWizard.reset();
    this.username = null;
    this.state = 'out';
  }

  /** The server no longer knows our session. */
  expire(): void {
    if (this.state !== 'in') return;
    this.state = 'expired';
    kitchen.pause();
  }

  private enter(username: string, role: Role): void {
    this.username = username;
    this.role = role === 'kitchen' ? 'kitchen' : 'owner';
    this.ownerNeeded = false;
    this.unreachable = false;
    this.state = 'in';
    kitchen.start();
    void shopSettings.load();
    // The first-run wizard is the owner's; a tablet never sees it.
    if (this.role === 'owner') void setupWizard.load();
  }
}

export const session = new Session();
setUnauthorizedHandler(() => session.expire());
setOwnerOnlyHandler(() => {
  if (session.state === 'in') session.ownerNeeded = true;
});
