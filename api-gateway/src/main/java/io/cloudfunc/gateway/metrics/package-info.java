/**
 * {@code GET /metrics}: the platform's invocation metrics as Prometheus text, relayed from the function-registry
 * (which counts every invocation's final record, whatever its source); protected by the API key check.
 */
package io.cloudfunc.gateway.metrics;
