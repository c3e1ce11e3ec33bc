/**
 * Synchronous invocation: the internal invoke endpoint, recording and publishing an {@code InvokeFunction}, and
 * matching {@code InvocationCompleted} replies on this instance's reply queue to the callers waiting for them.
 */
package io.cloudfunc.scheduler.invocation;
