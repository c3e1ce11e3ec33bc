// The dashboard's charts in a real browser: the points uPlot drew are the API's series for the same window
// (GET /stats/series and /stats/series/nodes, read back from the page and compared with the API's answer to the
// same query), platform-wide and for one function, and the window selector changes the query. Run by e2e-tests'
// DashboardBrowserIT (node --test) after dashboard.test.js; the statistics page's screenshot is the README's.
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const { BASE, ADMIN_KEY, api, deploy, openDashboard, signIn, eventually } = require('./support');

const FN = 'dash-charts';
let b;
let page;

before(async () => {
  await deploy(FN, 'def handler(event, context):\n'
    + '    if (event or {}).get("fail"):\n'
    + '        raise ValueError("asked to fail")\n'
    + '    return "ok"\n');
  for (let i = 0; i < 12; i++) {
    const r = await api('POST', '/functions/' + FN + '/invoke', { fail: i % 4 === 3 });
    assert.ok([200, 502].includes(r.status), r.status + ' ' + JSON.stringify(r.body));
  }
  // a container-manager samples its warm containers once a minute: wait for one, so that the node chart has a line
  const to = Math.ceil(Date.now() / 60000) * 60000 + 120000;
  await eventually(async () => {
    const nodes = await api('GET', '/stats/series/nodes?from=' + new Date(to - 3600000).toISOString() + '&to='
      + new Date(to).toISOString() + '&step=1m');
    return nodes.status === 200 && nodes.body.points.some(p => Object.keys(p.nodes).length > 0);
  }, 90000, 'a node sample');
  b = await openDashboard();
  page = b.page;
  await signIn(page, ADMIN_KEY);
  await page.locator('#view table a').first().waitFor();
});

after(async () => {
  if (b) await b.browser.close();
});

/** The columns the charts should draw for a series answer, computed here apart from the dashboard's model. */
function expectedColumns(series) {
  const seconds = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '1d': 86400 }[series.step];
  const x = series.points.map(p => new Date(p.t).getTime() / 1000);
  const started = p => p.cold + p.prewarmed + p.warm;
  const share = (p, n) => (started(p) > 0 ? (100 * n) / started(p) : null);
  return {
    calls: [x, series.points.map(p => p.succeeded / seconds), series.points.map(p => p.errors / seconds),
      series.points.map(p => p.timeouts / seconds)],
    durations: [x, ...['p50', 'p95', 'p99'].map(q => series.points.map(p => (p.durationMs ? p.durationMs[q] : null)))],
    starts: [x, series.points.map(p => share(p, p.cold)), series.points.map(p => share(p, p.prewarmed)),
      series.points.map(p => share(p, p.warm))],
    failures: [x, series.points.map(p => p.errors), series.points.map(p => p.timeouts), series.points.map(p => p.oom)],
  };
}

/** What the page drew: each chart's uPlot data, and the queries it drew them from. */
function drawn() {
  return page.evaluate(() => {
    const holder = document.querySelector('.charts[data-series]');
    if (!holder) return null;
    const charts = {};
    holder.querySelectorAll('figure.chart').forEach(f => {
      charts[f.dataset.chart] = { data: f.uplot.data, lines: f.lines };
    });
    return { query: holder.dataset.series, nodes: holder.dataset.nodes || null, charts };
  });
}

/**
 * Reads the page's charts and asks the API the same queries until both agree (a redraw may fall between the two
 * reads while calls come in); fails with the last difference.
 */
async function assertChartsMatchTheApi(withNodes) {
  let last;
  await eventually(async () => {
    const page1 = await drawn();
    assert.ok(page1, 'charts drawn');
    const series = await api('GET', page1.query);
    assert.strictEqual(series.status, 200, JSON.stringify(series.body));
    const expected = expectedColumns(series.body);
    last = { page: page1, api: series.body };
    for (const kind of ['calls', 'durations', 'starts', 'failures']) {
      assert.deepStrictEqual(page1.charts[kind].data, expected[kind], kind);
    }
    assert.ok(series.body.points.reduce((n, p) => n + p.invocations, 0) > 0, 'calls in the window');
    if (withNodes) {
      const nodes = await api('GET', page1.nodes);
      assert.strictEqual(nodes.status, 200, JSON.stringify(nodes.body));
      const names = [...new Set(nodes.body.points.flatMap(p => Object.keys(p.nodes)))].sort();
      assert.ok(names.length > 0, 'a node in the window');
      assert.deepStrictEqual(page1.charts.nodes.lines, names);
      assert.deepStrictEqual(page1.charts.nodes.data, [nodes.body.points.map(p => new Date(p.t).getTime() / 1000),
        ...names.map(n => nodes.body.points.map(p => p.nodes[n] ?? null))]);
    }
    return true;
  }, 25000, 'the drawn points equal the API\'s series').catch(e => {
    throw new Error(e.message + '\nlast read: ' + JSON.stringify(last).slice(0, 2000));
  });
  return last;
}

test('the statistics page draws the API\'s series for its window, every chart', async () => {
  await page.goto(BASE + '/dashboard/#/stats');
  await page.locator('button[data-window="15m"]').click();
  await page.locator('button[data-window="15m"].current').waitFor();
  await page.locator('.charts[data-series] figure.chart[data-chart="nodes"]').waitFor();
  const seen = await assertChartsMatchTheApi(true);
  assert.match(seen.page.query, /^\/stats\/series\?from=.*&step=1m$/);
  assert.strictEqual(seen.api.points.length, 15);
  await page.waitForTimeout(500); // uPlot draws on the next animation frame
  await b.screenshot('20-stats');
});

test('the window selector asks for another window and step', async () => {
  await page.locator('button[data-window="24h"]').click();
  await page.locator('button[data-window="24h"].current').waitFor();
  await eventually(async () => /step=15m$/.test((await drawn())?.query || ''), 10000, 'the 24 h query');
  const seen = await assertChartsMatchTheApi(false);
  assert.strictEqual(seen.api.points.length, 96);
  await page.locator('button[data-window="15m"]').click();
});

test('a function\'s page draws that function\'s series', async () => {
  await page.goto(BASE + '/dashboard/#/functions/' + FN);
  await page.locator('.charts[data-series*="function=' + FN + '&"] figure.chart[data-chart="calls"]').waitFor();
  const seen = await assertChartsMatchTheApi(false);
  assert.match(seen.page.query, new RegExp('function=' + FN + '&'));
  assert.strictEqual(seen.api.function, FN);
  const failures = seen.page.charts.failures.data[1].reduce((n, v) => n + v, 0);
  assert.strictEqual(failures, 3, 'the three failed calls are drawn');
  await b.screenshot('21-function-charts');
});

test('no console error while drawing charts', () => {
  assert.deepStrictEqual(b.errors, []);
});
