// What the dashboard's browser tests share: Debian's Chromium driven by playwright-core, the platform's API with the
// admin key, screenshots, and the console errors a page printed. The platform is the one e2e-tests' SharedPlatform
// started; DashboardBrowserIT passes it in the environment:
//   CLOUDFUNC_URL         the gateway, e.g. http://127.0.0.1:40123
//   CLOUDFUNC_ADMIN_KEY   an admin key of that platform
//   SCREENSHOTS           the folder the screenshots go to
//   CHROMIUM              the browser (default /usr/bin/chromium)
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE = process.env.CLOUDFUNC_URL;
const ADMIN_KEY = process.env.CLOUDFUNC_ADMIN_KEY;
const SCREENSHOTS = process.env.SCREENSHOTS || path.join(__dirname, '..', 'target', 'dashboard-screenshots');
assert.ok(BASE && ADMIN_KEY, 'CLOUDFUNC_URL and CLOUDFUNC_ADMIN_KEY must be set');

/** The platform's HTTP API: {status, body (JSON when it is), headers}. */
async function api(method, apiPath, body, key = ADMIN_KEY) {
  const headers = { Authorization: 'Bearer ' + key };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(BASE + apiPath, { method, headers,
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Deploys inline Python code as a new version of {@code name}; returns the function's view. */
async function deploy(name, code, extra = {}) {
  const r = await api('POST', '/functions?verify=false',
    Object.assign({ name, runtime: 'python', handler: 'function.handler', code }, extra));
  assert.strictEqual(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

/**
 * A browser and one page on the dashboard, its console errors and uncaught exceptions collected in {@code errors}
 * (each as text). {@code expectErrors(pattern)} removes the ones a test provoked on purpose (a refused key is a 401
 * the browser logs as a failed load).
 */
async function openDashboard() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('console', message => { if (message.type() === 'error') errors.push('console: ' + message.text()); });
  page.on('pageerror', e => errors.push('page error: ' + e.message));
  page.setDefaultTimeout(15000);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    browser, page, errors,
    expectErrors(pattern) {
      const expected = errors.filter(e => pattern.test(e));
      assert.ok(expected.length > 0, 'expected a console error matching ' + pattern + ', got ' + errors.join('; '));
      for (const e of expected) errors.splice(errors.indexOf(e), 1);
    },
    async screenshot(name) {
      await page.screenshot({ path: path.join(SCREENSHOTS, name + '.png'), fullPage: true });
    },
  };
}

/** Signs in on the sign-in page with {@code key}. */
async function signIn(page, key) {
  await page.goto(BASE + '/dashboard/');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Polls {@code check} (an async function returning truthy when done) until it holds or {@code ms} passed. */
async function eventually(check, ms = 10000, what = 'condition') {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(what + ' did not hold within ' + ms + ' ms' + (last instanceof Error ? ': ' + last.message : ''));
}

module.exports = { BASE, ADMIN_KEY, SCREENSHOTS, api, deploy, openDashboard, signIn, eventually };
