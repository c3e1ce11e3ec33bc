/**
 * {@code /stats} and {@code /functions/{name}/stats} (also {@code /stats/functions/{name}}): invocation statistics,
 * computed by the registry.
 */
package io.cloudfunc.gateway.stats;
