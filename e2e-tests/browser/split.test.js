// Issue 12 on the dashboard, in a real browser (Debian's Chromium driven by playwright-core) against the e2e
// platform: a function's alias weights (shown, and set from the page), its statistics by version, and its schedules
// and triggers panels. The schedules and triggers routes are built on other branches (sched, qtrig): until they are
// merged the panels are tested here with page.route stubs that answer with the JSON of docs/api.md, and say so in
// their names. Run by e2e-tests' DashboardBrowserIT (node --test).
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { BASE, ADMIN_KEY, api, deploy, openDashboard, signIn, eventually } = require('./support');

const FN = 'dash-split';
const SCHEDULES = [
  { function: FN, name: 'every-5m', cron: '*/5 * * * *', timezone: 'Europe/Paris', data: {}, paused: false,
    nextRuns: ['2026-12-07T21:05:00Z', '2026-12-07T21:10:00Z', '2026-12-07T21:15:00Z'], lastRunAt: '2026-12-07T21:00:00Z',
    lastInvocationId: '6f0c3f0e-0000-4000-8000-000000000001', createdAt: '2026-12-07T20:00:00Z' },
  { function: FN, name: 'nightly', cron: '0 3 * * *', timezone: 'UTC', data: { report: true }, paused: true,
    nextRuns: [], lastRunAt: null, lastInvocationId: null, createdAt: '2026-12-07T20:00:00Z' },
];
const TRIGGERS = [
  { function: FN, name: 'orders', kind: 'rabbitmq', source: 'orders', url: 'amqp://shop:***@mq.example:5672/shop',
    concurrency: 4, deadLetter: 'orders.dead', createdAt: '2026-12-07T20:00:00Z', deliveries: 12, failures: 1,
    lastDeliveryAt: '2026-12-07T21:01:00Z', lastError: 'ValueError: no customer' },
];
let b;
let page;

before(async () => {
  await deploy(FN, 'def handler(event, context):\n    return "one"\n');
  await deploy(FN, 'def handler(event, context):\n    return "two"\n');
  const alias = await api('PUT', '/functions/' + FN + '/aliases/prod', { version: 1 });
  assert.ok([200, 201].includes(alias.status), JSON.stringify(alias.body));
  b = await openDashboard();
  page = b.page;
  await signIn(page, ADMIN_KEY);
  await page.locator('#view table a', { hasText: FN }).waitFor();
});

after(async () => {
  if (b) await b.browser.close();
  await api('DELETE', '/functions/' + FN);
});

/** Answers the gateway's OpenAPI document with the schedules and triggers routes added (or removed). */
async function openApiWith(routes) {
  await page.route('**/v3/api-docs', async route => {
    const doc = await (await route.fetch()).json();
    for (const what of ['schedules', 'triggers']) {
      delete doc.paths['/functions/{name}/' + what];
      if (routes) doc.paths['/functions/{name}/' + what] = { get: { summary: 'stub of the ' + what + ' route' } };
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(doc) });
  });
}

/** Answers GET /functions/FN/schedules and /triggers with {@code schedules} and {@code triggers} (JSON, or a status). */
async function stubLists(schedules, triggers) {
  const answer = value => route => typeof value === 'number'
    ? route.fulfill({ status: value, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Not Found', status: value, detail: 'no such route' }) })
    : route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(value) });
  await page.route('**/functions/' + FN + '/schedules', answer(schedules));
  await page.route('**/functions/' + FN + '/triggers', answer(triggers));
}

async function unstub() {
  await page.unrouteAll({ behavior: 'wait' });
}

async function openFunction() {
  await page.goto(BASE + '/dashboard/#/functions/' + FN);
  await page.reload();
  await page.locator('#view h2', { hasText: 'Triggers' }).waitFor();
}

