package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Body of the 202 answered to an asynchronous invoke: the call is durable in RabbitMQ and recorded as QUEUED.
 *
 * @param links {@code self}: the invocation record ({@code /invocations/{id}}); {@code function}: the function
 */
public record AsyncInvocationAccepted(
        UUID invocationId,
        String functionName,
        int version,
        InvocationStatus status,
        Instant acceptedAt,
        Map<String, String> links) {

    public AsyncInvocationAccepted {
        links = links == null ? Map.of() : Map.copyOf(links);
    }
}
