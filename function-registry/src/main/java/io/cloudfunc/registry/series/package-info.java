/**
 * Statistics over time ({@code GET /stats/series}, {@code GET /stats/series/nodes}): per function and minute, the
 * invocations that ended, counted when their record becomes final ({@link io.cloudfunc.registry.series.InvocationSeries});
 * warm containers per node from the container-managers' samples; minutes rolled up into hours after 48 h.
 */
package io.cloudfunc.registry.series;
