import { resolve } from 'node:path';
import { ARTIFACTS, column, expect, login, openOrder, soundPlays, takeOrder, test, ticket, USER } from './harness';

test('a wrong password is refused, the right one opens the board, logout returns to login', async ({ page, kitchen }) => {
  await page.goto(kitchen.uiUrl);
  const form = page.getByTestId('login');
  await form.locator('input[name=username]').fill(USER);
  await form.locator('input[name=password]').fill('not-the-password');
  await form.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('Wrong username or password.');

  await login(page, kitchen);
  await expect(column(page, 'new')).toBeVisible();
  await expect(column(page, 'preparing')).toBeVisible();
  await expect(column(page, 'ready')).toBeVisible();

  // A reload keeps the session (the cookie), then logging out ends it.
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  // Log out sits behind the pages menu.
  await page.getByTestId('nav-menu').click();
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('login')).toBeVisible();
});

test('an order from the API appears within a second, alerting until tapped, and advances to delivered with undo', async ({
  page,
  kitchen,
}) => {
  await login(page, kitchen);
  const playsBefore = await soundPlays(page);

  const created = await kitchen.server.createOrder();
  const t = ticket(page, created.id);
  // Within one second of the API answering: on the board, flashing.
  await expect(t).toHaveAttribute('data-alerting', 'true', { timeout: 1000 });
  await expect(column(page, 'new').locator(`[data-order-id="${created.id}"]`)).toBeVisible();

  // The ticket carries what the kitchen needs to make it: the number, the items, the
  // customer's name and the phone's last four digits; the address waits for Ready.
  await expect(t.getByTestId('order-number')).toHaveText(`#${created.number}`);
  await expect(t.locator('.items li')).toHaveText([/2 ×\s*Chicken Tikka\s*Large 13"/, /1 ×\s*Garlic Bread\s*4 pcs/, /1 ×\s*Coca-Cola\s*1\.5 L/]);
  await expect(t.getByTestId('customer-name')).toHaveText('Ali Raza');
  await expect(t.getByTestId('phone-tail')).toHaveText('…4567');
  await expect(t.getByTestId('address')).toHaveCount(0);
  await expect(t.getByTestId('cancel')).toHaveCount(0);
  await expect(t.getByTestId('age')).toHaveText(/^0:0\d$/);

  // The sound was attempted, and repeats while nobody taps the ticket.
  await expect.poll(() => soundPlays(page)).toBeGreaterThan(playsBefore);
  const afterFirst = await soundPlays(page);
  await expect.poll(() => soundPlays(page), { timeout: 6000 }).toBeGreaterThan(afterFirst);

  // Tapping its entry in the strip acknowledges: no more flashing, no more sound.
  await page.locator(`[data-testid=strip-entry][data-order-id="${created.id}"]`).click();
  await expect(t).toHaveAttribute('data-alerting', 'false');
  const silenced = await soundPlays(page);

  // One tap per step: new → preparing → ready → out for delivery (no riders set up) → delivered.
  await t.getByTestId('advance').click();
  await expect(column(page, 'preparing').locator(`[data-order-id="${created.id}"]`)).toBeVisible();
  await expect(page.getByTestId('undo-bar')).toContainText(`#${created.number}`);
  await t.getByTestId('advance').click();
  await expect(column(page, 'ready').locator(`[data-order-id="${created.id}"]`)).toBeVisible();
  // Ready: now the rider's details show.
  await expect(t.getByTestId('total')).toHaveText('Rs 5,117');
  await expect(t.getByTestId('address')).toHaveText('House 12, Street 4, Block C, Gulberg III, Lahore');
  await expect(t.getByTestId('landmark')).toHaveText('near Hafeez Centre');
  await expect(t.getByTestId('advance')).toHaveText('Send out');
  await t.getByTestId('advance').click();
  // Out for delivery: still under Ready, with the rider's details, until it is delivered.
  await expect(t).toHaveAttribute('data-status', 'out_for_delivery');
  await expect(column(page, 'ready').locator(`[data-order-id="${created.id}"]`)).toBeVisible();
  await expect(t.getByTestId('address')).toHaveText('House 12, Street 4, Block C, Gulberg III, Lahore');
  await expect(t.getByTestId('advance')).toHaveText('Delivered');
  await t.getByTestId('advance').click();
  await expect(t).toHaveAttribute('data-status', 'delivered');
  await expect(page.getByTestId('done')).toContainText('1 delivered');

  // Undo the last change (delivered → out for delivery): the server agrees.
  await expect(page.getByTestId('undo')).toHaveText(/Undo \((30|29|28) s\)/);
  await page.getByTestId('undo').click();
  await expect(column(page, 'ready').locator(`[data-order-id="${created.id}"][data-status="out_for_delivery"]`)).toBeVisible();
  await expect(page.getByTestId('undone')).toHaveText(`Order #${created.number}: change undone`);
  await expect(page.getByTestId('undo-bar')).toBeHidden();
  const fromServer = await kitchen.server.api<{ status: string }>('GET', `/api/orders/${created.id}`);
  expect(fromServer.body.status).toBe('out_for_delivery');
  expect(await soundPlays(page)).toBe(silenced);
});

test('cancelling asks for a reason and shows it with the day’s cancelled orders', async ({ page, kitchen }) => {
  await login(page, kitchen);
  const order = await kitchen.server.createOrder({ customer_phone: '0321-7654321' });
  const t = ticket(page, order.id);
  await expect(t).toBeVisible();

  // Cancelling is on the order's own page (with the whole phone number), not on the board.
  await expect(t.getByTestId('cancel')).toHaveCount(0);
  await openOrder(page, order.id);
  const full = page.locator('.page.order [data-testid=ticket]');
  await expect(full.getByTestId('phone')).toHaveAttribute('href', 'tel:+923217654321');
  await full.getByTestId('cancel').click();
  const dialog = page.getByTestId('cancel-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('confirm-cancel').click();
  await expect(dialog.getByTestId('reason-required')).toBeVisible();
  await expect(full).toHaveAttribute('data-status', 'new');

  await dialog.getByTestId('cancel-reason-input').fill('Customer called back to cancel');
  await dialog.getByTestId('confirm-cancel').click();
  await expect(dialog).toBeHidden();
  await expect(full).toHaveAttribute('data-status', 'cancelled');
  await page.locator('.page.order').getByRole('link', { name: 'Back to the board' }).click();
  await expect(t).toHaveAttribute('data-status', 'cancelled');
  await page.getByTestId('done').locator('summary').click();
  await expect(column(page, 'cancelled').locator(`[data-order-id="${order.id}"]`).getByTestId('cancel-reason')).toHaveText(
    'Customer called back to cancel',
  );
  const history = await kitchen.server.api<{ status: string; cancel_reason: string }>('GET', `/api/orders/${order.id}`);
  expect(history.body).toMatchObject({ status: 'cancelled', cancel_reason: 'Customer called back to cancel' });
});

test('search finds orders by the end of the phone number or by order number', async ({ page, kitchen }) => {
  await login(page, kitchen);
  const a = await kitchen.server.createOrder({ customer_phone: '0300-1111222' });
  const b = await kitchen.server.createOrder({ customer_phone: '0333-9876543' });
  await expect(ticket(page, b.id)).toBeVisible();

  const search = page.getByTestId('search');
  await search.fill('6543');
  await expect(ticket(page, b.id)).toBeVisible();
  await expect(ticket(page, a.id)).toBeHidden();
  await search.fill(`#${a.number}`);
  await expect(ticket(page, a.id)).toBeVisible();
  await expect(ticket(page, b.id)).toBeHidden();
  await search.fill('0300 1111222');
  await expect(page.getByTestId('search-count')).toHaveText('1 order matches');
  await search.fill('');
  await expect(ticket(page, b.id)).toBeVisible();
  await expect(ticket(page, a.id)).toBeVisible();
});

test('an address written as HTML shows as text and runs nothing', async ({ page, kitchen }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await login(page, kitchen);
  const evil = '<img src=x onerror=alert(1)>';
  const order = await kitchen.server.createOrder({
    address: evil,
    landmark: '<script>alert(2)</script>',
    customer_name: '"><b>bold</b>',
  });
  // The board shows the address once the order is Ready.
  await kitchen.server.setStatus(order.id, 'preparing');
  await kitchen.server.setStatus(order.id, 'ready');
  const t = ticket(page, order.id);
  await expect(t.getByTestId('address')).toHaveText(evil);
  await expect(t.getByTestId('landmark')).toHaveText('<script>alert(2)</script>');
  await expect(t.getByTestId('customer-name')).toHaveText('"><b>bold</b>');
  await expect(t.locator('img, script, b')).toHaveCount(0);
  // Order detail page renders it as text too.
  await t.getByRole('link', { name: 'Details' }).click();
  await expect(page.locator('.page.order').getByTestId('address')).toHaveText(evil);
  expect(dialogs).toBe(0);
});

test('Urdu switch: right to left in the Nastaliq font, Urdu item names; screenshots of both', async ({ page, kitchen }) => {
  await login(page, kitchen);
  const a = await kitchen.server.createOrder();
  const b = await kitchen.server.createOrder({
    items: [{ item_id: 'pepperoni', size_id: 'medium', quantity: 1 }, { item_id: 'fries', size_id: 'regular', quantity: 2 }],
    customer_name: 'Sana',
    customer_phone: '0345-5550000',
    address: 'Flat 3, Askari 11, Lahore',
    landmark: 'opposite the mosque',
  });
  await kitchen.server.setStatus(b.id, 'preparing');
  await expect(ticket(page, b.id)).toHaveAttribute('data-status', 'preparing');
  await takeOrder(page, a.id);
  await page.screenshot({ path: resolve(ARTIFACTS, 'board-en.png') });

  await page.getByTestId('language').click();
  const html = page.locator('html');
  await expect(html).toHaveAttribute('dir', 'rtl');
  await expect(html).toHaveAttribute('lang', 'ur');
  await expect(column(page, 'new').locator('h2')).toContainText('نیا');
  await expect(ticket(page, a.id).locator('.items li').first()).toContainText('چکن تکہ');
  await expect(ticket(page, b.id).locator('.items li').first()).toContainText('پیپرونی');
  // The "New" column sits on the right in a right-to-left page.
  const newBox = await column(page, 'new').boundingBox();
  const readyBox = await column(page, 'ready').boundingBox();
  expect(newBox!.x).toBeGreaterThan(readyBox!.x);
  // The Nastaliq font shipped with the app is loaded and used.
  const font = await page.evaluate(async () => {
    await document.fonts.ready;
    await document.fonts.load('20px "Noto Nastaliq Urdu"', 'نیا');
    return {
      family: getComputedStyle(document.body).fontFamily,
      loaded: [...document.fonts].some((f) => f.family.includes('Noto Nastaliq Urdu') && f.status === 'loaded'),
    };
  });
  expect(font.family).toContain('Noto Nastaliq Urdu');
  expect(font.loaded).toBe(true);
  await page.screenshot({ path: resolve(ARTIFACTS, 'board-ur.png') });

  // The choice survives a reload.
  await page.reload();
  await expect(html).toHaveAttribute('dir', 'rtl');
  await page.getByTestId('language').click();
  await expect(html).toHaveAttribute('dir', 'ltr');
  await expect(column(page, 'new').locator('h2')).toContainText('New');
});

test('mute stops the sound but not the flashing, and is remembered', async ({ page, kitchen }) => {
  await login(page, kitchen);
  await page.getByTestId('mute').click();
  await expect(page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  const before = await soundPlays(page);
  const order = await kitchen.server.createOrder();
  // Unmuted, the alert sounds in the same update that starts the flashing; muted it must not.
  await expect(ticket(page, order.id)).toHaveAttribute('data-alerting', 'true');
  expect(await soundPlays(page)).toBe(before);
  // Sound back on while the order still waits: it sounds at once.
  await page.getByTestId('mute').click();
  await expect(page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => soundPlays(page)).toBeGreaterThan(before);
  await page.getByTestId('mute').click();
  await page.reload();
  await expect(page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('mute')).toHaveText('Sound off');
});
