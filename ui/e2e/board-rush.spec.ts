// The Friday rush: 13 open orders, a new one that must not be missed, stage timers against
// the promise, and the board laid out per screen (issue 13).
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, column, expect, login, soundPlays, test, ticket, type Kitchen } from './harness';

/** 6 new, 5 preparing, 2 ready (the sample order: three lines, a delivery). */
async function rush(kitchen: Kitchen): Promise<void> {
  const ids: number[] = [];
  for (let i = 0; i < 13; i += 1) {
    ids.push((await kitchen.server.createOrder({ customer_phone: `0300-10000${String(i).padStart(2, '0')}` })).id);
  }
  for (const id of ids.slice(6)) await kitchen.server.setStatus(id, 'preparing');
  for (const id of ids.slice(11)) await kitchen.server.setStatus(id, 'ready');
}

/** Tickets wholly on screen: inside the viewport and inside their column's scrolling area. */
async function fullyVisible(page: Page): Promise<{ total: number; byStatus: Record<string, number>; heights: number[] }> {
  return page.evaluate(() => {
    const byStatus: Record<string, number> = {};
    const heights: number[] = [];
    let total = 0;
    for (const el of document.querySelectorAll<HTMLElement>('.live [data-testid=ticket]')) {
      const r = el.getBoundingClientRect();
      if (r.height === 0) continue;
      heights.push(Math.round(r.height));
      const box = el.parentElement!.getBoundingClientRect();
      const inside =
        r.top >= Math.max(0, box.top) - 1 &&
        r.bottom <= Math.min(window.innerHeight, box.bottom) + 1 &&
        r.left >= -1 &&
        r.right <= window.innerWidth + 1;
      if (inside) {
        total += 1;
        const s = el.dataset.status!;
        byStatus[s] = (byStatus[s] ?? 0) + 1;
      }
    }
    return { total, byStatus, heights };
  });
}

async function toUrdu(page: Page): Promise<void> {
  await page.getByTestId('language').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await page.evaluate(async () => {
    await document.fonts.ready;
  });
}

for (const { width, height, en, ur } of [
  { width: 1280, height: 800, en: 8, ur: 6 },
  { width: 1920, height: 1080, en: 13, ur: 10 },
]) {
  test(`13 open orders at ${width}×${height}: at least ${en} tickets whole in English, ${ur} in Urdu; the header is one row`, async ({
    page,
    kitchen,
  }) => {
    await page.setViewportSize({ width, height });
    await rush(kitchen);
    await login(page, kitchen);
    await expect(page.locator('.live [data-testid=ticket]')).toHaveCount(13);
    for (const lang of ['en', 'ur'] as const) {
      if (lang === 'ur') await toUrdu(page);
      const header = await page.getByTestId('header').boundingBox();
      expect(header!.height, 'the header stays one row').toBeLessThan(80);
      const seen = await fullyVisible(page);
      console.log(`${width}×${height} ${lang}: ${seen.total} of 13 whole ${JSON.stringify(seen.byStatus)}; heights ${seen.heights.join(',')}`);
      await page.screenshot({ path: resolve(ARTIFACTS, `rush-${width}x${height}-${lang}.png`) });
      expect(seen.total).toBeGreaterThanOrEqual(lang === 'en' ? en : ur);
      // The header and the counts stay when a column is scrolled and when the page is.
      await expect(page.getByTestId('header-count-new')).toHaveText('6');
      await expect(page.getByTestId('header-count-preparing')).toHaveText('5');
      await expect(page.getByTestId('header-count-ready')).toHaveText('2');
    }
    await page.mouse.wheel(0, 2000);
    const header = await page.getByTestId('header').boundingBox();
    expect(header!.y).toBe(0);
  });
}

