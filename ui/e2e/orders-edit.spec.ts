// Changing an order after it was placed, while it is still new (issue 12): Edit on its ticket
// opens the builder with the order as it is (a deal with a premium flavour and stuffed crust,
// a half-and-half with a note, delivery to a zone, cash with a note to change); the change is
// priced live, refused beside the field when it breaks a rule, and saved with `PUT`: the
// ticket keeps its number and shows the change and the new total. Once the kitchen has
// started an order, it has no Edit, and the server's refusal is said in English and Urdu.

import type { Page, Response, TestInfo, WebSocketRoute } from '@playwright/test';
import type { HistoryDto, OrderDto, OrderRequest } from '../src/lib/api';
import { MESSAGES } from '../src/lib/i18n';
import { formatMoney, formatRupees } from '../src/lib/money';
import { column, expect, keep, login, test, ticket, zonePickupAndTax, type Kitchen } from './harness';


/** What the customer first asked for on the phone to the counter. */
const FIRST: OrderRequest = {
  items: [
    { item_id: 'chicken-tikka', size_id: 'large', quantity: 1, half: { item_id: 'chicken-fajita' }, note: 'well done' },
    {
      deal_id: 'deal-3',
      quantity: 1,
      choices: [
        { slot: 'pizza', item_id: 'malai-boti', options: [{ group: 'crust', option: 'stuffed' }] },
        { slot: 'drink', item_id: 'pepsi' },
      ],
    },
  ],
  fulfilment: { type: 'delivery', address: 'House 12, Street 4, Gulberg III', landmark: 'near Hafeez Centre', zone_id: 'gulberg' },
  payment: { method: 'cash', pays_with: 1_000_000 },
  customer_name: 'Ali Raza',
  customer_phone: '0300 1234567',
  note: 'ring the bell twice',
};

