package io.cloudfunc.contracts.auth;

import java.time.Instant;

/**
 * {@code POST /keys}: a new API key. The platform generates the secret and shows it once, in the answer.
 *
 * @param name      what the key is for (1 to 100 printable characters), shown in listings
 * @param role      what the key may do
 * @param expiresAt when the key stops working, or null for never; must lie in the future
 * @param rateLimit the key's own rate limit, or null for its role's
 */
public record CreateApiKey(String name, ApiKeyRole role, Instant expiresAt, RateLimit rateLimit) {
}
