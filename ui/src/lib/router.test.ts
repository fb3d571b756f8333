// The router against a fake browser (location, history, hashchange): leaving a page with
// unsaved work asks first, and the route stays until the owner chooses.

import { afterEach, describe, expect, it, vi } from 'vitest';

type Listener = () => void;

/** A browser's address bar and history, as far as hash routes need them. */
class FakeBrowser {
  hash = '#/menu';
  pathname = '/chef-dashboard/';
  search = '';
  listeners: Listener[] = [];

  /** The owner follows a link: the hash changes, then `hashchange` fires. */
  go(hash: string): void {
    this.hash = hash;
    for (const l of this.listeners) l();
  }
}

let browser: FakeBrowser;

async function freshRouter() {
  vi.resetModules();
  browser = new FakeBrowser();
  const b = browser;
  vi.stubGlobal('location', {
    get hash() {
      return b.hash;
    },
    set hash(h: string) {
      b.go(h);
    },
    get pathname() {
      return b.pathname;
    },
    get search() {
      return b.search;
    },
  });
  vi.stubGlobal('window', { addEventListener: (_: string, l: Listener) => b.listeners.push(l) });
  vi.stubGlobal('history', {
    state: null,
    replaceState: (_s: unknown, _t: string, url: string) => {
      b.hash = url.startsWith('#') ? url : '';
    },
  });
  return (await import('./router.svelte')).router;
}

describe('router', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('follows links when nothing is unsaved', async () => {
    const router = await freshRouter();
    expect(router.route).toEqual({ page: 'menu' });
    browser.go('#/board');
    expect(router.route).toEqual({ page: 'board' });
    expect(router.pending).toBeNull();
  });

  it('with unsaved work, stays and asks; staying keeps the page, leaving goes on', async () => {
    const router = await freshRouter();
    let unsaved = true;
    const stop = router.guardLeaving(() => unsaved);
    browser.go('#/orders/12');
    expect(router.route).toEqual({ page: 'menu' });
    expect(router.pending).toBe('#/orders/12');
    // The address bar is back on the page with the work.
    expect(browser.hash).toBe('#/menu');

    router.stay();
    expect(router.pending).toBeNull();
    expect(router.route).toEqual({ page: 'menu' });

    browser.go('#/settings');
    router.leave();
    expect(router.route).toEqual({ page: 'settings' });
    expect(router.pending).toBeNull();
    stop();

    // Saved meanwhile: no question.
    unsaved = false;
    router.guardLeaving(() => unsaved);
    browser.go('#/board');
    expect(router.route).toEqual({ page: 'board' });
  });

  it('stops asking once the page is gone', async () => {
    const router = await freshRouter();
    const stop = router.guardLeaving(() => true);
    stop();
    browser.go('#/calls');
    expect(router.route).toEqual({ page: 'calls' });
  });
});
