package io.cloudfunc.contracts.messaging;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Command: run one invocation. Published to {@link Topology#INVOCATIONS_EXCHANGE} with routing key
 * {@link Topology#INVOKE_ROUTING_KEY}, persistent, content type application/json. When the AMQP {@code reply_to}
 * property is set, an {@link InvocationCompleted} is sent there with the same {@code correlation_id}.
 *
 * @param invocationId id of the invocation record (created by the scheduler as QUEUED)
 * @param functionName function to run
 * @param version      version to run
 * @param payload      the event: any JSON value
 * @param acceptedAt   when the platform accepted the call
 * @param codeSha256   SHA-256 (lower-case hex) of the code archive of the version the producer meant to run, or null.
 *                     Version numbers start again at 1 after a function is deleted, so (name, version) alone can name
 *                     other code than the producer saw; with the digest the container-manager runs exactly that code
 *                     or fails the call. The scheduler always sets it; optional for other producers.
 */
public record InvokeFunction(
        UUID invocationId,
        String functionName,
        int version,
        JsonNode payload,
        Instant acceptedAt,
        String codeSha256) {
}
