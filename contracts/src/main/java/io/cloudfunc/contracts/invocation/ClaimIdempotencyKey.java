package io.cloudfunc.contracts.invocation;

import java.util.UUID;

/**
 * {@code POST /internal/idempotency-keys} (gateway to registry): the gateway is about to run a call sent with an
 * {@code Idempotency-Key} header and asks whether the key is new.
 *
 * @param apiKeyId       the caller's API key: keys of different API keys never meet
 * @param idempotencyKey the header's value
 * @param fingerprint    what the call asks (function, mode, callback, event), hashed by the gateway
 * @param invocationId   the id the call gets if the key is new
 */
public record ClaimIdempotencyKey(UUID apiKeyId, String idempotencyKey, String fingerprint, UUID invocationId) {
}
