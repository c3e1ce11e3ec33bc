package io.cloudfunc.registry.apikey;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.RateLimit;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/** One API key: its role, limits and life, and the SHA-256 of its secret (never the secret). */
@Entity
@Table(name = "api_keys")
class ApiKeyEntity implements Persistable<UUID> {

    @Id
    private UUID id;

    @Column(nullable = false, updatable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private ApiKeyRole role;

    @Column(nullable = false, updatable = false)
    private String prefix;

    @Column(name = "secret_sha256", nullable = false, updatable = false)
    private String secretSha256;

    @Column(name = "rate_per_second", updatable = false)
    private Integer ratePerSecond;

    @Column(name = "rate_burst", updatable = false)
    private Integer rateBurst;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", updatable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Transient
    private boolean isNew = true;

    protected ApiKeyEntity() {
    }

    ApiKeyEntity(UUID id, String name, ApiKeyRole role, String prefix, String secretSha256, RateLimit rateLimit,
            Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.name = name;
        this.role = role;
        this.prefix = prefix;
        this.secretSha256 = secretSha256;
        this.ratePerSecond = rateLimit == null ? null : rateLimit.requestsPerSecond();
        this.rateBurst = rateLimit == null ? null : rateLimit.burst();
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    String secretSha256() {
        return secretSha256;
    }

    /** An admin key that can still be used at {@code now} (not revoked, not expired). */
    boolean activeAdminAt(Instant now) {
        return role == ApiKeyRole.ADMIN && revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** Revokes the key once; revoking it again keeps the first time. */
    void revoke(Instant at) {
        if (revokedAt == null) {
            revokedAt = at;
        }
    }

    ApiKeyView toView() {
        RateLimit rateLimit = ratePerSecond == null ? null : new RateLimit(ratePerSecond, rateBurst);
        return new ApiKeyView(id, name, role, prefix, rateLimit, createdAt, expiresAt, revokedAt, lastUsedAt);
    }

    @Override
    public UUID getId() {
        return id;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markNotNew() {
        this.isNew = false;
    }
}
