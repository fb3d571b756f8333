// The direct-SIP voice engines on the Phone page (issue 17), as the owner sets them up: the
// engine in use, choosing GPT-Live over SIP, the OpenAI project id (a bad one refused beside
// its field) and webhook secret (shown only as set / not set, never the secret itself),
// "Set up SIP trunk" against the demo's fake Twilio (Elastic SIP Trunking: made once, then
// brought up to date) and "Check setup" listing the trunk's parts in plain words. In English,
// then in Urdu: right to left and with no English phrase on the page.

import type { Locator, Page } from '@playwright/test';
import { charX, englishOn, expect, keep, login, openPage, test, type Kitchen } from './harness';

// Demo mode: a fake Twilio REST API whose account owns +15005550006 (no shop phone).
test.use({ serverOptions: { demo: true } });

const NUMBER = '+15005550006';
const BAD_PROJECT = 'proj-Melt8 Gulberg';
const PROJECT = 'proj_Melt8Gulberg01';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SIP_URL = `sip:${PROJECT}@sip.api.openai.com;transport=tls`;
const SIP_PARTS = ['sip_openai', 'sip_trunk', 'sip_transfer', 'sip_origination', 'sip_number', 'sip_disaster_recovery'];

/** The Phone page is in Urdu with no English phrase but the shop's name and proper names. */
async function noEnglish(page: Page, kitchen: Kitchen, where: string): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  const shop = (await kitchen.server.api<{ shop_name: string }>('GET', '/api/settings')).body.shop_name;
  await expect.poll(() => englishOn(page, [shop]), `English on the Phone page (${where})`).toEqual([]);
}

/** The element's text without its bidi isolates (an Urdu message isolates each Latin word). */
async function plain(el: Locator): Promise<string> {
  return ((await el.textContent()) ?? '').replace(/[\u2066-\u2069]/g, '');
}

/** Each of `parts` is drawn within `card`'s edges (a long address wraps, it does not run out). */
async function within(card: Locator, parts: Locator): Promise<void> {
  const outer = (await card.boundingBox())!;
  const all = await parts.all();
  expect(all.length).toBeGreaterThan(0);
  for (const part of all) {
    const box = (await part.boundingBox())!;
    const what = `${(await part.textContent())?.slice(0, 60)}…`;
    expect(box.x, what).toBeGreaterThanOrEqual(outer.x);
    expect(box.x + box.width, what).toBeLessThanOrEqual(outer.x + outer.width);
  }
}

/** The secret appears nowhere: not in the text, the markup, nor any field's value. */
async function secretNowhere(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.body.innerText)).not.toContain(SECRET);
  expect(await page.content()).not.toContain(SECRET);
  const values = await page.locator('input, textarea').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(values.join('\n')).not.toContain(SECRET);
}

/** `/health` as the signed-in browser sees it (its session cookie). */
async function health(page: Page, kitchen: Kitchen): Promise<{ phone: Record<string, unknown> }> {
  const res = await page.request.get(`${kitchen.server.base}/health`);
  expect(res.status()).toBe(200);
  const text = await res.text();
  expect(text, '/health never carries the webhook secret').not.toContain(SECRET);
  return JSON.parse(text);
}