test('a new order shows in the strip within a second; one tap stops the alarm and brings its ticket into view', async ({
  page,
  kitchen,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await rush(kitchen);
  await login(page, kitchen);
  const before = await soundPlays(page);
  const started = Date.now();
  const order = await kitchen.server.createOrder({ customer_phone: '0333-7778899' });
  const entry = page.locator(`[data-testid=strip-entry][data-order-id="${order.id}"]`);
  await expect(entry).toBeVisible({ timeout: 1000 });
  expect(Date.now() - started).toBeLessThan(1500);
  await expect(entry).toContainText(`#${(order as unknown as { number: number }).number}`);
  await expect(entry).toContainText('2× Chicken Tikka');
  await expect(entry).toContainText(/0:0\d/);
  await expect.poll(() => soundPlays(page)).toBeGreaterThan(before);
  // The newest ticket is the last of New, below the fold of its column.
  const t = ticket(page, order.id);
  await expect(t).not.toBeInViewport({ ratio: 1 });
  const withStrip = await fullyVisible(page);
  console.log(`1280×800 en with the strip showing: ${withStrip.total} of 14 whole ${JSON.stringify(withStrip.byStatus)}`);
  expect(withStrip.total, 'the strip costs no whole ticket').toBeGreaterThanOrEqual(8);
  await page.screenshot({ path: resolve(ARTIFACTS, 'rush-strip.png') });

  await entry.click();
  await expect(entry).toHaveCount(0);
  await expect(t).toHaveAttribute('data-alerting', 'false');
  await expect(t).toBeInViewport({ ratio: 1 });
  const silenced = await soundPlays(page);
  await page.waitForTimeout(4500);
  expect(await soundPlays(page)).toBe(silenced);
});

test('upright tablet: New, Preparing and Ready are each one tap away, with their counts', async ({ page, kitchen }) => {
  await page.setViewportSize({ width: 800, height: 1280 });
  await rush(kitchen);
  await login(page, kitchen);
  for (const lang of ['en', 'ur'] as const) {
    if (lang === 'ur') await toUrdu(page);
    const names = lang === 'en' ? ['New', 'Preparing', 'Ready'] : ['نیا', 'تیاری میں', 'تیار'];
    const counts = ['6', '5', '2'];
    const stages = ['new', 'preparing', 'ready'];
    for (const [i, s] of stages.entries()) {
      const tab = page.getByTestId(`tab-${s}`);
      await expect(tab).toBeInViewport();
      await expect(tab).toContainText(names[i]!);
      await expect(tab).toContainText(counts[i]!);
    }
    for (const s of ['preparing', 'ready', 'new']) {
      await page.getByTestId(`tab-${s}`).click();
      await expect(page.getByTestId(`tab-${s}`)).toHaveAttribute('aria-selected', 'true');
      await expect(column(page, s)).toBeVisible();
      for (const other of stages.filter((x) => x !== s)) await expect(column(page, other)).toBeHidden();
      await expect(column(page, s).getByTestId('ticket').first()).toBeInViewport({ ratio: 1 });
      if (s === 'preparing') await page.screenshot({ path: resolve(ARTIFACTS, `rush-portrait-${lang}.png`) });
    }
  }
});

test('moving a ticket to Preparing restarts its stage timer', async ({ page, kitchen }) => {
  await login(page, kitchen);
  const order = await kitchen.server.createOrder();
  const t = ticket(page, order.id);
  await expect(t.getByTestId('age')).toHaveText(/^0:0[3-9]$/, { timeout: 10_000 });
  await t.getByTestId('advance').click();
  await expect(t).toHaveAttribute('data-status', 'preparing');
  await expect(t.getByTestId('age')).toHaveText(/^0:0[0-2]$/);
});

test('an order past three quarters of its promise says LATE in words, in English and Urdu', async ({ page, kitchen }) => {
  await page.clock.install();
  await login(page, kitchen);
  const order = (await kitchen.server.createOrder()) as unknown as { id: number; eta_minutes: number | null };
  const t = ticket(page, order.id);
  await expect(t).toHaveAttribute('data-urgency', 'fresh');
  await expect(t.getByTestId('late')).toHaveCount(0);
  const promise = order.eta_minutes ?? 35;
  await page.clock.fastForward(Math.ceil(promise * 0.5 + 1) * 60_000);
  await expect(t).toHaveAttribute('data-urgency', 'amber');
  await expect(t.getByTestId('late')).toHaveCount(0);
  await page.clock.fastForward(Math.ceil(promise * 0.25 + 1) * 60_000);
  await expect(t).toHaveAttribute('data-urgency', 'red');
  await expect(t.getByTestId('late')).toHaveText('LATE');
  await toUrdu(page);
  await expect(t.getByTestId('late')).toHaveText('لیٹ');
});
