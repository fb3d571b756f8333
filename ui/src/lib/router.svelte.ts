// The current hash route, as reactive state; and a page's unsaved work, which makes leaving
// it ask first (`guardLeaving`): the route stays until the owner chooses to leave.

import { parseRoute, type Route } from './routes';

class Router {
  route = $state<Route>(parseRoute(location.hash));
  /** Where the owner asked to go while the page had unsaved work; null when not asking. */
  pending = $state<string | null>(null);
  private hash = location.hash;
  private unsaved: (() => boolean) | null = null;

  constructor() {
    window.addEventListener('hashchange', () => {
      if (location.hash === this.hash) return;
      if (this.unsaved?.()) {
        this.pending = location.hash;
        // Back to where the work is, without another hashchange.
        history.replaceState(history.state, '', this.hash === '' ? location.pathname + location.search : this.hash);
        return;
      }
      this.follow();
    });
  }

  private follow(): void {
    this.hash = location.hash;
    this.route = parseRoute(location.hash);
  }

  /** While `unsaved()` is true, leaving the page asks first. Returns the way to stop. */
  guardLeaving(unsaved: () => boolean): () => void {
    this.unsaved = unsaved;
    return () => {
      if (this.unsaved === unsaved) this.unsaved = null;
    };
  }

  /** Leaves for where the owner asked to go, dropping the unsaved work. */
  leave(): void {
    const to = this.pending;
    this.pending = null;
    if (to === null) return;
    this.unsaved = null;
    location.hash = to;
  }

  /** Stays on the page with the work. */
  stay(): void {
    this.pending = null;
  }
}

export const router = new Router();