test('the owner switches to GPT-Live over SIP, sets up the SIP trunk twice (updated, not duplicated) and Check setup passes its SIP parts', async ({
  page,
  kitchen,
}, testInfo) => {
  await login(page, kitchen);
  await openPage(page, 'Phone');
  const card = page.getByTestId('engine');

  // The engine in use: Realtime through this PC, by default; four choices, each with its cost.
  const inUse = page.getByTestId('engine-in-use');
  await expect(inUse).toHaveAttribute('data-engine', 'realtime-bridge');
  await expect(inUse).toHaveText('In use: Realtime through this PC.');
  await expect(card.getByRole('radio')).toHaveCount(4);
  await expect(page.getByTestId('engine-realtime-bridge')).toBeChecked();
  await expect(card.locator('label', { has: page.getByTestId('engine-sip-live') })).toContainText('$0.05 a minute flat');
  await expect(card.locator('label', { has: page.getByTestId('engine-sip-live') })).toContainText('Needs the SIP trunk below');
  await expect(card.locator('label', { has: page.getByTestId('engine-realtime-bridge') })).toContainText('about $0.05–0.10 a minute');
  // A bridge engine has no project id or secret to give, and no SIP trunk to set up.
  await expect(page.getByTestId('openai-project-id')).toHaveCount(0);
  await expect(page.getByTestId('sip-setup')).toHaveCount(0);
  await expect(page.getByTestId('connect')).toBeVisible();
  expect((await health(page, kitchen)).phone.voice_engine).toBe('realtime-bridge');

  // Choose GPT-Live over SIP: its project id and webhook secret are asked for.
  await page.getByTestId('engine-sip-live').check();
  await expect(page.getByTestId('engine-sip-live')).toBeChecked();
  await expect(page.getByTestId('engine-realtime-bridge')).not.toBeChecked();
  const secretState = page.getByTestId('webhook-secret-state');
  await expect(secretState).toHaveAttribute('data-set', 'false');
  await expect(secretState).toHaveText('Not set.');
  // Where the webhook goes, and which event it must send.
  await expect(card).toContainText(`add a webhook to http://127.0.0.1:${kitchen.server.publicPort}/openai/webhook for the event live.transport.incoming`);

  // A bad project id: refused beside its field, and nothing saved.
  const project = page.getByTestId('openai-project-id');
  await project.fill(BAD_PROJECT);
  await page.getByTestId('openai-webhook-secret').fill(SECRET);
  await page.getByTestId('save-engine').click();
  await expect(page.getByTestId('project-id-error')).toHaveText(
    'That is not a project id: it starts with proj_ followed by letters and digits.',
  );
  await expect(project).toHaveAttribute('aria-invalid', 'true');
  // Said to a screen reader with the field: its description is the error.
  await expect(project).toHaveAccessibleDescription(/^That is not a project id/);
  await expect(page.getByTestId('webhook-secret-error')).toHaveCount(0);
  await expect(inUse).toHaveAttribute('data-engine', 'realtime-bridge');
  expect((await kitchen.server.api<{ voice_engine: string }>('GET', '/api/settings')).body.voice_engine).toBe('realtime-bridge');

  // A good one, with the secret: saved; the secret is only "set", the box emptied.
  await project.fill(PROJECT);
  await page.getByTestId('save-engine').click();
  await expect(page.getByTestId('engine-result')).toHaveText('Saved.');
  await expect(page.getByTestId('project-id-error')).toHaveCount(0);
  await expect(inUse).toHaveAttribute('data-engine', 'sip-live');
  await expect(inUse).toHaveText('In use: GPT-Live, direct SIP.');
  await expect(secretState).toHaveAttribute('data-set', 'true');
  await expect(secretState).toHaveText('Set (type a new one to replace it).');
  await expect(page.getByTestId('openai-webhook-secret')).toHaveValue('');
  await expect(project).toHaveValue(PROJECT);
  await secretNowhere(page);
  const saved = await kitchen.server.api<Record<string, unknown>>('GET', '/api/settings');
  expect(saved.body).toMatchObject({ voice_engine: 'sip-live', openai_project_id: PROJECT, openai_webhook_secret_set: true });
  const h = await health(page, kitchen);
  expect(h.phone).toMatchObject({ voice_engine: 'sip-live', openai_project_configured: true, openai_webhook_secret_configured: true });

  // Kept across a reload: still GPT-Live over SIP, the secret still only "set".
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-connection', 'online');
  await expect(inUse).toHaveAttribute('data-engine', 'sip-live');
  await expect(page.getByTestId('engine-sip-live')).toBeChecked();
  await expect(secretState).toHaveAttribute('data-set', 'true');
  await secretNowhere(page);
  // The number card says calls go over the trunk and offers no "Connect my number" (which
  // would take the number off the trunk).
  await expect(page.getByTestId('number-on-trunk')).toContainText('calls go over the SIP trunk straight to OpenAI');
  await expect(page.getByTestId('connect')).toHaveCount(0);

  // Set up SIP trunk: made in the fake Twilio, the number moved onto it.
  await page.getByTestId('sip-setup').click();
  const result = page.getByTestId('sip-result');
  await expect(result).toHaveAttribute('data-code', 'sip_connected');
  await expect(result).toHaveAttribute('data-created', 'true');
  await expect(result).toHaveAttribute('role', 'status');
  await expect(result).toContainText('Made the shop’s SIP trunk in Twilio.');
  await expect(result).toContainText(`Done: calls to ${NUMBER} now go over the SIP trunk straight to OpenAI (${SIP_URL}).`);
  // The demo shop has no phone of its own: the fallback is an apology.
  await expect(result).toContainText('If OpenAI cannot take a call, the caller hears a short apology.');

  // Again: the same trunk brought up to date, no second one.
  await page.getByTestId('sip-setup').click();
  await expect(result).toHaveAttribute('data-created', 'false');
  await expect(result).toContainText('The shop’s SIP trunk was already in Twilio: brought up to date, no second one made.');
  await expect(result).not.toContainText('Made the shop’s SIP trunk');
  await expect(result).toContainText(`Done: calls to ${NUMBER} now go over the SIP trunk`);

  // Check setup: every SIP part passes, in plain words.
  await page.getByTestId('check-setup').click();
  const lines = page.getByTestId('check-results').locator('li');
  await expect(lines.first()).toBeVisible();
  const sipLine = (name: string) => lines.and(page.locator(`[data-part=${name}]`));
  for (const name of SIP_PARTS) await expect(sipLine(name), name).toHaveAttribute('data-ok', 'true');
  await expect(sipLine('sip_openai')).toContainText(`OpenAI project and webhook: OK`);
  await expect(sipLine('sip_openai')).toContainText(`OpenAI project ${PROJECT} and its webhook secret are set`);
  await expect(sipLine('sip_trunk')).toContainText('SIP trunk: OK');
  await expect(sipLine('sip_trunk')).toContainText('The SIP trunk is there and encrypted');
  await expect(sipLine('sip_transfer')).toContainText('Transfers are on');
  await expect(sipLine('sip_origination')).toContainText(`The trunk sends calls to the OpenAI project (${SIP_URL}).`);
  await expect(sipLine('sip_number')).toContainText(`Calls to ${NUMBER} go over the SIP trunk straight to OpenAI.`);
  await expect(sipLine('sip_disaster_recovery')).toContainText('If OpenAI cannot take a call, Twilio runs the shop’s backup');
  // Over SIP the PC-off fallback is the trunk's disaster recovery: no separate line for it.
  await expect(sipLine('fallback')).toHaveCount(0);
  // The long addresses (the trunk's SIP address, the Studio backup's URL) stay in their cards.
  await within(page.getByTestId('check'), lines);
  await within(card, result);
  await secretNowhere(page);
  await keep(testInfo, 'sip-setup-en', await page.screenshot({ fullPage: true }));
});

