package io.cloudfunc.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.RateLimit;
import io.cloudfunc.gateway.GatewayProperties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTests {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstThenRefillsAtTheRate() {
        var bucket = new TokenBucket(2, 3, 0);
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isEqualTo(SECOND / 2);
        assertThat(bucket.tryTake(SECOND / 4)).isEqualTo(SECOND / 4);
        assertThat(bucket.tryTake(SECOND / 2)).isZero();
        // never more than the burst, however long it waited
        long later = 100 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(later)).isZero();
        }
        assertThat(bucket.tryTake(later)).isPositive();
    }

    @Test
    void usesTheKeysOwnLimitOverItsRolesAndNoneForUnlimitedRoles() {
        var clock = new AtomicLong();
        var limiter = new RateLimiter(new GatewayProperties.RoleRateLimits(null, new GatewayProperties.Limit(1, 0),
                null, null), clock::get);
        ApiKeyView developer = key(ApiKeyRole.DEVELOPER, null);
        ApiKeyView generous = key(ApiKeyRole.DEVELOPER, new RateLimit(100, 100));
        ApiKeyView admin = key(ApiKeyRole.ADMIN, null);

        assertThat(limiter.tryAcquire(developer)).isZero();
        assertThat(limiter.tryAcquire(developer)).isEqualTo(SECOND);
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire(generous)).isZero();
            assertThat(limiter.tryAcquire(admin)).isZero();
        }
        assertThat(limiter.tryAcquire(generous)).isPositive();
        clock.addAndGet(SECOND);
        assertThat(limiter.tryAcquire(developer)).isZero();
    }

    @Test
    void limitsKeylessCallsPerClientAddress() {
        var clock = new AtomicLong();
        var limiter = new RateLimiter(new GatewayProperties.RoleRateLimits(null, null, null,
                new GatewayProperties.Limit(1, 2)), clock::get);

        assertThat(limiter.tryAcquireAnonymous("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquireAnonymous("10.0.0.1")).isZero();
        assertThat(limiter.tryAcquireAnonymous("10.0.0.1")).isEqualTo(SECOND);
        assertThat(limiter.tryAcquireAnonymous("10.0.0.2")).as("another address, its own bucket").isZero();
        clock.addAndGet(SECOND);
        assertThat(limiter.tryAcquireAnonymous("10.0.0.1")).isZero();
    }

    private static ApiKeyView key(ApiKeyRole role, RateLimit limit) {
        return new ApiKeyView(UUID.randomUUID(), "k", role, "cf_x", limit, null, null, null, null);
    }
}
