package io.cloudfunc.function;

/** Facts about the running invocation, given to every call. */
public interface Context {

    /** The invocation id (a UUID). */
    String invocationId();

    String functionName();

    int functionVersion();

    /** The container's memory limit, in MiB. */
    int memoryLimitInMb();

    /** The function's timeout, in milliseconds. */
    long timeoutMs();

    /** Epoch milliseconds after which the platform stops the call. */
    long deadlineMs();

    /**
     * Which attempt of the invocation this is: 1 for the first run, 2 for the first retry of a failed asynchronous
     * call, and so on (the invocation id stays the same).
     */
    default int attempt() {
        return 1;
    }

    /** Milliseconds left before the platform stops the call (never negative). */
    default long remainingTimeMs() {
        return Math.max(0, deadlineMs() - System.currentTimeMillis());
    }
}
