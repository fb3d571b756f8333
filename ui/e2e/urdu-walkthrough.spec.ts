// The whole dashboard walked through in Urdu (issue 13, "Urdu everywhere"): every page's
// visible text is collected and no English sentence may be on it — not the server's
// messages (Check setup, Connect, validation errors), not actor names in the history.
// Proper names stay as they are (Melt 8 Kitchen, OpenAI, Twilio, ngrok) and so do the
// menu's own English names (the demo menu is the shop's data, typed in English). Bidi: the
// history arrow points the way Urdu reads, and phone numbers and quantities keep their
// order, checked from where each isolated part is drawn.

import type { Locator, Page, TestInfo } from '@playwright/test';
import type { MenuDto, OrderDto } from '../src/lib/api';
import { charX, englishOn, expect, keep, login, openOrder, openPage, test, ticket, type Kitchen } from './harness';

test.use({ serverOptions: { demo: true } });

/** Everything the shop itself named in English: the menu's names, the shop's name. */
async function shopNames(kitchen: Kitchen): Promise<string[]> {
  const menu = (await kitchen.server.api<MenuDto>('GET', '/api/menu')).body;
  const settings = (await kitchen.server.api<{ shop_name: string }>('GET', '/api/settings')).body;
  const names = [settings.shop_name];
  for (const item of menu.items) {
    names.push(item.name, ...item.sizes.map((s) => s.label));
  }
  for (const group of menu.option_groups) names.push(group.name, ...group.options.map((o) => o.name));
  for (const deal of menu.deals) names.push(deal.name, ...deal.slots.map((s) => s.label ?? ''));
  return names.filter((n) => n && n.trim() !== '');
}

/** Checks the page (after `ready`) shows no English; keeps a screenshot. */
async function noEnglish(page: Page, testInfo: TestInfo, name: string, allowed: string[], ready: Locator): Promise<void> {
  await expect(ready).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  // Let late text (a quote, a live update) arrive before reading.
  await page.waitForLoadState('networkidle');
  await expect.poll(() => englishOn(page, allowed), `English on the ${name} page`).toEqual([]);
  await keep(testInfo, `urdu-${name}`, await page.screenshot({ fullPage: true }));
}

/** A phone number is drawn left to right with its `+` first. */
async function plusFirst(phone: Locator): Promise<void> {
  const text = (await phone.textContent())!.trim();
  const start = (await phone.textContent())!.indexOf(text);
  expect(text).toMatch(/^\+\d{6,}$/);
  expect(await charX(phone, start), `the + of ${text} is drawn first (leftmost)`).toBeLessThan(await charX(phone, start + text.length - 1));
}

