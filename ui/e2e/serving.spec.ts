import { expect, test } from './harness';

test('melt8 serves the dashboard at /, /chef-dashboard and /chef-dashboard/ under its CSP', async ({ page, kitchen }) => {
  test.skip(!!process.env.MELT8_UI_URL, 'only the binary serves these paths');
  for (const path of ['/', '/chef-dashboard', '/chef-dashboard/']) {
    const res = await page.goto(`${kitchen.server.base}${path}`);
    expect(res?.status(), path).toBe(200);
    expect(res?.headers()['content-security-policy'], path).toContain("script-src 'self'");
    await expect(page.getByTestId('login'), path).toBeVisible();
    await expect(page.locator('html'), path).toHaveAttribute('lang', 'en');
  }
});
