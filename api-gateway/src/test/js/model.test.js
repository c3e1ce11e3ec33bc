// Node's test runner over the dashboard's model (src/main/resources/static/dashboard/model.js); run by
// DashboardScriptTests with the machine's node.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const M = require(path.join(__dirname, '..', '..', 'main', 'resources', 'static', 'dashboard', 'model.js'));

test('routes', () => {
  assert.deepStrictEqual(M.parseRoute(''), { view: 'functions' });
  assert.deepStrictEqual(M.parseRoute('#/functions'), { view: 'functions' });
  assert.deepStrictEqual(M.parseRoute('#/functions/hello%20world'), { view: 'function', name: 'hello world' });
  assert.deepStrictEqual(M.parseRoute('#/invocations/abc'), { view: 'invocation', id: 'abc' });
  assert.deepStrictEqual(M.parseRoute('#/stats'), { view: 'stats' });
  assert.deepStrictEqual(M.parseRoute('#/dead-letters'), { view: 'dead-letters' });
  assert.deepStrictEqual(M.parseRoute('#/nonsense/a/b'), { view: 'functions' });
  assert.strictEqual(M.routeOf('functions', 'a/b'), '#/functions/a%2Fb');
  assert.deepStrictEqual(M.parseRoute(M.routeOf('functions', 'a/b')), { view: 'function', name: 'a/b' });
});

test('durations and ratios', () => {
  assert.strictEqual(M.formatMs(null), '–');
  assert.strictEqual(M.formatMs(0.42), '0.4 ms');
  assert.strictEqual(M.formatMs(12.4), '12 ms');
  assert.strictEqual(M.formatMs(1500), '1.50 s');
  assert.strictEqual(M.formatMs(30000), '30.0 s');
  assert.strictEqual(M.formatRatio(0.25), '25 %');
  assert.strictEqual(M.formatRatio(null), '–');
  assert.strictEqual(M.formatTime(null), '–');
});

test('events', () => {
  assert.deepStrictEqual(M.parseEvent('  '), { ok: true, value: {} });
  assert.deepStrictEqual(M.parseEvent('{"name":"Ada"}'), { ok: true, value: { name: 'Ada' } });
  assert.deepStrictEqual(M.parseEvent('42'), { ok: true, value: 42 });
  const bad = M.parseEvent('{name: Ada}');
  assert.strictEqual(bad.ok, false);
  assert.match(bad.error, /^The event is not JSON/);
});

test('invocation headers, statistics and problems', () => {
  const headers = { 'x-cloudfunc-invocation-id': 'id-1', 'x-cloudfunc-status': 'SUCCEEDED', 'x-cloudfunc-start': 'warm',
    'x-cloudfunc-duration-ms': '1', 'x-cloudfunc-total-ms': '3', 'x-cloudfunc-version': '2' };
  assert.deepStrictEqual(M.invocationHeaders(name => headers[name] ?? null),
    { id: 'id-1', status: 'SUCCEEDED', start: 'warm', durationMs: '1', totalMs: '3', version: '2' });
  const figures = Object.fromEntries(M.statsFigures({ invocations: 10, succeeded: 8, errors: 1, timeouts: 1, pending: 0,
    durationMs: { p50: 2, p95: 7.5, p99: 40, max: 41, total: 60 }, coldStartRatio: 0.1 }));
  assert.strictEqual(figures.calls, 10);
  assert.strictEqual(figures.p50, '2 ms');
  assert.strictEqual(figures['cold or pre-warmed'], '10 %');
  assert.strictEqual(Object.fromEntries(M.statsFigures(null)).calls, 0);
  assert.strictEqual(M.problemMessage(404, { title: 'Function not found', detail: "no function named 'x'" }),
    "Function not found: no function named 'x'");
  assert.strictEqual(M.problemMessage(502, '<html>'), 'HTTP 502');
});
