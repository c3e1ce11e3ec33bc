package io.cloudfunc.contracts.messaging;

import java.util.UUID;

/**
 * Command: POST the final record of an invocation to its {@code callbackUrl}. Published by the container-manager
 * (persistent, confirmed) to {@link Topology#INVOCATIONS_EXCHANGE} with routing key
 * {@link Topology#CALLBACK_ROUTING_KEY} once the final state is recorded, and before the invocation's own message is
 * acknowledged; the scheduler consumes {@link Topology#CALLBACK_QUEUE} and delivers it.
 */
public record CallbackRequested(UUID invocationId, String functionName, String callbackUrl) {
}
