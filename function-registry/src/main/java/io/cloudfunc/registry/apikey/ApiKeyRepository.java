package io.cloudfunc.registry.apikey;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, UUID> {

    Optional<ApiKeyEntity> findBySecretSha256(String secretSha256);

    List<ApiKeyEntity> findAllByOrderByCreatedAtAscIdAsc();

    /**
     * Inserts a key unless one with the same hash exists, in one statement: several registries starting at once
     * with the same bootstrap key insert it once (the unique hash decides), and a restart inserts nothing.
     * Returns the number of rows inserted.
     */
    @Modifying
    @Query(value = """
            INSERT INTO api_keys (id, name, role, prefix, secret_sha256, created_at)
            VALUES (:id, :name, :role, :prefix, :hash, :createdAt)
            ON CONFLICT (secret_sha256) DO NOTHING""", nativeQuery = true)
    int insertIfAbsent(UUID id, String name, String role, String prefix, String hash, Instant createdAt);

    /**
     * The keys of a role that are not revoked, locked until the transaction ends: revocations of admin keys take
     * turns, so that two at once cannot both leave the other as the last one and revoke it.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select k from ApiKeyEntity k where k.role = :role and k.revokedAt is null")
    List<ApiKeyEntity> lockUnrevoked(ApiKeyRole role);

    /** Notes a use; a key verified again within a second is not written again. */
    @Modifying
    @Query("update ApiKeyEntity k set k.lastUsedAt = :at where k.id = :id "
            + "and (k.lastUsedAt is null or k.lastUsedAt < :notBefore)")
    int touch(UUID id, Instant at, Instant notBefore);
}
