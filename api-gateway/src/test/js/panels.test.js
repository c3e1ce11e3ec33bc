// Node's test runner over the dashboard's issue-12 panels (src/main/resources/static/dashboard/panels.js); run by
// DashboardScriptTests with the machine's node.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const P = require(path.join(__dirname, '..', '..', 'main', 'resources', 'static', 'dashboard', 'panels.js'));

test('a split is typed as the CLI takes it, and checked', () => {
  assert.deepStrictEqual(P.parseWeights('4'), { ok: true, body: { version: 4 } });
  assert.deepStrictEqual(P.parseWeights(' 3=90  4=10 '),
    { ok: true, body: { weights: [{ version: 3, weight: 90 }, { version: 4, weight: 10 }] } });
  assert.deepStrictEqual(P.parseWeights('3=90,4=10').body.weights.length, 2);
  assert.match(P.parseWeights('3=90 4=20').error, /sum to 110/);
  assert.match(P.parseWeights('3=50 3=50').error, /twice/);
  assert.match(P.parseWeights('3=90 4').error, /"4" is not VERSION=PERCENT/);
  assert.match(P.parseWeights('').error, /Give a version/);
  assert.match(P.parseWeights('1=20 2=20 3=20 4=20 5=20').error, /at most 4/);
  assert.strictEqual(P.parseWeights('0').ok, false);
});

test('an alias view reads as its split or its one version', () => {
  const split = { alias: 'prod', version: 3, weights: [{ version: 3, weight: 90 }, { version: 4, weight: 10 }] };
  const single = { alias: 'prod', version: 4, weights: [{ version: 4, weight: 100 }] };
  const old = { alias: 'prod', version: 2 };
  assert.strictEqual(P.weightsText(split), '3: 90 % · 4: 10 %');
  assert.strictEqual(P.weightsInput(split), '3=90 4=10');
  assert.strictEqual(P.isSplit(split), true);
  assert.strictEqual(P.weightsText(single), '4');
  assert.strictEqual(P.isSplit(single), false);
  assert.strictEqual(P.weightsText(old), '2');
  assert.strictEqual(P.weightsInput(old), '2=100');
});

test('the routes of schedules and triggers are known from the OpenAPI document', () => {
  assert.deepStrictEqual(P.routesAvailable({ paths: { '/functions/{name}/schedules': {} } }),
    { schedules: true, triggers: false });
  assert.deepStrictEqual(P.routesAvailable({ paths: { '/functions/{function}/triggers': {},
    '/functions/{name}/triggers/{trigger}': {} } }), { schedules: false, triggers: true });
  assert.deepStrictEqual(P.routesAvailable({ paths: { '/functions/{name}/triggers/{trigger}': {} } }),
    { schedules: false, triggers: false });
  assert.deepStrictEqual(P.routesAvailable(null), { schedules: false, triggers: false });
});

test('schedule and trigger rows say what the API says, in words', () => {
  const t = iso => 'T(' + iso + ')';
  const [active, paused] = P.scheduleRows([
    { name: 'every-5m', cron: '*/5 * * * *', timezone: 'Europe/Paris', paused: false,
      nextRuns: ['2026-12-07T21:05:00Z', '2026-12-07T21:10:00Z', '2026-12-07T21:15:00Z'], lastRunAt: null,
      lastInvocationId: null },
    { name: 'nightly', cron: '0 3 * * *', timezone: null, paused: true, nextRuns: [], lastRunAt: '2026-12-07T03:00:00Z',
      lastInvocationId: 'abc' }], t);
  assert.strictEqual(active.nextRuns, 'T(2026-12-07T21:05:00Z) · T(2026-12-07T21:10:00Z) · T(2026-12-07T21:15:00Z)');
  assert.strictEqual(active.lastRun, 'never');
  assert.strictEqual(active.state, 'active');
  assert.strictEqual(paused.state, 'paused');
  assert.strictEqual(paused.timezone, 'UTC');
  assert.strictEqual(paused.lastInvocationId, 'abc');

  const [trigger] = P.triggerRows([{ name: 'orders', kind: 'rabbitmq', source: 'orders',
    url: 'amqp://user:***@host:5672/vhost', concurrency: 4, deadLetter: null, deliveries: 12, failures: 1,
    lastDeliveryAt: '2026-12-07T21:00:00Z', lastError: 'ValueError: bad' }], t);
  assert.strictEqual(trigger.url, 'amqp://user:***@host:5672/vhost');
  assert.strictEqual(trigger.lastDelivery, 'T(2026-12-07T21:00:00Z)');
  assert.strictEqual(trigger.deadLetter, '–');
  assert.match(P.scheduleCommand('f'), /^cloudfunc schedule create f --cron/);
});
