import { parseErrorBody } from '../src/lib/api';
import { fieldErrorText } from '../src/lib/i18n';
import { addDays, formatBusinessDate } from '../src/lib/time';
import { formatRupees } from '../src/lib/money';
import { expect, login, test, openPage } from './harness';

type Menu = { items: { id: string; name: string; name_ur?: string; available: boolean; sizes: { id: string; price: number }[] }[] };

test('the menu editor changes prices in rupees, Urdu names and what is sold out, and shows what the server refuses', async ({
  page,
  kitchen,
}) => {
  await login(page, kitchen);
  await openPage(page, 'Menu');
  const tikka = page.locator('[data-testid=menu-item][data-item-id="chicken-tikka"]');
  await expect(tikka.getByTestId('size-price').first()).toHaveValue('750');

  await tikka.getByTestId('size-price').first().fill('799');
  const veggie = page.locator('[data-testid=menu-item][data-item-id="veggie"]');
  await veggie.getByTestId('item-name-ur').fill('سبزی پیزا');
  await page.locator('[data-testid=menu-item][data-item-id="pepsi"]').getByTestId('available').uncheck();
  await page.getByTestId('save-menu').click();
  await expect(page.getByTestId('menu-saved')).toBeVisible();

  const menu = (await kitchen.server.api<Menu>('GET', '/api/menu')).body;
  const item = (id: string) => menu.items.find((i) => i.id === id)!;
  expect(item('chicken-tikka').sizes[0]!.price).toBe(79_900);
  expect(item('veggie').name_ur).toBe('سبزی پیزا');
  expect(item('pepsi').available).toBe(false);

  // A price that is not rupees is caught here; an empty name by the server, next to the field.
  await tikka.getByTestId('size-price').first().fill('seven');
  await page.getByTestId('save-menu').click();
  await expect(tikka.getByTestId('field-error')).toHaveText('Enter an amount in rupees, e.g. 1250.');
  await tikka.getByTestId('size-price').first().fill('799');
  await veggie.getByTestId('item-name').fill('');
  const [refused] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/menu' && r.request().method() === 'PUT'),
    page.getByTestId('save-menu').click(),
  ]);
  expect(refused.status()).toBe(422);
  const problem = parseErrorBody(422, await refused.json(), '').fields.find((f) => /^items\[\d+\]\.name$/.test(f.field));
  expect(problem, 'the server names the emptied name').toBeDefined();
  // The server's words, or the dashboard's for the server's code (`required`).
  const expected = fieldErrorText(problem!, 'en');
  expect(expected).not.toBe('');
  await expect(veggie.getByTestId('field-error')).toHaveText(expected);
  await expect(page.getByTestId('menu-problems')).toBeVisible();
  expect((await kitchen.server.api<Menu>('GET', '/api/menu')).body.items.find((i) => i.id === 'veggie')!.name).toBe('Veggie');

  // A new item with its size; its id comes from the name.
  await veggie.getByTestId('item-name').fill('Veggie');
  await page.getByTestId('add-item').click();
  const added = page.getByTestId('menu-item').last();
  await added.getByTestId('item-name').fill('Zinger Burger');
  await added.getByTestId('size-label').fill('Regular');
  await added.getByTestId('size-price').fill('650');
  await page.getByTestId('save-menu').click();
  await expect(page.getByTestId('menu-saved')).toBeVisible();
  const after = (await kitchen.server.api<Menu>('GET', '/api/menu')).body;
  expect(after.items.find((i) => i.id === 'zinger-burger')?.sizes[0]?.price).toBe(65_000);
});

test('settings: thresholds and shop details are saved; secrets are write-only', async ({ page, kitchen }) => {
  await login(page, kitchen);
  await openPage(page, 'Settings');
  const form = page.getByTestId('settings-form');
  await expect(form.locator('input[name=amber_after_minutes]')).toHaveValue('5');
  await expect(form.locator('input[name=red_after_minutes]')).toHaveValue('10');
  // A secret says only whether it is stored, beside its label.
  const openaiKey = form.locator('[data-testid=field][data-field=openai_api_key]');
  await expect(openaiKey.getByTestId('secret-state')).toHaveText('not set');
  await expect(form.getByLabel('OpenAI API key')).toHaveAttribute('type', 'password');

  await form.locator('input[name=shop_name]').fill('Melt 8 Gulberg');
  await form.locator('input[name=red_after_minutes]').fill('12');
  await form.locator('input[name=openai_api_key]').fill('sk-test-secret-value');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(openaiKey.getByTestId('secret-state')).toHaveText('set');
  await expect(form.locator('input[name=openai_api_key]')).toHaveValue('');
  expect(await page.content()).not.toContain('sk-test-secret-value');

  const saved = await kitchen.server.api<Record<string, unknown>>('GET', '/api/settings');
  expect(saved.body).toMatchObject({ shop_name: 'Melt 8 Gulberg', red_after_minutes: 12, openai_api_key_set: true });
  expect(JSON.stringify(saved.body)).not.toContain('sk-test-secret-value');

  // Not a number: refused here. Out of the server's range: refused there, shown by the field.
  const eta = form.locator('[data-testid=field][data-field=eta_minutes]');
  const etaInput = form.getByLabel('Delivery time told to callers (minutes)');
  await expect(etaInput).toHaveAttribute('name', 'eta_minutes');
  await expect(etaInput).not.toHaveAttribute('aria-invalid', 'true');
  await etaInput.fill('soon');
  await page.getByTestId('save-settings').click();
  await expect(eta.getByTestId('field-error')).toHaveText('Enter a whole number.');
  // The error is tied to its field for a screen reader too.
  await expect(etaInput).toHaveAttribute('aria-invalid', 'true');
  await expect(etaInput).toHaveAccessibleDescription('Enter a whole number.');
  await eta.locator('input').fill('500');
  await page.getByTestId('save-settings').click();
  await expect(eta.getByTestId('field-error')).toBeVisible();
  await expect(eta.getByTestId('field-error')).not.toHaveText('Enter a whole number.');
  const unchanged = await kitchen.server.api<{ eta_minutes: number }>('GET', '/api/settings');
  expect(unchanged.body.eta_minutes).not.toBe(500);
});

