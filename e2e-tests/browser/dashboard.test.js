// The dashboard in a real browser (Debian's Chromium, headless, driven by playwright-core) against the e2e platform:
// signing in, functions, invoking, records and logs, live updates, actions (stop an instance, move an alias,
// redeploy a version, create and revoke a key), empty and error states, and no console error. One screenshot per
// page into $SCREENSHOTS. Run by e2e-tests' DashboardBrowserIT (node --test), the steps in order on one page.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { BASE, ADMIN_KEY, api, deploy, openDashboard, signIn, eventually } = require('./support');

const FN = 'dash-hello';
const SLOW = 'dash-slow';
const HELLO = 'import sys\n'
  + 'def handler(event, context):\n'
  + '    name = (event or {}).get("name", "world")\n'
  + '    print("greeting " + name)\n'
  + '    return "Hello " + name + "!"\n';
let b;
let page;

before(async () => {
  await deploy(FN, HELLO);
  await deploy(FN, HELLO.replace('Hello ', 'Hi '));
  const alias = await api('PUT', '/functions/' + FN + '/aliases/prod', { version: 1 });
  assert.ok([200, 201].includes(alias.status), JSON.stringify(alias.body));
  await deploy(SLOW, 'import time\ndef handler(event, context):\n    time.sleep(3)\n    return "slept"\n');
  b = await openDashboard();
  page = b.page;
});

after(async () => {
  if (b) await b.browser.close();
});

test('a wrong key is refused, with what to do', async () => {
  await signIn(page, 'cf_not-a-key-' + Date.now());
  const message = page.locator('p.error');
  await message.waitFor();
  assert.match(await message.textContent(), /API key was refused.*cloudfunc keys create/);
  assert.strictEqual(await page.locator('#nav').isHidden(), true);
  await b.screenshot('01-sign-in-refused');
  b.expectErrors(/401/);
});

test('signs in with a key and lists the functions', async () => {
  await signIn(page, ADMIN_KEY);
  await page.locator('#view table a', { hasText: FN }).waitFor();
  assert.match(await page.locator('#who').textContent(), /\(admin\)/);
  assert.strictEqual(await page.locator('nav a[href="#/keys"]').isVisible(), true);
  await b.screenshot('02-functions');
});

test('invokes a function and shows the result and its start type; the call appears in the list by itself',
  async () => {
    await page.locator('#view table a', { hasText: FN }).click();
    await page.getByLabel('event').fill('{"name": "Ada"}');
    await page.getByRole('button', { name: 'Invoke' }).click();
    await page.locator('.answer pre.result', { hasText: 'Hi Ada!' }).waitFor();
    const line = await page.locator('.answer p').first().textContent();
    assert.match(line, /HTTP 200 · SUCCEEDED · start: (cold|prewarmed|warm)/);

    // a call made elsewhere shows up on the open page within two seconds, without a reload
    const r = await api('POST', '/functions/' + FN + '/invoke', { name: 'Grace' });
    assert.strictEqual(r.status, 200);
    const id = r.headers.get('x-cloudfunc-invocation-id');
    const started = Date.now();
    await page.locator('#invocations a[href="#/invocations/' + id + '"]').waitFor({ timeout: 2500 });
    assert.ok(Date.now() - started <= 2500);
    await b.screenshot('03-function');
  });

test('an invocation page shows the result, the start type and the logs', async () => {
  await page.locator('.answer a').click();
  await page.locator('#view h2', { hasText: /^Invocation [0-9a-f-]{36}$/ }).waitFor();
  const facts = await page.locator('#view table').first().textContent();
  assert.match(facts, /SUCCEEDED/);
  assert.match(facts, /start(cold|prewarmed|warm)/);
  assert.match(await page.locator('pre.result').textContent(), /Hi Ada!/);
  assert.match(await page.locator('pre.logs').textContent(), /greeting Ada/);
  await b.screenshot('04-invocation');
});

test('the invocation page follows a running invocation to its end', async () => {
  const accepted = await api('POST', '/functions/' + SLOW + '/invoke?async=true', {});
  assert.strictEqual(accepted.status, 202, JSON.stringify(accepted.body));
  await page.goto(BASE + '/dashboard/#/invocations/' + accepted.body.invocationId);
  await page.locator('p.live', { hasText: 'follows it to its end' }).waitFor();
  await b.screenshot('05-invocation-running');
  await page.locator('#view table span.SUCCEEDED').waitFor({ timeout: 30000 });
  assert.match(await page.locator('pre.result').textContent(), /slept/);
  assert.strictEqual(await page.locator('p.live').count(), 0);
});

