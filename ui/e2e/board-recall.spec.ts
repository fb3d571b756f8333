// The board after the rush (issue 13): bring back an order delivered or cancelled minutes
// ago (the recall tray, no 30-second limit), strike lines off as they are made, and drive
// the board from a keyboard or a USB bump bar (which sends keys).
import type { Page } from '@playwright/test';
import { column, expect, keep, login, test, ticket } from './harness';

type History = { history: { from: string | null; to: string; reason: string | null }[] };

async function toUrdu(page: Page): Promise<void> {
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
}

test('the recall tray brings back an order delivered more than 2 minutes ago, and a cancelled one', async ({
  page,
  kitchen,
}, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  // The page's clock is moved on below; the server has no time limit on a recall at all.
  await page.clock.install();
  const delivered = await kitchen.server.createOrder({ customer_name: 'Ali Raza', customer_phone: '0300-1234567' });
  for (const s of ['preparing', 'ready', 'delivered']) await kitchen.server.setStatus(delivered.id, s);
  const cancelled = await kitchen.server.createOrder({ customer_name: 'Sana Malik', customer_phone: '0321-7654321' });
  await kitchen.server.setStatus(cancelled.id, 'preparing');
  await kitchen.server.setStatus(cancelled.id, 'cancelled', 'Customer cancelled');
  await login(page, kitchen);
  await expect(ticket(page, delivered.id)).toHaveCount(1);

  // Two minutes and more later: far past the undo's 30 seconds.
  await page.clock.fastForward(125_000);
  await page.getByTestId('open-recall').click();
  const tray = page.getByTestId('recall-tray');
  await expect(tray).toBeVisible();
  const entries = tray.getByTestId('recall-entry');
  // The latest first: the cancelled order changed last.
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toHaveAttribute('data-order-id', String(cancelled.id));
  await expect(entries.nth(1)).toHaveAttribute('data-order-id', String(delivered.id));
  const entry = tray.locator(`[data-testid=recall-entry][data-order-id="${delivered.id}"]`);
  await expect(entry).toContainText(`#${delivered.number}`);
  await expect(entry).toContainText('Ali Raza');
  await expect(entry).toContainText('…4567');
  await expect(entry).toContainText('Delivered');
  await expect(entry.getByTestId('recall-ago')).toHaveText(/^\u2066?2:\d\d\u2069? ago$/);
  await keep(testInfo, 'recall-tray-en', await page.screenshot());

  await entry.getByTestId('recall').click();
  await expect(tray.getByTestId('recalled')).toHaveText(`Order #${delivered.number} is back in Ready.`);
  await expect(entry).toHaveCount(0);
  await expect(column(page, 'ready').locator(`[data-order-id="${delivered.id}"]`)).toBeVisible();
  const one = await kitchen.server.api<History>('GET', `/api/orders/${delivered.id}`);
  expect(one.body.history.at(-1)).toMatchObject({ from: 'delivered', to: 'ready', reason: 'recall' });

  // A cancelled order goes back to where it was cancelled from, in Urdu too.
  await toUrdu(page);
  const back = tray.locator(`[data-testid=recall-entry][data-order-id="${cancelled.id}"]`);
  await expect(back).toContainText('منسوخ');
  await expect(back.getByTestId('recall')).toHaveText('واپس لائیں');
  await back.getByTestId('recall').click();
  await expect(tray.getByTestId('recalled')).toHaveText(`آرڈر #${cancelled.number} واپس «تیاری میں» میں ہے۔`);
  await expect(column(page, 'preparing').locator(`[data-order-id="${cancelled.id}"]`)).toBeVisible();
  await expect(tray.getByText('آج ابھی کوئی آرڈر ڈیلیور یا منسوخ نہیں ہوا۔')).toBeVisible();
  await keep(testInfo, 'recall-tray-ur', await page.screenshot());
  await page.keyboard.press('Escape');
  await expect(tray).toHaveCount(0);
  await expect(page.getByTestId('open-recall')).toBeFocused();
});

