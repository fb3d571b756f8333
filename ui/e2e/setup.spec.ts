import { expect, login, test, openPage } from './harness';

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
