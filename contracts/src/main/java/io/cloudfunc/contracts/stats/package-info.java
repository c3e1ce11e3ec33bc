/**
 * Invocation statistics as {@code GET /stats} and {@code GET /functions/{name}/stats} answer them, and the time series
 * of {@code GET /stats/series} and {@code GET /stats/series/nodes}.
 */
package io.cloudfunc.contracts.stats;
