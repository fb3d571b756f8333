// The owner's forms on an Urdu screen: the server's validation errors arrive as stable codes
// with params (`{"field","code","params","message"}`), and the dashboard words them in Urdu
// beside their fields; the server's English `message` never shows.
//
// These tests need a server that sends `code` and `params` with every field error (issue
// 11, item 6). Against one that does not, they fail at "the contract" assertions below.

import type { Locator, Page, Response } from '@playwright/test';
import { FIELD_CODES, type FieldProblem } from '../src/lib/api';
import { fieldErrorText } from '../src/lib/i18n';
import { expect, login, test, openPage } from './harness';

type WireProblem = { field: string; message: string; code?: unknown; params?: unknown };
type ErrorBody = { error: { code: string; message: string; fields?: WireProblem[] } };

/** Switches the dashboard to Urdu, as the owner does, and checks it is right to left. */
async function toUrdu(page: Page): Promise<void> {
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
}

/** A refused save's body, after checking it is the validation error of the contract. */
async function refused(response: Response): Promise<{ body: ErrorBody; problems: FieldProblem[] }> {
  expect(response.status()).toBe(422);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe('validation_failed');
  const fields = body.error.fields ?? [];
  expect(fields.length).toBeGreaterThan(0);
  // The contract: every field error has a stable code and its params (strings, maybe none).
  for (const f of fields) {
    expect(FIELD_CODES, `a stable code for ${f.field} (${JSON.stringify(f)})`).toContain(f.code);
    expect(f.params, `params for ${f.field}`).toEqual(expect.any(Object));
    for (const v of Object.values(f.params as object)) expect(typeof v, `params of ${f.field}`).toBe('string');
  }
  const problems = fields.map((f) => ({
    field: f.field,
    message: f.message,
    code: f.code as string,
    params: f.params as Record<string, string>,
  }));
  return { body, problems };
}

/** The field of a form, by its API name. */
function field(form: Locator, name: string): Locator {
  return form.locator(`[data-testid=field][data-field="${name}"]`);
}

/** Letters of the Latin alphabet outside the isolated examples (+923001234567, sk-). */
function latinOutsideExamples(text: string): string {
  return (text.replace(/\u2066[^\u2069]*\u2069/g, '').match(/[A-Za-z]+/g) ?? []).join(' ');
}

/**
 * The field shows `problem` in Urdu: the wording of its code, marked invalid and named in
 * the control's description, right to left in the Nastaliq font; and none of the server's
 * English is anywhere on the page.
 */
async function showsInUrdu(page: Page, form: Locator, problem: FieldProblem, body: ErrorBody): Promise<void> {
  const expected = fieldErrorText(problem, 'ur');
  expect(expected, 'the Urdu wording of the code').toMatch(/[\u0600-\u06FF]/);
  expect(latinOutsideExamples(expected), expected).toBe('');
  const box = field(form, problem.field);
  const error = box.getByTestId('field-error');
  await expect(error).toHaveText(expected);
  const control = box.locator('input, select, textarea').first();
  await expect(control).toHaveAttribute('aria-invalid', 'true');
  const errorId = await error.getAttribute('id');
  expect(errorId).toBeTruthy();
  await expect(control).toHaveAttribute('aria-describedby', new RegExp(`^${escape(errorId!)}(\\s|$)`));
  if (!/[\u2066\u2069]/.test(expected)) await expect(control).toHaveAccessibleDescription(new RegExp(`^${escape(expected)}`));
  await expect(error).toHaveCSS('direction', 'rtl');
  expect(await error.evaluate((el) => getComputedStyle(el).fontFamily)).toContain('Noto Nastaliq Urdu');
  for (const param of Object.entries(problem.params)
    .filter(([k]) => k !== 'reason')
    .map(([, v]) => v)) {
    await expect(error).toContainText(param);
  }
  await expectNoServerEnglish(page, body);
}

async function expectNoServerEnglish(page: Page, body: ErrorBody): Promise<void> {
  const main = page.locator('main');
  await expect(main).not.toContainText(body.error.message);
  for (const f of body.error.fields ?? []) if (f.message) await expect(main).not.toContainText(f.message);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function saveSettings(page: Page): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/settings' && r.request().method() === 'PUT'),
    page.getByTestId('save-settings').click(),
  ]);
  return response;
}

async function saveSetup(page: Page): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/setup' && r.request().method() === 'POST'),
    page.getByTestId('setup-save').click(),
  ]);
  return response;
}

async function openSettings(page: Page): Promise<Locator> {
  await openPage(page, 'سیٹنگز');
  const form = page.getByTestId('settings-form');
  await expect(form).toBeVisible();
  return form;
}

