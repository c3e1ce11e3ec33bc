package io.cloudfunc.contracts.invocation;

/** Life of an invocation: QUEUED, then RUNNING, then one of the three final states. */
public enum InvocationStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT;
    }
}
