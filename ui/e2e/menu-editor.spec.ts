// The menu editor as a Pakistani pizza shop uses it (issue 12): option groups, deals with
// their hours and slots, sold-out switches, and the server's refusals beside their fields
// in English and in Urdu.

import type { Locator, Page, Response } from '@playwright/test';
import { parseErrorBody, type FieldProblem, type MenuDto } from '../src/lib/api';
import { fieldErrorText } from '../src/lib/i18n';
import { inFieldUnits } from '../src/lib/paths';
import { expect, login, test, openPage, type Kitchen } from './harness';

async function openMenu(page: Page, kitchen: Kitchen): Promise<void> {
  await login(page, kitchen);
  await openPage(page, 'Menu');
  await expect(page.getByTestId('menu-item').first()).toBeVisible();
}

async function getMenu(kitchen: Kitchen): Promise<MenuDto> {
  const res = await kitchen.server.api<MenuDto>('GET', '/api/menu');
  expect(res.status).toBe(200);
  return res.body;
}

async function saveMenu(page: Page): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/menu' && r.request().method() === 'PUT'),
    page.getByTestId('save-menu').click(),
  ]);
  return response;
}

/** A form field by the path the server names it with. */
function field(scope: Page | Locator, path: string): Locator {
  return scope.locator(`[data-testid=field][data-field="${path}"]`);
}

/** Ticks (or unticks) the box labelled `label` in a list of tick boxes. */
async function tick(list: Locator, label: string, on = true): Promise<void> {
  await list.locator('label', { hasText: label }).locator('input[type=checkbox]').setChecked(on);
}

test('an option group and a deal with its hours and slots are added, saved, and there after a reload', async ({ page, kitchen }) => {
  await openMenu(page, kitchen);

  // An option group: two sauces, one priced by size.
  await page.getByTestId('menu-tab-option_groups').click();
  await page.getByTestId('add-group').click();
  const group = page.getByTestId('option-group').last();
  await group.getByTestId('group-name').fill('Sauce');
  await group.getByTestId('group-name-ur').fill('ساس');
  await group.getByTestId('group-min').fill('0');
  await group.getByTestId('group-max').fill('2');
  await group.getByTestId('option-name').first().fill('Garlic sauce');
  await group.getByTestId('option-price').first().fill('50');
  await group.getByTestId('add-option').click();
  const chilli = group.getByTestId('option').last();
  await chilli.getByTestId('option-name').fill('Chilli sauce');
  await chilli.getByTestId('add-size-price').click();
  await chilli.getByTestId('option-size-price').locator('select').selectOption('large');
  await chilli.getByTestId('option-size-price').locator('input').fill('80');
  await expect(group.locator('legend').first()).toHaveText('Sauce');

  // Chicken Tikka offers it.
  await page.getByTestId('menu-tab-items').click();
  const tikka = page.locator('[data-testid=menu-item][data-item-id="chicken-tikka"]');
  await tick(tikka.getByTestId('item-groups'), 'Sauce');

  // A late-night deal: a medium pizza but Pepperoni, and a 345 ml drink.
  await page.getByTestId('menu-tab-deals').click();
  await page.getByTestId('add-deal').click();
  const deal = page.getByTestId('deal').last();
  await deal.getByTestId('deal-name').fill('Late Night Special');
  await deal.getByTestId('deal-name-ur').fill('لیٹ نائٹ اسپیشل');
  await deal.getByTestId('deal-price').fill('999');
  await deal.getByTestId('add-hours').click();
  const hours = deal.getByTestId('deal-hours');
  await tick(hours, 'Mon', false);
  await tick(hours, 'Tue', false);
  await hours.getByTestId('hours-from').fill('23:00');
  await hours.getByTestId('hours-to').fill('03:00');
  const pizza = deal.getByTestId('deal-slot').first();
  await pizza.getByTestId('slot-label').fill('Medium pizza');
  await pizza.getByTestId('slot-choice').selectOption('except');
  await tick(pizza.getByTestId('slot-items'), 'Pepperoni');
  await tick(pizza.getByTestId('slot-sizes'), 'Medium 10"');
  await deal.getByTestId('add-slot').click();
  const drink = deal.getByTestId('deal-slot').last();
  await drink.getByTestId('slot-label').fill('Drink');
  await drink.getByTestId('slot-kind').selectOption('drink');
  await tick(drink.getByTestId('slot-sizes'), '345 ml');

  await expect(page.getByTestId('menu-unsaved')).toBeVisible();
  expect((await saveMenu(page)).status()).toBe(200);
  await expect(page.getByTestId('menu-saved')).toBeVisible();

  const menu = await getMenu(kitchen);
  const sauce = menu.option_groups.find((g) => g.id === 'sauce');
  expect(sauce).toMatchObject({
    name: 'Sauce',
    name_ur: 'ساس',
    min: 0,
    max: 2,
    options: [
      { id: 'garlic-sauce', name: 'Garlic sauce', price: 5000, available: true },
      { id: 'chilli-sauce', name: 'Chilli sauce', prices: { large: 8000 }, available: true },
    ],
  });
  expect(menu.items.find((i) => i.id === 'chicken-tikka')?.option_groups).toContain('sauce');
  expect(menu.deals.find((d) => d.id === 'late-night-special')).toMatchObject({
    name: 'Late Night Special',
    name_ur: 'لیٹ نائٹ اسپیشل',
    price: 99_900,
    available: true,
    hours: [{ days: ['wed', 'thu', 'fri', 'sat', 'sun'], from: '23:00', to: '03:00' }],
    slots: [
      { id: 'medium-pizza', label: 'Medium pizza', count: 1, kind: 'pizza', exclude_items: ['pepperoni'], sizes: ['medium'] },
      { id: 'drink', label: 'Drink', count: 1, kind: 'drink', sizes: ['345ml'] },
    ],
  });

  // A reload shows them as saved, with nothing left unsaved.
  await page.reload();
  await page.getByTestId('menu-tab-deals').click();
  const saved = page.locator('[data-testid=deal][data-deal-id="late-night-special"]');
  await expect(saved.getByTestId('deal-price')).toHaveValue('999');
  await expect(saved.getByTestId('hours-from')).toHaveValue('23:00');
  await expect(saved.getByTestId('hours-to')).toHaveValue('03:00');
  await expect(saved.getByTestId('deal-slot')).toHaveCount(2);
  await expect(saved.getByTestId('slot-choice').first()).toHaveValue('except');
  await expect(saved.getByTestId('slot-items').first().locator('input:checked')).toHaveCount(1);
  await page.getByTestId('menu-tab-option_groups').click();
  const savedGroup = page.locator('[data-testid=option-group][data-group-id="sauce"]');
  await expect(savedGroup.getByTestId('option')).toHaveCount(2);
  await expect(savedGroup.getByTestId('option-size-price').locator('input')).toHaveValue('80');
  await expect(page.getByTestId('menu-unsaved')).toHaveCount(0);
});

