package io.cloudfunc.registry.idempotency;

import io.cloudfunc.contracts.invocation.ClaimIdempotencyKey;
import io.cloudfunc.contracts.invocation.IdempotencyKeyClaim;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code idempotency_keys} table. A claim is one statement that either inserts the key or, when its window has
 * passed, takes it over; PostgreSQL's unique key decides between gateways claiming the same key at once. Times are
 * the database's, so that the window does not depend on any service's clock.
 */
@Repository
class IdempotencyKeys {

    private static final String CLAIM = """
            INSERT INTO idempotency_keys (api_key_id, idempotency_key, fingerprint, invocation_id, created_at)
            VALUES (:apiKeyId, :key, :fingerprint, :invocationId, now())
            ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
                SET fingerprint = excluded.fingerprint, invocation_id = excluded.invocation_id,
                    created_at = excluded.created_at
                WHERE idempotency_keys.created_at < now() - make_interval(secs => :windowSeconds)
            RETURNING invocation_id""";

    private static final String EXISTING = """
            SELECT invocation_id, fingerprint FROM idempotency_keys
            WHERE api_key_id = :apiKeyId AND idempotency_key = :key""";

    private final JdbcClient jdbc;

    IdempotencyKeys(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * The key's invocation: the proposed one when the key was free (or past its window), else the first call's.
     * Empty only when the key was released between the two statements (the caller claims again).
     */
    Optional<IdempotencyKeyClaim> claim(ClaimIdempotencyKey claim, Duration window) {
        boolean claimed = jdbc.sql(CLAIM)
                .param("apiKeyId", claim.apiKeyId())
                .param("key", claim.idempotencyKey())
                .param("fingerprint", claim.fingerprint())
                .param("invocationId", claim.invocationId())
                .param("windowSeconds", (double) window.toMillis() / 1000)
                .query(UUID.class).optional().isPresent();
        if (claimed) {
            return Optional.of(new IdempotencyKeyClaim(true, claim.invocationId(), claim.fingerprint()));
        }
        return jdbc.sql(EXISTING)
                .param("apiKeyId", claim.apiKeyId())
                .param("key", claim.idempotencyKey())
                .query((row, n) -> new IdempotencyKeyClaim(false, row.getObject("invocation_id", UUID.class),
                        row.getString("fingerprint")))
                .optional();
    }

    /** Frees the key that names {@code invocationId}: that call was not taken, so a retry must run. */
    int release(UUID invocationId) {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE invocation_id = :id").param("id", invocationId).update();
    }

    /** Removes keys whose window has passed. */
    int purge(Duration window) {
        return jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => :seconds)")
                .param("seconds", (double) window.toMillis() / 1000)
                .update();
    }
}
