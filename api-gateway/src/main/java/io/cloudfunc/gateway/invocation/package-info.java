/**
 * Invocations: the synchronous invoke endpoint (event checks, forwarding the raw bytes to the scheduler, mapping the
 * {@code InvocationCompleted} to HTTP) and invocation records.
 */
package io.cloudfunc.gateway.invocation;
