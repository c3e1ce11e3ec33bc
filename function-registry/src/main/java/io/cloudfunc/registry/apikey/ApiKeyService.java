package io.cloudfunc.registry.apikey;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.CreateApiKey;
import io.cloudfunc.contracts.auth.CreatedApiKey;
import io.cloudfunc.contracts.auth.RateLimit;
import io.cloudfunc.contracts.messaging.ApiKeyRevoked;
import io.cloudfunc.registry.problem.RegistryProblems;
import io.cloudfunc.support.auth.ApiKeySecrets;
import io.cloudfunc.support.problem.Problems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists, revokes and verifies API keys. Secrets are generated here and returned once; only their SHA-256
 * is stored.
 */
@Service
public class ApiKeyService {

    static final int MAX_NAME_LENGTH = 100;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final ApiKeyRepository keys;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ApiKeyService(ApiKeyRepository keys, ApplicationEventPublisher events) {
        this.keys = keys;
        this.events = events;
        this.clock = Clock.systemUTC();
    }

    @Transactional
    public CreatedApiKey create(CreateApiKey request) {
        if (request == null) {
            throw Problems.invalidRequest("the body must be a JSON object with name and role");
        }
        String name = checkedName(request.name());
        if (request.role() == null) {
            throw Problems.invalidRequest("role is required: admin, developer or invoker");
        }
        Instant now = now();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw Problems.invalidRequest("expiresAt " + request.expiresAt() + " is not in the future");
        }
        checkRateLimit(request.rateLimit());
        String secret = ApiKeySecrets.generate();
        var entity = new ApiKeyEntity(UUID.randomUUID(), name, request.role(), ApiKeySecrets.displayPrefix(secret),
                ApiKeySecrets.hash(secret), request.rateLimit(), now,
                request.expiresAt() == null ? null : micros(request.expiresAt()));
        return new CreatedApiKey(keys.saveAndFlush(entity).toView(), secret);
    }

    @Transactional(readOnly = true)
    public List<ApiKeyView> list() {
        return keys.findAllByOrderByCreatedAtAscIdAsc().stream().map(ApiKeyEntity::toView).toList();
    }

    @Transactional(readOnly = true)
    public ApiKeyView get(UUID id) {
        return keys.findById(id).map(ApiKeyEntity::toView).orElseThrow(() -> RegistryProblems.apiKeyNotFound(id));
    }

    /**
     * Revokes the key (idempotent: a revoked key stays revoked as of the first time). The last admin key that can
     * still be used is not revoked (409): without one, nobody could create or revoke keys any more. Once committed,
     * {@link ApiKeyRevoked} tells every gateway to forget the key it cached.
     */
    @Transactional
    public ApiKeyView revoke(UUID id) {
        ApiKeyEntity entity = keys.findById(id).orElseThrow(() -> RegistryProblems.apiKeyNotFound(id));
        Instant now = now();
        if (entity.activeAdminAt(now) && keys.lockUnrevoked(ApiKeyRole.ADMIN).stream()
                .noneMatch(other -> !other.getId().equals(id) && other.activeAdminAt(now))) {
            throw RegistryProblems.lastAdminKey(id);
        }
        entity.revoke(now);
        ApiKeyView revoked = keys.saveAndFlush(entity).toView();
        events.publishEvent(new ApiKeyRevoked(revoked.id(), revoked.revokedAt()));
        return revoked;
    }

    /**
     * The key whose secret has this SHA-256 (lower-case hex), revoked and expired ones included (the gateway tells
     * the caller which), and notes that it was used. 404 when there is none.
     */
    @Transactional
    public ApiKeyView verify(String hash) {
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw Problems.invalidRequest("a key hash is 64 lower-case hexadecimal characters");
        }
        ApiKeyEntity entity = keys.findBySecretSha256(hash)
                .filter(found -> ApiKeySecrets.sameHash(found.secretSha256(), hash))
                .orElseThrow(RegistryProblems::apiKeyHashNotFound);
        Instant now = now();
        keys.touch(entity.getId(), now, now.minus(Duration.ofSeconds(1)));
        return entity.toView();
    }

    /**
     * Makes {@code secret} an admin key named {@code name} unless a key with its hash exists (even a revoked one: a
     * revoked bootstrap key stays revoked across restarts). Returns whether it was inserted.
     */
    @Transactional
    public boolean bootstrap(String secret, String name) {
        return keys.insertIfAbsent(UUID.randomUUID(), name, ApiKeyRole.ADMIN.name(),
                ApiKeySecrets.displayPrefix(secret), ApiKeySecrets.hash(secret), now()) == 1;
    }

    private static String checkedName(String name) {
        if (name == null || name.isBlank()) {
            throw Problems.invalidRequest("name is required: what the key is for, e.g. \"ci-deployer\"");
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME_LENGTH) {
            throw Problems.invalidRequest("name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (stripped.chars().anyMatch(Character::isISOControl)) {
            throw Problems.invalidRequest("name must not contain control characters");
        }
        return stripped;
    }

    private static void checkRateLimit(RateLimit limit) {
        if (limit == null) {
            return;
        }
        if (limit.requestsPerSecond() < 0) {
            throw Problems.invalidRequest("rateLimit.requestsPerSecond must be 0 (unlimited) or more");
        }
        if (limit.burst() < 1) {
            throw Problems.invalidRequest("rateLimit.burst must be 1 or more");
        }
    }

    private Instant now() {
        return micros(clock.instant());
    }

    /** PostgreSQL keeps microseconds: answering with what is stored keeps every read of a key the same. */
    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
