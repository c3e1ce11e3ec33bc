package io.cloudfunc.contracts.auth;

/**
 * A token bucket: {@code burst} requests at once, refilled at {@code requestsPerSecond}. On a key, it replaces the
 * limit of the key's role.
 *
 * @param requestsPerSecond sustained rate; 0 means unlimited
 * @param burst             most requests at once (the bucket's size); at least 1 when the rate is limited
 */
public record RateLimit(int requestsPerSecond, int burst) {
}
