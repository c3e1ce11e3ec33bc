package io.cloudfunc.contracts.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key as the API lists it: never its secret, never the secret's hash.
 *
 * @param prefix     the secret's first few characters, to recognise a key
 * @param rateLimit  the key's own rate limit, or null when its role's applies
 * @param expiresAt  null: never expires
 * @param revokedAt  null: not revoked
 * @param lastUsedAt when the gateway last verified the key (it caches verifications for a few seconds), or null
 */
public record ApiKeyView(
        UUID id,
        String name,
        ApiKeyRole role,
        String prefix,
        RateLimit rateLimit,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt,
        Instant lastUsedAt) {
}