test('every page in Urdu shows no English sentence, with bidi-safe history arrows, phone numbers and quantities', async ({
  page,
  kitchen,
}, testInfo) => {
  test.setTimeout(120_000);
  const allowed = await shopNames(kitchen);

  // Orders typed by the staff in Urdu: one moved on, one cancelled, one from a phone call.
  const urdu = { customer_name: 'علی رضا', address: 'مکان 12، گلی 4، گلبرگ، لاہور', landmark: 'حفیظ سینٹر کے پاس' };
  const counter = await kitchen.server.createOrder({ ...urdu, customer_phone: '0300-1234567' });
  await kitchen.server.setStatus(counter.id, 'preparing');
  const cancelled = await kitchen.server.createOrder({ ...urdu, customer_phone: '0321-7654321' });
  await kitchen.server.setStatus(cancelled.id, 'cancelled', 'گاہک نے منسوخ کیا');
  await kitchen.server.simulateCall('0300-7654321');
  // A second call while AI answering is paused: the call log says why, in Urdu.
  expect((await kitchen.server.api('PUT', '/api/phone/answering', { paused: true })).status).toBe(200);
  await kitchen.server.simulateCall('0300-7654322', 'shop');
  expect((await kitchen.server.api('PUT', '/api/phone/answering', { paused: false })).status).toBe(200);
  const phoneOrder = (await kitchen.server.api<OrderDto[]>('GET', '/api/orders')).body.find((o) => o.source === 'phone')!;
  expect(phoneOrder, 'the simulated call placed an order').toBeTruthy();
  // What the caller said (the demo's scripted caller gives an English name and address) is
  // the customer's data, shown as the AI wrote it down.
  allowed.push(...[phoneOrder.customer_name, phoneOrder.address, phoneOrder.landmark].filter((x): x is string => !!x));
  await kitchen.server.setStatus(phoneOrder.id, 'preparing');

  await login(page, kitchen);
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');

  // Board: tickets (a counter order, the phone order), quantities left to right.
  await noEnglish(page, testInfo, 'board', allowed, ticket(page, phoneOrder.id));
  const qty = ticket(page, counter.id).getByTestId('line-qty').first();
  await expect(qty).toHaveText('2 ×');
  expect(await charX(qty, 0), '"2 ×": the 2 is drawn left of the ×').toBeLessThan(await charX(qty, 2));

  // Order detail of the phone order: history worded, the arrow pointing left, each status
  // isolated, "from" drawn right of "to"; the phone number with its + first.
  await openOrder(page, phoneOrder.id);
  const history = page.getByTestId('history');
  await expect(history.locator('li')).toHaveCount(2);
  const moved = history.locator('li').nth(1);
  await expect(moved.getByTestId('history-arrow')).toHaveText('←');
  const from = moved.getByTestId('history-from');
  const to = moved.getByTestId('history-to');
  await expect(from).toHaveText('نیا');
  await expect(from).toHaveAttribute('data-status', 'new');
  await expect(to).toHaveAttribute('data-status', 'preparing');
  const [fromBox, arrowBox, toBox] = await Promise.all([from.boundingBox(), moved.getByTestId('history-arrow').boundingBox(), to.boundingBox()]);
  expect(fromBox!.x, 'the old status is read first: drawn rightmost').toBeGreaterThan(arrowBox!.x);
  expect(arrowBox!.x, 'the new status is drawn left of the arrow').toBeGreaterThan(toBox!.x);
  // The phone AI, in Urdu, took the order (it is not "phone-ai").
  await expect(history.locator('li').first().getByTestId('history-by')).toHaveText('از فون والا AI');
  await plusFirst(page.getByTestId('phone'));
  await noEnglish(page, testInfo, 'order', allowed, history);

  // The cancelled order's detail: the staff's Urdu reason, the username as typed.
  await page.goto(`${kitchen.uiUrl}#/orders/${cancelled.id}`);
  await expect(page.getByTestId('history').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('history')).toContainText('گاہک نے منسوخ کیا');
  await expect(page.getByTestId('history').getByTestId('history-by').last()).toHaveText('از \u2068chef\u2069');
  await plusFirst(page.getByTestId('phone'));
  await noEnglish(page, testInfo, 'order-cancelled', allowed, page.getByTestId('history'));

  // New order: Deal 3 without its drink: the server's refusal beside the slot, in Urdu.
  await page.goto(`${kitchen.uiUrl}#/board`);
  await page.getByTestId('new-order').click();
  const builder = page.getByTestId('order-builder');
  await builder.locator('[data-testid=pick-deal][data-deal-id="deal-3"]').click();
  const drinkSlot = builder.locator('[data-testid=builder-line][data-deal-id="deal-3"] [data-testid=slot][data-slot-id=drink]');
  await expect(drinkSlot.getByTestId('field-error')).toBeVisible();
  await noEnglish(page, testInfo, 'new-order', allowed, drinkSlot.getByTestId('field-error'));
  await page.goto(`${kitchen.uiUrl}#/board`);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');

  // Menu.
  await openPage(page, 'مینو');
  await noEnglish(page, testInfo, 'menu', allowed, page.locator('.page').first());

  // Settings, with a value the server refuses (the delivery time 0).
  await openPage(page, 'سیٹنگز');
  const settings = page.getByTestId('settings-form');
  await settings.locator('[data-field=eta_minutes] input').fill('0');
  await page.getByTestId('save-settings').click();
  await expect(settings.locator('[data-field=eta_minutes] [data-testid=field-error]')).toBeVisible();
  await noEnglish(page, testInfo, 'settings', allowed, settings);
  await settings.locator('[data-field=eta_minutes] input').fill('35');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();

  // Phone: Check setup (the demo's plain-http address, no shop phone), then Connect with a
  // number the demo's Twilio account does not have.
  await openPage(page, 'فون');
  await plusFirst(page.getByTestId('twilio-number'));
  await page.getByTestId('check-setup').click();
  const checks = page.getByTestId('check-results').locator('li');
  // Six parts: key, number, public address, tunnel, shop phone, and the PC-off fallback.
  await expect(checks).toHaveCount(6);
  await expect(checks.and(page.locator('[data-part=fallback]'))).toHaveCount(1);
  await expect(checks.and(page.locator('[data-part=public_url]'))).toHaveAttribute('data-code', 'address_unreachable');
  await expect(checks.and(page.locator('[data-part=public_url]'))).toContainText(`http://127.0.0.1:${kitchen.server.publicPort}`);
  const shopPhone = checks.and(page.locator('[data-part=shop_phone]'));
  await expect(shopPhone).toHaveAttribute('data-code', 'no_shop_phone');
  // Each fixable problem links to where it is set.
  await expect(shopPhone.getByTestId('fix-link')).toHaveAttribute('href', '#/settings');
  await expect(shopPhone.getByTestId('fix-link')).toHaveAttribute('data-fix-field', 'shop_phone');
  const other = await kitchen.server.api('PUT', '/api/settings', { twilio_phone_number: '+923219876543' });
  expect(other.status, JSON.stringify(other.body)).toBe(200);
  await expect(page.getByTestId('twilio-number')).toHaveText('+923219876543');
  await page.getByTestId('connect').click();
  const connect = page.getByTestId('connect-result');
  await expect(connect).toHaveAttribute('data-code', 'number_not_in_account');
  await expect(connect).toContainText('+923219876543');
  await noEnglish(page, testInfo, 'phone', allowed, connect);

  // The Connect refusal's link opens the wizard's Phone step at the Twilio number.
  await page.getByTestId('number').getByTestId('fix-link').click();
  await expect(page.getByTestId('setup-form')).toHaveAttribute('data-step', 'phone');
  await expect(page.locator('[data-field=twilio_phone_number] input')).toBeFocused();
  // Setup: every step.
  for (const step of ['shop', 'password', 'ai', 'phone', 'tunnel', 'review']) {
    await page.getByTestId(`setup-step-${step}`).click();
    await noEnglish(page, testInfo, `setup-${step}`, allowed, page.locator(`[data-testid=setup-form][data-step=${step}]`));
  }
  await page.getByTestId('setup-skip').click();
  await expect(page.getByTestId('setup-wizard')).toHaveCount(0);

  // The Settings link of Check setup puts the cursor in the shop's phone.
  await openPage(page, 'فون');
  await page.getByTestId('check-setup').click();
  await page.locator('[data-part=shop_phone]').getByTestId('fix-link').click();
  await expect(page.getByTestId('settings-form')).toBeVisible();
  await expect(page.locator('[data-field=shop_phone] input')).toBeFocused();

  // Calls, after the simulated call.
  await openPage(page, 'کالیں');
  await expect(page.getByTestId('call')).toHaveCount(2);
  for (const caller of await page.getByTestId('call-caller').all()) await plusFirst(caller);
  const paused = page.getByTestId('call-reason');
  await expect(paused).toHaveAttribute('data-code', 'answering_paused');
  await expect(paused).toHaveText('AI سے جواب دینا روکا ہوا تھا');
  // The server's English words are not even on hover here.
  await expect(paused).not.toHaveAttribute('title', /./);
  await noEnglish(page, testInfo, 'calls', allowed, page.getByTestId('call').first());

  // Day summary.
  await openPage(page, 'دن کا خلاصہ');
  await noEnglish(page, testInfo, 'summary', allowed, page.locator('.page').first());
});
