// Live pricing while an order is built: each change asks the server for a quote after a
// short pause, and only the answer to the latest question is shown (an older answer
// arriving late never replaces a newer one).

/** The answer to one request (the request comes back with it, so its problems can be placed). */
export type QuoteOutcome<Req, Res> = { ok: true; value: Res; request: Req } | { ok: false; error: unknown; request: Req };

export class Quoter<Req, Res> {
  /** True from a change until the answer to it has arrived. */
  busy = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private asked = 0;
  private lastBody: string | null = null;

  constructor(
    private readonly ask: (request: Req) => Promise<Res>,
    private readonly onOutcome: (outcome: QuoteOutcome<Req, Res>) => void,
    private readonly onBusy: (busy: boolean) => void = () => {},
    private readonly delayMs = 250,
  ) {}

  /**
   * A new request to price, after the pause (replacing one still waiting); the same request
   * as the last one asks nothing. `null`: nothing to price (answers on their way are dropped).
   */
  request(request: Req | null): void {
    const body = request === null ? null : JSON.stringify(request);
    if (body === this.lastBody) return;
    this.lastBody = body;
    this.clearTimer();
    this.asked += 1;
    if (request === null) {
      this.setBusy(false);
      return;
    }
    this.setBusy(true);
    const ticket = this.asked;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.send(request, ticket);
    }, this.delayMs);
  }

  /** Asks again for the last request (after the menu or the settings changed). */
  refresh(): void {
    const body = this.lastBody;
    if (body === null) return;
    this.lastBody = null;
    this.request(JSON.parse(body) as Req);
  }

  /** Stops: nothing more is asked and no answer is delivered. */
  stop(): void {
    this.clearTimer();
    this.asked += 1;
    this.lastBody = null;
    this.setBusy(false);
  }

  private async send(request: Req, ticket: number): Promise<void> {
    let outcome: QuoteOutcome<Req, Res>;
    try {
      outcome = { ok: true, value: await this.ask(request), request };
    } catch (error) {
      outcome = { ok: false, error, request };
    }
    if (ticket !== this.asked) return;
    this.setBusy(false);
    this.onOutcome(outcome);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    this.onBusy(busy);
  }
}
