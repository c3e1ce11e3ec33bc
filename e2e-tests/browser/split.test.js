// Issue 12 on the dashboard, in a real browser (Debian's Chromium driven by playwright-core) against the e2e
// platform: a function's alias weights (shown, and set from the page), its statistics by version, and its schedules
// and triggers panels against the real routes: a schedule and a RabbitMQ trigger made through the API, the panels
// checked to show what GET /functions/{name}/schedules and /triggers answer. DashboardBrowserIT publishes the
// trigger's messages before this script runs, on a queue of a vhost of its own:
//   TRIGGER_BROKER_URL    amqp://guest:guest@127.0.0.1:5672/<vhost>
//   TRIGGER_QUEUE         the queue holding the messages (two that succeed, one {"fail":true}); QUEUE.dead exists
// Only a gateway without the routes (its OpenAPI document without them, or a 404) is a page.route stub.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { BASE, ADMIN_KEY, api, deploy, openDashboard, signIn, eventually } = require('./support');

const FN = 'dash-split';
const BROKER = process.env.TRIGGER_BROKER_URL;
const QUEUE = process.env.TRIGGER_QUEUE;
assert.ok(BROKER && QUEUE, 'TRIGGER_BROKER_URL and TRIGGER_QUEUE must be set (DashboardBrowserIT does)');
let b;
let page;

