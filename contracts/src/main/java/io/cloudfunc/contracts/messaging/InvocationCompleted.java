package io.cloudfunc.contracts.messaging;

import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Event: an invocation reached its final state. Sent by the container-manager to the {@code reply_to} of the
 * {@link InvokeFunction} (if any), and recorded in the registry (body of {@code PUT /internal/invocations/{id}}).
 *
 * @param status     SUCCEEDED, FAILED or TIMED_OUT
 * @param startType  cold, prewarmed or warm; null when no container was reached
 * @param result     the function's return value when SUCCEEDED
 * @param error      what went wrong otherwise
 * @param errorKind  FUNCTION when the user's code raised, PLATFORM when the platform failed
 * @param logs       what the function wrote to stdout/stderr during the call (capped)
 * @param durationMs time spent in the function's container for this call
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
        long durationMs) {
}
