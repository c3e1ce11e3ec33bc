package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.auth.ApiKeySecrets;
import io.cloudfunc.support.http.BufferedResponse;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the key a secret belongs to, asking the registry by the secret's SHA-256 (the secret itself never leaves the
 * gateway) and remembering the answer for {@code gateway.auth.cache-ttl}, so that the invoke path does not call the
 * registry on every request. Unknown secrets are remembered too, so that a client retrying a wrong key does not
 * reach the registry each time. Revocation through this gateway evicts the key at once. When an entry goes stale,
 * one request asks the registry and concurrent requests with the same secret wait for its answer: without that, every
 * request in flight when the entry expired asked (64 registry calls, each updating the key's {@code last_used_at}
 * row under its lock, every 5 s at concurrency 64). A key revoked through any gateway is evicted on the registry's
 * {@code ApiKeyRevoked} event ({@link KeyEventsConfiguration}); an answer the registry gave before an eviction is
 * not cached after it, so that a look-up in flight cannot bring a revoked key back.
 */
final class KeyVerifier {

    private record Entry(ApiKeyView key, long freshUntil) {
    }

    /** The registry's answer for a hash: the key, or null when there is none. */
    private final Function<String, ApiKeyView> registry;
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    /** Registry look-ups in progress, by hash: one per secret at a time. */
    private final Map<String, CompletableFuture<ApiKeyView>> inFlight = new ConcurrentHashMap<>();
    /** Counts evictions: a look-up that saw another count when it began keeps its answer out of the cache. */
    private final AtomicLong evictions = new AtomicLong();

    KeyVerifier(RegistryService registry, JsonMapper json, GatewayProperties.Auth auth, LongSupplier nanoTime) {
        this(hash -> lookUp(registry, json, hash), auth, nanoTime);
    }

    KeyVerifier(Function<String, ApiKeyView> registry, GatewayProperties.Auth auth, LongSupplier nanoTime) {
        this.registry = registry;
        this.ttlNanos = auth.cacheTtl().toNanos();
        this.maxEntries = auth.maxCachedKeys();
        this.nanoTime = nanoTime;
    }

    /** The key whose secret this is (revoked and expired ones included), or empty when there is none. */
    Optional<ApiKeyView> find(String secret) {
        String hash = ApiKeySecrets.hash(secret);
        long now = nanoTime.getAsLong();
        Entry entry = cache.get(hash);
        if (entry != null && now - entry.freshUntil() < 0) {
            return Optional.ofNullable(entry.key());
        }
        var mine = new CompletableFuture<ApiKeyView>();
        CompletableFuture<ApiKeyView> other = inFlight.putIfAbsent(hash, mine);
        if (other != null) {
            return Optional.ofNullable(answerOf(other));
        }
        try {
            Entry fresh = cache.get(hash);
            ApiKeyView key;
            if (fresh != null && nanoTime.getAsLong() - fresh.freshUntil() < 0) {
                key = fresh.key(); // another request's look-up finished between our check and our claim
            } else {
                long evictionsBefore = evictions.get();
                key = registry.apply(hash);
                if (evictions.get() == evictionsBefore) {
                    remember(hash, key, now);
                }
            }
            mine.complete(key);
            return Optional.ofNullable(key);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(hash, mine);
        }
    }

    private void remember(String hash, ApiKeyView key, long now) {
        if (ttlNanos > 0) {
            if (cache.size() >= maxEntries) {
                makeRoom(now);
            }
            cache.put(hash, new Entry(key, now + ttlNanos));
        }
    }

    /** What another request's look-up of the same secret found; its failure (a problem) is this request's too. */
    private static ApiKeyView answerOf(CompletableFuture<ApiKeyView> lookUp) {
        try {
            return lookUp.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** Forgets a key (it was revoked, here or through another gateway), so that its next use asks the registry. */
    void evict(UUID keyId) {
        evictions.incrementAndGet();
        cache.values().removeIf(entry -> entry.key() != null && entry.key().id().equals(keyId));
    }

    /** Forgets every key: revocations may have been missed (the events queue was down with the connection). */
    void evictAll() {
        evictions.incrementAndGet();
        cache.clear();
    }

    private static ApiKeyView lookUp(RegistryService registry, JsonMapper json, String hash) {
        BufferedResponse response = registry.get("/internal/keys/by-hash/" + hash);
        if (response.status() == 404) {
            return null;
        }
        if (response.status() != 200) {
            throw registry.unexpected(response);
        }
        try {
            ApiKeyView key = json.readValue(response.body(), ApiKeyView.class);
            if (key == null || key.id() == null || key.role() == null) {
                throw registry.unexpected(response);
            }
            return key;
        } catch (JacksonException e) {
            throw registry.unexpected(response);
        }
    }

    /** Drops stale entries; if all are fresh (a flood of distinct secrets), starts over rather than grow. */
    private void makeRoom(long now) {
        cache.values().removeIf(entry -> now - entry.freshUntil() >= 0);
        if (cache.size() >= maxEntries) {
            cache.clear();
        }
    }
}
