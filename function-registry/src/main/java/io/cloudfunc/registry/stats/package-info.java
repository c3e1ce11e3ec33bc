/**
 * Invocation statistics over a time window, computed by PostgreSQL from the invocation records (counts by outcome,
 * {@code percentile_cont} duration percentiles, cold-start ratio).
 */
package io.cloudfunc.registry.stats;
