// CloudFunc dashboard: its charts, drawn by uPlot (vendor/uPlot.iife.min.js, MIT) from the columns model.js makes of
// GET /stats/series. uPlot sets its sizes through element.style (CSSOM), which the page's CSP (style-src 'self')
// allows; it adds no <style> element and no inline script. Each chart's element keeps its uPlot instance as
// `.uplot`, so that what is drawn can be read back (the browser tests compare it with the API's series).
(function (root) {
  'use strict';
  const M = root.CloudFuncModel;

  const GREEN = '#157f3c';
  const RED = '#b42318';
  const ORANGE = '#d97706';
  const PURPLE = '#7c3aed';
  const BLUE = '#2358c4';
  const TEAL = '#0e9384';
  const NODE_COLORS = [BLUE, TEAL, ORANGE, PURPLE, GREEN, RED, '#475467', '#c11574'];

  const count = v => (v === null || v === undefined ? '–' : String(Math.round(v * 100) / 100));
  const rate = v => (v === null || v === undefined ? '–' : (Math.round(v * 1000) / 1000) + '/s');
  const share = v => (v === null || v === undefined ? '–' : Math.round(v) + ' %');

  /** What each chart shows: its title, its lines (label, colour) and how a value reads. */
  const KINDS = {
    calls: { title: 'Calls per second, by outcome', format: rate,
      lines: [['succeeded', GREEN], ['errors', RED], ['timeouts', ORANGE]] },
    durations: { title: 'Duration in the function', format: v => (v === 0 ? '0 ms' : M.formatMs(v)),
      lines: [['p50', BLUE], ['p95', TEAL], ['p99', RED]] },
    starts: { title: 'Start type, share of calls', format: share, range: [0, 100],
      lines: [['cold', BLUE], ['pre-warmed', TEAL], ['warm', GREEN]] },
    failures: { title: 'Errors, timeouts and OOM kills per step', format: count,
      lines: [['errors', RED], ['timeouts', ORANGE], ['oom', PURPLE]] },
    nodes: { title: 'Warm containers per node', format: count, lines: [] },
  };

  /** Two charts side by side on a wide page (each figure adds 18 px of padding and border, the gap 12 px). */
  function width() {
    const view = document.getElementById('view');
    const available = view ? view.clientWidth - 48 : 1152;
    return Math.max(300, available >= 1000 ? Math.floor((available - 12) / 2) - 18 : available - 18);
  }

  function options(kind, lines) {
    const k = KINDS[kind];
    return {
      width: width(),
      height: 200,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { y: k.range ? { range: k.range } : { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [{}, { size: 64, values: (u, splits) => splits.map(k.format) }],
      series: [{}].concat(lines.map(([label, stroke]) => ({
        label, stroke, width: 1.5, spanGaps: false, points: { size: 4 }, value: (u, v) => k.format(v),
      }))),
    };
  }

  /**
   * A chart of {@code kind} ('calls', 'durations', 'starts', 'failures', 'nodes') for uPlot's columns; for 'nodes'
   * the line labels are the node names.
   */
  function chart(kind, data, labels) {
    const holder = document.createElement('figure');
    holder.className = 'chart';
    holder.dataset.chart = kind;
    const caption = document.createElement('figcaption');
    caption.textContent = KINDS[kind].title;
    const plot = document.createElement('div');
    holder.append(caption, plot);
    const lines = kind === 'nodes'
      ? labels.map((name, i) => [name, NODE_COLORS[i % NODE_COLORS.length]]) : KINDS[kind].lines;
    holder.lines = lines.map(l => l[0]);
    holder.uplot = new root.uPlot(options(kind, lines), data, plot);
    return holder;
  }

  /** Redraws a chart with new columns: in place when its lines are the same, else as a new chart. */
  function update(holder, data, labels) {
    if (holder.dataset.chart !== 'nodes' || JSON.stringify(labels) === JSON.stringify(holder.lines)) {
      holder.uplot.setData(data);
      return holder;
    }
    holder.uplot.destroy();
    const fresh = chart('nodes', data, labels);
    holder.replaceWith(fresh);
    return fresh;
  }

  root.CloudFuncCharts = { chart, update, KINDS };
})(window);
