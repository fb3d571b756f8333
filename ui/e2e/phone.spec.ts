import { expect, login, test, openPage } from './harness';

test.use({ serverOptions: { demo: true } });

test('a simulated phone call puts its order on the board, and the call is in the call log', async ({ page, kitchen }) => {
  await login(page, kitchen);
  const output = await kitchen.server.simulateCall('0300-7654321');
  expect(output).toContain('The call has ended');

  const orders = await kitchen.server.api<{ id: number; number: number; source: string }[]>('GET', '/api/orders');
  expect(orders.body).toHaveLength(1);
  const order = orders.body[0]!;
  expect(order.source).toBe('phone');
  const t = page.locator(`[data-testid=ticket][data-order-id="${order.id}"]`);
  await expect(t).toHaveAttribute('data-alerting', 'true');
  await expect(t.getByTestId('phone-tail')).toHaveText('…4321');
  await expect(t.locator('.items li').first()).toContainText('Chicken Tikka');
  await expect(t).toHaveAttribute('data-source', 'phone');

  await openPage(page, 'Calls');
  const call = page.getByTestId('call');
  await expect(call).toHaveCount(1);
  await expect(call).toHaveAttribute('data-outcome', 'ordered');
  await expect(call.getByTestId('call-outcome')).toHaveText('Ordered');
  await expect(call.getByTestId('call-caller')).toHaveText('+923007654321');
  await expect(call.getByTestId('call-order')).toHaveText(`#${order.number}`);
  await call.getByTestId('toggle-transcript').click();
  await expect(page.getByTestId('transcript').locator('li').first()).toBeVisible();
  expect(await page.getByTestId('transcript').locator('li').count()).toBeGreaterThan(1);

  await call.getByTestId('call-order').click();
  await expect(page.getByRole('heading', { name: `Order #${order.number}` })).toBeVisible();
  await expect(page.getByTestId('history')).toContainText('Taken');
});
