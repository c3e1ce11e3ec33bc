// CloudFunc dashboard: what the function page's issue-12 panels decide without a browser — an alias's traffic split
// (weights), its schedules and its queue triggers — so that it is tested with Node's test runner
// (api-gateway/src/test/js/panels.test.js). app.js draws them.
(function (root) {
  'use strict';

  const MAX_WEIGHTS = 4;

  /**
   * The split typed for an alias, as the CLI takes it: "3=90 4=10" (spaces or commas between), or one version "4".
   * Returns {ok, body} with the PUT /functions/{name}/aliases/{alias} body, or {ok: false, error}. The gateway checks
   * that the versions exist; this checks the form and that the weights sum to 100.
   */
  function parseWeights(text) {
    const parts = String(text || '').trim().split(/[\s,]+/).filter(Boolean);
    if (parts.length === 0) return { ok: false, error: 'Give a version, or VERSION=PERCENT for each version, e.g. 3=90 4=10.' };
    if (parts.length === 1 && /^[1-9][0-9]*$/.test(parts[0])) return { ok: true, body: { version: Number(parts[0]) } };
    if (parts.length > MAX_WEIGHTS) return { ok: false, error: 'An alias splits between at most ' + MAX_WEIGHTS + ' versions.' };
    const weights = [];
    for (const part of parts) {
      const m = /^([1-9][0-9]*)=([0-9]{1,3})$/.exec(part);
      if (!m) return { ok: false, error: '"' + part + '" is not VERSION=PERCENT (e.g. 3=90 4=10).' };
      weights.push({ version: Number(m[1]), weight: Number(m[2]) });
    }
    if (new Set(weights.map(w => w.version)).size !== weights.length) return { ok: false, error: 'A version is listed twice.' };
    const sum = weights.reduce((s, w) => s + w.weight, 0);
    if (sum !== 100) return { ok: false, error: 'The weights sum to ' + sum + '; they must sum to 100.' };
    return { ok: true, body: { weights } };
  }

  /** The weights of an alias view: its {@code weights}, or its one version at 100 (views without weights). */
  function aliasWeights(alias) {
    const w = alias && Array.isArray(alias.weights) && alias.weights.length > 0 ? alias.weights : null;
    return w || [{ version: alias && alias.version, weight: 100 }];
  }

  /** Whether an alias splits its calls between several versions. */
  function isSplit(alias) {
    return aliasWeights(alias).length > 1;
  }

  /** An alias's split as people read it: "3: 90 % · 4: 10 %"; its version alone when it points at one. */
  function weightsText(alias) {
    const w = aliasWeights(alias);
    return w.length === 1 ? String(w[0].version) : w.map(x => x.version + ': ' + x.weight + ' %').join(' · ');
  }

  /** An alias's split as the CLI and the split box take it: "3=90 4=10". */
  function weightsInput(alias) {
    return aliasWeights(alias).map(x => x.version + '=' + x.weight).join(' ');
  }

  /**
   * Whether this gateway serves the routes issue 12 added (schedules, triggers), from its OpenAPI document (GET
   * /v3/api-docs, public): asking a route that is not there would be a 404 the browser logs as an error.
   */
  function routesAvailable(openApi) {
    const paths = Object.keys((openApi && openApi.paths) || {});
    const has = what => paths.some(p => new RegExp('^/functions/\\{[^}/]+\\}/' + what + '$').test(p));
    return { schedules: has('schedules'), triggers: has('triggers') };
  }

  /** The rows of the schedules table (ScheduleView of docs/api.md), each a list of cell texts. */
  function scheduleRows(schedules, formatTime) {
    return (schedules || []).map(s => ({
      name: s.name,
      cron: s.cron,
      timezone: s.timezone || 'UTC',
      state: s.paused ? 'paused' : 'active',
      nextRuns: s.paused ? '– (paused)' : (s.nextRuns || []).slice(0, 3).map(formatTime).join(' · ') || '–',
      lastRun: s.lastRunAt ? formatTime(s.lastRunAt) : 'never',
      lastInvocationId: s.lastInvocationId || null,
    }));
  }

  /** The rows of the triggers table (TriggerView of docs/api.md); the url is shown as the API gives it (masked). */
  function triggerRows(triggers, formatTime) {
    return (triggers || []).map(t => ({
      name: t.name,
      kind: t.kind,
      source: t.source,
      url: t.url || '(the platform\'s broker)',
      concurrency: t.concurrency ?? '–',
      deliveries: t.deliveries ?? 0,
      failures: t.failures ?? 0,
      lastDelivery: t.lastDeliveryAt ? formatTime(t.lastDeliveryAt) : 'never',
      lastError: t.lastError || '–',
      deadLetter: t.deadLetter || '–',
    }));
  }

  /** The commands the empty panels show, for function {@code name}. */
  function scheduleCommand(name) {
    return 'cloudfunc schedule create ' + name + " --cron '*/5 * * * *' --timezone UTC";
  }

  function triggerCommand(name) {
    return 'cloudfunc trigger create ' + name + ' --rabbitmq orders';
  }

  const api = { MAX_WEIGHTS, parseWeights, aliasWeights, isSplit, weightsText, weightsInput, routesAvailable,
    scheduleRows, triggerRows, scheduleCommand, triggerCommand };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.CloudFuncPanels = api;
})(typeof window !== 'undefined' ? window : globalThis);
