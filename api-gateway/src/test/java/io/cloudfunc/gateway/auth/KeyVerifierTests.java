package io.cloudfunc.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.gateway.GatewayProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KeyVerifierTests {

    private static final String SECRET = "cf_0123456789abcdef0123456789abcdef";
    private static final ApiKeyView KEY = new ApiKeyView(UUID.randomUUID(), "bench", ApiKeyRole.ADMIN, "cf_0123",
            null, Instant.EPOCH, null, null, null);
    private static final GatewayProperties.Auth AUTH = new GatewayProperties.Auth(Duration.ofSeconds(5), 100,
            new GatewayProperties.RoleRateLimits(null, null, null, null));

    private final AtomicLong now = new AtomicLong();

    @Test
    void asksTheRegistryOnceWhileTheKeyIsFresh() {
        AtomicInteger lookUps = new AtomicInteger();
        var verifier = new KeyVerifier(hash -> {
            lookUps.incrementAndGet();
            return KEY;
        }, AUTH, now::get);

        assertThat(verifier.find(SECRET)).contains(KEY);
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(verifier.find(SECRET)).contains(KEY);
        assertThat(lookUps).hasValue(1);

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(verifier.find(SECRET)).contains(KEY);
        assertThat(lookUps).hasValue(2);
    }

    @Test
    void concurrentRequestsWithAStaleKeyShareOneRegistryLookUp() throws Exception {
        AtomicInteger lookUps = new AtomicInteger();
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        Function<String, ApiKeyView> registry = hash -> {
            lookUps.incrementAndGet();
            asked.countDown();
            await(answer);
            return KEY;
        };
        var verifier = new KeyVerifier(registry, AUTH, now::get);

        List<Future<Optional<ApiKeyView>>> found = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            found.add(threads.submit(() -> verifier.find(SECRET)));
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 15; i++) {
                found.add(threads.submit(() -> verifier.find(SECRET)));
            }
            Thread.sleep(100); // let the others reach the look-up in progress
            answer.countDown();
            for (Future<Optional<ApiKeyView>> f : found) {
                assertThat(f.get(10, TimeUnit.SECONDS)).contains(KEY);
            }
        }
        assertThat(lookUps).hasValue(1);
    }

    @Test
    void aFailedLookUpFailsTheRequestsWaitingForItAndIsNotRemembered() {
        AtomicInteger lookUps = new AtomicInteger();
        var verifier = new KeyVerifier(hash -> {
            if (lookUps.incrementAndGet() == 1) {
                throw new IllegalStateException("registry down");
            }
            return null;
        }, AUTH, now::get);

        assertThatThrownBy(() -> verifier.find(SECRET)).hasMessage("registry down");
        assertThat(verifier.find(SECRET)).isEmpty();
        assertThat(lookUps).hasValue(2);
    }

    @Test
    void anEvictedKeyIsAskedForAgainAndAnAnswerGivenBeforeTheEvictionIsNotKept() {
        AtomicInteger lookUps = new AtomicInteger();
        var verifier = new KeyVerifier[1];
        verifier[0] = new KeyVerifier(hash -> {
            if (lookUps.incrementAndGet() == 2) {
                verifier[0].evict(KEY.id()); // the revocation's event arrives while this look-up is in flight
            }
            return KEY;
        }, AUTH, now::get);

        assertThat(verifier[0].find(SECRET)).contains(KEY);
        verifier[0].evict(KEY.id());
        assertThat(verifier[0].find(SECRET)).contains(KEY);
        assertThat(verifier[0].find(SECRET)).contains(KEY);
        assertThat(lookUps).hasValue(3);
        assertThat(verifier[0].find(SECRET)).contains(KEY);
        assertThat(lookUps).hasValue(3);
    }

    @Test
    void evictAllForgetsEveryKey() {
        AtomicInteger lookUps = new AtomicInteger();
        var verifier = new KeyVerifier(hash -> {
            lookUps.incrementAndGet();
            return KEY;
        }, AUTH, now::get);

        verifier.find(SECRET);
        verifier.evictAll();
        verifier.find(SECRET);

        assertThat(lookUps).hasValue(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
