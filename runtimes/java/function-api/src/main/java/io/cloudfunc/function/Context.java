package io.cloudfunc.function;

import java.util.Map;

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

    /**
     * What set the call off, as the platform describes it: for a schedule's tick {@code kind} "schedule",
     * {@code name} and {@code tick} (ISO-8601); for a queue trigger's message {@code kind} "rabbitmq", "mqtt" or
     * "nats", {@code name}, {@code source} and {@code headers} (a map of strings). Empty for a direct call; never
     * null; unmodifiable.
     */
    default Map<String, Object> trigger() {
        return Map.of();
    }

    /** Milliseconds left before the platform stops the call (never negative). */
    default long remainingTimeMs() {
        return Math.max(0, deadlineMs() - System.currentTimeMillis());
    }
}
