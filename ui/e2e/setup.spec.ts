import type { Page } from '@playwright/test';
import { expect, login, test, openPage, USER, type Kitchen } from './harness';

// A shop whose first-run wizard was never saved.
test.use({ serverOptions: { setupDone: false } });

type SetupJson = { done: boolean; steps: Record<string, boolean>; values: Record<string, unknown> };

test('the first-run wizard shows plain errors beside their fields, saves, and then the board shows', async ({
  page,
  kitchen,
}) => {
  await login(page, kitchen);
  const wizard = page.getByTestId('setup-wizard');
  await expect(wizard).toBeVisible();
  const form = page.getByTestId('setup-form');

  await form.locator('input[name=shop_name]').fill('Melt 8 Gulberg');
  await page.getByTestId('setup-next').click();
  await form.locator('input[name=chef_password]').fill('gulberg-oven-2026');
  await page.getByTestId('setup-next').click();
  // A key that is not an OpenAI key: only the server knows, and says so in plain words.
  await form.locator('input[name=openai_api_key]').fill('pk-not-an-openai-key');
  await form.locator('select[name=openai_model]').selectOption('gpt-realtime-2.1-mini');
  await page.getByTestId('setup-next').click();
  await form.locator('input[name=shop_phone]').fill('0300 1234567');
  await page.getByTestId('setup-next').click();
  await expect(form).toHaveAttribute('data-step', 'tunnel');
  await page.getByTestId('setup-next').click();
  await expect(page.getByTestId('setup-review')).toContainText('Melt 8 Gulberg');
  await page.getByTestId('setup-save').click();

  // Back on the AI step, with the message beside the key.
  await expect(form).toHaveAttribute('data-step', 'ai');
  await expect(form.getByTestId('field-error')).toHaveText('That does not look like an OpenAI API key: it should start with sk-.');
  const key = form.getByLabel('OpenAI API key');
  await expect(key).toHaveAttribute('aria-invalid', 'true');
  await expect(key).toHaveAccessibleDescription(/^That does not look like an OpenAI API key: it should start with sk-\. .*not set$/);
  await expect(page.getByTestId('setup-step-ai')).toContainText('1 problem');
  expect((await kitchen.server.api<SetupJson>('GET', '/api/setup')).body.done).toBe(false);

  await form.locator('input[name=openai_api_key]').fill('sk-e2e-wizard-key');
  await expect(form.getByTestId('field-error')).toHaveCount(0);
  await expect(key).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('setup-step-review').click();
  await expect(page.getByTestId('setup-review')).toContainText('new value');
  await page.getByTestId('setup-save').click();
  await expect(wizard).toBeHidden();
  await expect(page.getByTestId('column-new')).toBeVisible();

  // The new password is in force; the owner stays logged in across a reload.
  kitchen.server.password = 'gulberg-oven-2026';
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(page.getByTestId('column-new')).toBeVisible();
  await expect(wizard).toBeHidden();
  const setup = await kitchen.server.api<SetupJson>('GET', '/api/setup');
  expect(setup.status).toBe(200);
  expect(setup.body.done).toBe(true);
  expect(setup.body.values).toMatchObject({ shop_name: 'Melt 8 Gulberg', shop_phone: '+923001234567', openai_api_key_set: true });
  expect(JSON.stringify(setup.body)).not.toContain('sk-e2e-wizard-key');

  // Settings opens it again, filled in, with the saved key kept.
  await openPage(page, 'Settings');
  await page.getByTestId('open-setup').click();
  await expect(form.locator('input[name=shop_name]')).toHaveValue('Melt 8 Gulberg');
});

test('"Skip for now" leaves the board usable', async ({ page, kitchen }) => {
  await login(page, kitchen);
  await expect(page.getByTestId('setup-wizard')).toBeVisible();
  await page.getByTestId('setup-skip').click();
  await expect(page.getByTestId('setup-wizard')).toBeHidden();
  const order = await kitchen.server.createOrder();
  await expect(page.locator(`[data-testid=ticket][data-order-id="${order.id}"]`)).toBeVisible();
  expect((await kitchen.server.api<SetupJson>('GET', '/api/setup')).body.done).toBe(false);
});

/** Opens `url`, logs in, and waits until the page has asked the server about the wizard. */
async function loginAt(page: Page, kitchen: Kitchen, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login').locator('input[name=username]').fill(USER);
  await page.getByTestId('login').locator('input[name=password]').fill(kitchen.server.password);
  const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/setup' && r.request().method() === 'GET');
  await page.getByTestId('login').getByRole('button', { name: /log in|لاگ اِن/i }).click();
  await asked;
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
}

test('"Skip for now" holds in a new tab and after a browser restart; a kitchen screen on the board never sees the wizard', async ({
  page,
  kitchen,
  browser,
}) => {
  // A kitchen screen left on the board's address, on a fresh install: the board, no wizard.
  const kitchenScreen = await browser.newContext();
  const cook = await kitchenScreen.newPage();
  await loginAt(cook, kitchen, `${kitchen.uiUrl}#/board`);
  await expect(cook.getByTestId('column-new')).toBeVisible();
  await expect(cook.getByTestId('setup-wizard')).toHaveCount(0);
  await kitchenScreen.close();

  // The owner opens the dashboard: the wizard; "Skip for now".
  await login(page, kitchen);
  await expect(page.getByTestId('setup-wizard')).toBeVisible();
  const [skipped] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/setup/skip'),
    page.getByTestId('setup-skip').click(),
  ]);
  expect(skipped.status()).toBe(200);
  await expect(page.getByTestId('setup-wizard')).toBeHidden();
  const status = (await kitchen.server.api<SetupJson & { skipped: boolean }>('GET', '/api/setup')).body;
  expect(status).toMatchObject({ done: false, skipped: true });

  // A new tab (same browser, its own sessionStorage): the board.
  const tab = await page.context().newPage();
  const asked = tab.waitForResponse((r) => new URL(r.url()).pathname === '/api/setup');
  await tab.goto(kitchen.uiUrl);
  await asked;
  await expect(tab.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(tab.getByTestId('column-new')).toBeVisible();
  await expect(tab.getByTestId('setup-wizard')).toHaveCount(0);
  await tab.close();

  // A browser restart (a fresh context: no cookies, no storage): log in, the board.
  const restarted = await browser.newContext();
  const again = await restarted.newPage();
  await loginAt(again, kitchen, kitchen.uiUrl);
  await expect(again.getByTestId('column-new')).toBeVisible();
  await expect(again.getByTestId('setup-wizard')).toHaveCount(0);
  // Settings still opens it.
  await openPage(again, 'Settings');
  await again.getByTestId('open-setup').click();
  await expect(again.getByTestId('setup-wizard')).toBeVisible();
  await restarted.close();
});
