/**
 * Invocation: the internal invoke endpoint, recording and publishing an {@code InvokeFunction}; for synchronous calls
 * matching {@code InvocationCompleted} replies on this instance's reply queue to the callers waiting for them, for
 * asynchronous calls accepting them once the broker confirmed (QUEUED records written in batches).
 */
package io.cloudfunc.scheduler.invocation;
