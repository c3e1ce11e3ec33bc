/**
 * Invocation: the consumer of the intake queue. Each request is resolved, checked against its deadline, placed on a
 * node ({@code placement}) and forwarded to that node's queue with the caller's {@code reply_to} kept; asynchronous
 * calls are accepted once their forward and QUEUED record are confirmed; problems go straight to the caller.
 */
package io.cloudfunc.scheduler.invocation;