test('splits an alias between versions by weight from the page, and moving it to one version ends the split',
  async () => {
    await openFunction();
    assert.strictEqual((await page.locator('[data-weights="prod"]').textContent()).trim(), '1');

    const box = page.getByLabel('weights of prod');
    await box.fill('1=80 2=30');
    await page.locator('[data-split="prod"]').getByRole('button', { name: 'Split' }).click();
    await page.locator('p.error', { hasText: 'sum to 110' }).waitFor();

    await box.fill('1=80 2=20');
    let question;
    page.once('dialog', dialog => { question = dialog.message(); dialog.accept(); });
    await page.locator('[data-split="prod"]').getByRole('button', { name: 'Split' }).click();
    await eventually(async () => JSON.stringify((await api('GET', '/functions/' + FN + '/aliases/prod')).body.weights)
      === '[{"version":1,"weight":80},{"version":2,"weight":20}]', 5000, 'the alias is split 80/20');
    assert.match(question, /dash-split:prod between 1: 80 % · 2: 20 %/);
    await page.locator('[data-weights="prod"]', { hasText: '1: 80 % · 2: 20 %' }).waitFor();
    assert.strictEqual(await page.getByLabel('weights of prod').inputValue(), '1=80 2=20');
    await b.screenshot('30-alias-split');

    // the calls through it: the statistics show each version's
    for (let i = 0; i < 40; i++) {
      assert.strictEqual((await api('POST', '/functions/' + FN + ':prod/invoke', {})).status, 200);
    }
    try {
      await eventually(async () => {
        await page.reload();
        await page.locator('#view h2', { hasText: 'Triggers' }).waitFor();
        return await page.locator('#stats-by-version').count() > 0;
      }, 20000, 'the statistics by version are shown');
    } catch (e) {
      await b.screenshot('30-failed');
      throw new Error(e.message + '; stats: ' + JSON.stringify((await api('GET', '/functions/' + FN + '/stats')).body)
        + '; page: ' + (await page.locator('#view').innerText()).slice(0, 1500));
    }
    const byVersion = await page.locator('#stats-by-version table').textContent();
    assert.match(byVersion, /version.*calls/);

    page.once('dialog', dialog => dialog.accept());
    const row = page.locator('[data-alias="prod"]');
    await row.locator('select').selectOption('2');
    await row.getByRole('button', { name: 'Move' }).click();
    await eventually(async () => (await api('GET', '/functions/' + FN + '/aliases/prod')).body.weights.length === 1,
      5000, 'the split ended');
    await page.locator('[data-weights="prod"]', { hasText: /^2$/ }).waitFor();
  });

test('schedules and triggers panels draw the agreed JSON (page.route stub: the routes are on the sched and qtrig '
  + 'branches)', async () => {
  await openApiWith(true);
  await stubLists(SCHEDULES, TRIGGERS);
  await openFunction();
  const schedules = page.locator('#schedules table');
  await schedules.waitFor();
  const rows = schedules.locator('tr');
  assert.strictEqual(await rows.count(), 3);
  const every5 = await rows.nth(1).textContent();
  assert.match(every5, /every-5m/);
  assert.match(every5, /\*\/5 \* \* \* \*/);
  assert.match(every5, /Europe\/Paris/);
  assert.match(every5, /active/);
  assert.strictEqual((await rows.nth(1).locator('td').nth(4).textContent()).split(' · ').length, 3);
  assert.strictEqual(await rows.nth(1).locator('a[href="#/invocations/' + SCHEDULES[0].lastInvocationId + '"]')
    .count(), 1);
  const nightly = await rows.nth(2).textContent();
  assert.match(nightly, /paused/);
  assert.match(nightly, /never/);

  const triggers = page.locator('#triggers table');
  await triggers.waitFor();
  const orders = await triggers.locator('tr').nth(1).textContent();
  for (const expected of ['orders', 'rabbitmq', 'amqp://shop:***@mq.example:5672/shop', '12',
    'ValueError: no customer', 'orders.dead']) {
    assert.ok(orders.includes(expected), expected + ' in ' + orders);
  }
  assert.strictEqual(await triggers.locator('td.error', { hasText: '1' }).count(), 1);
  await b.screenshot('31-schedules-triggers');
  await unstub();
});

test('empty schedules and triggers say how to make one (page.route stub: the routes are on the sched and qtrig '
  + 'branches)', async () => {
  await openApiWith(true);
  await stubLists([], []);
  await openFunction();
  await page.locator('#schedules .empty pre', { hasText: "cloudfunc schedule create " + FN + " --cron '*/5 * * * *'" })
    .waitFor();
  assert.match(await page.locator('#schedules .empty').textContent(), /No schedules/);
  await page.locator('#triggers .empty pre', { hasText: 'cloudfunc trigger create ' + FN + ' --rabbitmq' }).waitFor();
  await b.screenshot('32-no-schedules');
  await unstub();
});

test('a gateway without the routes shows the panels as not available, without asking them', async () => {
  await openApiWith(false);
  const asked = [];
  page.on('request', request => {
    if (/\/(schedules|triggers)$/.test(new URL(request.url()).pathname)) asked.push(request.url());
  });
  await openFunction();
  await page.locator('#schedules', { hasText: 'Schedules are not available on this gateway.' }).waitFor();
  await page.locator('#triggers', { hasText: 'Triggers are not available on this gateway.' }).waitFor();
  assert.deepStrictEqual(asked, []);
  await unstub();
});

test('a 404 from the routes reads as not available, not as an error (page.route stub)', async () => {
  await openApiWith(true);
  await stubLists(404, 404);
  await openFunction();
  await page.locator('#schedules', { hasText: 'Schedules are not available on this gateway.' }).waitFor();
  await page.locator('#triggers', { hasText: 'Triggers are not available on this gateway.' }).waitFor();
  assert.strictEqual(await page.locator('#schedules p.error, #triggers p.error').count(), 0);
  // the page logs nothing itself; Chromium's own "Failed to load resource: ... 404" network line is not the page's
  const ours = b.errors.filter(e => !/Failed to load resource: the server responded with a status of 404/.test(e));
  b.errors.splice(0, b.errors.length, ...ours);
  await unstub();
});

test('no console error on any page', () => {
  assert.deepStrictEqual(b.errors, []);
});