test("a refused recall is worded by its code in the screen's language", async ({ page, kitchen }) => {
  const order = await kitchen.server.createOrder();
  for (const s of ['preparing', 'ready', 'delivered']) await kitchen.server.setStatus(order.id, s);
  // Another screen recalls it first, and this page has not heard yet (its live events are
  // held back from here on), so its request meets the server's 409 `not_recallable`.
  let deaf = false;
  await page.routeWebSocket(/\/api\/events/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      if (!deaf) ws.send(m);
    });
  });
  await login(page, kitchen);
  await toUrdu(page);
  await page.getByTestId('open-recall').click();
  await expect(page.getByTestId('recall-entry')).toHaveCount(1);
  deaf = true;
  const first = await kitchen.server.api('POST', `/api/orders/${order.id}/recall`);
  expect(first.status).toBe(200);
  await page.getByTestId('recall-tray').getByTestId('recall').click();
  await expect(page.getByTestId('failure')).toHaveText(/صرف ڈیلیور یا منسوخ آرڈر واپس لایا جا سکتا ہے/);
  // The board then shows the order as it is.
  await expect(column(page, 'ready').locator(`[data-order-id="${order.id}"]`)).toBeVisible();
  await expect(page.getByTestId('recall-entry')).toHaveCount(0);
});

