// Riders, the new statuses and the cash-up (issue 16): riders set up in Settings, a ready
// delivery sent out with a rider in one tap (undo, send again, delivered), a return with a
// reason, a pickup collected at the counter, and the day's cash-up by payment method and by
// rider with "Mark collected" — in English and in Urdu.
import type { Locator, Page } from '@playwright/test';
import { formatMoney } from '../src/lib/money';
import { expect, login, openPage, test, ticket, type Kitchen, type OrderJson } from './harness';

type Settings = { riders: { id: string; name: string; phone: string }[] };
type CashUpJson = {
  date: string;
  methods: { method: string; orders: number; total: number; cash_to_collect: number }[];
  riders: {
    rider_id: string;
    name: string;
    dispatched: number;
    delivered: number;
    returned: number;
    out: number;
    outstanding: number;
    collected: { amount: number; by: string } | null;
  }[];
};
type Order = OrderJson & { rider: { id: string; name: string } | null; cancel_reason: string | null };

function control(scope: Locator, path: string): Locator {
  return scope.locator(`[data-testid=field][data-field="${path}"]`).locator('input, textarea, select').first();
}

async function ready(kitchen: Kitchen, order: OrderJson): Promise<void> {
  for (const s of ['preparing', 'ready']) await kitchen.server.setStatus(order.id, s);
}

