// A caller rings back and changes an order the kitchen has not started (issue 14): the
// change is saved with the same `PUT /api/orders/{id}` the dashboard's edit uses (the phone
// AI's amend_order goes down the same path in the server). The ticket shows a CHANGED badge
// with what changed, the order comes back to the new-order strip and the chime sounds until
// someone takes it again; in Urdu the badge and what changed are in Urdu, right to left.

import type { Page } from '@playwright/test';
import type { OrderDto, OrderRequest } from '../src/lib/api';
import { expect, keep, login, soundPlays, test, ticket, type Kitchen } from './harness';

const FIRST: OrderRequest = {
  items: [
    { item_id: 'chicken-tikka', size_id: 'large', quantity: 2 },
    { item_id: 'coca-cola', size_id: '1.5l', quantity: 1 },
  ],
  address: 'House 12, Street 4, Block C, Gulberg III, Lahore',
  landmark: 'near Hafeez Centre',
  customer_name: 'Ali Raza',
  customer_phone: '0300-1234567',
};

/** The caller's change: medium instead of large, a garlic bread more, and a note. */
const CHANGED: OrderRequest = {
  ...FIRST,
  items: [
    { item_id: 'chicken-tikka', size_id: 'medium', quantity: 2 },
    { item_id: 'coca-cola', size_id: '1.5l', quantity: 1 },
    { item_id: 'garlic-bread', size_id: 'regular', quantity: 1 },
  ],
  note: 'ring twice',
};

async function place(kitchen: Kitchen, request: OrderRequest): Promise<OrderDto> {
  const res = await kitchen.server.api<OrderDto>('POST', '/api/orders', request);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function change(kitchen: Kitchen, id: number, request: OrderRequest): Promise<OrderDto> {
  const res = await kitchen.server.api<OrderDto>('PUT', `/api/orders/${id}`, request);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

function stripEntry(page: Page, id: number) {
  return page.locator(`[data-testid=strip-entry][data-order-id="${id}"]`);
}

/** The chime keeps sounding (a play within the next few seconds). */
async function expectChiming(page: Page): Promise<void> {
  const before = await soundPlays(page);
  await expect.poll(() => soundPlays(page), { timeout: 8_000 }).toBeGreaterThan(before);
}

test('a changed order shows CHANGED with what changed, returns to the strip and chimes until taken; in Urdu too', async ({
  page,
  kitchen,
}, testInfo) => {
  test.setTimeout(90_000);
  await login(page, kitchen);
  // Arrives while the board is open, as a new order does.
  const order = await place(kitchen, FIRST);
  expect(order.changed).toBeNull();
  const t = ticket(page, order.id);
  await expect(t).toBeVisible();
  await expect(t.getByTestId('changed')).toHaveCount(0);
  // Taken: the strip is empty and the chime stops.
  await stripEntry(page, order.id).click();
  await expect(t).toHaveAttribute('data-alerting', 'false');
  await expect(page.locator('[data-testid=strip-entry]')).toHaveCount(0);

  // The caller rings back.
  const saved = await change(kitchen, order.id, CHANGED);
  expect(saved.number).toBe(order.number);
  expect(saved.changed?.what.map((w) => w.en)).toEqual([
    '+1 Garlic Bread 4 pcs',
    '2× Large 13" → Medium 10" Chicken Tikka',
    'note: ring twice',
  ]);
  const entry = stripEntry(page, order.id);
  await expect(entry).toBeVisible();
  await expect(entry).toHaveAttribute('data-changed', 'true');
  await expect(entry.getByTestId('strip-changed')).toHaveText('CHANGED');
  await expect(entry).toHaveAttribute('aria-label', `Take changed order #${order.number}`);
  await expect(t).toHaveAttribute('data-alerting', 'true');
  await expect(t.getByTestId('changed-badge')).toHaveText('CHANGED');
  await expect(t.getByTestId('changed-what')).toHaveText([
    '+1 Garlic Bread 4 pcs',
    '2× Large 13" → Medium 10" Chicken Tikka',
    'note: ring twice',
  ]);
  await expectChiming(page);
  await keep(testInfo, 'order-changed-en', await page.screenshot());

  // Taken again: the alert and the chime stop; the badge stays while the kitchen makes it.
  await entry.click();
  await expect(entry).toHaveCount(0);
  await expect(t).toHaveAttribute('data-alerting', 'false');
  const silenced = await soundPlays(page);
  await page.waitForTimeout(4_500);
  expect(await soundPlays(page)).toBe(silenced);
  await expect(t.getByTestId('changed-badge')).toBeVisible();

  // In Urdu: the badge and what changed are Urdu, right to left, inside the ticket.
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(t.getByTestId('changed-badge')).toHaveText('تبدیل شدہ');
  await expect(t.getByTestId('changed-what')).toHaveText([
    '+1 گارلک بریڈ 4 پیس',
    '2× چکن تکہ: بڑا 13 انچ کی جگہ درمیانہ 10 انچ',
    'نوٹ: ring twice',
  ]);
  const box = (await t.boundingBox())!;
  for (const item of await t.getByTestId('changed-what').all()) {
    const b = (await item.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(box.x - 1);
    expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width + 1);
  }

  // Changed once more (the note only): back in the strip, worded in Urdu, chiming.
  await change(kitchen, order.id, { ...CHANGED, note: 'gate pe call karein' });
  await expect(entry).toBeVisible();
  await expect(entry).toHaveAttribute('aria-label', `بدلا ہوا آرڈر #${order.number} لیں`);
  await expect(entry.getByTestId('strip-changed')).toHaveText('تبدیل شدہ');
  await expect(t.getByTestId('changed-what')).toHaveText(['نوٹ: gate pe call karein']);
  await expectChiming(page);
  await keep(testInfo, 'order-changed-ur', await page.screenshot());
  await entry.click();
  await expect(t).toHaveAttribute('data-alerting', 'false');

  // The kitchen starts it: the badge stays on the ticket while it is made, with no alert.
  await t.getByTestId('advance').click();
  await expect(t).toHaveAttribute('data-status', 'preparing');
  await expect(t.getByTestId('changed-badge')).toHaveText('تبدیل شدہ');
  await expect(t).toHaveAttribute('data-alerting', 'false');
});
