import { afterEach, describe, expect, it, vi } from 'vitest';

// chime.ts keeps one audio context per page: each test loads a fresh copy.
async function freshChime() {
  vi.resetModules();
  return await import('./chime');
}

function page(desktop: boolean) {
  const made: string[] = [];
  class FakeAudioContext {
    state = 'running';
    currentTime = 0;
    destination = {};
    constructor() {
      made.push('context');
    }
    createOscillator() {
      const node = {
        type: '',
        frequency: { setValueAtTime: () => {} },
        connect: (n: unknown) => n,
        start: () => made.push('note'),
        stop: () => {},
      };
      return node;
    }
    createGain() {
      return {
        gain: { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} },
        connect: (n: unknown) => n,
      };
    }
    resume() {
      return Promise.resolve();
    }
  }
  const body = { dataset: {} as Record<string, string> };
  vi.stubGlobal('document', { body });
  vi.stubGlobal('window', { AudioContext: FakeAudioContext, ...(desktop ? { melt8Desktop: true } : {}) });
  return { made, body };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the new-order chime', () => {
  it('plays in a browser', async () => {
    const { made, body } = page(false);
    const chime = await freshChime();
    chime.playChime();
    expect(chime.soundedByDesktopApp()).toBe(false);
    expect(made.filter((m) => m === 'note').length).toBe(3);
    expect(body.dataset.soundPlays).toBe('1');
  });

  it('stays quiet in the desktop app, which rings itself, but still counts the alert', async () => {
    const { made, body } = page(true);
    const chime = await freshChime();
    chime.playChime();
    chime.playChime();
    expect(chime.soundedByDesktopApp()).toBe(true);
    expect(made).toEqual([]);
    expect(body.dataset.soundPlays).toBe('2');
    expect(body.dataset.audioState).toBe('desktop-app');
  });
});
