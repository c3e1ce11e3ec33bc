// CloudFunc dashboard: a page of the gateway that shows functions, invocations, statistics and instances through the
// public HTTP API, with the API key the user signs in with (kept in this tab's sessionStorage only). Every value from
// the API is put on the page as text (textContent), never as HTML.
(function () {
  'use strict';
  const M = window.CloudFuncModel;
  const KEY = 'cloudfunc.apiKey';
  const REFRESH_MS = 5000;
  const view = document.getElementById('view');
  let refresher = null;

  // --- a few DOM helpers ---------------------------------------------------------------------------------------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name === 'onclick' || name === 'onsubmit') node[name] = value;
      else if (value !== undefined && value !== null) node.setAttribute(name, value);
    });
    children.flat().forEach(child => node.append(child instanceof Node ? child : String(child ?? '')));
    return node;
  }

  function link(text, hash) {
    return el('a', { href: hash }, text);
  }

  function table(headers, rows, empty) {
    if (rows.length === 0) return el('p', { class: 'muted' }, empty);
    const head = headers.some(h => h) ? el('tr', {}, headers.map(h => el('th', {}, h))) : '';
    return el('table', {}, head,
      rows.map(cells => el('tr', {}, cells.map(c => c instanceof Node && c.tagName === 'TD' ? c : el('td', {}, c)))));
  }

  function num(value) {
    return el('td', { class: 'num' }, value);
  }

  function status(text) {
    const line = document.getElementById('status');
    line.textContent = text;
  }

  // --- the API ------------------------------------------------------------------------------------------------

  async function api(path, options = {}) {
    const headers = Object.assign({ Authorization: 'Bearer ' + sessionStorage.getItem(KEY) }, options.headers);
    const response = await fetch(path, Object.assign({}, options, { headers }));
    const text = await response.text();
    let body = text;
    try { body = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: keep the text */ }
    if (response.status === 401) {
      signOut('The API key was refused: ' + M.problemMessage(401, body));
      throw new Error('unauthorized');
    }
    if (!response.ok && !options.allowErrors) throw new Error(M.problemMessage(response.status, body));
    return { status: response.status, ok: response.ok, headers: response.headers, body };
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
    }, el('p', {}, 'Sign in with an API key (', el('code', {}, 'cloudfunc keys create'), ' makes one).'),
    input, ' ', el('button', { type: 'submit' }, 'Sign in'));
    view.replaceChildren(el('h2', {}, 'Sign in'), form, message ? el('p', { class: 'error' }, message) : '');
    input.focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    stopRefresh();
    signInPage(message);
  }

  async function start() {
    const me = (await api('/keys/current')).body;
    document.getElementById('nav').hidden = false;
    document.getElementById('who').replaceChildren(
      el('span', {}, me.name + ' (' + String(me.role).toLowerCase() + ')'),
      el('button', { onclick: () => signOut('Signed out.') }, 'Sign out'));
    window.onhashchange = render;
    await render();
  }

  // --- pages --------------------------------------------------------------------------------------------------

  function stopRefresh() {
    if (refresher) clearInterval(refresher);
    refresher = null;
  }

  /** Draws the page of the location's hash, and redraws its live part every few seconds. */
  async function render() {
    stopRefresh();
    const route = M.parseRoute(location.hash);
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('current',
      a.getAttribute('href') === '#/' + (route.view === 'function' ? 'functions' : route.view)));
    const pages = { functions: functionsPage, function: functionPage, invocation: invocationPage, stats: statsPage,
      instances: instancesPage, 'dead-letters': deadLettersPage };
    try {
      const live = await pages[route.view](route);
      if (live) {
        refresher = setInterval(() => live().catch(e => status('Refresh failed: ' + e.message)), REFRESH_MS);
      }
      status('Updated ' + new Date().toLocaleTimeString());
    } catch (e) {
      if (e.message !== 'unauthorized') view.replaceChildren(el('p', { class: 'error' }, e.message));
    }
  }

  /** A section whose content is redrawn by the function it returns. */
  function liveSection(fill) {
    const holder = el('div');
    const redraw = async () => {
      holder.replaceChildren(await fill());
      status('Updated ' + new Date().toLocaleTimeString());
    };
    return { holder, redraw };
  }

  async function functionsPage() {
    const section = liveSection(async () => {
      const functions = (await api('/functions')).body;
      return table(['name', 'runtime', 'version', 'memory', 'timeout', 'instances (min–max)', 'updated'],
        functions.map(f => [link(f.name, M.routeOf('functions', f.name)), f.runtime, num(f.latestVersion),
          num(f.memoryMb + ' MB'), num(M.formatMs(f.timeoutMs)), num(f.minInstances + '–' + f.maxInstances),
          M.formatTime(f.updatedAt)]),
        'No functions yet: deploy one with cloudfunc deploy.');
    });
    await section.redraw();
    view.replaceChildren(el('h2', {}, 'Functions'), section.holder);
    return section.redraw;
  }

  async function functionPage(route) {
    const name = route.name;
    const [fn, versions, aliases] = await Promise.all([
      api('/functions/' + encodeURIComponent(name)), api('/functions/' + encodeURIComponent(name) + '/versions'),
      api('/functions/' + encodeURIComponent(name) + '/aliases')]).then(all => all.map(r => r.body));
    const config = [['runtime', fn.runtime], ['handler', fn.handler], ['latest version', fn.latestVersion],
      ['memory', fn.memoryMb + ' MB'], ['timeout', M.formatMs(fn.timeoutMs)], ['idle TTL', M.formatMs(fn.idleTtlMs)],
      ['instances', fn.minInstances + ' to ' + fn.maxInstances + ', ' + fn.concurrency + ' call(s) each'],
      ['network', fn.network || 'none'], ['image', fn.image || '–'],
      ['retries', fn.maxRetries + (fn.maxRetries ? ', first after ' + M.formatMs(fn.retryBackoffMs) : '')],
      ['environment', Object.keys(fn.env || {}).join(', ') || '–'],
      ['secrets', (fn.secretNames || []).join(', ') || '–'], ['code', (fn.codeSha256 || '').slice(0, 12)]];

    const eventBox = el('textarea', { 'aria-label': 'event' }, '{}');
    const answer = el('div');
    const invoke = el('form', {
      onsubmit: async event => {
        event.preventDefault();
        const parsed = M.parseEvent(eventBox.value);
        if (!parsed.ok) { answer.replaceChildren(el('p', { class: 'error' }, parsed.error)); return; }
        answer.replaceChildren(el('p', { class: 'muted' }, 'Calling ' + name + '…'));
        const r = await api('/functions/' + encodeURIComponent(name) + '/invoke', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(parsed.value),
          allowErrors: true });
        const h = M.invocationHeaders(n => r.headers.get(n));
        answer.replaceChildren(
          el('p', { class: r.ok ? 'SUCCEEDED' : 'error' }, 'HTTP ' + r.status + (h.status ? ' · ' + h.status : '')
            + (h.start ? ' · start: ' + h.start : '') + (h.durationMs ? ' · ' + h.durationMs + ' ms in the function' : '')
            + (h.totalMs ? ' · ' + h.totalMs + ' ms in all' : '')),
          h.id ? el('p', {}, link('invocation ' + h.id, M.routeOf('invocations', h.id))) : '',
          el('pre', {}, typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2)));
        await history.redraw();
      },
    }, eventBox, el('p', {}, el('button', { type: 'submit' }, 'Invoke')));

    const history = liveSection(async () => {
      const [page, stats] = await Promise.all([
        api('/functions/' + encodeURIComponent(name) + '/invocations?limit=20'),
        api('/functions/' + encodeURIComponent(name) + '/stats?window=1h')]).then(all => all.map(r => r.body));
      return el('div', {},
        el('h2', {}, 'Last hour'),
        el('div', { class: 'grid' }, M.statsFigures(stats.stats).map(([label, value]) =>
          el('div', { class: 'card' }, el('b', {}, value), label))),
        el('h2', {}, 'Latest invocations'),
        table(['accepted', 'id', 'status', 'start', 'version', 'duration', 'mode'],
          page.items.map(i => [M.formatTime(i.acceptedAt), link(i.id.slice(0, 8), M.routeOf('invocations', i.id)),
            el('td', { class: i.status }, i.status), (i.startType || '–').toLowerCase(), num(i.version),
            num(M.formatMs(i.durationMs)), i.mode + (i.attempt > 1 ? ' (attempt ' + i.attempt + ')' : '')]),
          'No invocations yet.'));
    });
    await history.redraw();

    view.replaceChildren(
      el('h2', {}, name),
      el('div', { class: 'row' },
        el('div', {}, table(['setting', 'value'], config, '')),
        el('div', {}, el('h2', {}, 'Invoke'), invoke, answer)),
      el('h2', {}, 'Versions'),
      table(['version', 'created', 'handler', 'memory', 'code'], versions.map(v => [num(v.version),
        M.formatTime(v.createdAt), v.handler, num(v.memoryMb + ' MB'), (v.codeSha256 || '').slice(0, 12)]), ''),
      el('h2', {}, 'Aliases'),
      table(['alias', 'version'], aliases.map(a => [a.alias, num(a.version)]), 'No aliases.'),
      history.holder);
    return history.redraw;
  }

  async function invocationPage(route) {
    const record = (await api('/invocations/' + encodeURIComponent(route.id))).body;
    const facts = [['function', link(record.functionName + ' v' + record.version,
      M.routeOf('functions', record.functionName))], ['status', el('span', { class: record.status }, record.status)],
    ['start', (record.startType || '–').toLowerCase()], ['mode', record.mode + ', attempt ' + record.attempt
      + (record.deadLettered ? ', dead-lettered' : '')], ['accepted', M.formatTime(record.acceptedAt)],
    ['started', M.formatTime(record.startedAt)], ['finished', M.formatTime(record.finishedAt)],
    ['duration', M.formatMs(record.durationMs)]];
    view.replaceChildren(
      el('h2', {}, 'Invocation ' + record.id),
      table(['', ''], facts, ''),
      el('h2', {}, 'Event'), el('pre', {}, JSON.stringify(record.request, null, 2)),
      record.error
        ? el('div', {}, el('h2', {}, 'Error'), el('pre', { class: 'error' },
          record.error.type + ': ' + record.error.message + '\n' + (record.error.trace || []).join('\n')))
        : el('div', {}, el('h2', {}, 'Result'), el('pre', {}, JSON.stringify(record.result, null, 2))),
      el('h2', {}, 'Logs'), el('pre', {}, record.logs || '(nothing written)'));
    return record.status === 'QUEUED' || record.status === 'RUNNING' ? () => render() : null;
  }

  async function statsPage() {
    const section = liveSection(async () => {
      const stats = (await api('/stats?window=1h')).body;
      return el('div', {},
        el('div', { class: 'grid' }, M.statsFigures(stats.total).map(([label, value]) =>
          el('div', { class: 'card' }, el('b', {}, value), label))),
        el('h2', {}, 'By function'),
        table(['function', 'calls', 'errors', 'timeouts', 'p50', 'p99', 'cold or pre-warmed'],
          stats.functions.map(f => [link(f.functionName, M.routeOf('functions', f.functionName)),
            num(f.invocations), num(f.errors), num(f.timeouts), num(M.formatMs(f.durationMs?.p50)),
            num(M.formatMs(f.durationMs?.p99)), num(M.formatRatio(f.coldStartRatio))]),
          'No calls in the last hour.'));
    });
    await section.redraw();
    view.replaceChildren(el('h2', {}, 'Statistics, last hour'), section.holder);
    return section.redraw;
  }

  async function instancesPage() {
    const section = liveSection(async () => {
      const instances = (await api('/instances')).body;
      return table(['id', 'node', 'function', 'runtime', 'state', 'idle since'],
        instances.map(i => [i.id, i.node, i.functionName
          ? link(i.functionName + ' v' + i.version, M.routeOf('functions', i.functionName)) : '(pre-warmed)',
        i.runtime, i.state, M.formatTime(i.idleSince)]), 'No containers run now.');
    });
    await section.redraw();
    view.replaceChildren(el('h2', {}, 'Instances'), section.holder);
    return section.redraw;
  }

  async function deadLettersPage() {
    const section = liveSection(async () => {
      const page = (await api('/dead-letters?limit=50')).body;
      return table(['accepted', 'id', 'function', 'status', 'attempts', 'error'],
        page.items.map(i => [M.formatTime(i.acceptedAt), link(i.id.slice(0, 8), M.routeOf('invocations', i.id)),
          i.functionName, el('td', { class: i.status }, i.status), num(i.attempt),
          i.error ? i.error.type + ': ' + i.error.message : '–']),
        'No dead letters: every asynchronous call that failed was retried successfully or has retries left.');
    });
    await section.redraw();
    view.replaceChildren(el('h2', {}, 'Dead letters'), section.holder);
    return section.redraw;
  }

  if (sessionStorage.getItem(KEY)) {
    start().catch(e => { if (e.message !== 'unauthorized') signInPage(e.message); });
  } else {
    signInPage();
  }
})();
