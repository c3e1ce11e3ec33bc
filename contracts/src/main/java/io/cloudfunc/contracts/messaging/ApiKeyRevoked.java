package io.cloudfunc.contracts.messaging;

import java.time.Instant;
import java.util.UUID;

/**
 * Published by the function-registry to {@link Topology#EVENTS_EXCHANGE} with
 * {@link Topology#API_KEY_REVOKED_ROUTING_KEY} (type {@value Topology#TYPE_API_KEY_REVOKED}) once a key's revocation
 * has committed: every gateway forgets the key it cached, so that the key is refused everywhere at once, not only
 * after the cache's time to live.
 *
 * @param keyId     the revoked key
 * @param revokedAt when it was revoked (the first time, for a key revoked again)
 */
public record ApiKeyRevoked(UUID keyId, Instant revokedAt) {
}