async function place(kitchen: Kitchen, request: OrderRequest): Promise<OrderDto> {
  const res = await kitchen.server.api<OrderDto>('POST', '/api/orders', request);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

function isPut(id: number) {
  return (r: Response) => new URL(r.url()).pathname === `/api/orders/${id}` && r.request().method() === 'PUT';
}

/** Waits until the builder shows a priced bill (no change pending), and returns its total text. */
async function pricedTotal(page: Page): Promise<string> {
  await expect(page.getByTestId('quote-status')).toHaveAttribute('data-state', 'priced');
  return page.getByTestId('bill-total').innerText();
}

test('Edit on a new ticket opens the builder with the order; a change is priced, saved with PUT, and the ticket keeps its number', async ({
  page,
  kitchen,
}, testInfo) => {
  await zonePickupAndTax(kitchen);
  const order = await place(kitchen, FIRST);
  await login(page, kitchen);

  const t = ticket(page, order.id);
  await expect(t).toBeVisible();
  await expect(t.getByTestId('order-number')).toHaveText(`#${order.number}`);
  await keep(testInfo, 'orders-edit-ticket-en', await t.screenshot());
  await t.getByTestId('edit').click();
  await expect(page).toHaveURL(new RegExp(`#/orders/${order.id}/edit$`));

  // The builder, with the order as it is.
  const builder = page.getByTestId('order-builder');
  await expect(builder.getByRole('heading', { level: 1 })).toHaveText(`Editing order #${order.number}`);
  await expect(builder.getByTestId('builder-line')).toHaveCount(2);
  const half = builder.locator('[data-testid=builder-line][data-item-id="chicken-tikka"]');
  await expect(half.locator('[data-testid=size][data-size-id=large]')).toHaveAttribute('aria-pressed', 'true');
  await expect(half.getByTestId('half')).toHaveValue('chicken-fajita');
  await expect(half.getByTestId('line-note')).toHaveValue('well done');
  await expect(half.getByTestId('quantity-value')).toHaveText('1');
  const deal = builder.locator('[data-testid=builder-line][data-deal-id="deal-3"]');
  const pizza = deal.locator('[data-testid=slot][data-slot-id=pizza] [data-testid=slot-choice]');
  await expect(pizza.getByTestId('slot-item')).toHaveValue('malai-boti');
  await expect(pizza.locator('[data-testid=option][data-option-id=stuffed]')).toHaveAttribute('aria-pressed', 'true');
  await expect(deal.locator('[data-testid=slot][data-slot-id=drink]').getByTestId('slot-item')).toHaveValue('pepsi');
  await expect(builder.getByTestId('delivery')).toHaveAttribute('aria-pressed', 'true');
  await expect(builder.getByTestId('address')).toHaveValue('House 12, Street 4, Gulberg III');
  await expect(builder.getByTestId('landmark')).toHaveValue('near Hafeez Centre');
  await expect(builder.getByTestId('zone')).toHaveValue('gulberg');
  await expect(builder.getByTestId('method-cash')).toHaveAttribute('aria-pressed', 'true');
  await expect(builder.getByTestId('pays-with')).toHaveValue('10000');
  await expect(builder.getByTestId('customer-name')).toHaveValue('Ali Raza');
  await expect(builder.getByTestId('customer-phone')).toHaveValue('+923001234567');
  await expect(builder.getByTestId('order-note')).toHaveValue('ring the bell twice');
  // Priced by the server as it was placed: the same total.
  expect(await pricedTotal(page)).toBe(formatRupees(order.total));
  await expect(builder.getByTestId('revert-order')).toBeDisabled();

  // A change the server refuses (no address) is shown beside the address, and nothing is saved.
  await builder.getByTestId('address').fill('');
  const [refused] = await Promise.all([page.waitForResponse(isPut(order.id)), builder.getByTestId('save-order').click()]);
  expect(refused.status()).toBe(422);
  await expect(builder.locator('[data-field="fulfilment.address"]').getByTestId('field-error')).toHaveText('Write the delivery address.');
  await expect(builder.getByTestId('place-error')).toHaveText('Some parts need fixing (marked in red).');
  await expect(page).toHaveURL(new RegExp(`#/orders/${order.id}/edit$`));
  expect((await kitchen.server.api<OrderDto>('GET', `/api/orders/${order.id}`)).body.total).toBe(order.total);

  // Undo my changes puts the address back (two taps).
  await builder.getByTestId('revert-order').click();
  await builder.getByTestId('revert-order').click();
  await expect(builder.getByTestId('address')).toHaveValue('House 12, Street 4, Gulberg III');
  await expect(builder.getByTestId('revert-order')).toBeDisabled();

  // The customer wants two of the half-and-half, with extra cheese.
  await half.getByTestId('quantity').getByRole('button', { name: 'One more' }).click();
  await half.locator('[data-testid=option][data-option-id=cheese]').click();
  await expect(half.getByTestId('quantity-value')).toHaveText('2');
  const newTotal = await pricedTotal(page);
  expect(newTotal).not.toBe(formatRupees(order.total));

  // Leaving now asks first; staying keeps the change.
  await builder.getByRole('link', { name: 'Back to the board' }).click();
  await expect(page.getByTestId('leave-dialog')).toBeVisible();
  await page.getByTestId('leave-stay').click();
  await expect(half.getByTestId('quantity-value')).toHaveText('2');
  await keep(testInfo, 'orders-edit-en', await page.screenshot({ fullPage: true }));

  // Saved: back on the board, the same order and number, the change and the new total.
  const [saved] = await Promise.all([page.waitForResponse(isPut(order.id)), builder.getByTestId('save-order').click()]);
  expect(saved.status()).toBe(200);
  const changed = (await saved.json()) as OrderDto;
  expect(saved.request().postDataJSON()).toMatchObject({
    items: [
      {
        item_id: 'chicken-tikka',
        size_id: 'large',
        quantity: 2,
        half: { item_id: 'chicken-fajita' },
        note: 'well done',
        options: [{ group: 'extras', option: 'cheese' }],
      },
      { deal_id: 'deal-3', quantity: 1 },
    ],
    payment: { method: 'cash', pays_with: 1_000_000 },
  });
  await expect(page).toHaveURL(/#\/board$/);
  expect([changed.id, changed.number, changed.status]).toEqual([order.id, order.number, 'new']);
  expect(changed.total).toBeGreaterThan(order.total);
  expect(formatRupees(changed.total)).toBe(newTotal);
  expect(changed.payment.change).toBe(1_000_000 - changed.total);

  await expect(ticket(page, order.id)).toHaveCount(1);
  await expect(t.getByTestId('order-number')).toHaveText(`#${order.number}`);
  const halfLine = t.locator('[data-testid=ticket-line][data-item-id="chicken-tikka"]');
  await expect(halfLine).toContainText(/2 ×\s*½ Chicken Tikka ½ Chicken Fajita\s*Large 13"/);
  await expect(halfLine.getByTestId('options')).toContainText('Extra cheese');
  await expect(halfLine.getByTestId('line-note')).toHaveText('Note: well done');
  await expect(t.locator('[data-testid=ticket-line][data-kind=deal]').getByTestId('deal-part')).toHaveText([
    /Large 13"\s*Malai Boti\s*Stuffed crust/,
    /1\.5 L\s*Pepsi/,
  ]);
  await expect(column(page, 'new').getByTestId('ticket')).toHaveCount(1);

  // The order's history says it was changed, in English and in Urdu.
  const history = (await kitchen.server.api<OrderDto>('GET', `/api/orders/${order.id}`)).body.history as HistoryDto[];
  expect(history.at(-1)).toMatchObject({ from: 'new', to: 'new', reason: 'changed' });
  await page.goto(`${kitchen.uiUrl}#/orders/${order.id}`);
  // The order's page has the new total and the change to carry.
  const full = page.locator('.page.order [data-testid=ticket]');
  await expect(full.getByTestId('total')).toHaveText(formatRupees(changed.total));
  await expect(full.getByTestId('payment')).toContainText(`change ${formatRupees(changed.payment.change!)}`);
  await expect(page.getByTestId('history').locator('li').last()).toContainText('Order changed');
  await page.getByTestId('language').click();
  await expect(page.getByTestId('history').locator('li').last()).toContainText(MESSAGES.ur.order.reasons.changed!);
  await expect(page.getByTestId('history').locator('li').last()).not.toContainText('changed');
  await expect(page.getByTestId('edit')).toHaveText(MESSAGES.ur.ticket.edit);
  await keep(testInfo, 'orders-edit-detail-ur', await page.screenshot({ fullPage: true }));

  // In Urdu the builder says it is changing the order, in Urdu words only.
  await page.getByTestId('edit').click();
  await expect(builder.getByRole('heading', { level: 1 })).toHaveText(MESSAGES.ur.builder.editTitle(order.number));
  await expect(builder.getByTestId('save-order')).toHaveText(MESSAGES.ur.builder.save);
  await expect(builder.getByTestId('revert-order')).toHaveText(MESSAGES.ur.builder.revert);
  expect(await pricedTotal(page)).toBe(formatMoney(changed.total, 'ur'));
  for (const text of [
    await builder.getByRole('heading', { level: 1 }).innerText(),
    await builder.getByTestId('save-order').innerText(),
    await builder.getByTestId('revert-order').innerText(),
  ]) {
    expect(text.replace(`#${order.number}`, '')).not.toMatch(/[A-Za-z]/);
  }
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await keep(testInfo, 'orders-edit-ur', await page.screenshot({ fullPage: true }));
});

/**
 * Holds back the event stream's news of one order (as a board that has not heard yet would),
 * passing everything else on.
 */
async function holdNewsOf(page: Page): Promise<{ hide: (id: number | null) => void; held: () => number }> {
  let hidden: number | null = null;
  let held = 0;
  await page.routeWebSocket(/\/api\/events$/, (ws: WebSocketRoute) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (hidden !== null && typeof message === 'string') {
        const frame = JSON.parse(message) as { type?: string; order?: { id?: number } };
        if (frame.type === 'order.updated' && frame.order?.id === hidden) {
          held += 1;
          return;
        }
      }
      ws.send(message);
    });
  });
  return { hide: (id) => (hidden = id), held: () => held };
}

