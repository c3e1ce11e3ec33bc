/** {@code /stats} and {@code /functions/{name}/stats}: invocation statistics, computed by the registry. */
package io.cloudfunc.gateway.stats;
