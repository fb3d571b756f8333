// End-to-end harness: a real `melt8 serve` (binary from MELT8_BIN) over a temporary data
// folder, the dashboard it serves (or `vite preview` in front of it), and a small API
// client for arranging orders the way a till or script would.
//
// Where the dashboard comes from:
//   - default: the binary itself, at http://127.0.0.1:PORT/chef-dashboard/
//   - MELT8_UI_URL=preview: `vite preview` of ui/dist, started here, proxying /api to the
//     server (for working on the UI before the binary embeds it; run `npm run build` first)
//   - MELT8_UI_URL=<url>: a dashboard you serve yourself that proxies /api to
//     127.0.0.1:$MELT8_KITCHEN_PORT, where the server is then started

import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const USER = 'chef';
export const PASSWORD = 'e2e-Chef-Password-1';
const UI_DIR = resolve(import.meta.dirname, '..');

/** The binary under test: MELT8_BIN, else the debug build where `./run` and `./test` put it. */
export function melt8Bin(): string {
  const target = process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache/melt8-kitchen/target');
  const bin = process.env.MELT8_BIN ?? join(target, 'debug/melt8');
  if (!existsSync(bin)) throw new Error(`no melt8 binary at ${bin}: build it, or set MELT8_BIN`);
  return bin;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Waits for a line of a child's stdout matching `pattern`, within `ms`. */
function waitForLine(child: ChildProcess, pattern: RegExp, ms: number, what: string): Promise<RegExpMatchArray> {
  return new Promise((ok, fail) => {
    const seen: string[] = [];
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      lines.close();
      fail(new Error(`${what}: no line matching ${pattern} within ${ms} ms; output:\n${seen.join('\n')}`));
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${code}) before printing ${pattern}; output:\n${seen.join('\n')}`));
    });
    lines.on('line', (raw) => {
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      seen.push(line);
      const m = pattern.exec(line);
      if (m) {
        clearTimeout(timer);
        lines.removeAllListeners('line');
        // Keep draining stdout so the child never blocks on a full pipe.
        lines.on('line', () => {});
        ok(m);
      }
    });
  });
}

/** Children still running, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) ok();
    else child.once('exit', () => ok());
  });
}

/**
 * `setupDone: false` starts a shop whose first-run wizard has not been saved; by default the
 * server is told the shop is configured (`SKIP_SETUP_WIZARD`), so the board shows at login.
 */
export type ServerOptions = { demo?: boolean; password?: string; setupDone?: boolean };

/** One `melt8 serve` over a data folder that outlives restarts. */
export class Melt8 {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'melt8-e2e-'));
  port = 0;
  publicPort = 0;
  password: string;
  private child: ChildProcess | null = null;

  constructor(private readonly options: ServerOptions = {}) {
    this.password = options.password ?? PASSWORD;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server (on the same ports as before, after a stop). */
  async start(): Promise<void> {
    if (this.port === 0 && process.env.MELT8_KITCHEN_PORT) this.port = Number(process.env.MELT8_KITCHEN_PORT);
    if (this.publicPort === 0) this.publicPort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of [
      'OPENAI_API_KEY',
      'TWILIO_AUTH_TOKEN',
      'PUBLIC_BASE_URL',
      'CHEF_USERNAME',
      'SHOP_PHONE',
      'DATABASE_URL',
      'NGROK_AUTHTOKEN',
      'NGROK_DOMAIN',
      'TWILIO_PHONE_NUMBER',
    ]) {
      delete env[k];
    }
    Object.assign(env, {
      MELT8_DATA_DIR: this.dataDir,
      KITCHEN_PORT: String(this.port),
      KITCHEN_BIND: '127.0.0.1',
      PUBLIC_PORT: String(this.publicPort),
      CHEF_PASSWORD: this.password,
      // The browser runs in Asia/Karachi too, so both count the same business day.
      SHOP_UTC_OFFSET: '+05:00',
      RUST_LOG: 'warn',
    });
    if (this.options.setupDone === false) delete env.SKIP_SETUP_WIZARD;
    else env.SKIP_SETUP_WIZARD = 'true';
    const args = ['serve', ...(this.options.demo ? ['--demo'] : [])];
    const child = track(spawn(melt8Bin(), args, { env, cwd: this.dataDir, stdio: ['ignore', 'pipe', 'inherit'] }));
    this.child = child;
    const m = await waitForLine(child, /Melt 8 Kitchen is running at http:\/\/127\.0\.0\.1:(\d+)/, 20_000, 'melt8 serve');
    this.port = Number(m[1]);
  }

  /** Kills the server outright (as a crash or a power cut would). */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.kill('SIGKILL');
    await exited(child);
  }

  async restart(password?: string): Promise<void> {
    await this.kill();
    if (password) this.password = password;
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** A staff request with HTTP Basic credentials. */
  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${USER}:${this.password}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async createOrder(order: Partial<NewOrder> = {}): Promise<OrderJson> {
    const res = await this.api<OrderJson>('POST', '/api/orders', { ...sampleOrder(), ...order });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async setStatus(id: number, status: string, reason?: string): Promise<OrderJson> {
    const res = await this.api<OrderJson>('PUT', `/api/orders/${id}/status`, { status, reason });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  /**
   * Leaves a call card the way a call would (demo servers only: `POST /api/demo/call-cards`,
   * staff credentials); resolves with the card as saved and announced.
   */
  async addCallCard(card: DemoCallCard): Promise<CallCardJson> {
    const res = await this.api<CallCardJson>('POST', '/api/demo/call-cards', card);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  /** Runs `melt8 simulate-call` against this (demo) server; resolves with its output. */
  /**
   * Rings the server as `simulate-call` does. `expect: 'shop'`: the call must not reach the
   * AI (paused answering, a cap): the command then fails saying so, with the shop's TwiML.
   */
  async simulateCall(from: string, expect: 'ai' | 'shop' = 'ai'): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env, RUST_LOG: 'warn' };
    delete env.TWILIO_AUTH_TOKEN;
    delete env.PUBLIC_BASE_URL;
    const child = track(spawn(
      melt8Bin(),
      ['simulate-call', '--public-url', `http://127.0.0.1:${this.publicPort}`, '--from', from],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    ));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exited(child);
    clearTimeout(timer);
    if (expect === 'shop') {
      if (child.exitCode === 0 || !out.includes('did not connect the call to the AI')) {
        throw new Error(`simulate-call should have been sent to the shop (${child.exitCode}):\n${out}`);
      }
      return out;
    }
    if (child.exitCode !== 0) throw new Error(`simulate-call failed (${child.exitCode}):\n${out}`);
    return out;
  }
}

export type NewOrder = {
  items: { item_id: string; size_id: string; quantity: number }[];
  address: string;
  landmark?: string;
  customer_name?: string;
  customer_phone?: string;
};

/** A call card for a demo server: kind, call, caller, what they wanted, the draft's total (paisa). */
export type DemoCallCard = {
  kind: 'unfinished_order' | 'transfer' | 'call_back';
  call_sid: string;
  phone?: string;
  reason?: string;
  summary: string;
  total?: number;
};

export type CallCardJson = { id: number; kind: string; phone: string | null; summary: string; total: number | null; done_at: string | null };

export type OrderJson = { id: number; number: number; status: string; address: string; updated_at: string; total: number };

export function sampleOrder(): NewOrder {
  return {
    items: [
      { item_id: 'chicken-tikka', size_id: 'large', quantity: 2 },
      { item_id: 'garlic-bread', size_id: 'regular', quantity: 1 },
      { item_id: 'coca-cola', size_id: '1.5l', quantity: 1 },
    ],
    address: 'House 12, Street 4, Block C, Gulberg III, Lahore',
    landmark: 'near Hafeez Centre',
    customer_name: 'Ali Raza',
    customer_phone: '0300-1234567',
  };
}

/** `vite preview` of ui/dist in front of a server (MELT8_UI_URL=preview). */
class Preview {
  private child: ChildProcess | null = null;
  url = '';

  async start(api: string): Promise<void> {
    const port = await freePort();
    const child = track(spawn(
      process.execPath,
      [join(UI_DIR, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      { cwd: UI_DIR, env: { ...process.env, MELT8_API: api }, stdio: ['ignore', 'pipe', 'inherit'] },
    ));
    this.child = child;
    await waitForLine(child, /Local:/, 20_000, 'vite preview');
    this.url = `http://127.0.0.1:${port}/`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.kill('SIGTERM');
    await exited(child);
  }
}

/** What a test gets: the server, the dashboard's URL, and helpers on the page. */
export type Kitchen = {
  server: Melt8;
  uiUrl: string;
  /** Problems the page reported: CSP violations, uncaught errors, requests to other hosts. */
  problems: string[];
};

type Fixtures = { kitchen: Kitchen; serverOptions: ServerOptions };

export const test = base.extend<Fixtures>({
  serverOptions: [{}, { option: true }],
  kitchen: async ({ page, serverOptions }, use, testInfo) => {
    const server = new Melt8(serverOptions);
    const mode = process.env.MELT8_UI_URL;
    const preview = mode === 'preview' ? new Preview() : null;
    try {
      await server.start();
      if (preview) await preview.start(server.base);
    } catch (e) {
      await preview?.stop();
      await server.dispose();
      throw e;
    }
    const uiUrl = preview ? preview.url : mode ? mode : `${server.base}/chef-dashboard/`;
    const problems: string[] = [];
    const uiOrigin = new URL(uiUrl).origin;
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content[ -]Security[ -]Policy/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await page.route(
      (url) => url.origin !== uiOrigin && url.protocol.startsWith('http'),
      (route) => {
        problems.push(`external request: ${route.request().url()}`);
        return route.abort();
      },
    );
    if (process.env.MELT8_E2E_KEEP_CHALLENGE !== '1') await stripBasicChallenge(page);
    try {
      await use({ server, uiUrl, problems });
      expect(problems, 'the page stayed within its CSP, threw nothing and called no other host').toEqual([]);
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      if (testInfo.status !== testInfo.expectedStatus) {
        await page.screenshot({ path: testInfo.outputPath('failure.png') }).catch(() => {});
      }
      await preview?.stop();
      await server.dispose();
    }
  },
});

export { expect };

/**
 * Until the server stops sending `WWW-Authenticate: Basic` to the dashboard's requests
 * (it marks them with `X-Requested-With`), a 401 makes Chromium wait for a password
 * dialog that a headless browser never shows. This drops the challenge from those
 * responses, as the fixed server will; `challenge.spec.ts` checks the server itself.
 */
async function stripBasicChallenge(page: Page): Promise<void> {
  await page.route(
    (url) => url.pathname.startsWith('/api/'),
    async (route) => {
      if (!route.request().headers()['x-requested-with']) return route.continue();
      let response;
      try {
        response = await route.fetch();
      } catch {
        return route.abort('connectionrefused');
      }
      if (response.status() !== 401 || !response.headers()['www-authenticate']) return route.fulfill({ response });
      const headers = { ...response.headers() };
      delete headers['www-authenticate'];
      return route.fulfill({ response, headers });
    },
  );
}

/** Opens the dashboard and logs in; resolves once the board is live. */
export async function login(page: Page, kitchen: Kitchen, password = kitchen.server.password): Promise<void> {
  await page.goto(kitchen.uiUrl);
  await page.getByTestId('login').locator('input[name=username]').fill(USER);
  await page.getByTestId('login').locator('input[name=password]').fill(password);
  await page.getByTestId('login').getByRole('button', { name: /log in|لاگ اِن/i }).click();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
}

export function ticket(page: Page, orderId: number) {
  return page.locator(`[data-testid=ticket][data-order-id="${orderId}"]`);
}

export function column(page: Page, status: string) {
  return page.getByTestId(`column-${status}`);
}

export async function soundPlays(page: Page): Promise<number> {
  return Number((await page.locator('body').getAttribute('data-sound-plays')) ?? '0');
}

/** Goes to a page by its name in the main navigation (behind the menu button where the header is narrow). */
export async function openPage(page: Page, name: string): Promise<void> {
  const menu = page.getByTestId('nav-menu');
  if (await menu.isVisible()) await menu.click();
  await page.locator('nav[aria-label=main]').getByRole('link', { name }).click();
}

/** Takes a new order from the strip above the board: its alert stops. */
export async function takeOrder(page: Page, orderId: number): Promise<void> {
  await page.locator(`[data-testid=strip-entry][data-order-id="${orderId}"]`).click();
  await expect(ticket(page, orderId)).toHaveAttribute('data-alerting', 'false');
}

/** The order's own page (everything about it, with edit and cancel). */
export async function openOrder(page: Page, orderId: number): Promise<void> {
  await ticket(page, orderId).getByRole('link', { name: /^(Details|تفصیل)$/ }).click();
  await expect(page.locator('.page.order')).toBeVisible();
}

/** Where screenshots are kept (e2e/artifacts/, not committed). */
export const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** A screenshot attached to the report and kept in e2e/artifacts/. */
export async function keep(testInfo: TestInfo, name: string, png: Buffer): Promise<void> {
  writeFileSync(resolve(ARTIFACTS, `${name}.png`), png);
  await testInfo.attach(name, { body: png, contentType: 'image/png' });
}

/** A delivery zone with a fee, a minimum and free delivery from Rs 10,000. */
export const GULBERG = {
  id: 'gulberg',
  name: 'Gulberg',
  name_ur: 'گلبرگ',
  fee: 15_000,
  min_order: 100_000,
  free_above: 1_000_000,
  eta_minutes: 40,
  areas: ['Gulberg II', 'Gulberg III'],
};

/** A shop with the Gulberg zone, pickup, every payment method and 16 % tax on cash. */
export async function zonePickupAndTax(kitchen: Kitchen): Promise<void> {
  const settings = await kitchen.server.api('PUT', '/api/settings', {
    delivery_zones: [GULBERG],
    pickup: { enabled: true, eta_minutes: 20 },
    tax: { registered: true, prices_include_tax: false, rates_bp: { cash: 1600, card: 500, wallet: 500 }, on_delivery_fee: false },
    payment_methods: ['cash', 'card', 'wallet'],
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
}

/** Two or more Latin words of three letters or more in a row: an English phrase. */
const ENGLISH_PHRASE = /[A-Za-z]{3,}(?:[ \t]+[A-Za-z]{3,})+/g;

/** Proper names and brands that stay as they are in Urdu. */
const PROPER_NAMES = ['Melt 8 Kitchen', 'OpenAI', 'Twilio', 'ngrok'];

/** The English phrases on an Urdu page, once the `allowed` names (the shop's own) and the
 * proper names are taken out. */
export async function englishOn(page: Page, allowed: string[]): Promise<string[]> {
  let text = await page.evaluate(() => document.body.innerText);
  // Longest first, so "Chicken Tikka Large" goes before "Chicken Tikka".
  for (const name of [...allowed, ...PROPER_NAMES].sort((a, b) => b.length - a.length)) {
    text = text.split(name).join(' ');
  }
  return text.match(ENGLISH_PHRASE) ?? [];
}

/** The x of the middle of character `index` of the element's text, as drawn. */
export async function charX(el: Locator, index: number): Promise<number> {
  return el.evaluate((node, i) => {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let left = i;
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const len = t.textContent?.length ?? 0;
      if (left < len) {
        const range = document.createRange();
        range.setStart(t, left);
        range.setEnd(t, left + 1);
        const r = range.getBoundingClientRect();
        return r.x + r.width / 2;
      }
      left -= len;
    }
    throw new Error(`no character ${i} in ${node.textContent}`);
  }, index);
}
