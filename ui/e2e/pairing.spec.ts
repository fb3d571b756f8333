import { expect, login, openPage, test, ticket } from './harness';

test('the owner pairs a tablet: it joins with the code, works the board, and is refused settings', async ({
  page,
  kitchen,
  browser,
}) => {
  await login(page, kitchen);
  await openPage(page, 'Settings');
  const panel = page.getByTestId('pair-tablet');
  await panel.getByRole('button', { name: 'Show a pairing code' }).click();
  const code = ((await panel.getByTestId('pairing-code').textContent()) ?? '').replace(/\D/g, '');
  expect(code).toHaveLength(8);
  await expect(panel.getByRole('img', { name: 'QR code of the join link' })).toBeVisible();

  // A second browser (the tablet) joins with the code, never seeing the owner password.
  const context = await browser.newContext();
  try {
    const tablet = await context.newPage();
    await tablet.goto(kitchen.uiUrl);
    await tablet.getByTestId('join').locator('input[name=pairing-code]').fill(code);
    await tablet.getByTestId('join').getByRole('button', { name: 'Join the kitchen' }).click();
    await expect(tablet.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
    const order = await kitchen.server.createOrder();
    await expect(ticket(tablet, order.id)).toBeVisible();

    // Settings are the owner's: the tablet is asked for the owner password instead.
    await tablet.goto(`${kitchen.uiUrl}#/settings`);
    await expect(tablet.getByTestId('owner-prompt')).toBeVisible();
    await expect(tablet.getByTestId('save-settings')).toHaveCount(0);
    const refused = await tablet.evaluate(async () => {
      const res = await fetch('/api/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
        body: '{}',
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('owner_only');

    // The code worked once: a third browser cannot use it again.
    const late = await (await browser.newContext()).newPage();
    await late.goto(kitchen.uiUrl);
    await late.getByTestId('join').locator('input[name=pairing-code]').fill(code);
    await late.getByTestId('join').getByRole('button', { name: 'Join the kitchen' }).click();
    await expect(late.getByTestId('join-error')).toHaveText('That code was already used. Show a new one on the shop computer.');
    await late.context().close();
  } finally {
    await context.close();
  }
});
