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
 */
public record InvokeFunction(
        UUID invocationId,
        String functionName,
        int version,
        JsonNode payload,
        Instant acceptedAt) {
}
