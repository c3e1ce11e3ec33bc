/**
 * Callbacks: the consumer of {@code cloudfunc.callbacks} that POSTs the final record of an asynchronous invocation to
 * the {@code callbackUrl} its caller gave, with a bounded number of tries.
 */
package io.cloudfunc.scheduler.callback;
