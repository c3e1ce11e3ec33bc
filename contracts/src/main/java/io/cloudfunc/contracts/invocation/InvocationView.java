package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * An invocation record as the API shows it. Timings are null until reached.
 *
 * @param mode         SYNC or ASYNC
 * @param attempt      the current (or last) attempt, 1 for the first; above 1 only for retried ASYNC calls
 * @param deadLettered true when an ASYNC call failed on its last attempt (see {@code GET /dead-letters})
 * @param nextAttemptAt when a retried ASYNC call runs again (status QUEUED after a failed attempt), else null
 */
public record InvocationView(
        UUID id,
        String functionName,
        int version,
        InvocationStatus status,
        StartType startType,
        JsonNode request,
        JsonNode result,
        FunctionError error,
        ErrorKind errorKind,
        String logs,
        Instant acceptedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        InvocationMode mode,
        Integer attempt,
        Boolean deadLettered,
        Instant nextAttemptAt) {

    public InvocationView {
        mode = mode == null ? InvocationMode.SYNC : mode;
        attempt = attempt == null ? 1 : Math.max(1, attempt);
        deadLettered = Boolean.TRUE.equals(deadLettered);
    }

    /** A synchronous call's record. */
    public InvocationView(UUID id, String functionName, int version, InvocationStatus status, StartType startType,
                          JsonNode request, JsonNode result, FunctionError error, ErrorKind errorKind, String logs,
                          Instant acceptedAt, Instant startedAt, Instant finishedAt, Long durationMs) {
        this(id, functionName, version, status, startType, request, result, error, errorKind, logs, acceptedAt,
                startedAt, finishedAt, durationMs, InvocationMode.SYNC, 1, false, null);
    }
}
