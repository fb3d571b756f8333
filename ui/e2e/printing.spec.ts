// Printing (issue 16) as the shop uses it: a network printer set up in Settings (a small
// fake printer on a loopback port, capturing the bytes it is sent), its test page, the
// board's banner while it is off with the tickets waiting, a reprint from the order's page;
// and the printers settings in Urdu.

import type { Locator, Page } from '@playwright/test';
import { createServer, type Server, type Socket } from 'node:net';
import { fieldErrorText } from '../src/lib/i18n';
import { expect, login, openOrder, openPage, test, ticket } from './harness';

/** A network receipt printer: raw TCP, one job a connection, answering the paper sensor. */
class FakePrinter {
  readonly jobs: Buffer[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      const chunks: Buffer[] = [];
      let answered = false;
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        const all = Buffer.concat(chunks);
        if (!answered && all.length >= 3 && all[0] === 0x10 && all[1] === 0x04) {
          answered = true;
          socket.write(Buffer.from([0x12])); // paper present
        }
      });
      socket.on('end', () => {
        const job = Buffer.concat(chunks);
        if (job.length > 3) this.jobs.push(job);
        socket.end();
      });
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.port, '127.0.0.1', () => ok());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
    this.server = server;
  }

  /** Switched off: connections are refused. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The printable text of every job so far, one string a job. */
  texts(): string[] {
    return this.jobs.map((j) => j.toString('latin1').replace(/[^\x20-\x7e\n]/g, ' '));
  }
}

/** A control by the path the server names its field with. */
function control(scope: Locator, path: string): Locator {
  return scope.locator(`[data-testid=field][data-field="${path}"]`).locator('input, textarea, select').first();
}

async function save(page: Page): Promise<void> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/settings' && r.request().method() === 'PUT'),
    page.getByTestId('save-settings').click(),
  ]);
  expect(response.status()).toBe(200);
}

test('a network printer is set up, prints a test page, is shown offline on the board with its tickets waiting, and reprints from the ticket', async ({
  page,
  kitchen,
}) => {
  const printer = new FakePrinter();
  await printer.start();
  try {
    await login(page, kitchen);
    await openPage(page, 'Settings');
    const form = page.getByTestId('settings-form');
    const section = form.getByTestId('printers');
    await section.getByTestId('printer-add').click();
    await control(section, 'printers[0].name').fill('Kitchen printer');
    await control(section, 'printers[0].address').fill(printer.address);
    await save(page);

    // The test page prints, and Settings says so.
    const row = section.locator('[data-testid=printer]').first();
    await row.getByTestId('printer-test').click();
    await expect(row.getByTestId('printer-test-result')).toHaveText('Test page printed.', { timeout: 15_000 });
    expect(printer.texts().some((t) => /test/i.test(t) && t.includes('Kitchen printer'))).toBe(true);
    expect(printer.jobs[0]!.subarray(0, 3)).toEqual(Buffer.from([0x10, 0x04, 0x04]));

    // Switched off: a new order's ticket waits, and the board says so in plain words.
    await printer.stop();
    await openPage(page, 'Board');
    const order = await kitchen.server.createOrder();
    await expect(ticket(page, order.id)).toBeVisible();
    const banner = page.getByTestId('printer-banner');
    await expect(banner).toHaveText(
      "Kitchen printer is offline: check it is on and plugged in — 1 ticket waiting; they print when it's back.",
      { timeout: 15_000 },
    );
    await expect(banner).toHaveAttribute('data-state', 'offline');
    const second = await kitchen.server.createOrder();
    await expect(banner).toContainText('2 tickets waiting');

    // Back on: both tickets print, in order, and the banner goes.
    await printer.start();
    await expect(banner).toHaveCount(0, { timeout: 40_000 });
    await expect.poll(() => printer.jobs.length, { timeout: 15_000 }).toBe(3);
    const [, first, next] = printer.texts();
    expect(first).toContain(`#${order.number}`);
    expect(next).toContain(`#${second.number}`);
    expect(first).not.toMatch(/reprint/i);

    // From the order's page: the KOT again, marked REPRINT.
    await openOrder(page, order.id);
    await page.getByTestId('print-kot').click();
    await expect(page.getByTestId('print-result')).toHaveText('Sent to the printer.');
    await expect.poll(() => printer.jobs.length, { timeout: 15_000 }).toBe(4);
    const reprint = printer.texts()[3]!;
    expect(reprint).toMatch(/reprint/i);
    expect(reprint).toContain(`#${order.number}`);
  } finally {
    await printer.stop();
  }
});

test('the printers settings read in Urdu, right to left, with a refused address worded in Urdu', async ({ page, kitchen }) => {
  const set = await kitchen.server.api('PUT', '/api/settings', {
    printers: [
      {
        id: 'kitchen',
        name: 'کچن',
        kind: 'network',
        address: '192.168.1.50',
        width_mm: 58,
        documents: ['kot', 'bill'],
        copies: 2,
        auto_print: true,
      },
    ],
  });
  expect(set.status).toBe(200);
  await login(page, kitchen);
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await openPage(page, 'سیٹنگز');
  const section = page.getByTestId('settings-form').getByTestId('printers');
  await expect(section.locator('legend h2')).toHaveText('پرنٹرز');
  await expect(control(section, 'printers[0].address')).toHaveValue('192.168.1.50:9100');
  await expect(section.getByTestId('printer-test')).toHaveText('ٹیسٹ صفحہ چھاپیں');
  await expect(section.locator('[data-field="printers[0].width_mm"] select option:checked')).toHaveText('58 ملی میٹر');
  // No English in the section's own words (the address and names are the shop's).
  const words = await section.evaluate((el) => {
    const clone = el.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('input, textarea, select').forEach((c) => c.remove());
    return clone.innerText;
  });
  expect(words.replace(/\u2066[^\u2069]*\u2069/g, '').match(/[A-Za-z]+/g) ?? []).toEqual([]);

  await control(section, 'printers[0].address').fill('not an address:port');
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/settings' && r.request().method() === 'PUT'),
    page.getByTestId('save-settings').click(),
  ]);
  expect(response.status()).toBe(422);
  const expected = fieldErrorText({ code: 'printer_address_format', params: {}, message: '' }, 'ur');
  await expect(section.locator('[data-field="printers[0].address"]')).toContainText(expected);
});
