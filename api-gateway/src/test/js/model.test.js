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

test('invocation ids are told apart by their random end, not their time-ordered start', () => {
  const a = M.shortId('019b0a2d-6f0c-7a3e-9a43-0c2f5e7d8b10');
  const b = M.shortId('019b0a2d-6f0c-7a3e-8c51-44aa90e1f2c7');
  assert.strictEqual(a, '…5e7d8b10');
  assert.notStrictEqual(a, b);
  assert.strictEqual(M.shortId('abc'), 'abc');
  assert.strictEqual(M.shortId(null), '');
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

test('chart windows and the series query', () => {
  const now = Date.parse('2026-12-07T10:07:30Z');
  assert.strictEqual(M.seriesQuery('15m', now, 'hello world'),
    '/stats/series?function=hello%20world&from=2026-12-07T09:53:00.000Z&to=2026-12-07T10:08:00.000Z&step=1m');
  assert.strictEqual(M.seriesQuery('24h', now, null),
    '/stats/series?from=2026-12-06T10:15:00.000Z&to=2026-12-07T10:15:00.000Z&step=15m');
  assert.strictEqual(M.seriesQuery('7d', now, null, true),
    '/stats/series/nodes?from=2026-11-30T11:00:00.000Z&to=2026-12-07T11:00:00.000Z&step=1h');
  assert.strictEqual(M.seriesQuery('nonsense', now, null), M.seriesQuery('1h', now, null));
  // on a step's boundary the current step is the one starting there
  assert.match(M.seriesQuery('1h', Date.parse('2026-12-07T10:07:00Z'), null), /to=2026-12-07T10:08:00.000Z/);
  assert.strictEqual(M.stepSeconds('15m'), 900);
  assert.strictEqual(M.stepSeconds('1d'), 86400);
  assert.strictEqual(M.stepSeconds(undefined), 60);
});

test('series columns for the charts', () => {
  const series = { function: 'hello', step: '1m', points: [
    { t: '2026-12-07T10:00:00Z', invocations: 6, succeeded: 3, errors: 2, timeouts: 1, oom: 1, cold: 1, prewarmed: 0,
      warm: 3, durationMs: { p50: 2, p95: 7, p99: 9 } },
    { t: '2026-12-07T10:01:00Z', invocations: 0, succeeded: 0, errors: 0, timeouts: 0, oom: 0, cold: 0, prewarmed: 0,
      warm: 0, durationMs: { p50: null, p95: null, p99: null } }] };
  const c = M.seriesColumns(series);
  const x = [Date.parse('2026-12-07T10:00:00Z') / 1000, Date.parse('2026-12-07T10:01:00Z') / 1000];
  assert.deepStrictEqual(c.calls, [x, [0.05, 0], [2 / 60, 0], [1 / 60, 0]]);
  assert.deepStrictEqual(c.durations, [x, [2, null], [7, null], [9, null]]);
  assert.deepStrictEqual(c.starts, [x, [25, null], [0, null], [75, null]]);
  assert.deepStrictEqual(c.failures, [x, [2, 0], [1, 0], [1, 0]]);
  assert.strictEqual(c.total, 6);
  assert.deepStrictEqual(M.seriesColumns(null).calls, [[], [], [], []]);

  const nodes = M.nodeColumns({ points: [{ t: '2026-12-07T10:00:00Z', nodes: { b: 2, a: 1 } },
    { t: '2026-12-07T10:01:00Z', nodes: { a: 3 } }] });
  assert.deepStrictEqual(nodes.names, ['a', 'b']);
  assert.deepStrictEqual(nodes.data, [x, [1, 3], [2, null]]);
  assert.strictEqual(M.canStop({ state: 'idle' }), true);
  assert.strictEqual(M.canStop({ state: 'busy' }), false);
  assert.deepStrictEqual(M.parseRoute('#/keys'), { view: 'keys' });
});
