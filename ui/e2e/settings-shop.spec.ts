// The shop's order settings (issue 12): delivery zones, sales tax, payment methods and
// opening hours, saved and read back; a refused one shown beside its field.

import type { Locator, Page, Response } from '@playwright/test';
import { parseErrorBody, type SettingsDto } from '../src/lib/api';
import { fieldErrorText } from '../src/lib/i18n';
import { inFieldUnits } from '../src/lib/paths';
import { expect, login, test, openPage, type Kitchen } from './harness';

async function openSettings(page: Page, kitchen: Kitchen): Promise<Locator> {
  await login(page, kitchen);
  await openPage(page, 'Settings');
  const form = page.getByTestId('settings-form');
  await expect(form).toBeVisible();
  return form;
}

async function save(page: Page): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/settings' && r.request().method() === 'PUT'),
    page.getByTestId('save-settings').click(),
  ]);
  return response;
}

/** A control by the path the server names its field with. */
function control(scope: Locator, path: string): Locator {
  return scope.locator(`[data-testid=field][data-field="${path}"]`).locator('input, textarea, select').first();
}

test('a delivery zone, sales tax, payment methods and opening hours are saved, and there after a reload', async ({ page, kitchen }) => {
  const form = await openSettings(page, kitchen);

  await page.getByTestId('add-zone').click();
  await control(form, 'delivery_zones[0].name').fill('Gulberg');
  await control(form, 'delivery_zones[0].name_ur').fill('گلبرگ');
  await control(form, 'delivery_zones[0].fee').fill('150');
  await control(form, 'delivery_zones[0].min_order').fill('1000');
  await control(form, 'delivery_zones[0].free_above').fill('3000');
  await control(form, 'delivery_zones[0].eta_minutes').fill('40');
  await control(form, 'delivery_zones[0].areas').fill('Gulberg II\nGulberg III\nMain Market');

  await page.getByTestId('tax-registered').check();
  await control(form, 'tax.prices_include_tax').uncheck();
  await control(form, 'tax.rates_bp.cash').fill('16');
  await control(form, 'tax.rates_bp.card').fill('5');
  await control(form, 'tax.rates_bp.wallet').fill('2.5');
  await control(form, 'tax.on_delivery_fee').check();

  const payments = form.locator('[data-testid=field][data-field="payment_methods"]');
  await payments.locator('label', { hasText: 'Cash' }).locator('input').check();
  await payments.locator('label', { hasText: 'Card' }).locator('input').check();
  await payments.locator('label', { hasText: 'Mobile wallet' }).locator('input').uncheck();

  // Open noon to 2 at night every day but Sunday; closed on Christmas Day.
  await page.getByTestId('always-open').uncheck();
  const monday = form.locator('[data-testid=hours-day][data-day="mon"]');
  await monday.getByTestId('add-range').click();
  await monday.getByTestId('range-from').fill('12:00');
  await monday.getByTestId('range-to').fill('02:00');
  await monday.getByTestId('copy-day').click();
  const sunday = form.locator('[data-testid=hours-day][data-day="sun"]');
  await sunday.getByRole('button', { name: 'Remove these hours' }).click();
  await expect(sunday).toContainText('Closed');
  await page.getByTestId('add-closed-date').click();
  await form.getByTestId('closed-date').fill('2026-12-25');

  await expect(page.getByTestId('settings-unsaved')).toBeVisible();
  const response = await save(page);
  expect(response.status(), await response.text()).toBe(200);
  const sent = JSON.parse(response.request().postData() ?? '{}') as Record<string, unknown>;
  expect(Object.keys(sent).sort()).toEqual(['delivery_zones', 'hours', 'payment_methods', 'tax']);
  await expect(page.getByTestId('settings-saved')).toBeVisible();

  const saved = (await kitchen.server.api<SettingsDto>('GET', '/api/settings')).body;
  expect(saved.delivery_zones).toEqual([
    {
      id: 'gulberg',
      name: 'Gulberg',
      name_ur: 'گلبرگ',
      fee: 15_000,
      min_order: 100_000,
      free_above: 300_000,
      eta_minutes: 40,
      areas: ['Gulberg II', 'Gulberg III', 'Main Market'],
    },
  ]);
  expect(saved.tax).toEqual({ registered: true, prices_include_tax: false, rates_bp: { cash: 1600, card: 500, wallet: 250 }, on_delivery_fee: true });
  expect([...saved.payment_methods].sort()).toEqual(['card', 'cash']);
  const range = [{ from: '12:00', to: '02:00' }];
  expect(saved.hours).toEqual({
    weekly: { mon: range, tue: range, wed: range, thu: range, fri: range, sat: range },
    closed_dates: ['2026-12-25'],
  });

  await page.reload();
  const again = page.getByTestId('settings-form');
  await expect(control(again, 'delivery_zones[0].name')).toHaveValue('Gulberg');
  await expect(control(again, 'delivery_zones[0].fee')).toHaveValue('150');
  await expect(control(again, 'delivery_zones[0].free_above')).toHaveValue('3000');
  await expect(control(again, 'delivery_zones[0].areas')).toHaveValue('Gulberg II\nGulberg III\nMain Market');
  await expect(control(again, 'tax.rates_bp.cash')).toHaveValue('16');
  await expect(control(again, 'tax.rates_bp.wallet')).toHaveValue('2.5');
  await expect(page.getByTestId('always-open')).not.toBeChecked();
  await expect(again.locator('[data-testid=hours-day][data-day="fri"]').getByTestId('range-to')).toHaveValue('02:00');
  await expect(again.locator('[data-testid=hours-day][data-day="sun"]')).toContainText('Closed');
  await expect(again.getByTestId('closed-date')).toHaveValue('2026-12-25');
  await expect(page.getByTestId('settings-unsaved')).toHaveCount(0);

  // Always open again: the hours are cleared.
  await page.getByTestId('always-open').check();
  expect((await save(page)).status()).toBe(200);
  expect((await kitchen.server.api<SettingsDto>('GET', '/api/settings')).body.hours).toBeNull();
});

