import { expect, login, test, openPage } from './harness';

// Demo mode: a scripted fake AI and a local fake Twilio REST API whose account owns the
// demo number (+15005550006); no ngrok token, so the public address is PUBLIC_BASE_URL's.
test.use({ serverOptions: { demo: true } });

test('the Phone page pauses AI answering (kept across a restart), connects the number and checks the setup', async ({
  page,
  kitchen,
}) => {
  await login(page, kitchen);
  await openPage(page, 'Phone');
  await expect(page.getByRole('heading', { name: 'Phone', level: 1 })).toBeVisible();
  await expect(page.getByTestId('tunnel-state')).toHaveAttribute('data-state', 'off');
  await expect(page.getByTestId('public-url')).toHaveText(`http://127.0.0.1:${kitchen.server.publicPort}/incoming-call`);

  // Pause: the page and the API agree, and a restart keeps it.
  const state = page.getByTestId('answering-state');
  await expect(state).toHaveAttribute('data-paused', 'false');
  await page.getByTestId('toggle-answering').click();
  // The demo shop has no phone of its own: the page asks first (owner-details.spec.ts).
  await page.getByTestId('pause-anyway').click();
  await expect(state).toHaveAttribute('data-paused', 'true');
  await expect(state).toContainText("calls go straight to the shop's phone");
  await expect(page.getByTestId('toggle-answering')).toHaveText('Resume AI answering');
  const phone = await kitchen.server.api<{ answering_paused: boolean }>('GET', '/api/phone');
  expect(phone.body.answering_paused).toBe(true);
  await kitchen.server.restart();
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(page.getByTestId('answering-state')).toHaveAttribute('data-paused', 'true');

  // Resumed elsewhere (the tray, a script): the page follows the live event.
  await kitchen.server.api('PUT', '/api/phone/answering', { paused: false });
  await expect(page.getByTestId('answering-state')).toHaveAttribute('data-paused', 'false');
  await kitchen.server.api('PUT', '/api/phone/answering', { paused: true });
  await expect(page.getByTestId('answering-state')).toHaveAttribute('data-paused', 'true');

  // Connect my number: the demo account's number now points here, but the demo's address is
  // this PC over plain http, which the real Twilio could not open: said so, never "Done".
  await page.getByTestId('connect').click();
  const connected = page.getByTestId('connect-result');
  await expect(connected).toHaveAttribute('data-code', 'connected_unreachable');
  await expect(connected).toContainText('The number +15005550006 now points at');
  await expect(connected).toContainText('but Twilio cannot reach it: it is not https');
  await expect(connected).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('number')).toContainText('Connected');

  // Check setup: every part in plain words.
  await page.getByTestId('check-setup').click();
  const results = page.getByTestId('check-results').locator('li');
  await expect(results).toHaveCount(6);
  await expect(results.and(page.locator('[data-part=openai]'))).toHaveAttribute('data-ok', 'true');
  await expect(results.and(page.locator('[data-part=twilio]'))).toContainText('calls to +15005550006 come to this shop');
  // The demo's public address is this PC over plain http: the real Twilio could not reach it.
  const publicUrl = results.and(page.locator('[data-part=public_url]'));
  await expect(publicUrl).toHaveAttribute('data-ok', 'false');
  await expect(publicUrl).toContainText(`Twilio cannot reach http://127.0.0.1:${kitchen.server.publicPort}`);
  await expect(publicUrl).toContainText('not https');
  const shopPhone = results.and(page.locator('[data-part=shop_phone]'));
  await expect(shopPhone).toHaveAttribute('data-ok', 'false');
  await expect(shopPhone).toContainText("No shop phone: callers the AI cannot serve only hear an apology");
  const answering = results.and(page.locator('[data-part=answering]'));
  await expect(answering).toHaveAttribute('data-ok', 'false');
  await expect(answering).toContainText('AI answering is paused');
  // Connect also published the Twilio-hosted fallback: with no shop phone, an apology.
  const fallback = results.and(page.locator('[data-part=fallback]'));
  await expect(fallback).toHaveAttribute('data-ok', 'true');
  await expect(fallback).toContainText('When this PC is off: ');
  await expect(fallback).toContainText('callers to +15005550006 hear a short apology');
});
