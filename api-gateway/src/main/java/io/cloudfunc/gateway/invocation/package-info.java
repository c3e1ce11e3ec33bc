/**
 * Invocations: the invoke endpoint (event checks, the request published to the schedulers' intake queue with the raw
 * bytes, replies matched on this instance's reply queue and mapped to HTTP) and invocation records.
 */
package io.cloudfunc.gateway.invocation;
