// Building an order by hand the way shops sell (issue 12): a deal with a premium flavour and
// stuffed crust, a half-and-half large, delivery to a zone, cash with change; priced live by
// the server, placed, and read back on the ticket in English and Urdu. Then an option sold
// out while it is chosen: the builder shows it and the server refuses it, beside the option.

import type { Locator, Page, Response, TestInfo } from '@playwright/test';
import type { MenuDto, OrderDto, QuoteDto } from '../src/lib/api';
import { fieldErrorText } from '../src/lib/i18n';
import { formatMoney, formatRupees } from '../src/lib/money';
import { expect, GULBERG, keep, login, test, ticket, zonePickupAndTax, type Kitchen } from './harness';

/** A shop with one delivery zone, pickup, and 16 % tax on cash. */
async function shopSells(kitchen: Kitchen): Promise<MenuDto> {
  await zonePickupAndTax(kitchen);
  const menu = await kitchen.server.api<MenuDto>('GET', '/api/menu');
  expect(menu.status).toBe(200);
  // The default menu sells what this test needs.
  expect(menu.body.deals.map((d) => d.id)).toContain('deal-3');
  expect(menu.body.option_groups.find((g) => g.id === 'crust')?.options.map((o) => o.id)).toContain('stuffed');
  return menu.body;
}

async function openBuilder(page: Page): Promise<Locator> {
  await page.getByTestId('new-order').click();
  const builder = page.getByTestId('order-builder');
  await expect(builder.getByTestId('menu-picker')).toBeVisible();
  return builder;
}

/** Waits for the builder to show a priced bill; resolves with the quote it shows. */
async function priced(page: Page, quotes: QuoteDto[]): Promise<QuoteDto> {
  await expect(page.getByTestId('quote-status')).toHaveAttribute('data-state', 'priced');
  const lang = (await page.locator('html').getAttribute('lang')) === 'ur' ? 'ur' : 'en';
  // The latest quote the page received is the one it shows.
  await expect
    .poll(async () => {
      const quote = quotes.at(-1);
      return !!quote && (await page.getByTestId('bill-total').innerText()) === formatMoney(quote.bill.total, lang);
    })
    .toBe(true);
  return quotes.at(-1)!;
}

function recordQuotes(page: Page): QuoteDto[] {
  const quotes: QuoteDto[] = [];
  page.on('response', (r: Response) => {
    if (new URL(r.url()).pathname === '/api/orders/quote' && r.status() === 200) {
      void r.json().then((q: QuoteDto) => quotes.push(q));
    }
  });
  return quotes;
}