test('a zone’s refused fields show beside them, in rupees, in English and in Urdu', async ({ page, kitchen }) => {
  const form = await openSettings(page, kitchen);
  await page.getByTestId('add-zone').click();
  await control(form, 'delivery_zones[0].name').fill('DHA');

  // Not rupees: caught before sending.
  await control(form, 'delivery_zones[0].fee').fill('free');
  await page.getByTestId('save-settings').click();
  const fee = form.locator('[data-testid=field][data-field="delivery_zones[0].fee"]');
  await expect(fee.getByTestId('field-error')).toHaveText('Enter an amount in rupees, e.g. 1250.');

  // Too big a fee and too long a delivery: the server's limits, the fee's in rupees.
  await control(form, 'delivery_zones[0].fee').fill('50000');
  await control(form, 'delivery_zones[0].eta_minutes').fill('500');
  const response = await save(page);
  expect(response.status()).toBe(422);
  const { fields } = parseErrorBody(422, await response.json(), '');
  const feeProblem = fields.find((f) => f.field === 'delivery_zones[0].fee');
  const etaProblem = fields.find((f) => f.field === 'delivery_zones[0].eta_minutes');
  expect(feeProblem, JSON.stringify(fields)).toBeDefined();
  expect(etaProblem, JSON.stringify(fields)).toBeDefined();
  await expect(fee.getByTestId('field-error')).toHaveText(fieldErrorText(inFieldUnits(feeProblem!), 'en'));
  await expect(fee.getByTestId('field-error')).not.toContainText('000000');
  const eta = form.locator('[data-testid=field][data-field="delivery_zones[0].eta_minutes"]');
  await expect(eta.getByTestId('field-error')).toHaveText(fieldErrorText(etaProblem!, 'en'));

  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(fee.getByTestId('field-error')).toHaveText(fieldErrorText(inFieldUnits(feeProblem!), 'ur'));
  await expect(eta.getByTestId('field-error')).toHaveText(fieldErrorText(etaProblem!, 'ur'));
  for (const f of fields) if (f.message) await expect(page.locator('main')).not.toContainText(f.message);
  expect((await kitchen.server.api<SettingsDto>('GET', '/api/settings')).body.delivery_zones).toEqual([]);
});

