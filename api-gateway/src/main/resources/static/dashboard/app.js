// CloudFunc dashboard: a page of the gateway that shows functions, invocations, statistics, instances and keys
// through the public HTTP API, with the API key the user signs in with (kept in this tab's sessionStorage only).
// Every value from the API is put on the page as text (textContent), never as HTML.
//
// Live parts are polled: invocation lists, a running invocation and instances every second, charts every ten
// seconds, and nothing while the tab is hidden. Polling rather than server-sent events: the gateway holds no
// invocation state to push (records reach the registry in batches, and any gateway instance may answer), and an
// EventSource cannot send the Authorization header, so the key would have to travel in URLs and logs.
(function () {
  'use strict';
  const M = window.CloudFuncModel;
  const C = window.CloudFuncCharts;
  const P = window.CloudFuncPanels;
  const KEY = 'cloudfunc.apiKey';
  const WINDOW = 'cloudfunc.window';
  const LIVE_MS = 1000;
  const CHARTS_MS = 10000;
  const LIST_MS = 5000;
  const DEPLOY_COMMAND = 'cloudfunc deploy runtimes/python/example/hello_fn';
  const view = document.getElementById('view');
  let timers = [];
  let renders = 0;
  let me = null;
  let issue12Routes = null;

  // --- a few DOM helpers ---------------------------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name === 'onclick' || name === 'onsubmit' || name === 'onchange') node[name] = value;
      else if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
    });
    children.flat().forEach(child => node.append(child instanceof Node ? child : String(child ?? '')));
    return node;
  }

  function link(text, hash) {
    return el('a', { href: hash }, text);
  }

  /** An invocation's link in a list: its id shortened, the whole id as the link's title. */
  function idLink(id) {
    return el('a', { href: M.routeOf('invocations', id), title: id }, M.shortId(id));
  }

  function table(headers, rows, empty) {
    if (rows.length === 0) return empty instanceof Node ? empty : el('p', { class: 'muted' }, empty);
    const head = headers.some(h => h) ? el('tr', {}, headers.map(h => el('th', {}, h))) : '';
    return el('table', {}, head,
      rows.map(cells => el('tr', {}, cells.map(c => c instanceof Node && c.tagName === 'TD' ? c : el('td', {}, c)))));
  }

  function num(value) {
    return el('td', { class: 'num' }, value);
  }

  function status(text, bad) {
    const line = document.getElementById('status');
    line.textContent = text;
    line.className = bad ? 'error' : '';
  }

  function error(text) {
    return el('p', { class: 'error', role: 'alert' }, text);
  }

  // --- the API ------------------------------------------------------------------------------------------------

  const UNREACHABLE = 'The gateway (' + location.origin + ') does not answer. Is the platform running? '
    + 'bin/cloudfunc-up starts it; this page tries again by itself.';

  async function api(path, options = {}) {
    const headers = Object.assign({ Authorization: 'Bearer ' + sessionStorage.getItem(KEY) }, options.headers);
    let response;
    try {
      response = await fetch(path, Object.assign({}, options, { headers }));
    } catch (e) {
      throw new Error(UNREACHABLE);
    }
    const text = await response.text();
    let body = text;
    try { body = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: keep the text */ }
    if (response.status === 401) {
      signOut('The API key was refused (' + M.problemMessage(401, body) + '). Check it, or make a new one with '
        + 'an admin key: cloudfunc keys create --name NAME --role developer.');
      throw new Error('unauthorized');
    }
    if (!response.ok && !options.allowErrors) throw new Error(M.problemMessage(response.status, body));
    return { status: response.status, ok: response.ok, headers: response.headers, body };
  }

  /**
   * An action: asks {@code question}, sends the request, then runs {@code done} with the answer; a refusal shows the
   * API's problem (title and detail) in {@code where}.
   */
  async function act(question, path, options, where, done) {
    if (!window.confirm(question)) return;
    where.replaceChildren(el('p', { class: 'muted' }, 'Sending…'));
    try {
      const r = await api(path, Object.assign({ allowErrors: true }, options));
      if (!r.ok) {
        where.replaceChildren(error('Refused: ' + M.problemMessage(r.status, r.body)));
        return;
      }
      where.replaceChildren();
      await done(r);
    } catch (e) {
      if (e.message !== 'unauthorized') where.replaceChildren(error(e.message));
    }
  }

  function json(method, body) {
    return { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  }

  // --- signing in ---------------------------------------------------------------------------------------------

  function signInPage(message) {
    document.getElementById('nav').hidden = true;
    document.getElementById('who').textContent = '';
    const input = el('input', { type: 'password', placeholder: 'cf_…', autocomplete: 'off', 'aria-label': 'API key' });
    const form = el('form', {
      onsubmit: async event => {
        event.preventDefault();
        sessionStorage.setItem(KEY, input.value.trim());
        try {
          await start();
        } catch (e) {
          if (e.message !== 'unauthorized') signInPage(e.message);
        }
      },
    }, el('p', {}, 'Sign in with an API key (', el('code', {}, 'cloudfunc keys create'), ' makes one; ',
      el('code', {}, 'bin/cloudfunc-up'), ' prints the first admin key).'),
    input, ' ', el('button', { type: 'submit' }, 'Sign in'));
    view.replaceChildren(el('h2', {}, 'Sign in'), form, message ? error(message) : '');
    input.focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    stopRefresh();
    me = null;
    issue12Routes = null;
    signInPage(message);
  }

  async function start() {
    me = (await api('/keys/current')).body;
    document.getElementById('nav').hidden = false;
    document.querySelector('nav a[href="#/keys"]').hidden = String(me.role).toLowerCase() !== 'admin';
    document.getElementById('who').replaceChildren(
      el('span', {}, me.name + ' (' + String(me.role).toLowerCase() + ')'),
      el('button', { onclick: () => signOut('Signed out.') }, 'Sign out'));
    window.onhashchange = render;
    await render();
  }

  // --- refreshing ---------------------------------------------------------------------------------------------

  function stopRefresh() {
    timers.forEach(clearInterval);
    timers = [];
  }

  /**
   * Runs {@code fill} every {@code ms} while this page is shown and the tab visible, never two at once; a failure
   * is said in the status line (and the next round tries again).
   */
  function every(ms, fill) {
    const page = renders;
    let running = false;
    const timer = setInterval(async () => {
      if (page !== renders) { clearInterval(timer); return; }
      if (document.hidden || running) return;
      running = true;
      try {
        await fill();
        status('Updated ' + new Date().toLocaleTimeString());
      } catch (e) {
        if (e.message !== 'unauthorized') status('Refresh failed: ' + e.message, true);
      } finally {
        running = false;
      }
    }, ms);
    timers.push(timer);
  }

  /** A section whose content {@code fill} draws, now and every {@code ms}. */
  async function liveSection(ms, fill) {
    const holder = el('div');
    const redraw = async () => holder.replaceChildren(await fill());
    await redraw();
    every(ms, redraw);
    return { holder, redraw };
  }

  /** Draws the page of the location's hash. */
  async function render() {
    stopRefresh();
    renders++;
    const route = M.parseRoute(location.hash);
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('current',
      a.getAttribute('href') === '#/' + (route.view === 'function' ? 'functions' : route.view)));
    const pages = { functions: functionsPage, function: functionPage, invocation: invocationPage, stats: statsPage,
      instances: instancesPage, keys: keysPage, 'dead-letters': deadLettersPage };
    try {
      await pages[route.view](route);
      status('Updated ' + new Date().toLocaleTimeString());
    } catch (e) {
      if (e.message === 'unauthorized') return;
      view.replaceChildren(error(e.message), el('p', {}, el('button', { onclick: render }, 'Try again')));
      status('Failed: ' + e.message, true);
      if (e.message === UNREACHABLE) every(CHARTS_MS, render);
    }
  }

  // --- charts -------------------------------------------------------------------------------------------------

  function chosenWindow() {
    const w = sessionStorage.getItem(WINDOW);
    return M.WINDOWS[w] ? w : '1h';
  }

  function windowPicker() {
    const current = chosenWindow();
    return el('div', { class: 'windows', role: 'group', 'aria-label': 'window' }, 'Window: ',
      Object.entries(M.WINDOWS).map(([name, w]) => el('button', {
        class: name === current ? 'current' : null, 'data-window': name, 'aria-pressed': String(name === current),
        onclick: () => { sessionStorage.setItem(WINDOW, name); render(); },
      }, w.label)));
  }

  /**
   * The charts of a function (or of the platform when {@code name} is null, with warm containers per node), kept
   * up to date every {@link CHARTS_MS}. The query each chart drew is in the holder's data-series attribute.
   */
  async function chartsSection(name) {
    const holder = el('div', { class: 'charts' });
    const drawn = {};
    const draw = async () => {
      const now = Date.now();
      const query = M.seriesQuery(chosenWindow(), now, name);
      const nodesQuery = name ? null : M.seriesQuery(chosenWindow(), now, null, true);
      const [series, nodes] = await Promise.all([api(query), nodesQuery ? api(nodesQuery) : null])
        .then(all => all.map(r => r && r.body));
      const columns = M.seriesColumns(series);
      holder.dataset.series = query;
      ['calls', 'durations', 'starts', 'failures'].forEach(kind => {
        drawn[kind] = drawn[kind] ? C.update(drawn[kind], columns[kind]) : C.chart(kind, columns[kind]);
      });
      if (nodes) {
        const n = M.nodeColumns(nodes);
        holder.dataset.nodes = nodesQuery;
        drawn.nodes = drawn.nodes ? C.update(drawn.nodes, n.data, n.names) : C.chart('nodes', n.data, n.names);
      }
      if (!holder.firstChild) holder.append(...Object.values(drawn));
      holder.dataset.total = String(columns.total);
    };
    try {
      await draw();
    } catch (e) {
      if (e.message === 'unauthorized') throw e;
      return error('The charts could not be drawn: ' + e.message);
    }
    every(CHARTS_MS, draw);
    return holder;
  }

  function figures(stats) {
    return el('div', { class: 'grid' }, M.statsFigures(stats).map(([label, value]) =>
      el('div', { class: 'card' }, el('b', {}, value), label)));
  }

  // --- pages --------------------------------------------------------------------------------------------------

  function noFunctions() {
    return el('div', { class: 'empty' },
      el('p', {}, 'No functions yet. Deploy the example with the CLI (from the repository\'s folder):'),
      el('pre', {}, DEPLOY_COMMAND),
      el('p', {}, 'or over HTTP, with your key in $KEY:'),
      el('pre', {}, 'curl -H "Authorization: Bearer $KEY" ' + location.origin + '/functions \\\n'
        + '     -H \'Content-Type: application/json\' \\\n'
        + '     -d \'{"name":"hello","runtime":"python","code":"def handler(event, context):\\n    return \\"Hello\\"\\n"}\''),
      el('p', {}, 'It shows up here within seconds.'));
  }

  async function functionsPage() {
    const section = await liveSection(LIST_MS, async () => {
      const functions = (await api('/functions')).body;
      return table(['name', 'runtime', 'version', 'memory', 'timeout', 'instances (min–max)', 'updated'],
        functions.map(f => [link(f.name, M.routeOf('functions', f.name)), f.runtime, num(f.latestVersion),
          num(f.memoryMb + ' MB'), num(M.formatMs(f.timeoutMs)), num(f.minInstances + '–' + f.maxInstances),
          M.formatTime(f.updatedAt)]),
        noFunctions());
    });
    view.replaceChildren(el('h2', {}, 'Functions'), section.holder);
  }

  async function functionPage(route) {
    const name = route.name;
    const base = '/functions/' + encodeURIComponent(name);
    const [fn, versions, aliases] = await Promise.all([api(base), api(base + '/versions'), api(base + '/aliases')])
      .then(all => all.map(r => r.body));
    const config = [['runtime', fn.runtime], ['handler', fn.handler], ['latest version', fn.latestVersion],
      ['memory', fn.memoryMb + ' MB'], ['timeout', M.formatMs(fn.timeoutMs)], ['idle TTL', M.formatMs(fn.idleTtlMs)],
      ['instances', fn.minInstances + ' to ' + fn.maxInstances + ', ' + fn.concurrency + ' call(s) each'],
      ['network', fn.network || 'none'], ['image', fn.image || '–'],
      ['retries', fn.maxRetries + (fn.maxRetries ? ', first after ' + M.formatMs(fn.retryBackoffMs) : '')],
      ['environment', Object.keys(fn.env || {}).join(', ') || '–'],
      ['secrets', (fn.secretNames || []).join(', ') || '–'], ['code', (fn.codeSha256 || '').slice(0, 12)]];

    const eventBox = el('textarea', { 'aria-label': 'event' }, '{}');
    const answer = el('div', { class: 'answer' });
    const invoke = el('form', {
      onsubmit: async event => {
        event.preventDefault();
        const parsed = M.parseEvent(eventBox.value);
        if (!parsed.ok) { answer.replaceChildren(error(parsed.error)); return; }
        answer.replaceChildren(el('p', { class: 'muted' }, 'Calling ' + name + '…'));
        let r;
        try {
          r = await api(base + '/invoke', Object.assign(json('POST', parsed.value), { allowErrors: true }));
        } catch (e) {
          if (e.message !== 'unauthorized') answer.replaceChildren(error(e.message));
          return;
        }
        const h = M.invocationHeaders(n => r.headers.get(n));
        answer.replaceChildren(
          el('p', { class: r.ok ? 'SUCCEEDED' : 'error' }, 'HTTP ' + r.status + (h.status ? ' · ' + h.status : '')
            + (h.start ? ' · start: ' + h.start : '') + (h.durationMs ? ' · ' + h.durationMs + ' ms in the function' : '')
            + (h.totalMs ? ' · ' + h.totalMs + ' ms in all' : '')),
          h.id ? el('p', {}, link('invocation ' + h.id, M.routeOf('invocations', h.id))) : '',
          el('pre', { class: 'result' }, typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2)));
        await history.redraw();
      },
    }, eventBox, el('p', {}, el('button', { type: 'submit' }, 'Invoke')));

    const history = await liveSection(LIVE_MS, async () => {
      const page = (await api(base + '/invocations?limit=20')).body;
      return table(['accepted', 'id', 'status', 'start', 'version', 'duration', 'mode'],
        page.items.map(i => [M.formatTime(i.acceptedAt), idLink(i.id),
          el('td', { class: i.status }, i.status), (i.startType || '–').toLowerCase(), num(i.version),
          num(M.formatMs(i.durationMs)), i.mode + (i.attempt > 1 ? ' (attempt ' + i.attempt + ')' : '')]),
        'No invocations yet: invoke it above, or with cloudfunc invoke ' + name + '.');
    });
    history.holder.id = 'invocations';
    const stats = await liveSection(CHARTS_MS, async () => {
      const body = (await api(base + '/stats?window=' + chosenWindow())).body;
      return el('div', {}, figures(body.stats), byVersion(body.versions || []));
    });
    const charts = await chartsSection(name);
    const routes = await routesOfIssue12();
    const [schedules, triggers] = await Promise.all([schedulesPanel(name, base, routes.schedules),
      triggersPanel(name, base, routes.triggers)]);

    const versionMessage = el('div');
    const versionRows = versions.map(v => [num(v.version), M.formatTime(v.createdAt), v.handler,
      num(v.memoryMb + ' MB'), (v.codeSha256 || '').slice(0, 12),
      v.version === fn.latestVersion ? el('span', { class: 'muted' }, 'latest')
        : el('button', { 'data-redeploy': v.version, onclick: () => act(
          'Redeploy version ' + v.version + ' of ' + name + ' as a new latest version (its code and configuration)?',
          base + '/versions/' + v.version + '/redeploy', { method: 'POST' }, versionMessage, render) },
        'Redeploy as latest')]);

    const aliasMessage = el('div');
    const versionChoice = selected => el('select', { 'aria-label': 'version' }, versions.map(v =>
      el('option', { value: v.version, selected: v.version === selected ? 'selected' : null }, 'version ' + v.version)));
    const moveAlias = (alias, select) => act('Point ' + name + ':' + alias + ' at version ' + select.value + '?',
      base + '/aliases/' + encodeURIComponent(alias), json('PUT', { version: Number(select.value) }), aliasMessage,
      render);
    const splitAlias = (alias, input) => {
      const parsed = P.parseWeights(input.value);
      if (!parsed.ok) { aliasMessage.replaceChildren(error(parsed.error)); return; }
      const what = parsed.body.version ? 'at version ' + parsed.body.version
        : 'between ' + P.weightsText({ weights: parsed.body.weights });
      act('Point ' + name + ':' + alias + ' ' + what + '?', base + '/aliases/' + encodeURIComponent(alias),
        json('PUT', parsed.body), aliasMessage, render);
    };
    const aliasRows = aliases.map(a => {
      const select = versionChoice(a.version);
      const weights = el('input', { type: 'text', class: 'short', value: P.weightsInput(a),
        'aria-label': 'weights of ' + a.alias, placeholder: '3=90 4=10' });
      return [a.alias, el('td', { 'data-weights': a.alias, class: P.isSplit(a) ? 'split' : null }, P.weightsText(a)),
        el('span', { class: 'inline', 'data-alias': a.alias }, select, ' ',
          el('button', { onclick: () => moveAlias(a.alias, select) }, 'Move')),
        el('span', { class: 'inline', 'data-split': a.alias }, weights, ' ',
          el('button', { onclick: () => splitAlias(a.alias, weights) }, 'Split'))];
    });
    const newAlias = el('input', { type: 'text', placeholder: 'prod', 'aria-label': 'new alias', class: 'short' });
    const newAliasVersion = versionChoice(fn.latestVersion);
    const aliasForm = el('form', {
      class: 'inline',
      onsubmit: event => { event.preventDefault(); moveAlias(newAlias.value.trim(), newAliasVersion); },
    }, 'New alias ', newAlias, ' at ', newAliasVersion, ' ', el('button', { type: 'submit' }, 'Create'));

    view.replaceChildren(
      el('h2', {}, name),
      el('div', { class: 'row' },
        el('div', {}, table(['setting', 'value'], config, '')),
        el('div', {}, el('h2', {}, 'Invoke'), invoke, answer)),
      el('h2', {}, 'Statistics'), windowPicker(), stats.holder, charts,
      el('h2', {}, 'Latest invocations (live)'), history.holder,
      el('h2', {}, 'Versions'), versionMessage,
      table(['version', 'created', 'handler', 'memory', 'code', ''], versionRows, ''),
      el('h2', {}, 'Aliases'), aliasMessage,
      table(['alias', 'version (or split: version: share)', 'move to', 'split (VERSION=PERCENT …)'], aliasRows,
        'No aliases.'), aliasForm,
      el('h2', {}, 'Schedules'), schedules,
      el('h2', {}, 'Triggers'), triggers);
  }

  /** The figures per version that ran in the window, when there were several (the sides of a split alias). */
  function byVersion(versions) {
    if (versions.length < 2) return '';
    return el('div', { id: 'stats-by-version' }, el('h3', {}, 'By version'),
      table(['version', 'calls', 'errors', 'timeouts', 'p50', 'p99'], versions.map(v => [num(v.version),
        num(v.stats.invocations), num(v.stats.errors), num(v.stats.timeouts), num(M.formatMs(v.stats.durationMs?.p50)),
        num(M.formatMs(v.stats.durationMs?.p99))]), ''));
  }

  /**
   * Which of issue 12's routes (schedules, triggers) this gateway serves, from its OpenAPI document, asked once per
   * sign-in: a route that is not there would answer 404, which the browser logs as an error.
   */
  async function routesOfIssue12() {
    if (!issue12Routes) {
      try {
        issue12Routes = P.routesAvailable((await api('/v3/api-docs')).body);
      } catch (e) {
        if (e.message === 'unauthorized') throw e;
        return { schedules: false, triggers: false };
      }
    }
    return issue12Routes;
  }

  function notAvailable(what) {
    return el('p', { class: 'muted' }, what + ' are not available on this gateway.');
  }

  /**
   * A live panel of GET {@code path} (schedules or triggers), drawn by {@code draw}; {@code empty} when the list is
   * empty, "not available" when the gateway does not serve it.
   */
  async function listPanel(id, what, available, path, draw, empty) {
    if (!available) return el('div', { id }, notAvailable(what));
    const section = await liveSection(LIST_MS, async () => {
      const r = await api(path, { allowErrors: true });
      if (r.status === 404) return notAvailable(what);
      if (!r.ok) return error(what + ': ' + M.problemMessage(r.status, r.body));
      return r.body.length === 0 ? empty : draw(r.body);
    });
    section.holder.id = id;
    return section.holder;
  }

  function schedulesPanel(name, base, available) {
    return listPanel('schedules', 'Schedules', available, base + '/schedules', list =>
      table(['name', 'cron', 'time zone', 'state', 'next runs', 'last run'],
        P.scheduleRows(list, M.formatTime).map(s => [s.name, el('code', {}, s.cron), s.timezone,
          el('td', { class: s.state }, s.state), s.nextRuns,
          s.lastInvocationId ? link(s.lastRun, M.routeOf('invocations', s.lastInvocationId)) : s.lastRun]), ''),
    el('div', { class: 'empty' }, el('p', {}, 'No schedules. Run it every five minutes with the CLI:'),
      el('pre', {}, P.scheduleCommand(name))));
  }

  function triggersPanel(name, base, available) {
    return listPanel('triggers', 'Triggers', available, base + '/triggers', list =>
      table(['name', 'kind', 'source', 'broker', 'concurrency', 'deliveries', 'failures', 'last delivery',
        'last error', 'dead letters to'],
      P.triggerRows(list, M.formatTime).map(t => [t.name, t.kind, t.source, el('code', {}, t.url),
        num(t.concurrency), num(t.deliveries), el('td', { class: t.failures > 0 ? 'num error' : 'num' }, t.failures),
        t.lastDelivery, el('td', { class: t.lastError === '–' ? null : 'error' }, t.lastError), t.deadLetter]), ''),
    el('div', { class: 'empty' }, el('p', {}, 'No triggers. Run it for each message of a RabbitMQ queue with the CLI:'),
      el('pre', {}, P.triggerCommand(name))));
  }

  async function invocationPage(route) {
    const path = '/invocations/' + encodeURIComponent(route.id);
    const holder = el('div');
    const fill = async () => {
      const record = (await api(path)).body;
      const running = record.status === 'QUEUED' || record.status === 'RUNNING';
      const facts = [['function', link(record.functionName + ' v' + record.version,
        M.routeOf('functions', record.functionName))], ['status', el('span', { class: record.status }, record.status)],
      ['start', (record.startType || '–').toLowerCase()], ['mode', record.mode + ', attempt ' + record.attempt
        + (record.deadLettered ? ', dead-lettered' : '')], ['accepted', M.formatTime(record.acceptedAt)],
      ['started', M.formatTime(record.startedAt)], ['finished', M.formatTime(record.finishedAt)],
      ['duration', M.formatMs(record.durationMs)]];
      holder.replaceChildren(
        running ? el('p', { class: 'muted live' }, 'Running: this page follows it to its end.') : '',
        table(['', ''], facts, ''),
        el('h2', {}, 'Event'), el('pre', {}, JSON.stringify(record.request, null, 2)),
        record.error
          ? el('div', {}, el('h2', {}, 'Error'), el('pre', { class: 'error' },
            record.error.type + ': ' + record.error.message + '\n' + (record.error.trace || []).join('\n')))
          : running ? '' : el('div', {}, el('h2', {}, 'Result'), el('pre', { class: 'result' },
            JSON.stringify(record.result, null, 2))),
        el('h2', {}, 'Logs'), el('pre', { class: 'logs' }, record.logs || (running ? '(when it ends)' : '(nothing written)')));
      if (!running) stopRefresh();
      return running;
    };
    const running = await fill();
    view.replaceChildren(el('h2', {}, 'Invocation ' + route.id), holder);
    if (running) every(LIVE_MS, fill);
  }

  async function statsPage() {
    const byFunction = el('div');
    const section = await liveSection(CHARTS_MS, async () => {
      const stats = (await api('/stats?window=' + chosenWindow())).body;
      byFunction.replaceChildren(
        table(['function', 'calls', 'errors', 'timeouts', 'p50', 'p99', 'cold or pre-warmed'],
          stats.functions.map(f => [link(f.functionName, M.routeOf('functions', f.functionName)),
            num(f.invocations), num(f.errors), num(f.timeouts), num(M.formatMs(f.durationMs?.p50)),
            num(M.formatMs(f.durationMs?.p99)), num(M.formatRatio(f.coldStartRatio))]),
          'No calls in this window.'));
      return figures(stats.total);
    });
    const charts = await chartsSection(null);
    view.replaceChildren(el('h2', {}, 'Statistics, all functions'), windowPicker(), section.holder, charts,
      el('h2', {}, 'By function'), byFunction);
  }

  async function instancesPage() {
    const message = el('div');
    const section = await liveSection(LIVE_MS, async () => {
      const r = await api('/instances');
      const unreachable = r.headers.get('x-cloudfunc-unreachable');
      return el('div', {},
        unreachable ? error('Not answering, left out: ' + unreachable + '.') : '',
        table(['id', 'node', 'function', 'runtime', 'state', 'idle since', ''],
          r.body.map(i => [i.id, i.node, i.functionName
            ? link(i.functionName + ' v' + i.version, M.routeOf('functions', i.functionName)) : '(pre-warmed)',
          i.runtime, i.state, M.formatTime(i.idleSince),
          M.canStop(i) ? el('button', { 'data-stop': i.id, onclick: () => act(
            'Stop instance ' + i.id + (i.functionName ? ' of ' + i.functionName : '') + ' on ' + i.node + '?',
            '/instances/' + encodeURIComponent(i.id), { method: 'DELETE' }, message, section.redraw) }, 'Stop') : '']),
          'No containers run now: a function\'s first call starts one.'));
    });
    view.replaceChildren(el('h2', {}, 'Instances'), message, section.holder);
  }

  async function keysPage() {
    const message = el('div');
    const created = el('div');
    const section = await liveSection(LIST_MS, async () => {
      const keys = (await api('/keys')).body;
      return table(['name', 'role', 'prefix', 'created', 'last used', 'expires', 'revoked', ''],
        keys.map(k => [k.name, String(k.role).toLowerCase(), el('code', {}, k.prefix || ''), M.formatTime(k.createdAt),
          M.formatTime(k.lastUsedAt), M.formatTime(k.expiresAt), M.formatTime(k.revokedAt),
          k.revokedAt ? '' : el('button', { 'data-revoke': k.name, onclick: () => act(
            'Revoke the key ' + k.name + '? Whoever uses it is refused from now on.',
            '/keys/' + encodeURIComponent(k.id), { method: 'DELETE' }, message, section.redraw) }, 'Revoke')]),
        'No keys.');
    });
    const nameInput = el('input', { type: 'text', placeholder: 'ci-deployer', 'aria-label': 'key name', class: 'short' });
    const role = el('select', { 'aria-label': 'role' }, ['invoker', 'developer', 'admin'].map(r =>
      el('option', { value: r, selected: r === 'developer' ? 'selected' : null }, r)));
    const form = el('form', {
      class: 'inline',
      onsubmit: event => {
        event.preventDefault();
        const keyName = nameInput.value.trim();
        act('Create a ' + role.value + ' key named ' + keyName + '?', '/keys', json('POST', { name: keyName,
          role: role.value }), message, async r => {
          created.replaceChildren(el('div', { class: 'secret' },
            el('p', {}, 'The key ' + r.body.key.name + ': copy it now, it is not shown again.'),
            el('pre', { class: 'secret-value' }, r.body.secret)));
          nameInput.value = '';
          await section.redraw();
        });
      },
    }, 'New key ', nameInput, ' role ', role, ' ', el('button', { type: 'submit' }, 'Create'));
    view.replaceChildren(el('h2', {}, 'API keys'), form, created, message, section.holder);
  }

  async function deadLettersPage() {
    const section = await liveSection(LIST_MS, async () => {
      const page = (await api('/dead-letters?limit=50')).body;
      return table(['accepted', 'id', 'function', 'status', 'attempts', 'error'],
        page.items.map(i => [M.formatTime(i.acceptedAt), idLink(i.id),
          i.functionName, el('td', { class: i.status }, i.status), num(i.attempt),
          i.error ? i.error.type + ': ' + i.error.message : '–']),
        'No dead letters: every asynchronous call that failed was retried successfully or has retries left.');
    });
    view.replaceChildren(el('h2', {}, 'Dead letters'), section.holder);
  }

  if (sessionStorage.getItem(KEY)) {
    start().catch(e => { if (e.message !== 'unauthorized') signInPage(e.message); });
  } else {
    signInPage();
  }
})();
