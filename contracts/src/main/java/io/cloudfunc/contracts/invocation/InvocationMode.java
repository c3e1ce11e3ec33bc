package io.cloudfunc.contracts.invocation;

/**
 * How the caller waits for an invocation. SYNC: it waits for the reply, and the call is never retried. ASYNC: it
 * was answered 202 at once; a failure is retried by the function's policy ({@code maxRetries},
 * {@code retryBackoffMs}) and, when the last attempt fails too, the invocation is a dead letter.
 */
public enum InvocationMode {
    SYNC, ASYNC
}
