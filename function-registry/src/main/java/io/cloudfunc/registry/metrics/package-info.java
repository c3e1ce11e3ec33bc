/**
 * The platform's invocation metrics: every invocation that reached its final state, counted once by the registry
 * (the only consumer of invocation records, whatever the call's source), by function, status and start type, with
 * a duration histogram; served as Prometheus text to the gateway's {@code GET /metrics}.
 */
package io.cloudfunc.registry.metrics;
