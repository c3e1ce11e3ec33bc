package io.cloudfunc.contracts.messaging;

import io.cloudfunc.contracts.invocation.InvocationMode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Command: run one invocation. Published to {@link Topology#INVOCATIONS_EXCHANGE} with routing key
 * {@link Topology#INVOKE_ROUTING_KEY}, persistent, content type application/json. When the AMQP {@code reply_to}
 * property is set, an {@link InvocationCompleted} is sent there with the same {@code correlation_id} (for an ASYNC
 * call: only its final outcome, after the retries).
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
 * @param mode         SYNC (the default when absent: never retried) or ASYNC (retried by the function's policy,
 *                     dead-lettered after the last failed attempt)
 * @param attempt      which run of the call this is, 1 for the first (absent or 0 means 1; boxed, like the new
 *                     fields of the other records, so that a message without it still reads): every run counts, a
 *                     retry by the function's policy, a platform retry and a redelivery after a crash alike
 * @param callbackUrl  http(s) URL that receives the final invocation record of an ASYNC call, or null
 * @param apiKeyId     the id of the API key the call was made with, or null (optional). Informational: the scheduler
 *                     records it on the invocation itself; a container-manager does not need it to run the call.
 * @param platformRetries how many of the runs before this one the platform ran again for its own sake (a platform
 *                     failure, a redelivery after a crash): they do not count against the function's
 *                     {@code maxRetries}, which is for the function's own errors (absent means 0)
 * @param trigger      what set the call off, for the handler's context, or null for a direct call (optional): a JSON
 *                     object whose {@code kind} says what the other fields are: {@code "schedule"} with
 *                     {@code name} and {@code tick}; {@code "rabbitmq"}, {@code "mqtt"} or {@code "nats"} with
 *                     {@code name} (the trigger's), {@code source} (queue, topic or subject) and {@code headers}
 *                     (docs/messaging.md). The container-manager hands it to the runtime unread, on every attempt
 */
public record InvokeFunction(
        UUID invocationId,
        String functionName,
        int version,
        JsonNode payload,
        Instant acceptedAt,
        String codeSha256,
        InvocationMode mode,
        Integer attempt,
        String callbackUrl,
        UUID apiKeyId,
        Integer platformRetries,
        Map<String, Object> trigger) {

    public InvokeFunction {
        mode = mode == null ? InvocationMode.SYNC : mode;
        attempt = attempt == null ? 1 : Math.max(1, attempt);
        platformRetries = platformRetries == null ? 0 : Math.clamp(platformRetries, 0, attempt - 1);
    }

    /** A call that names no trigger. */
    public InvokeFunction(UUID invocationId, String functionName, int version, JsonNode payload, Instant acceptedAt,
                          String codeSha256, InvocationMode mode, Integer attempt, String callbackUrl,
                          UUID apiKeyId, Integer platformRetries) {
        this(invocationId, functionName, version, payload, acceptedAt, codeSha256, mode, attempt, callbackUrl,
                apiKeyId, platformRetries, null);
    }

    /** A call that no platform retry ran before. */
    public InvokeFunction(UUID invocationId, String functionName, int version, JsonNode payload, Instant acceptedAt,
                          String codeSha256, InvocationMode mode, Integer attempt, String callbackUrl,
                          UUID apiKeyId) {
        this(invocationId, functionName, version, payload, acceptedAt, codeSha256, mode, attempt, callbackUrl,
                apiKeyId, 0);
    }

    /** A synchronous first attempt. */
    public InvokeFunction(UUID invocationId, String functionName, int version, JsonNode payload, Instant acceptedAt,
                          String codeSha256) {
        this(invocationId, functionName, version, payload, acceptedAt, codeSha256, InvocationMode.SYNC, 1, null, null);
    }

    /** A call that names no API key. */
    public InvokeFunction(UUID invocationId, String functionName, int version, JsonNode payload, Instant acceptedAt,
                          String codeSha256, InvocationMode mode, Integer attempt, String callbackUrl) {
        this(invocationId, functionName, version, payload, acceptedAt, codeSha256, mode, attempt, callbackUrl, null);
    }

    /** The same call, as its next attempt (a retry by the function's policy). */
    public InvokeFunction nextAttempt() {
        return new InvokeFunction(invocationId, functionName, version, payload, acceptedAt, codeSha256, mode,
                attempt + 1, callbackUrl, apiKeyId, platformRetries, trigger);
    }

    /** The same call, run again by the platform {@code runs} more times (a platform failure, a redelivery). */
    public InvokeFunction platformRetry(int runs) {
        return new InvokeFunction(invocationId, functionName, version, payload, acceptedAt, codeSha256, mode,
                attempt + runs, callbackUrl, apiKeyId, platformRetries + runs, trigger);
    }

    /** The same call, set off by {@code trigger} (see the record's description). */
    public InvokeFunction withTrigger(Map<String, Object> trigger) {
        return new InvokeFunction(invocationId, functionName, version, payload, acceptedAt, codeSha256, mode,
                attempt, callbackUrl, apiKeyId, platformRetries, trigger);
    }

    /** Attempts so far, this one included, that count against the function's {@code maxRetries}. */
    public int policyAttempt() {
        return attempt - platformRetries;
    }
}