test('an option, a size and a deal are marked sold out with “Available” switches that say their state in words, ticked or not', async ({ page, kitchen }) => {
  await openMenu(page, kitchen);
  await page.getByTestId('menu-tab-option_groups').click();
  const stuffed = page.locator('[data-testid=option-group][data-group-id="crust"] [data-testid=option][data-option-id="stuffed"]');
  const optionSwitch = stuffed.getByRole('switch');
  const label = stuffed.locator('label.switch');
  // Ticked: on sale. The label reads "Available" either way; the state is said in words.
  await expect(optionSwitch).toBeChecked();
  await expect(optionSwitch).toHaveAccessibleName('Available: Stuffed crust');
  await expect(label).toHaveText(/^\s*Available\s*On sale\s*$/);
  await optionSwitch.uncheck();
  await expect(optionSwitch).not.toBeChecked();
  await expect(optionSwitch).toHaveAccessibleName('Available: Stuffed crust');
  await expect(label).toHaveText(/^\s*Available\s*Sold out\s*$/);

  await page.getByTestId('menu-tab-items').click();
  const family = page.locator('[data-testid=menu-item][data-item-id="veggie"] [data-testid=menu-size][data-size-id="family"]');
  await family.getByRole('switch').uncheck();
  await page.getByTestId('menu-tab-deals').click();
  await page.locator('[data-testid=deal][data-deal-id="deal-2"]').getByTestId('deal-available').uncheck();

  expect((await saveMenu(page)).status()).toBe(200);
  await expect(page.getByTestId('menu-saved')).toBeVisible();
  const menu = await getMenu(kitchen);
  const crust = menu.option_groups.find((g) => g.id === 'crust')!;
  expect(crust.options.find((o) => o.id === 'stuffed')?.available).toBe(false);
  expect(crust.options.find((o) => o.id === 'thin')?.available).toBe(true);
  expect(menu.items.find((i) => i.id === 'veggie')?.sizes.find((s) => s.id === 'family')?.available).toBe(false);
  expect(menu.deals.find((d) => d.id === 'deal-2')?.available).toBe(false);

  // In Urdu the same: "دستیاب" with the state in words.
  await page.getByTestId('menu-tab-option_groups').click();
  await page.getByTestId('language').click();
  await expect(label).toHaveText(/^\s*دستیاب\s*ختم ہو گیا\s*$/);

  // And back on sale.
  await optionSwitch.check();
  await expect(label).toHaveText(/^\s*دستیاب\s*دستیاب ہے\s*$/);
  expect((await saveMenu(page)).status()).toBe(200);
  const after = await getMenu(kitchen);
  expect(after.option_groups.find((g) => g.id === 'crust')?.options.find((o) => o.id === 'stuffed')?.available).toBe(true);
});

