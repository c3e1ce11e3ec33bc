package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** An invocation record as the API shows it. Timings are null until reached. */
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
        Long durationMs) {
}
