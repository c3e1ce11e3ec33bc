package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.RateLimit;
import io.cloudfunc.gateway.GatewayProperties;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per API key, with the key's own limit or else its role's ({@code gateway.auth.rate-limits}).
 * Buckets live in this gateway's memory: with several gateways each enforces the limit on its own share.
 */
final class RateLimiter {

    private final GatewayProperties.RoleRateLimits roles;
    private final LongSupplier nanoTime;
    private final Map<UUID, TokenBucket> buckets = new ConcurrentHashMap<>();
    /** Keyless calls' buckets, per client address; dropped all at once past {@link #MAX_ADDRESSES} (a guard). */
    private final Map<String, TokenBucket> addresses = new ConcurrentHashMap<>();
    static final int MAX_ADDRESSES = 100_000;

    RateLimiter(GatewayProperties.RoleRateLimits roles, LongSupplier nanoTime) {
        this.roles = roles;
        this.nanoTime = nanoTime;
    }

    /** Takes one request from the key's bucket: 0 when allowed, else the nanoseconds to wait. */
    long tryAcquire(ApiKeyView key) {
        int perSecond;
        int burst;
        if (key.rateLimit() != null) {
            RateLimit own = key.rateLimit();
            perSecond = own.requestsPerSecond();
            burst = own.burst();
        } else {
            GatewayProperties.Limit limit = roleLimit(key.role());
            perSecond = limit.requestsPerSecond();
            burst = limit.burst() == 0 ? limit.requestsPerSecond() : limit.burst();
        }
        if (perSecond <= 0) {
            return 0;
        }
        long now = nanoTime.getAsLong();
        int size = Math.max(1, burst);
        TokenBucket bucket = buckets.get(key.id());
        if (bucket == null || !bucket.hasLimits(perSecond, size)) {
            // a new key, or its limit changed: a full bucket with the new limit
            bucket = buckets.compute(key.id(), (id, existing) ->
                    existing != null && existing.hasLimits(perSecond, size) ? existing
                            : new TokenBucket(perSecond, size, now));
        }
        return bucket.tryTake(now);
    }

    /**
     * Takes one request from the bucket of a client address calling without a key (a public or webhook HTTP
     * function): 0 when allowed, else the nanoseconds to wait.
     */
    long tryAcquireAnonymous(String address) {
        GatewayProperties.Limit limit = roles.anonymous();
        int perSecond = limit.requestsPerSecond();
        if (perSecond <= 0) {
            return 0;
        }
        int size = Math.max(1, limit.burst() == 0 ? perSecond : limit.burst());
        long now = nanoTime.getAsLong();
        if (addresses.size() >= MAX_ADDRESSES && !addresses.containsKey(address)) {
            addresses.clear(); // many addresses at once: start over rather than grow without bound
        }
        return addresses.computeIfAbsent(address, any -> new TokenBucket(perSecond, size, now)).tryTake(now);
    }

    void forget(UUID keyId) {
        buckets.remove(keyId);
    }

    private GatewayProperties.Limit roleLimit(ApiKeyRole role) {
        return switch (role) {
            case ADMIN -> roles.admin();
            case DEVELOPER -> roles.developer();
            case INVOKER -> roles.invoker();
        };
    }
}
