/** Invocation statistics as {@code GET /stats} and {@code GET /functions/{name}/stats} answer them. */
package io.cloudfunc.contracts.stats;
