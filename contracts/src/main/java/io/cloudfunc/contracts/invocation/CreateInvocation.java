package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Scheduler to registry: record an accepted invocation (status QUEUED) before it is published. */
public record CreateInvocation(
        UUID id,
        String functionName,
        int version,
        JsonNode request,
        Instant acceptedAt) {
}