test('every problem shows at once, each beside its field, with a count beside Save', async ({ page, kitchen }) => {
  const form = await openSettings(page, kitchen);
  const before = (await kitchen.server.api<SettingsDto>('GET', '/api/settings')).body;
  // Two the page refuses itself (not whole numbers), two only the server knows.
  await control(form, 'eta_minutes').fill('soon');
  await control(form, 'red_after_minutes').fill('7.5');
  await control(form, 'shop_name').fill('');
  await control(form, 'shop_phone').fill('12');
  const [checked] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/settings/check'),
    page.getByTestId('save-settings').click(),
  ]);
  expect(checked.status()).toBe(422);
  for (const field of ['eta_minutes', 'red_after_minutes', 'shop_name', 'shop_phone']) {
    const box = form.locator(`[data-testid=field][data-field=${field}]`);
    await expect(box.getByTestId('field-error'), field).toBeVisible();
    await expect(control(form, field), field).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(form.locator('[data-testid=field][data-field=eta_minutes]').getByTestId('field-error')).toHaveText('Enter a whole number.');
  await expect(page.getByTestId('settings-problem-count')).toHaveText('Not saved: 4 fields need fixing (marked in red).');
  // Nothing was saved.
  expect((await kitchen.server.api<SettingsDto>('GET', '/api/settings')).body).toEqual(before);

  // Fixing the numbers leaves the server's two, still every one of them at once.
  await control(form, 'eta_minutes').fill('35');
  await control(form, 'red_after_minutes').fill('12');
  const response = await save(page);
  expect(response.status()).toBe(422);
  await expect(page.getByTestId('settings-problem-count')).toHaveText('Not saved: 2 fields need fixing (marked in red).');
  await expect(form.getByTestId('field-error')).toHaveCount(2);
});

test('busy mode and the phone AI’s gender are saved, and busy minutes over 30 are refused beside the field', async ({ page, kitchen }) => {
  const form = await openSettings(page, kitchen);
  await expect(page.getByTestId('ai-voice-gender')).toHaveValue('');
  await control(form, 'busy_minutes_per_order').fill('5');
  await page.getByTestId('ai-voice-gender').selectOption({ label: 'A man' });
  const response = await save(page);
  expect(response.status(), await response.text()).toBe(200);
  expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({ busy_minutes_per_order: 5, ai_voice_gender: 'male' });
  const saved = (await kitchen.server.api<SettingsDto>('GET', '/api/settings')).body;
  expect([saved.busy_minutes_per_order, saved.ai_voice_gender]).toEqual([5, 'male']);

  await page.reload();
  const again = page.getByTestId('settings-form');
  await expect(control(again, 'busy_minutes_per_order')).toHaveValue('5');
  await expect(page.getByTestId('ai-voice-gender')).toHaveValue('male');

  await control(again, 'busy_minutes_per_order').fill('31');
  const refused = await save(page);
  expect(refused.status()).toBe(422);
  const busy = again.locator('[data-testid=field][data-field="busy_minutes_per_order"]');
  await expect(busy.getByTestId('field-error')).toHaveText('Use a number from 0 to 30.');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('ai-voice-gender').locator('option:checked')).toHaveText('مرد کی طرح');
  expect((await kitchen.server.api<SettingsDto>('GET', '/api/settings')).body.busy_minutes_per_order).toBe(5);
});