test('moves an alias after asking, and a dismissed question changes nothing', async () => {
  await page.goto(BASE + '/dashboard/#/functions/' + FN);
  const row = page.locator('[data-alias="prod"]');
  await row.locator('select').selectOption('2');
  page.once('dialog', dialog => dialog.dismiss());
  await row.getByRole('button', { name: 'Move' }).click();
  await page.waitForTimeout(500);
  assert.strictEqual((await api('GET', '/functions/' + FN + '/aliases/prod')).body.version, 1);

  let question;
  page.once('dialog', dialog => { question = dialog.message(); dialog.accept(); });
  await row.getByRole('button', { name: 'Move' }).click();
  await eventually(async () => (await api('GET', '/functions/' + FN + '/aliases/prod')).body.version === 2, 5000,
    'the alias moved');
  assert.match(question, /dash-hello:prod at version 2/);
  await page.locator('[data-alias="prod"] select').waitFor();
  assert.strictEqual(await page.locator('[data-alias="prod"] select').inputValue(), '2');
});

test('redeploys an old version as the new latest', async () => {
  page.once('dialog', dialog => dialog.accept());
  await page.locator('button[data-redeploy="1"]').click();
  await eventually(async () => (await api('GET', '/functions/' + FN)).body.latestVersion === 3, 5000,
    'version 3 exists');
  const v3 = await api('POST', '/functions/' + FN + '/invoke', { name: 'Ada' });
  assert.strictEqual(v3.body, 'Hello Ada!');
  await page.locator('button[data-redeploy="2"]').waitFor();
  await b.screenshot('06-function-after-actions');
});

test('stops an idle instance after asking', async () => {
  await page.goto(BASE + '/dashboard/#/instances');
  const instances = (await api('GET', '/instances')).body.filter(i => i.functionName === FN && i.state === 'idle');
  assert.ok(instances.length > 0, 'an idle container of ' + FN);
  const id = instances[0].id;
  await page.locator('button[data-stop="' + id + '"]').waitFor();
  await b.screenshot('07-instances');
  page.once('dialog', dialog => dialog.accept());
  await page.locator('button[data-stop="' + id + '"]').click();
  await page.locator('button[data-stop="' + id + '"]').waitFor({ state: 'detached' });
  await eventually(async () => !(await api('GET', '/instances')).body.some(i => i.id === id), 5000,
    'the instance is gone');
});

test('creates a key, shows its secret once, and revokes it; a refused action shows the problem', async () => {
  await page.goto(BASE + '/dashboard/#/keys');
  page.once('dialog', dialog => dialog.accept());
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('p.error', { hasText: 'Refused: ' }).waitFor();
  assert.match(await page.locator('p.error').textContent(), /Refused: .*name/i);
  b.expectErrors(/400/);

  const name = 'dash-temp-' + Date.now();
  await page.getByLabel('key name').fill(name);
  await page.getByLabel('role').selectOption('invoker');
  page.once('dialog', dialog => dialog.accept());
  await page.getByRole('button', { name: 'Create' }).click();
  const secret = (await page.locator('pre.secret-value').textContent()).trim();
  assert.match(secret, /^cf_/);
  assert.strictEqual((await api('GET', '/keys/current', undefined, secret)).status, 200);
  await page.locator('button[data-revoke="' + name + '"]').waitFor();
  await b.screenshot('08-keys');

  page.once('dialog', dialog => dialog.accept());
  await page.locator('button[data-revoke="' + name + '"]').click();
  await eventually(async () => (await api('GET', '/keys/current', undefined, secret)).status === 401, 5000,
    'the revoked key is refused');
});

test('the dead letters page draws', async () => {
  await page.goto(BASE + '/dashboard/#/dead-letters');
  await page.locator('#view h2', { hasText: 'Dead letters' }).waitFor();
  await b.screenshot('09-dead-letters');
});

test('empty and error states say what to do', async () => {
  await page.route('**/functions', route => route.fulfill({ status: 200, contentType: 'application/json',
    body: '[]' }));
  await page.goto(BASE + '/dashboard/#/functions');
  await page.reload();
  await page.locator('.empty pre', { hasText: 'cloudfunc deploy runtimes/python/example/hello_fn' }).waitFor();
  await b.screenshot('10-no-functions');
  await page.unroute('**/functions');

  await page.route('**/functions', route => route.abort('connectionrefused'));
  await page.reload();
  await page.locator('p.error', { hasText: 'does not answer' }).waitFor();
  assert.match(await page.locator('p.error').textContent(), /bin\/cloudfunc-up/);
  await b.screenshot('11-gateway-unreachable');
  b.expectErrors(/ERR_CONNECTION_REFUSED|ERR_FAILED/);
  await page.unroute('**/functions');
  await page.locator('#view table a', { hasText: FN }).waitFor({ timeout: 15000 });
});

test('no console error on any page', () => {
  assert.deepStrictEqual(b.errors, []);
});