test('a line struck off stays struck after a reload, and is forgotten once the order leaves the board', async ({
  page,
  kitchen,
}, testInfo) => {
  const order = await kitchen.server.createOrder();
  await login(page, kitchen);
  const t = ticket(page, order.id);
  const lines = t.getByTestId('strike');
  await expect(lines).toHaveCount(3);
  await lines.nth(1).click();
  await expect(lines.nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(lines.nth(0)).toHaveAttribute('aria-pressed', 'false');
  await expect(t.getByTestId('ticket-line').nth(1)).toHaveAttribute('data-struck', 'true');
  expect(await t.locator('.done .what').evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe('line-through');
  // From the keyboard as well: Enter on a line strikes it.
  await lines.nth(2).focus();
  await page.keyboard.press('Enter');
  await expect(lines.nth(2)).toHaveAttribute('aria-pressed', 'true');
  await expect(t).toHaveAttribute('data-status', 'new');
  await keep(testInfo, 'strike-off', await t.screenshot());

  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(lines.nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(lines.nth(2)).toHaveAttribute('aria-pressed', 'true');
  await lines.nth(2).click();
  await expect(lines.nth(2)).toHaveAttribute('aria-pressed', 'false');
  expect(await page.evaluate(() => localStorage.getItem('melt8.struck'))).toBe(`{"${order.id}":[1]}`);

  for (const s of ['preparing', 'ready']) await kitchen.server.setStatus(order.id, s);
  await expect(t).toHaveAttribute('data-status', 'ready');
  await expect(lines.nth(1)).toHaveAttribute('aria-pressed', 'true');
  await kitchen.server.setStatus(order.id, 'delivered');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('melt8.struck'))).toBeNull();
});

test('keyboard and bump bar: the skip link first, then bump, move, undo, stage keys and take without the mouse', async ({
  page,
  kitchen,
}, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const a = await kitchen.server.createOrder({ customer_phone: '0300-1000001' });
  const b = await kitchen.server.createOrder({ customer_phone: '0300-1000002' });
  const c = await kitchen.server.createOrder({ customer_phone: '0300-1000003' });
  // Enough in Preparing that its column reaches the bottom of the screen.
  for (let i = 0; i < 6; i += 1) {
    const o = await kitchen.server.createOrder({ customer_phone: `0300-20000${i}0` });
    await kitchen.server.setStatus(o.id, 'preparing');
  }
  await login(page, kitchen);
  await expect(ticket(page, c.id)).toBeVisible();

  // The skip link is the page's first stop.
  const first = await page.evaluate(() => {
    const all = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')];
    const tabbable = all.filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled);
    return tabbable[0]?.dataset.testid ?? null;
  });
  expect(first).toBe('skip-link');
  // As the board opens (the session survives the reload), the first Tab reaches it.
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(ticket(page, c.id)).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toHaveText('Skip to board');
  await expect(skip).toBeInViewport();
  await keep(testInfo, 'keys-skip-link', await page.screenshot());

  // Tab, Enter, Enter: the oldest new order is being prepared.
  await page.keyboard.press('Enter');
  await expect(ticket(page, a.id)).toBeFocused();
  await page.keyboard.press('j');
  await expect(ticket(page, b.id)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(ticket(page, a.id)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ticket(page, a.id)).toHaveAttribute('data-status', 'preparing');
  // The ticket that took its place has the focus, ready for the next bump.
  await expect(ticket(page, b.id)).toBeFocused();

  // The undo bar covers none of the Preparing buttons: the column ends above it.
  const bar = page.getByTestId('undo-bar');
  await expect(bar).toBeVisible();
  const barBox = (await bar.boundingBox())!;
  const area = (await column(page, 'preparing').locator('.tickets').boundingBox())!;
  expect(area.y + area.height).toBeLessThanOrEqual(barBox.y);
  // Scrolled to its end, the column's last button is there to tap, not under the bar.
  await column(page, 'preparing').locator('.tickets').evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = column(page, 'preparing').getByTestId('advance').last();
  await expect(last).toBeInViewport({ ratio: 1 });
  expect(
    await last.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.left + r.width / 2, r.bottom - 2));
    }),
    'nothing lies over the last Preparing button',
  ).toBe(true);
  await keep(testInfo, 'keys-undo-bar', await page.screenshot());

  // R takes the bump back while the undo lasts.
  await page.keyboard.press('r');
  await expect(ticket(page, a.id)).toHaveAttribute('data-status', 'new');
  await expect(ticket(page, a.id)).toBeFocused();

  // B bumps as Enter does; 2 and 3 jump to a stage; → moves across.
  await page.keyboard.press('b');
  await expect(ticket(page, a.id)).toHaveAttribute('data-status', 'preparing');
  await page.keyboard.press('2');
  await expect(column(page, 'preparing').getByTestId('ticket').first()).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(column(page, 'new').getByTestId('ticket').first()).toBeFocused();
  await page.keyboard.press('3');
  await expect(column(page, 'ready').getByTestId('ticket')).toHaveCount(0);
  await expect(column(page, 'ready')).toBeFocused();

  // A takes the newest new order: its alarm stops and it has the focus.
  const e = await kitchen.server.createOrder({ customer_phone: '0300-1000005' });
  const d = await kitchen.server.createOrder({ customer_phone: '0300-1000004' });
  await expect(ticket(page, d.id)).toHaveAttribute('data-alerting', 'true');
  await expect(ticket(page, e.id)).toHaveAttribute('data-alerting', 'true');
  await page.keyboard.press('a');
  await expect(ticket(page, d.id)).toHaveAttribute('data-alerting', 'false');
  await expect(ticket(page, d.id)).toBeFocused();
  await expect(ticket(page, e.id)).toHaveAttribute('data-alerting', 'true');
  await page.keyboard.press('a');
  await expect(ticket(page, e.id)).toHaveAttribute('data-alerting', 'false');
  await expect(page.getByTestId('strip-entry')).toHaveCount(0);

  // Typing in the search box is typing, not keys.
  await page.getByTestId('search').fill('');
  await page.getByTestId('search').press('b');
  await expect(page.getByTestId('search')).toHaveValue('b');
  await page.getByTestId('search').fill('');
  await expect(ticket(page, d.id)).toHaveAttribute('data-status', 'new');
  expect((await kitchen.server.api<{ status: string }>('GET', `/api/orders/${d.id}`)).body.status).toBe('new');

  // ? lists the keys; Escape closes the list.
  await ticket(page, d.id).focus();
  await page.keyboard.press('?');
  const help = page.getByTestId('keys-help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Move the selected ticket to the next stage');
  await keep(testInfo, 'keys-help', await page.screenshot());
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('upright tablet: the keys follow the focus into the next stage’s tab', async ({ page, kitchen }) => {
  await page.setViewportSize({ width: 800, height: 1280 });
  const a = await kitchen.server.createOrder();
  const p = await kitchen.server.createOrder({ customer_phone: '0300-3000001' });
  await kitchen.server.setStatus(p.id, 'preparing');
  await login(page, kitchen);
  await expect(page.getByTestId('tab-new')).toHaveAttribute('aria-selected', 'true');
  await ticket(page, a.id).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('tab-preparing')).toHaveAttribute('aria-selected', 'true');
  await expect(ticket(page, p.id)).toBeFocused();
  await page.keyboard.press('1');
  await expect(page.getByTestId('tab-new')).toHaveAttribute('aria-selected', 'true');
  await expect(ticket(page, a.id)).toBeFocused();
});