test('in Urdu: the engine choice, the project id refused, Set up SIP trunk and Check setup, right to left with no English', async ({
  page,
  kitchen,
}, testInfo) => {
  await login(page, kitchen);
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await openPage(page, 'فون');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('فون');
  const card = page.getByTestId('engine');
  expect(await card.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');

  const inUse = page.getByTestId('engine-in-use');
  await expect(inUse).toHaveAttribute('data-engine', 'realtime-bridge');
  await expect(inUse).toHaveText('استعمال میں: ریئل ٹائم، اس کمپیوٹر کے ذریعے۔');
  await expect(card.locator('label', { has: page.getByTestId('engine-sip-live') })).toContainText('جی پی ٹی لائیو، براہِ راست SIP');
  await expect(card.locator('label', { has: page.getByTestId('engine-sip-live') })).toContainText('0.05 ڈالر فی منٹ');
  // Read right to left: the name (ending in SIP), then its cost; the Latin name and the
  // price are not drawn as one left-to-right run ("0.05 — SIP").
  const sipLive = card.locator('label', { has: page.getByTestId('engine-sip-live') });
  const text = (await sipLive.textContent())!;
  expect(await charX(sipLive, text.indexOf('SIP')), 'SIP is read (drawn right of) before 0.05').toBeGreaterThan(
    await charX(sipLive, text.indexOf('0.05')),
  );
  await noEnglish(page, kitchen, 'the engines');

  // GPT-Live over SIP with a bad project id: refused in Urdu beside the field.
  await page.getByTestId('engine-sip-live').check();
  await expect(page.getByTestId('webhook-secret-state')).toHaveText('موجود نہیں۔');
  const project = page.getByTestId('openai-project-id');
  await project.fill(BAD_PROJECT);
  await page.getByTestId('openai-webhook-secret').fill(SECRET);
  await page.getByTestId('save-engine').click();
  const error = page.getByTestId('project-id-error');
  await expect(error).toContainText('یہ پروجیکٹ آئی ڈی نہیں');
  await expect(project).toHaveAttribute('aria-invalid', 'true');
  await expect(project).toHaveAccessibleDescription(/یہ پروجیکٹ آئی ڈی نہیں/);
  // An empty id: asked for, in Urdu.
  await project.fill('');
  await page.getByTestId('save-engine').click();
  await expect(error).toContainText('OpenAI پروجیکٹ آئی ڈی ڈالیں');
  await noEnglish(page, kitchen, 'the project id refused');

  await project.fill(PROJECT);
  await page.getByTestId('save-engine').click();
  await expect(page.getByTestId('engine-result')).toHaveText('محفوظ ہو گیا۔');
  await expect(inUse).toHaveAttribute('data-engine', 'sip-live');
  await expect(inUse).toHaveText('استعمال میں: جی پی ٹی لائیو، براہِ راست SIP۔');
  await expect(page.getByTestId('webhook-secret-state')).toHaveText('موجود ہے (بدلنے کے لیے نیا لکھیں)۔');
  await secretNowhere(page);
  expect((await health(page, kitchen)).phone.voice_engine).toBe('sip-live');

  // Set up SIP trunk, twice: made, then brought up to date; the number and address isolated.
  await expect(page.getByTestId('sip-setup')).toHaveText('SIP ٹرنک بنائیں');
  await page.getByTestId('sip-setup').click();
  const result = page.getByTestId('sip-result');
  await expect(result).toHaveAttribute('data-code', 'sip_connected');
  await expect(result).toHaveAttribute('data-created', 'true');
  await expect.poll(() => plain(result)).toContain('Twilio میں دکان کا SIP ٹرنک بنا دیا۔');
  await expect.poll(() => plain(result)).toContain(`ہو گیا: ${NUMBER} کی کالیں اب SIP ٹرنک سے سیدھی OpenAI کو جاتی ہیں (${SIP_URL})۔`);
  // The number and the address keep their order inside the Urdu sentence.
  await expect(result).toContainText(`\u2066${NUMBER}\u2069`);
  await expect(result).toContainText(`\u2066${SIP_URL}\u2069`);
  await noEnglish(page, kitchen, 'the trunk made');
  await page.getByTestId('sip-setup').click();
  await expect(result).toHaveAttribute('data-created', 'false');
  await expect.poll(() => plain(result)).toContain('دکان کا SIP ٹرنک Twilio میں پہلے سے تھا: اسے تازہ کر دیا، دوسرا نہیں بنایا۔');
  await expect.poll(() => plain(result)).not.toContain('ٹرنک بنا دیا');
  await noEnglish(page, kitchen, 'the trunk updated');

  // Check setup: the SIP parts pass, in Urdu.
  await page.getByTestId('check-setup').click();
  const lines = page.getByTestId('check-results').locator('li');
  await expect(lines.first()).toBeVisible();
  const sipLine = (name: string) => lines.and(page.locator(`[data-part=${name}]`));
  for (const name of SIP_PARTS) await expect(sipLine(name), name).toHaveAttribute('data-ok', 'true');
  await expect(sipLine('sip_trunk')).toContainText('SIP ٹرنک: ٹھیک');
  await expect.poll(() => plain(sipLine('sip_trunk'))).toContain('SIP ٹرنک موجود ہے اور محفوظ (خفیہ) ہے');
  await expect(sipLine('sip_transfer')).toContainText('کال منتقل کرنا آن ہے');
  await expect.poll(() => plain(sipLine('sip_number'))).toContain(`${NUMBER} کی کالیں SIP ٹرنک سے سیدھی OpenAI کو جاتی ہیں۔`);
  await expect(sipLine('sip_number')).toContainText(`\u2066${NUMBER}\u2069`);
  await expect(sipLine('sip_disaster_recovery')).toContainText('جب OpenAI جواب نہ دے سکے: ٹھیک');
  await noEnglish(page, kitchen, 'Check setup');
  await within(page.getByTestId('check'), lines);
  await within(card, result);
  await secretNowhere(page);
  await keep(testInfo, 'sip-engine-ur', await card.screenshot());
  await keep(testInfo, 'sip-setup-ur', await page.screenshot({ fullPage: true }));
});
