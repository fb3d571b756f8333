import { describe, expect, it } from 'vitest';
import { pausedState, pauseWarning } from './pause';

describe('pausing AI answering', () => {
  it('warns only when pausing with no shop phone to send calls to', () => {
    expect(pauseWarning(true, null)).toBe('no_shop_phone');
    expect(pauseWarning(true, undefined)).toBe('no_shop_phone');
    expect(pauseWarning(true, '  ')).toBe('no_shop_phone');
    expect(pauseWarning(true, '+923001234567')).toBeNull();
    // Resuming never needs a warning.
    expect(pauseWarning(false, null)).toBeNull();
  });

  it('tells the board whether callers reach anyone while paused', () => {
    expect(pausedState(false, null)).toBe('answering');
    expect(pausedState(true, '+923001234567')).toBe('paused');
    expect(pausedState(true, '')).toBe('paused_no_phone');
  });
});
