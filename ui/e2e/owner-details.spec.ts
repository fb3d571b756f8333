// Owner details (issue 13, item 10): the call log's dates in the shop's one format, and a
// warning before AI answering is paused with no shop phone to send the calls to.

import { formatBusinessDate } from '../src/lib/time';

/** The date in the shop's format at Karachi time (the browser's zone; this process may be elsewhere). */
function karachiDate(time: string, lang: 'en' | 'ur'): string {
  const local = new Date(Date.parse(time) + 5 * 3_600_000).toISOString().slice(0, 10);
  return formatBusinessDate(local, lang);
}
import { expect, login, test, openPage } from './harness';

test.use({ serverOptions: { demo: true } });

test('the call log shows dates in the shop format, in English and in Urdu', async ({ page, kitchen }) => {
  await login(page, kitchen);
  await kitchen.server.simulateCall('0300-7654321');
  const calls = await kitchen.server.api<{ started_at: string }[]>('GET', '/api/calls');
  const started = calls.body[0]!.started_at;
  await openPage(page, 'Calls');
  const day = page.getByTestId('call').getByTestId('call-day');
  await expect(day).toHaveText(karachiDate(started, 'en'));
  await expect(day).toHaveText(/^\d{2} [A-Z][a-z]{2} \d{4}$/);
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(day).toHaveText(karachiDate(started, 'ur'));
  await expect(day).not.toHaveText(/[A-Za-z]/);
});

test('pausing AI answering with no shop phone asks first; with one, it pauses at once', async ({ page, kitchen }) => {
  const { server } = kitchen;
  type Settings = { shop_phone: string | null; answering_paused: boolean };
  expect((await server.api<Settings>('GET', '/api/settings')).body.shop_phone).toBeNull();
  await login(page, kitchen);
  await openPage(page, 'Phone');
  const toggle = page.getByTestId('toggle-answering');
  const state = page.getByTestId('answering-state');
  await expect(state).toHaveAttribute('data-paused', 'false');

  // No shop phone: the warning, nothing paused yet; "Keep the AI answering" leaves it.
  await toggle.click();
  const warning = page.getByTestId('pause-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('callers would only hear an apology');
  await expect(warning.getByTestId('pause-warning-settings')).toHaveAttribute('href', '#/settings');
  expect((await server.api<Settings>('GET', '/api/settings')).body.answering_paused).toBe(false);
  await warning.getByTestId('pause-cancel').click();
  await expect(warning).toHaveCount(0);
  await expect(state).toHaveAttribute('data-paused', 'false');

  // "Pause anyway" pauses, and the board header shows it.
  await toggle.click();
  await page.getByTestId('pause-anyway').click();
  await expect(state).toHaveAttribute('data-paused', 'true');
  await expect(page.getByTestId('paused-badge')).toBeVisible();
  expect((await server.api<Settings>('GET', '/api/settings')).body.answering_paused).toBe(true);

  // Resuming never asks; with a shop phone set, pausing does not either.
  await toggle.click();
  await expect(state).toHaveAttribute('data-paused', 'false');
  await expect(page.getByTestId('pause-warning')).toHaveCount(0);
  expect((await server.api('PUT', '/api/settings', { shop_phone: '0300 1234567' })).status).toBe(200);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await page.getByTestId('toggle-answering').click();
  await expect(page.getByTestId('answering-state')).toHaveAttribute('data-paused', 'true');
  await expect(page.getByTestId('pause-warning')).toHaveCount(0);
});
