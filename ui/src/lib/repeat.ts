// Runs an action now and then every `everyMs` while switched on: the alert's sound repeats
// until the last new order is acknowledged (or the sound is muted).

export class Repeater {
  private handle: unknown = null;

  constructor(
    private readonly action: () => void,
    private readonly everyMs: number,
    private readonly setTimer: (fn: () => void, ms: number) => unknown = (fn, ms) => setInterval(fn, ms),
    private readonly clearTimer: (h: unknown) => void = (h) => clearInterval(h as ReturnType<typeof setInterval>),
  ) {}

  get running(): boolean {
    return this.handle !== null;
  }

  /** Switches on (starting with one action right away) or off; repeated calls change nothing. */
  set(on: boolean): void {
    if (on && this.handle === null) {
      this.action();
      this.handle = this.setTimer(this.action, this.everyMs);
    } else if (!on && this.handle !== null) {
      this.clearTimer(this.handle);
      this.handle = null;
    }
  }
}