test('a deal with a premium flavour and stuffed crust and a half-and-half large, cash with change, placed and on the ticket', async ({
  page,
  kitchen,
}, testInfo) => {
  await shopSells(kitchen);
  const quotes = recordQuotes(page);
  await login(page, kitchen);
  const builder = await openBuilder(page);

  // Deal 3: Malai Boti (premium, +Rs 150) with stuffed crust, and a Pepsi.
  await builder.locator('[data-testid=pick-deal][data-deal-id="deal-3"]').click();
  const deal = builder.locator('[data-testid=builder-line][data-deal-id="deal-3"]');
  const pizza = deal.locator('[data-testid=slot][data-slot-id=pizza] [data-testid=slot-choice]');
  await expect(pizza.locator('[data-testid=slot-item] option[value="malai-boti"]')).toHaveText('Malai Boti (+Rs 150)');
  await pizza.getByTestId('slot-item').selectOption('malai-boti');
  await pizza.locator('[data-testid=option][data-option-id=stuffed]').click();
  await expect(pizza.locator('[data-testid=option][data-option-id=stuffed]')).toHaveAttribute('aria-pressed', 'true');
  // Until the drink is chosen, the server says the slot is not filled, beside the slot.
  const drinkSlot = deal.locator('[data-testid=slot][data-slot-id=drink]');
  await expect(drinkSlot.getByTestId('field-error')).toContainText('Choose exactly 1');
  await expect(page.getByTestId('quote-status')).toHaveAttribute('data-state', 'stale');
  await drinkSlot.getByTestId('slot-item').selectOption('pepsi');
  await expect(drinkSlot.getByTestId('field-error')).toHaveCount(0);

  // A large half Chicken Tikka, half Chicken Fajita.
  await builder.locator('[data-testid=pick-item][data-item-id="chicken-tikka"]').click();
  const half = builder.locator('[data-testid=builder-line][data-item-id="chicken-tikka"]');
  await half.locator('[data-testid=size][data-size-id=large]').click();
  await half.getByTestId('half').selectOption('chicken-fajita');
  await half.getByTestId('line-note').fill('well done');

  // Delivery to Gulberg; cash, paying with a Rs 10,000 note.
  await builder.getByTestId('address').fill('House 12, Street 4, Gulberg III');
  await builder.getByTestId('landmark').fill('near Hafeez Centre');
  await builder.getByTestId('zone').selectOption('gulberg');
  await builder.getByTestId('customer-name').fill('Ali Raza');
  await builder.getByTestId('customer-phone').fill('0300 1234567');
  await builder.getByTestId('order-note').fill('ring the bell twice');
  await builder.getByTestId('pays-with').fill('10000');

  // The bill is the server's: lines, savings, delivery, tax, total; and the change.
  const quote = await priced(page, quotes);
  expect(quote.bill.lines).toHaveLength(2);
  expect(quote.bill.deal_savings).toBeGreaterThan(0);
  expect(quote.bill.delivery_fee).toBe(GULBERG.fee);
  expect(quote.payment.change).toBe(1_000_000 - quote.bill.total);
  await expect(builder.getByTestId('bill-line')).toHaveCount(2);
  await expect(builder.getByTestId('bill-delivery')).toHaveText(formatRupees(GULBERG.fee));
  await expect(builder.getByTestId('bill-tax')).toHaveText(formatRupees(quote.bill.tax.amount));
  await expect(builder.getByTestId('change')).toHaveText(`Change to carry: ${formatRupees(quote.payment.change!)}`);
  await keep(testInfo, 'orders-builder-en', await page.screenshot({ fullPage: true }));

  // Placed: back on the board.
  const [placedResponse] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/orders' && r.request().method() === 'POST'),
    builder.getByTestId('place-order').click(),
  ]);
  expect(placedResponse.status()).toBe(201);
  expect(placedResponse.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  const order = (await placedResponse.json()) as OrderDto;
  await expect(page).toHaveURL(/#\/board$/);
  expect(order.bill.total).toBe(quote.bill.total);
  expect(order.total).toBe(order.bill.total);

  // The ticket carries all of it.
  const t = ticket(page, order.id);
  await expect(t).toBeVisible();
  const dealLine = t.locator('[data-testid=ticket-line][data-kind=deal]');
  await expect(dealLine.getByTestId('line-name')).toHaveText('Deal 3');
  await expect(dealLine.getByTestId('deal-part')).toHaveText([/Large 13"\s*Malai Boti\s*Stuffed crust/, /1\.5 L\s*Pepsi/]);
  const halfLine = t.locator('[data-testid=ticket-line][data-item-id="chicken-tikka"]');
  await expect(halfLine).toContainText(/1 ×\s*½ Chicken Tikka ½ Chicken Fajita\s*Large 13"/);
  await expect(halfLine.getByTestId('line-note')).toHaveText('Note: well done');
  // On the board a delivery carries no badge (only a pickup does); its page has one.
  await expect(t.getByTestId('fulfilment-badge')).toHaveCount(0);
  await expect(t.getByTestId('customer-name')).toHaveText('Ali Raza');
  await expect(t.getByTestId('phone-tail')).toHaveText('…4567');
  await expect(t.getByTestId('order-note')).toHaveText('Order note: ring the bell twice');
  // The rider's details (address, payment, total) show once it is Ready.
  await expect(t.getByTestId('address')).toHaveCount(0);
  await page.locator(`[data-testid=strip-entry][data-order-id="${order.id}"]`).click();
  await kitchen.server.setStatus(order.id, 'preparing');
  await kitchen.server.setStatus(order.id, 'ready');
  await expect(t).toHaveAttribute('data-status', 'ready');
  await expect(t.getByTestId('address')).toHaveText('House 12, Street 4, Gulberg III');
  await expect(t.getByTestId('zone')).toHaveText('Gulberg');
  await expect(t.getByTestId('landmark')).toHaveText('near Hafeez Centre');
  await expect(t.getByTestId('payment')).toHaveText(
    new RegExp(`^Cash\\s*·\\s*pays Rs 10,000\\s*·\\s*change ${escape(formatRupees(order.payment.change!))}$`),
  );
  await expect(t.getByTestId('order-note')).toHaveText('Order note: ring the bell twice');
  await expect(t.getByTestId('total')).toHaveText(formatRupees(order.bill.total));
  await page.mouse.move(0, 0);
  await keep(testInfo, 'orders-ticket-en', await t.screenshot());

  // In Urdu: Urdu names, Urdu words, right to left.
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(dealLine.getByTestId('line-name')).toHaveText('ڈیل 3');
  await expect(dealLine.getByTestId('part-name').first()).toHaveText('ملائی بوٹی');
  await expect(dealLine.getByTestId('options').first()).toHaveText(/سٹفڈ کرسٹ/);
  await expect(halfLine.getByTestId('line-name')).toHaveText('½ چکن تکہ ½ چکن فجیٹا');
  await expect(t.getByTestId('fulfilment-badge')).toHaveCount(0);
  await expect(t.getByTestId('zone')).toHaveText('گلبرگ');
  await expect(t.getByTestId('payment')).toContainText('نقد');
  await expect(t.getByTestId('payment')).toContainText(`بقایا ${formatMoney(order.payment.change!, 'ur')}`);
  await expect(t.getByTestId('total')).toHaveText(formatMoney(order.bill.total, 'ur'));
  // No English words of the dashboard's own (sizes, the address and the notes are the shop's).
  for (const id of ['payment', 'total']) {
    expect(await t.getByTestId(id).innerText(), id).not.toMatch(/[A-Za-z]/);
  }
  const shopWords = ['Large 13"', '1.5 L', 'well done', 'Ali Raza', 'House 12, Street 4, Gulberg III', 'near Hafeez Centre', 'ring the bell twice'];
  let words = await t.innerText();
  for (const w of shopWords) words = words.replaceAll(w, '');
  expect(words, 'the Urdu ticket with the shop’s own words taken out').not.toMatch(/[A-Za-z]/);
  await keep(testInfo, 'orders-ticket-ur', await t.screenshot());

  // The order page shows the same bill.
  await t.getByRole('link', { name: 'تفصیل' }).click();
  await expect(page.locator('.page.order').getByTestId('fulfilment-badge')).toHaveText('ڈیلیوری');
  await expect(page.getByTestId('bill-total')).toHaveText(formatMoney(order.bill.total, 'ur'));
  // The bill's Urdu lines name the sizes in Urdu (the menu's `label_ur`), not `Large 13"`.
  const billLines = page.getByTestId('bill-line-text');
  await expect(billLines.first()).toContainText('ملائی بوٹی');
  await expect(billLines.first()).toContainText('بڑا 13 انچ');
  await expect(billLines.first()).toContainText('ڈیڑھ لیٹر');
  await expect(billLines.first()).not.toContainText('Large');
  await keep(testInfo, 'orders-detail-ur', await page.screenshot({ fullPage: true }));
});

test('an option sold out while it is chosen: shown sold out, refused by the server beside it, in English and Urdu', async ({
  page,
  kitchen,
}, testInfo) => {
  await shopSells(kitchen);
  const quotes = recordQuotes(page);
  await login(page, kitchen);
  const builder = await openBuilder(page);

  await builder.locator('[data-testid=pick-item][data-item-id="chicken-tikka"]').click();
  const line = builder.locator('[data-testid=builder-line][data-item-id="chicken-tikka"]');
  await line.locator('[data-testid=size][data-size-id=large]').click();
  const stuffed = line.locator('[data-testid=option][data-option-id=stuffed]');
  await stuffed.click();
  await builder.getByTestId('fulfilment').getByTestId('pickup').click();
  await priced(page, quotes);

  // The owner marks stuffed crust sold out in the menu editor, on another screen.
  const owner = await page.context().newPage();
  await owner.goto(`${kitchen.uiUrl}#/menu`);
  await owner.getByTestId('menu-tab-option_groups').click();
  const ownerStuffed = owner.locator('[data-testid=option-group][data-group-id="crust"] [data-testid=option][data-option-id="stuffed"]');
  await ownerStuffed.getByRole('switch').uncheck();
  const [saved] = await Promise.all([
    owner.waitForResponse((r) => new URL(r.url()).pathname === '/api/menu' && r.request().method() === 'PUT'),
    owner.getByTestId('save-menu').click(),
  ]);
  expect(saved.status(), await saved.text()).toBe(200);
  await expect(owner.getByTestId('menu-saved')).toBeVisible();
  await owner.close();
  const crust = (await kitchen.server.api<MenuDto>('GET', '/api/menu')).body.option_groups.find((g) => g.id === 'crust')!;
  expect(crust.options.find((o) => o.id === 'stuffed')?.available).toBe(false);

  // The builder shows it sold out, and the server's refusal beside the crust.
  await expect(stuffed).toHaveAttribute('data-sold-out', 'true');
  const group = line.locator('[data-testid=option-group][data-group-id=crust]');
  const soldOut = { field: 'items[0].options[0].option', code: 'sold_out', params: { name: 'Stuffed crust' }, message: '' };
  await expect(group.getByTestId('field-error')).toHaveText(fieldErrorText(soldOut, 'en'));
  await expect(page.getByTestId('quote-status')).toHaveAttribute('data-state', 'stale');

  // Placing it is refused too, and nothing is lost.
  await builder.getByTestId('place-order').click();
  await expect(builder.getByTestId('place-error')).toHaveText('Some parts need fixing (marked in red).');
  await expect(page).toHaveURL(/#\/new-order$/);
  expect((await kitchen.server.api<OrderDto[]>('GET', '/api/orders?status=new')).body).toHaveLength(0);

  // In Urdu, the same refusal in Urdu words.
  await page.getByTestId('language').click();
  await expect(group.getByTestId('field-error')).toHaveText(fieldErrorText({ ...soldOut, params: { name: 'سٹفڈ کرسٹ' } }, 'ur'));
  await expect(stuffed).toContainText('ختم');
  await keep(testInfo, 'orders-builder-sold-out-ur', await page.screenshot({ fullPage: true }));

  // Taking it off: no longer offered, the order prices again and can be placed.
  await stuffed.click();
  await expect(stuffed).toBeDisabled();
  await priced(page, quotes);
  await builder.getByTestId('place-order').click();
  await expect(page).toHaveURL(/#\/board$/);
  expect((await kitchen.server.api<OrderDto[]>('GET', '/api/orders?status=new')).body).toHaveLength(1);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
