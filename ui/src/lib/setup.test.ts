import { describe, expect, it } from 'vitest';
import { isKitchenBoard, opensByItself } from './setup.svelte';

describe('the first-run wizard opens by itself', () => {
  const fresh = { done: false, skipped: false };

  it('on a fresh install, on the landing page and the owner pages', () => {
    for (const hash of ['', '#', '#/', '#/settings', '#/phone']) expect(opensByItself(fresh, hash), hash).toBe(true);
  });

  it('never once it was saved or skipped (on the server, in any browser)', () => {
    expect(opensByItself({ done: true, skipped: false }, '')).toBe(false);
    expect(opensByItself({ done: false, skipped: true }, '')).toBe(false);
    // An older server without `skipped`: the tab's own skip still counts.
    expect(opensByItself({ done: false }, '', true)).toBe(false);
    expect(opensByItself({ done: false }, '')).toBe(true);
  });

  it('never over the kitchen board’s address', () => {
    for (const hash of ['#/board', '#board', '#/board?x=1']) {
      expect(isKitchenBoard(hash), hash).toBe(true);
      expect(opensByItself(fresh, hash), hash).toBe(false);
    }
    expect(isKitchenBoard('#/boardroom')).toBe(false);
  });
});
