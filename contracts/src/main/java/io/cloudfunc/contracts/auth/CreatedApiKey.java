package io.cloudfunc.contracts.auth;

/**
 * The answer to {@code POST /keys}: the key and its secret, which is shown this once and never again (the platform
 * keeps only its SHA-256 hash).
 *
 * @param secret what a client sends as {@code Authorization: Bearer <secret>}
 */
public record CreatedApiKey(ApiKeyView key, String secret) {
}
