// CloudFunc dashboard: what can be decided without a browser (routes, formatting, parsing), so that it is tested with
// Node's test runner (api-gateway/src/test/js). app.js draws the pages from it.
(function (root) {
  'use strict';

  /** The page a location hash names: functions, function (name), invocation (id), stats, instances, keys, dead-letters. */
  function parseRoute(hash) {
    const path = (hash || '').replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
    if (path[0] === 'functions' && path.length === 2) return { view: 'function', name: path[1] };
    if (path[0] === 'invocations' && path.length === 2) return { view: 'invocation', id: path[1] };
    if (['stats', 'instances', 'keys', 'dead-letters'].includes(path[0]) && path.length === 1) return { view: path[0] };
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

  /**
   * An invocation id as the lists show it: its last eight hex digits. Ids are time-ordered UUIDs (version 7) whose
   * first eight digits are the same for every call of the same minute or so; their end is random.
   */
  function shortId(id) {
    const text = String(id || '');
    return text.length > 8 ? '…' + text.slice(-8) : text;
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


  /** The chart windows: how far back, and the step of GET /stats/series that gives 15 to 168 points. */
  const WINDOWS = {
    '15m': { label: '15 min', ms: 15 * 60000, step: '1m', stepMs: 60000 },
    '1h': { label: '1 h', ms: 3600000, step: '1m', stepMs: 60000 },
    '24h': { label: '24 h', ms: 86400000, step: '15m', stepMs: 900000 },
    '7d': { label: '7 d', ms: 7 * 86400000, step: '1h', stepMs: 3600000 },
  };

  /**
   * The GET /stats/series (or /stats/series/nodes) query of a window ending now: {@code to} is the end of the
   * current step, so that the last point is the step in progress and a redraw a second later asks the same range.
   */
  function seriesQuery(windowName, nowMs, functionName, nodes) {
    const w = WINDOWS[windowName] || WINDOWS['1h'];
    const to = Math.ceil((nowMs + 1) / w.stepMs) * w.stepMs;
    const from = to - w.ms;
    const query = (functionName ? 'function=' + encodeURIComponent(functionName) + '&' : '')
      + 'from=' + new Date(from).toISOString() + '&to=' + new Date(to).toISOString() + '&step=' + w.step;
    return (nodes ? '/stats/series/nodes?' : '/stats/series?') + query;
  }

  /** Seconds of a step as GET /stats/series names it (30s, 1m, 15m, 1h, 1d). */
  function stepSeconds(step) {
    const m = /^([0-9]+)([smhd])$/.exec(step || '');
    if (!m) return 60;
    return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
  }

  /** A share in percent, null when there is nothing to share. */
  function percent(part, whole) {
    return whole > 0 ? (100 * part) / whole : null;
  }

  /**
   * uPlot's columns for a GET /stats/series answer: x in Unix seconds, then one array per drawn line. Calls are per
   * second over the step; durations in ms (null where the step had no call: a gap); start types as shares of the
   * calls that started; errors, timeouts and OOM kills as counts per step.
   */
  function seriesColumns(series) {
    const points = (series && series.points) || [];
    const perSecond = stepSeconds(series && series.step);
    const x = points.map(p => Date.parse(p.t) / 1000);
    const col = f => points.map(f);
    const starts = p => (p.cold || 0) + (p.prewarmed || 0) + (p.warm || 0);
    return {
      calls: [x, col(p => (p.succeeded || 0) / perSecond), col(p => (p.errors || 0) / perSecond),
        col(p => (p.timeouts || 0) / perSecond)],
      durations: [x, col(p => p.durationMs?.p50 ?? null), col(p => p.durationMs?.p95 ?? null),
        col(p => p.durationMs?.p99 ?? null)],
      starts: [x, col(p => percent(p.cold || 0, starts(p))), col(p => percent(p.prewarmed || 0, starts(p))),
        col(p => percent(p.warm || 0, starts(p)))],
      failures: [x, col(p => p.errors || 0), col(p => p.timeouts || 0), col(p => p.oom || 0)],
      total: points.reduce((sum, p) => sum + (p.invocations || 0), 0),
    };
  }

  /**
   * uPlot's columns for GET /stats/series/nodes: x, then each node's warm containers (names sorted); null (a gap)
   * where a node sent no sample in the step.
   */
  function nodeColumns(series) {
    const points = (series && series.points) || [];
    const names = [...new Set(points.flatMap(p => Object.keys(p.nodes || {})))].sort();
    return { names, data: [points.map(p => Date.parse(p.t) / 1000),
      ...names.map(n => points.map(p => (p.nodes || {})[n] ?? null))] };
  }

  /** Whether an instance may be stopped: an idle or pre-warmed container (a busy one answers 409). */
  function canStop(instance) {
    return ['idle', 'prewarmed'].includes(String(instance && instance.state).toLowerCase());
  }

  const api = { parseRoute, routeOf, formatMs, formatTime, shortId, formatRatio, parseEvent, invocationHeaders, statsFigures,
    problemMessage, WINDOWS, seriesQuery, stepSeconds, seriesColumns, nodeColumns, canStop };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.CloudFuncModel = api;
})(typeof window !== 'undefined' ? window : globalThis);
