import { expect, test } from './harness';

// A 401 with `WWW-Authenticate: Basic` makes a browser pop up its own password dialog
// (and a headless one hang), so the dashboard's requests must get a plain 401; scripts
// (curl -u) still get the challenge.
test('the server answers the dashboard’s 401s without a Basic challenge', async ({ kitchen }) => {
  const base = kitchen.server.base;
  const fromDashboard = await fetch(`${base}/api/session`, { headers: { 'x-requested-with': 'XMLHttpRequest' } });
  expect(fromDashboard.status).toBe(401);
  expect(fromDashboard.headers.get('www-authenticate')).toBeNull();
  const fromScript = await fetch(`${base}/api/session`);
  expect(fromScript.status).toBe(401);
  expect(fromScript.headers.get('www-authenticate')).toMatch(/^Basic /);
});