test.describe('an Urdu screen, with the shop set up', () => {
  test('settings: the server’s refusals show in Urdu beside their fields, never in English', async ({ page, kitchen }) => {
    await login(page, kitchen);
    await toUrdu(page);
    const form = await openSettings(page);

    // Checked here before sending: not a number.
    const eta = field(form, 'eta_minutes');
    await eta.locator('input').fill('جلدی');
    await page.getByTestId('save-settings').click();
    await expect(eta.getByTestId('field-error')).toHaveText('پورا عدد لکھیں۔');

    // ETA 0: the server refuses it (out of range) and says which range.
    await eta.locator('input').fill('0');
    const etaRefusal = await refused(await saveSettings(page));
    const etaProblem = etaRefusal.problems.find((p) => p.field === 'eta_minutes')!;
    expect(etaProblem.code).toBe('out_of_range');
    expect(etaProblem.params).toMatchObject({ min: expect.stringMatching(/^\d+$/), max: expect.stringMatching(/^\d+$/) });
    await showsInUrdu(page, form, etaProblem, etaRefusal.body);
    expect((await kitchen.server.api<{ eta_minutes: number }>('GET', '/api/settings')).body.eta_minutes).not.toBe(0);

    // A shop phone that is no phone number.
    await eta.locator('input').fill('40');
    await field(form, 'shop_phone').locator('input').fill('0300-CALL-NOW');
    const phoneRefusal = await refused(await saveSettings(page));
    const phoneProblem = phoneRefusal.problems.find((p) => p.field === 'shop_phone')!;
    expect(phoneProblem.code).toBe('phone_invalid');
    await showsInUrdu(page, form, phoneProblem, phoneRefusal.body);
    await expect(field(form, 'shop_phone').getByTestId('field-error')).toContainText('\u2066+923001234567\u2069');

    // Switching back to English words the same problem in English, from the same code.
    await page.getByTestId('language').click();
    await expect(field(form, 'shop_phone').getByTestId('field-error')).toHaveText(fieldErrorText(phoneProblem, 'en'));
    await expect(field(form, 'shop_phone').getByTestId('field-error')).toContainText('not a phone number we can dial');
  });
});

test.describe('an Urdu screen, in the first-run wizard', () => {
  test.use({ serverOptions: { setupDone: false } });

  test('the wizard words every refused answer in Urdu beside its field, step by step', async ({ page, kitchen }) => {
    await login(page, kitchen);
    await expect(page.getByTestId('setup-wizard')).toBeVisible();
    await toUrdu(page);
    const form = page.getByTestId('setup-form');

    // Bad answers on several steps at once.
    await field(form, 'shop_name').locator('input').fill('میلٹ 8 گلبرگ');
    await page.getByTestId('setup-next').click();
    await page.getByTestId('setup-next').click();
    await field(form, 'openai_api_key').locator('input').fill('pk-not-an-openai-key');
    await page.getByTestId('setup-next').click();
    await field(form, 'twilio_account_sid').locator('input').fill('AC123');
    await field(form, 'shop_phone').locator('input').fill('0300 1234567');
    await page.getByTestId('setup-next').click();
    await field(form, 'ngrok_domain').locator('input').fill('gulberg_tunnel');
    await page.getByTestId('setup-next').click();
    await expect(form).toHaveAttribute('data-step', 'review');

    const { body, problems } = await refused(await saveSetup(page));
    const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
    expect(byField.openai_api_key?.code).toBe('openai_key_format');
    expect(byField.twilio_account_sid?.code).toBe('twilio_sid_format');
    expect(byField.ngrok_domain?.code).toBe('ngrok_domain_format');
    expect(Object.keys(byField)).not.toContain('shop_phone');

    // Back on the first step with a problem, the AI step: the key's error in Urdu.
    await expect(form).toHaveAttribute('data-step', 'ai');
    await expect(page.getByTestId('setup-step-ai')).toContainText('1 مسئلہ');
    await expect(page.getByTestId('setup-error').first()).toHaveText('کچھ جواب درست کرنے ہیں؛ وہ لال رنگ میں ہیں۔');
    await showsInUrdu(page, form, byField.openai_api_key!, body);
    await expect(field(form, 'openai_api_key').getByTestId('field-error')).toContainText('\u2066sk-\u2069');

    // Every other refused answer, on its own step.
    const steps: Record<string, string> = {
      twilio_account_sid: 'phone',
      twilio_auth_token: 'phone',
      twilio_phone_number: 'phone',
      ngrok_authtoken: 'tunnel',
      ngrok_domain: 'tunnel',
    };
    for (const p of problems.filter((p) => p.field !== 'openai_api_key')) {
      expect(steps[p.field], `a step for ${p.field}`).toBeDefined();
      await page.getByTestId(`setup-step-${steps[p.field]}`).click();
      await showsInUrdu(page, form, p, body);
    }
    expect((await kitchen.server.api<{ done: boolean }>('GET', '/api/setup')).body.done).toBe(false);
  });
});
