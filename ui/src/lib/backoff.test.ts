import { describe, expect, it } from 'vitest';
import { backoffDelay, RECONNECT } from './backoff';

describe('reconnect backoff', () => {
  it('doubles from half a second and is capped at 10 seconds', () => {
    const top = (attempt: number) => backoffDelay(attempt, 1);
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50].map(top)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
    expect(RECONNECT.capMs).toBe(10_000);
  });

  it('jitters within the upper half, never to zero', () => {
    expect(backoffDelay(3, 0)).toBe(2000);
    expect(backoffDelay(3, 0.5)).toBe(3000);
    expect(backoffDelay(3, 1)).toBe(4000);
    expect(backoffDelay(0, 0)).toBe(250);
  });

  it('spreads many screens apart', () => {
    const delays = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(4, i / 49)));
    expect(delays.size).toBeGreaterThan(40);
  });
});
