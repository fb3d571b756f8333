// One-tap sold out on the board (issue 13): the header's "Sold out" opens a searchable list
// of items (with their sizes), crusts and extras, and deals; each tap is saved at once, so
// the next order through the API is refused (and the builder shows it sold out) until it is
// tapped back. The menu editor's switch reads the same ticked or not, its cards are titled
// by name, and unsaved edits ask before they are dropped. In Urdu, Urdu names and sizes.

import type { Page, Response } from '@playwright/test';
import type { MenuDto } from '../src/lib/api';
import { expect, keep, login, openPage, test, type Kitchen } from './harness';

const ADDRESS = 'House 12, Street 4, Gulberg III, Lahore';

function orderOf(item_id: string, size_id: string, options: { group: string; option: string }[] = []) {
  return { items: [{ item_id, size_id, quantity: 1, options }], address: ADDRESS, customer_phone: '03001234567' };
}

/** Places an order through the API: its status and the codes of its refusals. */
async function place(kitchen: Kitchen, order: unknown): Promise<{ status: number; codes: string[] }> {
  const res = await kitchen.server.api<{ error?: { fields?: { code: string }[] } }>('POST', '/api/orders', order);
  return { status: res.status, codes: (res.body.error?.fields ?? []).map((f) => f.code) };
}

async function menu(kitchen: Kitchen): Promise<MenuDto> {
  return (await kitchen.server.api<MenuDto>('GET', '/api/menu')).body;
}

/** Taps a switch and waits for the tap to be saved. */
async function tap(page: Page, target: ReturnType<Page['locator']>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/menu/availability' && r.request().method() === 'PUT'),
    target.click(),
  ]);
  expect(response.status(), await response.text()).toBe(200);
  return response;
}