before(async () => {
  await deploy(FN, 'def handler(event, context):\n    return "one"\n');
  await deploy(FN, 'def handler(event, context):\n    if isinstance(event, dict) and event.get("fail"):\n'
    + '        raise ValueError("asked to fail")\n    return "two"\n');
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

/** The cells of a panel's table rows (header left out), as the page shows them. */
async function panelCells(id) {
  return page.locator('#' + id + ' table tr').evaluateAll(rows => rows.slice(1)
    .map(row => Array.from(row.children).map(cell => cell.textContent.trim())));
}

/** The cells the page should draw for the API's answer now, made by the page's own panels.js and model.js. */
async function expectedCells(what) {
  const list = (await api('GET', '/functions/' + FN + '/' + what)).body;
  return page.evaluate(([w, l]) => {
    const P = window.CloudFuncPanels;
    const M = window.CloudFuncModel;
    return w === 'schedules'
      ? P.scheduleRows(l, M.formatTime).map(s => [s.name, s.cron, s.timezone, s.state, s.nextRuns, s.lastRun])
      : P.triggerRows(l, M.formatTime).map(t => [t.name, t.kind, t.source, t.url, t.concurrency, t.deliveries,
        t.failures, t.lastDelivery, t.lastError, t.deadLetter].map(String));
  }, [what, list]);
}

/** Waits until the panel (refreshed every few seconds) shows exactly what the API answers. */
async function panelMatchesApi(what) {
  let shown;
  let expected;
  await eventually(async () => {
    shown = await panelCells(what);
    expected = await expectedCells(what);
    return JSON.stringify(shown) === JSON.stringify(expected);
  }, 20000, 'the ' + what + ' panel shows the API\'s answer').catch(e => {
    throw new Error(e.message + ': shown ' + JSON.stringify(shown) + ', API ' + JSON.stringify(expected));
  });
  return shown;
}

test('the schedules and triggers panels show what the real routes answer', async () => {
  // the gateway's own OpenAPI document has the routes: the page asks them
  const doc = (await api('GET', '/v3/api-docs')).body;
  for (const what of ['schedules', 'triggers']) {
    assert.ok(doc.paths['/functions/{name}/' + what], what + ' in the OpenAPI document');
  }

  const created = [
    await api('POST', '/functions/' + FN + '/schedules', { name: 'every-5m', cron: '*/5 * * * *',
      timezone: 'Europe/Paris' }),
    await api('POST', '/functions/' + FN + '/schedules', { name: 'tick', cron: '@every 1s', data: { from: 'dash' } }),
    await api('POST', '/functions/' + FN + '/triggers', { name: 'orders', kind: 'rabbitmq', source: QUEUE,
      url: BROKER, concurrency: 2, deadLetter: QUEUE + '.dead' }),
  ];
  for (const r of created) assert.strictEqual(r.status, 201, JSON.stringify(r.body));
  assert.deepStrictEqual(created.map(r => r.headers.get('location')), ['/functions/' + FN + '/schedules/every-5m',
    '/functions/' + FN + '/schedules/tick', '/functions/' + FN + '/triggers/orders']);

  // the tick schedule runs, then is paused (its last run stays, its next runs go); the trigger takes the three
  // messages waiting on its queue, one of which fails
  await eventually(async () => {
    const s = (await api('GET', '/functions/' + FN + '/schedules/tick')).body;
    return s.lastInvocationId ? s : null;
  }, 30000, 'the tick schedule ran');
  assert.strictEqual((await api('POST', '/functions/' + FN + '/schedules/tick/pause')).status, 200);
  const orders = await eventually(async () => {
    const t = (await api('GET', '/functions/' + FN + '/triggers/orders')).body;
    return t.deliveries >= 3 && t.failures >= 1 && t.lastDeliveryAt ? t : null;
  }, 60000, 'the trigger counted three deliveries and one failure');
  assert.strictEqual(orders.deliveries, 3);
  assert.strictEqual(orders.failures, 1);
  assert.match(orders.lastError, /asked to fail/);
  assert.strictEqual(orders.url, BROKER.replace('guest:guest@', 'guest:***@'));

  await openFunction();
  const schedules = await panelMatchesApi('schedules');
  assert.deepStrictEqual(schedules.map(row => row[0]), ['every-5m', 'tick']);
  const [every5m, ticked] = schedules;
  assert.deepStrictEqual(every5m.slice(1, 4), ['*/5 * * * *', 'Europe/Paris', 'active']);
  assert.strictEqual(every5m[4].split(' · ').length, 3);
  assert.strictEqual(every5m[5], 'never');
  assert.deepStrictEqual(ticked.slice(1, 5), ['@every 1s', 'UTC', 'paused', '– (paused)']);
  assert.notStrictEqual(ticked[5], 'never');
  await eventually(async () => {
    const last = (await api('GET', '/functions/' + FN + '/schedules/tick')).body.lastInvocationId;
    return await page.locator('#schedules a[href="#/invocations/' + last + '"]').count() === 1;
  }, 20000, 'the tick\'s last run links to its invocation');

  const triggers = await panelMatchesApi('triggers');
  assert.strictEqual(triggers.length, 1);
  const row = triggers[0];
  assert.deepStrictEqual(row.slice(0, 7), ['orders', 'rabbitmq', QUEUE, orders.url, '2', '3', '1']);
  assert.match(row[8], /ValueError: asked to fail/);
  assert.strictEqual(row[9], QUEUE + '.dead');
  assert.ok(!(await page.locator('#triggers').textContent()).includes('guest:guest'), 'no password on the page');
  assert.strictEqual(await page.locator('#triggers td.error', { hasText: /^1$/ }).count(), 1);
  await b.screenshot('31-schedules-triggers');

  // the last run's link opens the tick's invocation, its event the schedule's data itself (the tick and the
  // schedule's name are in the function's context, not in the event)
  const last = (await api('GET', '/functions/' + FN + '/schedules/tick')).body.lastInvocationId;
  await page.locator('#schedules a[href="#/invocations/' + last + '"]').click();
  await page.locator('#view h2', { hasText: 'Invocation ' + last }).waitFor();
  assert.deepStrictEqual(JSON.parse(await page.locator('#view pre').first().textContent()), { from: 'dash' });

  for (const path of ['/schedules/every-5m', '/schedules/tick', '/triggers/orders']) {
    assert.strictEqual((await api('DELETE', '/functions/' + FN + path)).status, 204, path);
  }
});

test('a function without schedules or triggers says how to make one', async () => {
  assert.deepStrictEqual((await api('GET', '/functions/' + FN + '/schedules')).body, []);
  assert.deepStrictEqual((await api('GET', '/functions/' + FN + '/triggers')).body, []);
  await openFunction();
  await page.locator('#schedules .empty pre', { hasText: "cloudfunc schedule create " + FN + " --cron '*/5 * * * *'" })
    .waitFor();
  assert.match(await page.locator('#schedules .empty').textContent(), /No schedules/);
  await page.locator('#triggers .empty pre', { hasText: 'cloudfunc trigger create ' + FN + ' --rabbitmq' }).waitFor();
  await b.screenshot('32-no-schedules');
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