test('day summary: the day’s figures, and its orders as a CSV download', async ({ page, kitchen }) => {
  const { server } = kitchen;
  const a = await server.createOrder();
  const b = await server.createOrder({ items: [{ item_id: 'veggie', size_id: 'small', quantity: 1 }] });
  await server.setStatus(a.id, 'preparing');
  await server.setStatus(a.id, 'ready');
  await server.setStatus(a.id, 'delivered');
  await server.setStatus(b.id, 'cancelled', 'duplicate');
  await login(page, kitchen);
  await openPage(page, 'Day summary');
  await expect(page.getByTestId('summary-orders')).toHaveText('2');
  await expect(page.getByTestId('summary-delivered')).toHaveText('1');
  await expect(page.getByTestId('summary-cancelled')).toHaveText('1');
  await expect(page.getByTestId('summary-revenue')).toHaveText(/^Rs [\d,]+$/);
  // Each amount says what it counts: the delivered order is the sales; nothing is open.
  const delivered = (await server.api<{ total: number }>('GET', `/api/orders/${a.id}`)).body.total;
  await expect(page.getByTestId('summary-delivered-revenue')).toHaveText(formatRupees(delivered));
  await expect(page.getByTestId('summary-open-revenue')).toHaveText('Rs 0');
  await expect(page.getByTestId('summary-sales')).toContainText('Sales: delivered orders');
  await expect(page.getByTestId('summary-sales')).toContainText('Delivered and collected, incl. tax and delivery fees');
  await expect(page.getByTestId('summary')).toContainText('All orders, cancelled and returned not counted');
  // The day in the shop's format, whatever the browser's locale; the arrows step days.
  const today = (await server.api<{ date: string }>('GET', '/api/summary')).body.date;
  await expect(page.getByTestId('summary-day')).toContainText(formatBusinessDate(today, 'en'));
  await expect(page.getByTestId('summary-next')).toBeDisabled();
  await page.getByTestId('summary-previous').click();
  await expect(page.getByTestId('summary-day')).toContainText(formatBusinessDate(addDays(today, -1), 'en'));
  await expect(page.getByTestId('summary-orders')).toHaveText('0');
  await page.getByTestId('summary-next').click();
  await expect(page.getByTestId('summary-orders')).toHaveText('2');

  const csv = page.getByTestId('csv');
  const href = await csv.getAttribute('href');
  expect(href).toMatch(/^\/api\/orders\.csv\?date=\d{4}-\d{2}-\d{2}$/);
  const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
  const text = await (await download.createReadStream()).toArray();
  const bytes = Buffer.concat(text as Buffer[]);
  // A BOM first, so Excel reads Urdu as Urdu; owner-readable titles, rupees, readable status.
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const body = bytes.subarray(3).toString('utf8');
  const [header, ...rows] = body.trim().split('\r\n');
  expect(header).toContain('Total (Rs)');
  expect(header).not.toMatch(/paisa/);
  expect(body).toContain('duplicate');
  expect(rows.join('\n')).toContain(formatBusinessDate(today, 'en'));
  expect(rows.join('\n')).toMatch(/Delivered/);
  expect(rows.join('\n')).toContain(String(delivered / 100));

  // In Urdu: the labels and the date in Urdu, no English.
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(page.getByTestId('summary-day')).toContainText(formatBusinessDate(today, 'ur'));
  await expect(page.getByTestId('summary-sales')).toContainText('فروخت');
  await expect(page.getByTestId('summary-delivered-revenue')).toHaveText(/روپے$/);
});

test('the board fits a 10" tablet in portrait and landscape without sideways scrolling', async ({ page, kitchen }) => {
  await login(page, kitchen);
  for (let i = 0; i < 4; i++) await kitchen.server.createOrder({ customer_phone: `0300-200000${i}` });
  await expect(page.getByTestId('ticket')).toHaveCount(4);
  for (const [width, height] of [
    [1280, 800],
    [800, 1280],
  ] as const) {
    await page.setViewportSize({ width, height });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${width}×${height}`).toBeLessThanOrEqual(0);
    const spill = await page.evaluate(() => {
      const out: string[] = [];
      for (const t of document.querySelectorAll('[data-testid=ticket]')) {
        const box = t.getBoundingClientRect();
        for (const el of t.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (r.width === 0) continue;
          if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`${el.tagName}.${el.className} ${r.left}-${r.right} outside ${box.left}-${box.right}`);
        }
      }
      return out;
    });
    expect(spill, `nothing sticks out of a ticket at ${width}×${height}`).toEqual([]);
    const firstAdvance = page.getByTestId('advance').first();
    const box = await firstAdvance.boundingBox();
    expect(box!.height, 'buttons stay big enough to tap').toBeGreaterThanOrEqual(48);
  }
  await page.screenshot({ path: new URL('./artifacts/board-tablet-portrait.png', import.meta.url).pathname });
});
