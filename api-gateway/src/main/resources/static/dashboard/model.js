// CloudFunc dashboard: what can be decided without a browser (routes, formatting, parsing), so that it is tested with
// Node's test runner (api-gateway/src/test/js). app.js draws the pages from it.
(function (root) {
  'use strict';

  /** The page a location hash names: functions, function (name), invocation (id), stats, instances, dead-letters. */
  function parseRoute(hash) {
    const path = (hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
    if (path[0] === 'functions' && path.length === 2) return { view: 'function', name: path[1] };
    if (path[0] === 'invocations' && path.length === 2) return { view: 'invocation', id: path[1] };
    if (['stats', 'instances', 'dead-letters'].includes(path[0]) && path.length === 1) return { view: path[0] };
    return { view: 'functions' };
  }

  function routeOf(view, value) {
    return '#/' + view + (value === undefined ? '' : '/' + encodeURIComponent(value));
  }

  /** Milliseconds as people read them: 0.4 ms, 12 ms, 1.5 s; a dash when unknown. */
  function formatMs(ms) {
    if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '–';
    const n = Number(ms);
    if (n < 1) return n.toFixed(1) + ' ms';
    if (n < 1000) return Math.round(n) + ' ms';
    return (n / 1000).toFixed(n < 10000 ? 2 : 1) + ' s';
  }

  /** An ISO instant in the reader's time zone, to the second; a dash when absent. */
  function formatTime(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
  }

  function formatRatio(ratio) {
    return ratio === null || ratio === undefined ? '–' : Math.round(Number(ratio) * 100) + ' %';
  }

  /** The event typed into the invoke form: any JSON value; empty means {}. */
  function parseEvent(text) {
    const trimmed = (text || '').trim();
    if (trimmed === '') return { ok: true, value: {} };
    try {
      return { ok: true, value: JSON.parse(trimmed) };
    } catch (e) {
      return { ok: false, error: 'The event is not JSON: ' + e.message };
    }
  }

  /** What the invoke answer's headers say (names as fetch gives them, lower case). */
  function invocationHeaders(get) {
    return {
      id: get('x-cloudfunc-invocation-id'),
      status: get('x-cloudfunc-status'),
      start: get('x-cloudfunc-start'),
      durationMs: get('x-cloudfunc-duration-ms'),
      totalMs: get('x-cloudfunc-total-ms'),
      version: get('x-cloudfunc-version'),
    };
  }

  /** The figures of a stats object as label/value pairs, in reading order. */
  function statsFigures(stats) {
    const s = stats || {};
    const d = s.durationMs || {};
    return [
      ['calls', s.invocations ?? 0],
      ['succeeded', s.succeeded ?? 0],
      ['errors', s.errors ?? 0],
      ['timeouts', s.timeouts ?? 0],
      ['pending', s.pending ?? 0],
      ['p50', formatMs(d.p50)],
      ['p95', formatMs(d.p95)],
      ['p99', formatMs(d.p99)],
      ['cold or pre-warmed', formatRatio(s.coldStartRatio)],
    ];
  }

  /** A problem detail's one-line message, or the status when the body is not one. */
  function problemMessage(status, body) {
    if (body && typeof body === 'object' && (body.detail || body.title)) {
      return (body.title ? body.title + ': ' : '') + (body.detail || '');
    }
    return 'HTTP ' + status;
  }

  const api = { parseRoute, routeOf, formatMs, formatTime, formatRatio, parseEvent, invocationHeaders, statsFigures,
    problemMessage };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.CloudFuncModel = api;
})(typeof window !== 'undefined' ? window : globalThis);
