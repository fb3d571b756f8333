// Calls to return (issue 14): a call card left by a call shows on the board at once, on
// every screen, above the tickets (which stay in view), with the caller's number isolated
// left to right and a "Call back" tel: link; Done takes it off every screen, and so does a
// later order from the same phone for an unfinished order. In Urdu everything about the
// card but the number and the caller's own words is Urdu.
//
// The demo server is used because it lets staff leave a card by hand, as a call would
// (`POST /api/demo/call-cards`, demo only, staff only).

import type { Locator, Page } from '@playwright/test';
import { charX, expect, keep, login, test, ticket } from './harness';

test.use({ serverOptions: { demo: true } });

function shownCard(page: Page, id: number): Locator {
  return page.locator(`[data-testid=call-card][data-card-id="${id}"]`);
}

test('a call card appears live on every board, calls back by tel:, and Done takes it off everywhere', async ({
  page,
  kitchen,
}, testInfo) => {
  await login(page, kitchen);
  const other = await page.context().newPage();
  await other.goto(kitchen.uiUrl);
  await expect(other.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(page.getByTestId('call-cards')).toHaveCount(0);
  const order = await kitchen.server.createOrder({ customer_phone: '0321-5550000' });
  await expect(ticket(page, order.id)).toBeVisible();

  const card = await kitchen.server.addCallCard({
    kind: 'unfinished_order',
    call_sid: 'CA-e2e-1',
    phone: '0300-1234567',
    summary: '2× Chicken Tikka Large, 1× Coca-Cola 1.5 L',
    total: 471_800,
  });
  for (const screen of [page, other]) {
    const shown = shownCard(screen, card.id);
    await expect(shown).toBeVisible();
    await expect(shown.getByTestId('call-card-kind')).toHaveText('Unfinished order');
    await expect(shown.getByTestId('call-card-phone')).toHaveText('+923001234567');
    await expect(shown.getByTestId('call-card-summary')).toHaveText('2× Chicken Tikka Large, 1× Coca-Cola 1.5 L');
    await expect(shown.getByTestId('call-card-total')).toHaveText('Rs 4,718');
    await expect(shown.getByTestId('call-card-age')).toHaveText(/^\d+:\d\d ago$/);
    const call = shown.getByTestId('call-card-call');
    await expect(call).toHaveText('Call back');
    await expect(call).toHaveAttribute('href', 'tel:+923001234567');
  }
  // The cards sit above the board; the ticket is still in view, not covered.
  await expect(ticket(page, order.id)).toBeInViewport();
  const cardsBox = (await page.getByTestId('call-cards').boundingBox())!;
  const ticketBox = (await ticket(page, order.id).boundingBox())!;
  expect(ticketBox.y, 'the ticket starts below the cards').toBeGreaterThanOrEqual(cardsBox.y + cardsBox.height);
  await keep(testInfo, 'call-cards-board', await page.screenshot());

  // A card without a number: no link to ring.
  const callBack = await kitchen.server.addCallCard({ kind: 'call_back', call_sid: 'CA-e2e-2', summary: 'Wants to complain about a late delivery' });
  await expect(shownCard(page, callBack.id).getByTestId('call-card-phone')).toHaveText('No number');
  await expect(shownCard(page, callBack.id).getByTestId('call-card-call')).toHaveCount(0);
  // Newest first.
  await expect(page.getByTestId('call-card').first()).toHaveAttribute('data-card-id', String(callBack.id));

  // Done on one screen: gone from both, and from the server's list.
  await shownCard(page, card.id).getByTestId('call-card-done').click();
  for (const screen of [page, other]) await expect(shownCard(screen, card.id)).toHaveCount(0);
  const open = await kitchen.server.api<{ id: number }[]>('GET', '/api/call-cards');
  expect(open.body.map((c) => c.id)).toEqual([callBack.id]);

  // An unfinished order whose caller rings the counter instead: the order resolves its card.
  const unfinished = await kitchen.server.addCallCard({
    kind: 'unfinished_order',
    call_sid: 'CA-e2e-3',
    phone: '0333-1112222',
    summary: '1× Veggie Small',
    total: 75_000,
  });
  await expect(shownCard(other, unfinished.id)).toBeVisible();
  await kitchen.server.createOrder({ customer_phone: '0333-1112222' });
  for (const screen of [page, other]) await expect(shownCard(screen, unfinished.id)).toHaveCount(0);
  await expect(shownCard(page, callBack.id)).toBeVisible();
  await other.close();
});

test('in Urdu the card is worded in Urdu and the number is drawn left to right', async ({ page, kitchen }, testInfo) => {
  await login(page, kitchen);
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');

  const summary = 'گاہک مینیجر سے بات کرنا چاہتا ہے';
  const card = await kitchen.server.addCallCard({ kind: 'transfer', call_sid: 'CA-e2e-ur', phone: '0300-7654321', summary });
  const shown = shownCard(page, card.id);
  await expect(shown).toBeVisible();
  await expect(page.getByTestId('call-cards')).toHaveAttribute('aria-label', 'واپس کال کرنی ہے');
  await expect(shown.getByTestId('call-card-kind')).toHaveText('منتقل کی گئی کال');
  await expect(shown.getByTestId('call-card-summary')).toHaveText(summary);
  await expect(shown.getByTestId('call-card-call')).toHaveText('واپس کال کریں');
  await expect(shown.getByTestId('call-card-done')).toHaveText('ہو گیا');
  await expect(shown.getByTestId('call-card-age')).toHaveText(/^\d+:\d\d پہلے$/);

  // No English on the card: only the number (isolated, + first, drawn leftmost) is Latin.
  const phone = shown.getByTestId('call-card-phone');
  await expect(phone).toHaveText('+923007654321');
  const text = (await shown.innerText()).replace('+923007654321', '');
  expect(text).not.toMatch(/[A-Za-z]/);
  const last = '+923007654321'.length - 1;
  expect(await charX(phone, 0), 'the + is drawn left of the last digit').toBeLessThan(await charX(phone, last));
  await keep(testInfo, 'call-cards-urdu', await page.screenshot());

  await shown.getByTestId('call-card-done').click();
  await expect(shown).toHaveCount(0);
  await expect(page.getByTestId('call-cards')).toHaveCount(0);
});