test('an order the kitchen has started has no Edit, and saving one started meanwhile is refused in English and Urdu', async ({
  page,
  kitchen,
}) => {
  const news = await holdNewsOf(page);
  const a = await kitchen.server.createOrder();
  const b = await kitchen.server.createOrder({ customer_name: 'Sana' });
  await login(page, kitchen);
  await expect(ticket(page, a.id).getByTestId('edit')).toHaveText('Edit');
  await expect(ticket(page, b.id).getByTestId('edit')).toBeVisible();

  // Order A is being changed when the kitchen starts it; this board has not heard yet.
  await ticket(page, a.id).getByTestId('edit').click();
  const builder = page.getByTestId('order-builder');
  await expect(builder.getByRole('heading', { level: 1 })).toHaveText(`Editing order #${a.number}`);
  await expect(builder.getByTestId('builder-line')).toHaveCount(3);
  await pricedTotal(page);
  news.hide(a.id);
  await kitchen.server.setStatus(a.id, 'preparing');
  await expect.poll(news.held).toBe(1);
  const line = builder.locator('[data-testid=builder-line][data-item-id="garlic-bread"]');
  await line.getByTestId('quantity').getByRole('button', { name: 'One more' }).click();
  await expect(builder.getByTestId('place-error')).toHaveCount(0);

  // The server refuses: said plainly, and the form stays as it was.
  const [refused] = await Promise.all([page.waitForResponse(isPut(a.id)), builder.getByTestId('save-order').click()]);
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('order_not_editable');
  await expect(builder.getByTestId('place-error')).toHaveText('This order is already being made and can no longer be changed.');
  await expect(page).toHaveURL(new RegExp(`#/orders/${a.id}/edit$`));
  await expect(builder.getByTestId('builder-line')).toHaveCount(3);
  await expect(line.getByTestId('quantity-value')).toHaveText('2');
  await page.getByTestId('language').click();
  await expect(builder.getByTestId('place-error')).toHaveText(MESSAGES.ur.apiErrors.order_not_editable);
  expect(await builder.getByTestId('place-error').innerText()).not.toMatch(/[A-Za-z]/);
  await page.getByTestId('language').click();
  expect((await kitchen.server.api<OrderDto>('GET', `/api/orders/${a.id}`)).body.items[1]!.quantity).toBe(1);

  // A fresh board knows: A is being made and has no Edit; B still has one.
  news.hide(null);
  await page.goto(kitchen.uiUrl);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(column(page, 'preparing').locator(`[data-order-id="${a.id}"]`)).toBeVisible();
  await expect(ticket(page, a.id).getByTestId('advance')).toBeVisible();
  await expect(ticket(page, a.id).getByTestId('edit')).toHaveCount(0);
  await expect(ticket(page, b.id).getByTestId('edit')).toBeVisible();

  // A's edit page, opened by its address, says so and offers no form.
  await page.goto(`${kitchen.uiUrl}#/orders/${a.id}/edit`);
  await expect(builder.getByTestId('not-editable')).toHaveText('This order is already being made and can no longer be changed.');
  await expect(builder.getByTestId('save-order')).toHaveCount(0);

  // B cancelled on another screen while it is being changed: said at once, in the builder.
  await page.goto(`${kitchen.uiUrl}#/orders/${b.id}/edit`);
  await expect(builder.getByRole('heading', { level: 1 })).toHaveText(`Editing order #${b.number}`);
  await expect(builder.getByTestId('customer-name')).toHaveValue('Sana');
  await kitchen.server.setStatus(b.id, 'cancelled', 'Customer cancelled');
  await expect(builder.getByTestId('place-error')).toHaveText('This order has been cancelled and can no longer be changed.');
  const [again] = await Promise.all([page.waitForResponse(isPut(b.id)), builder.getByTestId('save-order').click()]);
  expect(again.status()).toBe(409);
  await expect(builder.getByTestId('place-error')).toHaveText('This order has been cancelled and can no longer be changed.');
});
