package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.invocation.ClaimIdempotencyKey;
import io.cloudfunc.contracts.invocation.IdempotencyKeyClaim;
import io.cloudfunc.contracts.invocation.InvocationIds;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.InvocationView;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.http.BufferedResponse;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Invoke calls sent with an {@code Idempotency-Key} header (docs/api.md, "Idempotent retries"): the key, per API key
 * and within the registry's window, names the first call's invocation, and a retry with the same key and the same
 * request gets that invocation instead of running the function again. Only requests with the header come here: a
 * call without it pays nothing.
 * <ul>
 * <li>a new key: the registry stores it with the id the call then runs under; when the platform did not take the
 * call (a problem answered before it was handed over) the key is released, so that a retry runs it;</li>
 * <li>the same key and request, asynchronous: 202 with the first invocation, as its record stands;</li>
 * <li>the same key and request, synchronous: the first call's answer once it has finished (rebuilt from its record),
 * or 409 {@code idempotency-key-in-use} with {@code Retry-After} while it runs;</li>
 * <li>the same key with another function, mode, callback or event: 422 {@code idempotency-key-reused}.</li>
 * </ul>
 * Replayed answers carry {@code Idempotent-Replayed: true}.
 */
final class IdempotentInvocations {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    /** Seconds a caller is told to wait before retrying a call still in progress. */
    private static final String RETRY_AFTER_SECONDS = "1";
    private static final Logger log = LoggerFactory.getLogger(IdempotentInvocations.class);

    private final RegistryService registry;
    private final JsonMapper json;

    IdempotentInvocations(RegistryService registry, JsonMapper json) {
        this.registry = registry;
        this.json = json;
    }

    /**
     * The answer to a call with the header {@code headerValue}: the first call's, or {@code call}'s, run under the
     * id the key now names.
     */
    ResponseEntity<?> invoke(String headerValue, UUID apiKeyId, String reference, boolean async, String callbackUrl,
                             byte[] event, Function<UUID, ResponseEntity<?>> call) {
        String key = checked(headerValue);
        String fingerprint = fingerprint(reference, async, callbackUrl, event);
        BufferedResponse response = registry.post("/internal/idempotency-keys", MediaType.APPLICATION_JSON_VALUE,
                json.writeValueAsBytes(new ClaimIdempotencyKey(apiKeyId, key, fingerprint, InvocationIds.newId())));
        if (response.status() != 200) {
            return registry.relay(response);
        }
        IdempotencyKeyClaim claim = read(response, IdempotencyKeyClaim.class);
        if (claim == null || claim.invocationId() == null) {
            throw registry.unexpected(response);
        }
        if (!claim.claimed()) {
            if (!fingerprint.equals(claim.fingerprint())) {
                throw reused(key, claim.invocationId());
            }
            return replay(claim.invocationId(), async);
        }
        ResponseEntity<?> answer;
        try {
            answer = call.apply(claim.invocationId());
        } catch (ProblemException e) {
            if (!ProblemTypes.OUTCOME_UNKNOWN.equals(e.problem().getType())) {
                release(claim.invocationId());
            }
            throw e;
        }
        if (!answer.getStatusCode().is2xxSuccessful()
                && !answer.getHeaders().containsHeader(InvocationResponses.INVOCATION_ID)) {
            release(claim.invocationId()); // a problem the scheduler answered: the call was not taken
        }
        return answer;
    }

    /** The header's value, without the quotes of the IETF draft's string form: 1 to 255 printable ASCII characters. */
    static String checked(String headerValue) {
        String key = headerValue.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw Problems.invalidRequest(HEADER + " must be 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters (a UUID is a good key).");
        }
        return key;
    }

    /** What a call asks, hashed: the function reference, the mode, the callback and the event's bytes. */
    static String fingerprint(String reference, boolean async, String callbackUrl, byte[] event) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String head = reference + '\0' + (async ? "ASYNC" : "SYNC") + '\0'
                    + (callbackUrl == null ? "" : callbackUrl) + '\0';
            sha256.update(head.getBytes(StandardCharsets.UTF_8));
            sha256.update(event);
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private ResponseEntity<?> replay(UUID id, boolean async) {
        BufferedResponse response = registry.get("/internal/invocations/" + id);
        if (response.status() == 404) {
            return inUse(id, "is not recorded yet");
        }
        if (response.status() != 200) {
            return registry.relay(response);
        }
        InvocationView record = read(response, InvocationView.class);
        if (record == null || record.status() == null) {
            throw registry.unexpected(response);
        }
        if (async) {
            return accepted(record);
        }
        if (record.status() == InvocationStatus.QUEUED || record.status() == InvocationStatus.RUNNING) {
            return inUse(id, "is still " + record.status());
        }
        ResponseEntity<?> answer = InvocationResponses.toResponse(completed(record), json);
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).header(REPLAYED, "true")
                .body(answer.getBody());
    }

    private ResponseEntity<?> accepted(InvocationView record) {
        var body = new AsyncInvocationAccepted(record.id(), record.functionName(), record.version(), record.status(),
                record.acceptedAt(), Map.of("self", "/invocations/" + record.id(),
                        "function", "/functions/" + record.functionName()));
        return ResponseEntity.accepted()
                .location(URI.create("/invocations/" + record.id()))
                .header("Preference-Applied", "respond-async")
                .header(InvocationResponses.INVOCATION_ID, record.id().toString())
                .header(REPLAYED, "true")
                .contentType(MediaType.APPLICATION_JSON)
                .body(json.writeValueAsBytes(body));
    }

    private static InvocationCompleted completed(InvocationView record) {
        return new InvocationCompleted(record.id(), record.functionName(), record.version(), record.status(),
                record.startType(), record.result(), record.error(), record.errorKind(), record.logs(),
                record.startedAt(), record.finishedAt(), record.durationMs() == null ? 0 : record.durationMs(),
                record.attempt(), record.deadLettered(), record.mode());
    }

    /** Best effort: a key left claimed for a call that was not taken only makes its retries answer 409. */
    private void release(UUID id) {
        try {
            registry.delete("/internal/idempotency-keys/" + id);
        } catch (RuntimeException e) {
            log.warn("Could not release the idempotency key of invocation {}: {}", id, e.getMessage());
        }
    }

    private <T> T read(BufferedResponse response, Class<T> type) {
        try {
            return json.readValue(response.body(), type);
        } catch (JacksonException e) {
            throw registry.unexpected(response);
        }
    }

    private static ResponseEntity<ProblemDetail> inUse(UUID id, String state) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, ProblemTypes.IDEMPOTENCY_KEY_IN_USE,
                "The first call with this " + HEADER + " (invocation " + id + ") " + state
                        + "; retry after a moment to get its outcome.");
        problem.setProperty("invocationId", id);
        return ResponseEntity.status(HttpStatus.CONFLICT).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .header(InvocationResponses.INVOCATION_ID, id.toString())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ProblemException reused(String key, UUID id) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, ProblemTypes.IDEMPOTENCY_KEY_REUSED,
                "The " + HEADER + " '" + key + "' was used for another request (function, mode, callback or event)"
                        + " within its window; use a new key for a new request.");
        problem.setProperty("invocationId", id);
        return new ProblemException(problem);
    }
}