async function openPanel(page: Page) {
  await page.getByTestId('soldout-open').click();
  const panel = page.getByTestId('soldout-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId('soldout-item').first()).toBeVisible();
  return panel;
}

test('an item, a size and a crust sold out in one tap on the board are refused on the next order, shown sold out in the builder, and sell again', async ({
  page,
  kitchen,
}, testInfo) => {
  await login(page, kitchen);
  let panel = await openPanel(page);
  await expect(panel.getByTestId('soldout-now')).toContainText('Everything is on sale.');

  // The item: found by searching, one tap.
  await panel.getByTestId('soldout-search').fill('tikka');
  const tikka = panel.locator('[data-testid=soldout-item][data-item-id="chicken-tikka"]');
  await expect(panel.getByTestId('soldout-item')).toHaveCount(1);
  const tikkaSwitch = tikka.getByTestId('soldout-item-switch');
  await expect(tikkaSwitch).toBeChecked();
  await tap(page, tikkaSwitch);
  await expect(tikkaSwitch).not.toBeChecked();
  await expect(tikka).toHaveAttribute('data-sold-out', 'true');
  await expect(tikka.getByTestId('soldout-item-switch-state').first()).toHaveText('Sold out');
  await expect(panel.getByTestId('soldout-status')).toHaveText('Chicken Tikka: Sold out');
  await expect(panel.getByTestId('soldout-now-row')).toHaveText([/Sold out\s*Chicken Tikka\s*Back on sale/]);
  expect((await menu(kitchen)).items.find((i) => i.id === 'chicken-tikka')?.available).toBe(false);
  expect(await place(kitchen, orderOf('chicken-tikka', 'large'))).toEqual({ status: 422, codes: ['sold_out'] });

  // A size: Pepperoni Family only.
  await panel.getByTestId('soldout-search').fill('pepperoni');
  const family = panel.locator('[data-testid=soldout-item][data-item-id="pepperoni"] [data-testid=soldout-size][data-size-id="family"]');
  await expect(family).toContainText('Family 16"');
  await tap(page, family.getByTestId('soldout-size-switch'));
  await expect(family).toHaveAttribute('data-sold-out', 'true');
  expect(await place(kitchen, orderOf('pepperoni', 'family'))).toEqual({ status: 422, codes: ['sold_out'] });
  expect((await place(kitchen, orderOf('pepperoni', 'medium'))).status, 'its other sizes still sell').toBe(201);

  // An option: the crown crust.
  await panel.getByTestId('soldout-search').fill('crown');
  await expect(panel.getByTestId('soldout-item')).toHaveCount(0);
  const crown = panel.locator('[data-testid=soldout-option][data-group-id="crust"][data-option-id="crown"]');
  await tap(page, crown.getByTestId('soldout-option-switch'));
  await expect(crown).toHaveAttribute('data-sold-out', 'true');
  expect(await place(kitchen, orderOf('chicken-fajita', 'large', [{ group: 'crust', option: 'crown' }]))).toEqual({
    status: 422,
    codes: ['sold_out'],
  });
  await panel.getByTestId('soldout-search').fill('');
  await expect(panel.getByTestId('soldout-now-row')).toHaveCount(3);
  // Sold-out items come first in the list (ordered when the panel opened).
  await keep(testInfo, 'board-soldout-panel', await page.screenshot());
  await panel.getByTestId('soldout-close').click();
  await expect(panel).toBeHidden();

  // The builder shows them sold out.
  await page.getByTestId('new-order').click();
  const pickTikka = page.locator('[data-testid=pick-item][data-item-id="chicken-tikka"]');
  await expect(pickTikka).toHaveAttribute('data-sold-out', 'true');
  await expect(pickTikka).toBeDisabled();
  await expect(pickTikka).toContainText('Sold out');
  await page.locator('[data-testid=pick-item][data-item-id="pepperoni"]').click();
  const familySize = page.locator('[data-testid=size][data-size-id="family"]');
  await expect(familySize).toHaveAttribute('data-sold-out', 'true');
  await expect(familySize).toContainText('Sold out');
  await keep(testInfo, 'board-soldout-builder', await page.screenshot());

  // Tapped back on the board: orderable again, at once.
  await openPage(page, 'Board');
  panel = await openPanel(page);
  await expect(panel.getByTestId('soldout-item').first(), 'sold-out items first').toHaveAttribute('data-item-id', 'chicken-tikka');
  await tap(page, panel.locator('[data-testid=soldout-item][data-item-id="chicken-tikka"]').getByTestId('soldout-item-switch'));
  await tap(page, panel.locator('[data-testid=soldout-now-row][data-key="size:pepperoni:family"]').getByTestId('back-on-sale'));
  await tap(page, panel.locator('[data-testid=soldout-now-row][data-key="option:crust:crown"]').getByTestId('back-on-sale'));
  await expect(panel.getByTestId('soldout-now')).toContainText('Everything is on sale.');
  expect((await place(kitchen, orderOf('chicken-tikka', 'large'))).status).toBe(201);
  expect((await place(kitchen, orderOf('pepperoni', 'family'))).status).toBe(201);
  expect((await place(kitchen, orderOf('chicken-fajita', 'large', [{ group: 'crust', option: 'crown' }]))).status).toBe(201);
  await panel.getByTestId('soldout-close').click();
  await page.getByTestId('new-order').click();
  await expect(pickTikka).toHaveAttribute('data-sold-out', 'false');
  await expect(pickTikka).toBeEnabled();
});

test('in Urdu the panel speaks Urdu: item names, Urdu size labels, “ختم” in words', async ({ page, kitchen }, testInfo) => {
  await login(page, kitchen);
  await page.getByTestId('language').click();
  await expect(page.getByTestId('soldout-open')).toHaveText('ختم', { useInnerText: true });
  const panel = await openPanel(page);
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('کیا ختم ہے');
  await panel.getByTestId('soldout-search').fill('تکہ');
  const tikka = panel.locator('[data-testid=soldout-item][data-item-id="chicken-tikka"]');
  await expect(panel.getByTestId('soldout-item')).toHaveCount(1);
  await expect(tikka.getByTestId('soldout-size')).toHaveText([/چھوٹا 7 انچ/, /درمیانہ 10 انچ/, /بڑا 13 انچ/, /فیملی 16 انچ/]);
  const large = tikka.locator('[data-testid=soldout-size][data-size-id="large"]');
  await tap(page, large.getByTestId('soldout-size-switch'));
  await expect(large.getByTestId('soldout-size-switch-state')).toHaveText('ختم ہو گیا');
  await expect(panel.getByTestId('soldout-now-row')).toHaveText([/ختم ہو گیا\s*چکن تکہ بڑا 13 انچ\s*دوبارہ دستیاب/]);
  expect(await place(kitchen, orderOf('chicken-tikka', 'large'))).toEqual({ status: 422, codes: ['sold_out'] });

  // No English on the Urdu panel: every name, size, crust and deal has its Urdu.
  await panel.getByTestId('soldout-search').fill('');
  await expect(panel.getByTestId('soldout-item')).toHaveCount((await menu(kitchen)).items.length);
  const text = await panel.innerText();
  expect(text.match(/[A-Za-z]{2,}[A-Za-z ]*/g), 'no Latin words on the Urdu panel').toBeNull();
  await keep(testInfo, 'board-soldout-panel-ur', await page.screenshot());

  // The kitchen ticket of an order taken now shows the Urdu size.
  expect((await place(kitchen, orderOf('chicken-tikka', 'medium'))).status).toBe(201);
  await panel.getByTestId('soldout-close').click();
  await expect(page.locator('[data-testid=ticket-line][data-item-id="chicken-tikka"]').first()).toContainText('درمیانہ 10 انچ');
});

test('the menu editor: cards titled by name, an “Available” switch that reads the same ticked or not, an Urdu size label, and unsaved edits ask before they are dropped', async ({
  page,
  kitchen,
}, testInfo) => {
  await login(page, kitchen);
  await openPage(page, 'Menu');
  const tikka = page.locator('[data-testid=menu-item][data-item-id="chicken-tikka"]');
  await expect(tikka.locator(':scope > legend')).toHaveText('Chicken Tikka');
  const available = tikka.getByTestId('available');
  const label = tikka.locator('.editor-row label.switch').first();
  await expect(available).toBeChecked();
  await expect(label).toHaveText(/^\s*Available\s*On sale\s*$/);
  await available.uncheck();
  await expect(label).toHaveText(/^\s*Available\s*Sold out\s*$/);
  await available.check();
  await expect(label).toHaveText(/^\s*Available\s*On sale\s*$/);

  // The size's Urdu label, edited and saved.
  const large = tikka.locator('[data-testid=menu-size][data-size-id="large"]');
  await expect(large.getByTestId('size-label-ur')).toHaveValue('بڑا 13 انچ');
  await large.getByTestId('size-label-ur').fill('لارج 13 انچ');
  const [saved] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/menu' && r.request().method() === 'PUT'),
    page.getByTestId('save-menu').click(),
  ]);
  expect(saved.status(), await saved.text()).toBe(200);
  expect((await menu(kitchen)).items[0]!.sizes.find((s) => s.id === 'large')?.label_ur).toBe('لارج 13 انچ');

  // Urdu: the cards are titled by their Urdu names.
  await page.getByTestId('language').click();
  await expect(tikka.locator(':scope > legend')).toHaveText('چکن تکہ');
  await expect(page.locator('[data-testid=menu-item][data-item-id="coca-cola"] > legend')).toHaveText('کوکا کولا');
  await keep(testInfo, 'board-soldout-menu-editor-ur', await page.screenshot());
  await page.getByTestId('language').click();

  // Unsaved: a hash change asks first…
  await tikka.getByTestId('size-price').first().fill('777');
  await page.evaluate(() => (location.hash = '#/calls'));
  const dialog = page.getByTestId('leave-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('leave-stay').click();
  await expect(page).toHaveURL(/#\/menu$/);
  await expect(tikka.getByTestId('size-price').first()).toHaveValue('777');

  // …and so does closing or reloading the tab.
  const asked = new Promise<string>((resolve) => {
    page.once('dialog', (d) => {
      resolve(d.type());
      void d.dismiss();
    });
  });
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  expect(page.isClosed()).toBe(false);
  await expect(tikka.getByTestId('size-price').first()).toHaveValue('777');
});
