import { expect, login, takeOrder, test, ticket, USER } from './harness';

test('after a server restart the board reconnects by itself and shows the truth', async ({ page, context, kitchen }) => {
  const { server } = kitchen;
  await login(page, kitchen);
  const a = await server.createOrder({ customer_phone: '0300-1000001' });
  const b = await server.createOrder({ customer_phone: '0300-1000002' });
  await expect(ticket(page, b.id)).toBeVisible();
  await takeOrder(page, a.id);
  await takeOrder(page, b.id);

  // The server dies: the board says so and keeps what it had.
  await server.kill();
  await expect(page.getByTestId('connection')).not.toHaveAttribute('data-connection', 'online');
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await expect(ticket(page, a.id)).toBeVisible();

  // While the board cannot reach it, the server comes back and the kitchen changes.
  await context.setOffline(true);
  await server.start();
  await server.setStatus(a.id, 'preparing');
  await server.setStatus(b.id, 'cancelled', 'Customer cancelled on the phone');
  const c = await server.createOrder({ customer_phone: '0300-1000003' });

  // Back online: reconnect, re-fetch, and the board matches the server, with an alert for
  // the order it missed.
  await context.setOffline(false);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online', { timeout: 15_000 });
  await expect(page.getByTestId('offline-banner')).toBeHidden();
  await expect(ticket(page, a.id)).toHaveAttribute('data-status', 'preparing');
  await expect(ticket(page, b.id)).toHaveAttribute('data-status', 'cancelled');
  await expect(ticket(page, c.id)).toHaveAttribute('data-alerting', 'true');

  // And live events flow again on the new connection.
  const d = await server.createOrder({ customer_phone: '0300-1000004' });
  await expect(ticket(page, d.id)).toHaveAttribute('data-alerting', 'true', { timeout: 1000 });
});

test('an expired session asks for the password over the board, and logging in again resumes it', async ({ page, kitchen }) => {
  const { server } = kitchen;
  await login(page, kitchen);
  const a = await server.createOrder();
  await expect(ticket(page, a.id)).toBeVisible();

  // A new chef password logs every dashboard out.
  await server.restart('a-new-Chef-Password-2');
  const expired = page.getByTestId('session-expired');
  await expect(expired).toBeVisible({ timeout: 15_000 });
  // The board is still there behind the login, untouchable until the password is given.
  await expect(ticket(page, a.id)).toBeAttached();
  await expect(page.locator('.shell')).toHaveAttribute('inert', '');

  const b = await server.createOrder({ customer_phone: '0312-5550101' });
  const form = page.getByTestId('login');
  await form.locator('input[name=username]').fill(USER);
  await form.locator('input[name=password]').fill('a-new-Chef-Password-2');
  await form.getByRole('button', { name: 'Log in' }).click();
  await expect(expired).toBeHidden();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(ticket(page, a.id)).toBeVisible();
  await expect(ticket(page, b.id)).toHaveAttribute('data-alerting', 'true');
});