test('the server’s refusals show beside their fields — a deal slot with no sizes, a group choosing more than it may — in English and in Urdu', async ({
  page,
  kitchen,
}) => {
  await openMenu(page, kitchen);
  const before = await getMenu(kitchen);

  await page.getByTestId('menu-tab-deals').click();
  const slot = page.locator('[data-testid=deal][data-deal-id="deal-1"]').getByTestId('deal-slot').first();
  await tick(slot.getByTestId('slot-sizes'), 'Small 7"', false);
  await page.getByTestId('menu-tab-option_groups').click();
  const crust = page.locator('[data-testid=option-group][data-group-id="crust"]');
  await crust.getByTestId('group-min').fill('3');
  await crust.getByTestId('group-max').fill('1');

  const response = await saveMenu(page);
  expect(response.status()).toBe(422);
  const { fields } = parseErrorBody(422, await response.json(), '');
  const dealIndex = before.deals.findIndex((d) => d.id === 'deal-1');
  const groupIndex = before.option_groups.findIndex((g) => g.id === 'crust');
  const sizes = fields.find((f) => f.field === `deals[${dealIndex}].slots[0].sizes`);
  const max = fields.find((f) => f.field === `option_groups[${groupIndex}].max` || f.field === `option_groups[${groupIndex}].min`);
  expect(sizes, JSON.stringify(fields)).toBeDefined();
  expect(max, JSON.stringify(fields)).toBeDefined();
  await expect(page.getByTestId('menu-problems')).toBeVisible();

  const shows = async (problem: FieldProblem, lang: 'en' | 'ur') => {
    const box = field(page, problem.field);
    await expect(box.getByTestId('field-error')).toHaveText(fieldErrorText(inFieldUnits(problem), lang));
  };
  // The group's problem on this tab; the deals tab counts its own.
  await shows(max!, 'en');
  await expect(field(page, max!.field).locator('input')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('menu-tab-deals').getByTestId('tab-problems')).toHaveText('1 problem');
  await page.getByTestId('menu-tab-deals').click();
  await shows(sizes!, 'en');

  // In Urdu: the same problems, worded from their codes; none of the server's English.
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await shows(sizes!, 'ur');
  await expect(field(page, sizes!.field).getByTestId('field-error')).toHaveCSS('direction', 'rtl');
  await page.getByTestId('menu-tab-option_groups').click();
  await shows(max!, 'ur');
  const main = page.locator('main');
  for (const f of fields) if (f.message) await expect(main).not.toContainText(f.message);
  await expect(page.getByTestId('menu-tab-deals').getByTestId('tab-problems')).toHaveText('1 مسئلہ');

  // Nothing was saved.
  expect(await getMenu(kitchen)).toEqual(before);
});

test('leaving the menu with unsaved changes asks first', async ({ page, kitchen }) => {
  await openMenu(page, kitchen);
  const tikka = page.locator('[data-testid=menu-item][data-item-id="chicken-tikka"]');
  await tikka.getByTestId('size-price').first().fill('777');
  await openPage(page, 'Board');
  const dialog = page.getByTestId('leave-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('leave-stay').click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/menu$/);
  await expect(tikka.getByTestId('size-price').first()).toHaveValue('777');

  await openPage(page, 'Board');
  await dialog.getByTestId('leave-anyway').click();
  await expect(page).toHaveURL(/#\/board$/);
  await expect(page.getByTestId('menu-form')).toHaveCount(0);
  expect((await getMenu(kitchen)).items.find((i) => i.id === 'chicken-tikka')?.sizes[0]?.price).toBe(75_000);

  // Unchanged: no question.
  await openPage(page, 'Menu');
  await expect(tikka).toBeVisible();
  await openPage(page, 'Board');
  await expect(page).toHaveURL(/#\/board$/);
  await expect(dialog).toHaveCount(0);
});
