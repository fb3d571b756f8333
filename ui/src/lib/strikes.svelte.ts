// The lines struck off on this screen (pure rules in strike.ts), kept in localStorage so a
// reload or a restart of the tablet keeps them.

import { NO_STRIKES, parseStruck, pruneStruck, serializeStruck, STRIKE_KEY, toggleLine, type Struck } from './strike';

function read(): Struck {
  try {
    return parseStruck(localStorage.getItem(STRIKE_KEY));
  } catch {
    return NO_STRIKES;
  }
}

class Strikes {
  struck = $state.raw<Struck>(typeof localStorage === 'undefined' ? NO_STRIKES : read());

  toggle(orderId: number, line: number): void {
    this.set(toggleLine(this.struck, orderId, line));
  }

  /** Forgets the orders no longer on the board. */
  prune(onBoard: (orderId: number) => boolean): void {
    const next = pruneStruck(this.struck, onBoard);
    if (next !== this.struck) this.set(next);
  }

  private set(next: Struck): void {
    this.struck = next;
    try {
      if (next.size === 0) localStorage.removeItem(STRIKE_KEY);
      else localStorage.setItem(STRIKE_KEY, serializeStruck(next));
    } catch {
      // Private mode or storage full: the strikes last until the page reloads.
    }
  }
}

export const strikes = new Strikes();
