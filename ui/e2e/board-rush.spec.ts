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
      // Its counts are not cut off (where the row is tight they keep only their numbers).
      expect(
        await page.getByTestId('header-counts').evaluate((el) => el.scrollWidth <= el.clientWidth + 1),
        'the header counts fit',
      ).toBe(true);
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

// Acceptance: with 13 open orders, an order placed by a simulated phone call (the demo
// server's scripted caller) is at the top of the board within 1 s, and one tap on the strip
// stops its sound. The call itself takes seconds of conversation before the order exists;
// what is measured is from the order's creation on the server (its `order_time`, same
// machine clock) to the moment its strip entry appeared in the page (a MutationObserver).
test.describe('a new order from a simulated call', () => {
  test.use({ serverOptions: { demo: true } });

  for (const { width, height, name } of [
    { width: 1280, height: 800, name: 'desktop' },
    { width: 800, height: 1280, name: 'portrait' },
  ]) {
    test(`at ${width}×${height} it is in the strip at the top within a second of being placed; one tap stops the alarm and shows its ticket`, async ({
      page,
      kitchen,
    }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height });
      await rush(kitchen);
      await login(page, kitchen);
      await expect(page.locator('[data-testid=ticket]')).toHaveCount(13);
      // The page notes when each strip entry first shows.
      await page.evaluate(() => {
        const seen: Record<string, number> = {};
        (window as unknown as { stripSeen: Record<string, number> }).stripSeen = seen;
        const note = () => {
          for (const el of document.querySelectorAll<HTMLElement>('[data-testid=strip-entry]')) {
            const id = el.dataset.orderId!;
            if (!(id in seen) && el.getClientRects().length > 0) seen[id] = Date.now();
          }
        };
        new MutationObserver(note).observe(document.body, { childList: true, subtree: true, attributes: true });
      });
      const before = await soundPlays(page);

      const output = await kitchen.server.simulateCall('0300-7654321');
      expect(output).toContain('The call has ended');
      const phone = await kitchen.server.api<{ id: number; number: number; source: string; order_time: string }[]>(
        'GET',
        '/api/orders?status=new',
      );
      const order = phone.body.find((o) => o.source === 'phone')!;
      expect(order, 'the call placed an order').toBeTruthy();
      const entry = page.locator(`[data-testid=strip-entry][data-order-id="${order.id}"]`);
      await expect(entry).toBeVisible();
      const seenAt = await page.evaluate((id) => (window as unknown as { stripSeen: Record<string, number> }).stripSeen[id], String(order.id));
      expect(seenAt, 'the page saw the entry appear').toBeDefined();
      const delay = seenAt! - Date.parse(order.order_time);
      console.log(`${width}×${height}: strip entry for #${order.number} seen ${delay} ms after the order was created`);
      expect(delay, 'shown within a second of the order being placed').toBeLessThan(1000);
      expect(delay, 'no earlier than the order (the clocks agree)').toBeGreaterThan(-50);

      // At the top of the screen, under the header, whatever the screen.
      const box = (await entry.boundingBox())!;
      const header = (await page.getByTestId('header').boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(header.y + header.height - 1);
      expect(box.y + box.height).toBeLessThan(header.height + 120);
      await expect(entry).toBeInViewport({ ratio: 1 });
      await expect(entry).toContainText(`#${order.number}`);
      await expect(entry).toContainText('2× Chicken Tikka');
      await expect.poll(() => soundPlays(page)).toBeGreaterThan(before);
      const t = ticket(page, order.id);
      if (name === 'desktop') {
        // The newest ticket is the last of New, below the fold of its column.
        await expect(t).not.toBeInViewport({ ratio: 1 });
        const withStrip = await fullyVisible(page);
        console.log(`1280×800 en with the strip showing: ${withStrip.total} of 14 whole ${JSON.stringify(withStrip.byStatus)}`);
        expect(withStrip.total, 'the strip costs no whole ticket').toBeGreaterThanOrEqual(8);
      } else {
        // Upright, another stage's tab may be showing: the strip is there all the same.
        await page.getByTestId('tab-ready').click();
        await expect(entry).toBeInViewport({ ratio: 1 });
      }
      await page.screenshot({ path: resolve(ARTIFACTS, `rush-strip-call-${name}.png`) });

      // One tap: the alarm stops and the ticket is in view.
      await entry.click();
      await expect(entry).toHaveCount(0);
      await expect(t).toHaveAttribute('data-alerting', 'false');
      await expect(t).toBeInViewport({ ratio: 1 });
      const silenced = await soundPlays(page);
      await page.waitForTimeout(4500);
      expect(await soundPlays(page)).toBe(silenced);
    });
  }
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
