/**
 * {@code /stats} and {@code /functions/{name}/stats} (also {@code /stats/functions/{name}}): invocation statistics;
 * {@code /stats/series} and {@code /stats/series/nodes}: the same over time. All computed by the registry.
 */
package io.cloudfunc.gateway.stats;
