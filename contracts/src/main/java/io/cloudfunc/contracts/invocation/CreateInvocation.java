package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Record an accepted invocation (status QUEUED) as it is published (the {@code created} list of an
 * {@code InvocationRecords} message): sent by the scheduler, and by the container-manager with a final state or a
 * retry so that a call no one recorded yet (an outside producer's) gets its event and acceptance time.
 *
 * @param mode     SYNC or ASYNC (absent means SYNC)
 * @param apiKeyId the API key that made the call, or null (a call that did not come through the gateway); an
 *                 invoker key reads only the invocations recorded with its id
 */
public record CreateInvocation(
        UUID id,
        String functionName,
        int version,
        JsonNode request,
        Instant acceptedAt,
        InvocationMode mode,
        UUID apiKeyId) {

    public CreateInvocation {
        mode = mode == null ? InvocationMode.SYNC : mode;
    }

    public CreateInvocation(UUID id, String functionName, int version, JsonNode request, Instant acceptedAt) {
        this(id, functionName, version, request, acceptedAt, InvocationMode.SYNC, null);
    }

    /** A call made without an API key. */
    public CreateInvocation(UUID id, String functionName, int version, JsonNode request, Instant acceptedAt,
            InvocationMode mode) {
        this(id, functionName, version, request, acceptedAt, mode, null);
    }
}