async function pickupOrder(kitchen: Kitchen): Promise<OrderJson> {
  const res = await kitchen.server.api<OrderJson>('POST', '/api/orders', {
    items: [{ item_id: 'veggie', size_id: 'small', quantity: 1 }],
    fulfilment: { type: 'pickup' },
    customer_name: 'Sana Malik',
    customer_phone: '0321-7654321',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function order(kitchen: Kitchen, id: number): Promise<Order> {
  return (await kitchen.server.api<Order>('GET', `/api/orders/${id}`)).body;
}

async function setUpRiders(page: Page, kitchen: Kitchen): Promise<{ aslam: string; akram: string }> {
  await openPage(page, 'Settings');
  const form = page.getByTestId('settings-form');
  await expect(form).toBeVisible();
  const riders = form.getByTestId('riders');
  await expect(riders).toContainText('No riders');
  await riders.getByTestId('add-rider').click();
  await control(riders, 'riders[0].name').fill('Aslam');
  await control(riders, 'riders[0].phone').fill('0300 1112223');
  await riders.getByTestId('add-rider').click();
  await control(riders, 'riders[1].name').fill('Bilal');
  await control(riders, 'riders[1].phone').fill('0321 4445556');
  // A bad phone is named under its field, in words, and nothing is saved.
  await riders.getByTestId('add-rider').click();
  await control(riders, 'riders[2].name').fill('Extra');
  await control(riders, 'riders[2].phone').fill('12');
  await page.getByTestId('save-settings').click();
  await expect(riders.locator('[data-testid=field][data-field="riders[2].phone"]')).toHaveAttribute('data-invalid', 'true');
  expect((await kitchen.server.api<Settings>('GET', '/api/settings')).body.riders).toEqual([]);
  // Removed again, and the second one renamed (in Urdu script).
  await riders.getByTestId('remove-rider').nth(2).click();
  await control(riders, 'riders[1].name').fill('اکرم');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  const saved = (await kitchen.server.api<Settings>('GET', '/api/settings')).body.riders;
  expect(saved.map((r) => [r.name, r.phone])).toEqual([
    ['Aslam', '+923001112223'],
    ['اکرم', '+923214445556'],
  ]);
  for (const r of saved) expect(r.id).toMatch(/^r-[a-z0-9]+$/);
  const [first, second] = saved;
  if (!first || !second) throw new Error('two riders were saved');
  return { aslam: first.id, akram: second.id };
}

test('riders: sent out in one tap, undone, sent again and delivered; a return; a pickup collected; the cash-up and marking collected, in English and Urdu', async ({
  page,
  kitchen,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await login(page, kitchen);
  const { aslam, akram } = await setUpRiders(page, kitchen);

  const a = await kitchen.server.createOrder({ customer_name: 'Ali Raza' });
  const b = await kitchen.server.createOrder({ customer_name: 'Hina Khan', customer_phone: '0333-1231234' });
  const p = await pickupOrder(kitchen);
  for (const o of [a, b, p]) await ready(kitchen, o);
  await openPage(page, 'Board');

  // A ready delivery: one button per rider, no plain bump.
  const ta = ticket(page, a.id);
  await expect(ta).toHaveAttribute('data-status', 'ready');
  await expect(ta.getByTestId('dispatch')).toHaveCount(2);
  await expect(ta.getByTestId('advance')).toHaveCount(0);
  await ta.locator(`[data-testid=dispatch][data-rider-id="${aslam}"]`).click();
  await expect(ta).toHaveAttribute('data-status', 'out_for_delivery');
  await expect(ta.getByTestId('rider')).toContainText('Aslam');
  expect((await order(kitchen, a.id)).rider?.id).toBe(aslam);

  // Undo: back to ready, no rider; then sent with the other rider.
  await expect(page.getByTestId('undo-bar')).toContainText('Out for delivery');
  await page.getByTestId('undo').click();
  await expect(ta).toHaveAttribute('data-status', 'ready');
  await expect(ta.getByTestId('rider')).toHaveCount(0);
  expect((await order(kitchen, a.id)).rider).toBeNull();
  await ta.locator(`[data-testid=dispatch][data-rider-id="${akram}"]`).click();
  await expect(ta).toHaveAttribute('data-status', 'out_for_delivery');
  await expect(ta.getByTestId('rider')).toContainText('اکرم');
  await expect(ta.getByTestId('advance')).toHaveText('Delivered');
  await ta.getByTestId('advance').click();
  await expect(ta).toHaveAttribute('data-status', 'delivered');
  const delivered = await order(kitchen, a.id);
  expect(delivered.status).toBe('delivered');
  expect(delivered.rider?.id).toBe(akram);

  // Another goes out with Aslam and comes back: a reason is asked for, like a cancel.
  const tb = ticket(page, b.id);
  await tb.locator(`[data-testid=dispatch][data-rider-id="${aslam}"]`).click();
  await expect(tb).toHaveAttribute('data-status', 'out_for_delivery');
  await tb.getByTestId('return').click();
  const dialog = page.getByTestId('return-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('confirm-cancel').click();
  await expect(dialog.getByTestId('reason-required')).toBeVisible();
  await dialog.getByRole('button', { name: 'Customer not at home' }).click();
  await dialog.getByTestId('confirm-cancel').click();
  await expect(tb).toHaveAttribute('data-status', 'returned');
  const returned = await order(kitchen, b.id);
  expect(returned.status).toBe('returned');
  expect(returned.cancel_reason).toBe('Customer not at home');

  // A ready pickup is collected at the counter.
  const tp = ticket(page, p.id);
  await expect(tp.getByTestId('dispatch')).toHaveCount(0);
  await expect(tp.getByTestId('advance')).toHaveText('Collected');
  await tp.getByTestId('advance').click();
  await expect(tp).toHaveAttribute('data-status', 'collected');
  expect((await order(kitchen, p.id)).status).toBe('collected');

  // The cash-up: by method and by rider, the server's numbers, matching the orders.
  await openPage(page, 'Day summary');
  const cashup = page.getByTestId('cashup');
  await expect(cashup).toBeVisible();
  const api = (await kitchen.server.api<CashUpJson>('GET', '/api/cashup')).body;
  const cash = api.methods.find((m) => m.method === 'cash')!;
  expect(cash.orders).toBe(2); // a (delivered) and p (collected); b returned counts nowhere
  expect(cash.total).toBe(delivered.total + (await order(kitchen, p.id)).total);
  expect(cash.cash_to_collect).toBe(delivered.total);
  const cashRow = cashup.locator('[data-testid=cashup-method][data-method=cash]');
  await expect(cashRow.getByTestId('cashup-method-orders')).toHaveText('2');
  await expect(cashRow.getByTestId('cashup-method-total')).toHaveText(formatMoney(cash.total, 'en'));
  await expect(cashRow.getByTestId('cashup-method-to-collect')).toHaveText(formatMoney(delivered.total, 'en'));
  const akramRow = cashup.locator(`[data-testid=cashup-rider][data-rider-id="${akram}"]`);
  const aslamRow = cashup.locator(`[data-testid=cashup-rider][data-rider-id="${aslam}"]`);
  await expect(akramRow.getByTestId('cashup-rider-delivered')).toHaveText('1');
  await expect(akramRow.getByTestId('cashup-rider-to-collect')).toHaveText(formatMoney(delivered.total, 'en'));
  await expect(aslamRow.getByTestId('cashup-rider-dispatched')).toHaveText('1');
  await expect(aslamRow.getByTestId('cashup-rider-returned')).toHaveText('1');
  await expect(aslamRow.getByTestId('cashup-rider-to-collect')).toHaveText(formatMoney(0, 'en'));

  // Marked collected at closing: the amount is the server's.
  await akramRow.getByTestId('cashup-mark').click();
  await expect(akramRow.getByTestId('cashup-rider-collected')).toContainText(formatMoney(delivered.total, 'en'));
  await expect(akramRow.getByTestId('cashup-rider-to-collect')).toHaveText(formatMoney(0, 'en'));
  await expect(cashRow.getByTestId('cashup-method-to-collect')).toHaveText(formatMoney(0, 'en'));
  const after = (await kitchen.server.api<CashUpJson>('GET', '/api/cashup')).body;
  expect(after.riders.find((r) => r.rider_id === akram)?.collected).toMatchObject({ amount: delivered.total, by: 'chef' });

  // In Urdu: right to left, every word Urdu (only the names, the username and numbers stay).
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(cashup.locator('h2')).toHaveText('دن کا حساب');
  await expect(cashRow.locator('th')).toHaveText('نقد');
  await expect(cashRow.getByTestId('cashup-method-total')).toHaveText(formatMoney(cash.total, 'ur'));
  await expect(akramRow.getByTestId('cashup-unmark')).toHaveText('واپس لیں');
  await expect(aslamRow.getByTestId('cashup-mark')).toHaveText('نقدی وصول ہو گئی');
  const text = (await cashup.innerText()).replaceAll('Aslam', '').replaceAll('chef', '');
  expect(text).not.toMatch(/[A-Za-z]/);

  // Taken back, in Urdu.
  await akramRow.getByTestId('cashup-unmark').click();
  await expect(akramRow.getByTestId('cashup-mark')).toBeVisible();
  await expect(akramRow.getByTestId('cashup-rider-to-collect')).toHaveText(formatMoney(delivered.total, 'ur'));
});
