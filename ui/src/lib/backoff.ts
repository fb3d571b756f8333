// Reconnect delays: exponential from `baseMs`, capped at `capMs`, with jitter so that many
// screens do not all reconnect in the same instant after a restart.

export type Backoff = { baseMs: number; capMs: number };
export const RECONNECT: Backoff = { baseMs: 500, capMs: 10_000 };

/**
 * The wait before reconnect attempt `attempt` (0 for the first): a random point in the
 * upper half of `min(cap, base·2^attempt)` ("equal jitter"), so it never drops to zero.
 */
export function backoffDelay(attempt: number, random: number, b: Backoff = RECONNECT): number {
  const ceiling = Math.min(b.capMs, b.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = Math.min(Math.max(random, 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
