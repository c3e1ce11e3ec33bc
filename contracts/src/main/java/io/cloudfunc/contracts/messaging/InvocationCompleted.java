package io.cloudfunc.contracts.messaging;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Event: an invocation reached its final state. Sent by the container-manager to the {@code reply_to} of the
 * {@link InvokeFunction} (if any), and recorded in the registry (in the {@code completed} list of an
 * {@link InvocationRecords} message).
 *
 * @param status       SUCCEEDED, FAILED or TIMED_OUT
 * @param startType    cold, prewarmed or warm; null when no container was reached
 * @param result       the function's return value when SUCCEEDED
 * @param error        what went wrong otherwise
 * @param errorKind    FUNCTION when the user's code raised, PLATFORM when the platform failed
 * @param logs         what the function wrote to stdout/stderr during the call (capped)
 * @param durationMs   time spent in the function's container for this call
 * @param attempt      the attempt that ended the invocation, 1 for the first (absent or 0 means 1)
 * @param deadLettered true when an ASYNC invocation failed on its last attempt (it is listed as a dead letter)
 * @param mode         SYNC or ASYNC, as the invocation was sent (absent means SYNC)
 */
public record InvocationCompleted(
        UUID invocationId,
        String functionName,
        int version,
        InvocationStatus status,
        StartType startType,
        JsonNode result,
        FunctionError error,
        ErrorKind errorKind,
        String logs,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        Integer attempt,
        Boolean deadLettered,
        InvocationMode mode) {

    public InvocationCompleted {
        attempt = attempt == null ? 1 : Math.max(1, attempt);
        deadLettered = Boolean.TRUE.equals(deadLettered);
        mode = mode == null ? InvocationMode.SYNC : mode;
    }

    /** The outcome of a synchronous call's only attempt. */
    public InvocationCompleted(UUID invocationId, String functionName, int version, InvocationStatus status,
                               StartType startType, JsonNode result, FunctionError error, ErrorKind errorKind,
                               String logs, Instant startedAt, Instant finishedAt, long durationMs) {
        this(invocationId, functionName, version, status, startType, result, error, errorKind, logs, startedAt,
                finishedAt, durationMs, 1, false, InvocationMode.SYNC);
    }

    /**
     * A call the platform did not run (not started before its deadline, a forward the broker refused): a platform
     * error with no container, no result and no logs, ended now.
     */
    public static InvocationCompleted notRun(UUID invocationId, String functionName, int version,
                                             InvocationStatus status, String errorType, String message, int attempt,
                                             InvocationMode mode) {
        return new InvocationCompleted(invocationId, functionName, version, status, null, null,
                FunctionError.of(errorType, message), ErrorKind.PLATFORM, "", null, Instant.now(), 0, attempt, false,
                mode);
    }

    /** The same outcome, as the given attempt of a call sent in the given mode, dead-lettered or not. */
    public InvocationCompleted asAttempt(InvocationMode sentAs, int attemptNumber, boolean lastFailed) {
        return new InvocationCompleted(invocationId, functionName, version, status, startType, result, error,
                errorKind, logs, startedAt, finishedAt, durationMs, attemptNumber, lastFailed, sentAs);
    }
}
