package io.cloudfunc.runtime;

import io.cloudfunc.function.Context;
import java.util.Map;

/** The context of one call, as the function sees it. */
record InvocationContext(String invocationId, String functionName, int functionVersion, int memoryLimitInMb,
                         long timeoutMs, long deadlineMs, int attempt, Map<String, Object> trigger)
        implements Context {

    InvocationContext {
        attempt = Math.max(1, attempt); // absent (0) from a manager that predates it
        trigger = trigger == null ? Map.of() : trigger; // absent for a direct call
    }
}
