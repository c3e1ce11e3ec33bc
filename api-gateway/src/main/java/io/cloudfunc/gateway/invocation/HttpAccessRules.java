package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.function.HttpAccess;
import io.cloudfunc.gateway.downstream.RegistryService;
import io.cloudfunc.support.http.BufferedResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call a function over HTTP without an API key ({@link HttpAccess}): asked of the registry and remembered for
 * {@code gateway.auth.cache-ttl} (5 s), like the keys, so that a public function's calls do not each ask; a change
 * of a function's access applies within that time. An unknown function is remembered as key-only, so that an
 * anonymous caller learns nothing about which functions exist.
 */
final class HttpAccessRules {

    private static final HttpAccess KEY_ONLY = new HttpAccess(HttpAccess.KEY, null);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(HttpAccess access, long freshUntil) {
    }

    private final Function<String, HttpAccess> registry;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    HttpAccessRules(RegistryService registry, JsonMapper json, long ttlNanos) {
        this(name -> lookUp(registry, json, name), ttlNanos, System::nanoTime);
    }

    HttpAccessRules(Function<String, HttpAccess> registry, long ttlNanos, LongSupplier nanoTime) {
        this.registry = registry;
        this.ttlNanos = ttlNanos;
        this.nanoTime = nanoTime;
    }

    /** What a request without an API key may do. */
    enum Decision {
        /** The function is public, or the webhook signature matches. */
        ALLOWED,
        /** The function needs an API key (or does not exist). */
        NEEDS_KEY,
        /** A webhook function, and the signature is missing or does not match the body. */
        BAD_SIGNATURE
    }

    /** Whether a request without an API key may call the function {@code name} with this body and signature. */
    Decision withoutKey(String name, byte[] body, String signature) {
        HttpAccess access = of(name);
        return switch (access.mode()) {
            case HttpAccess.PUBLIC -> Decision.ALLOWED;
            case HttpAccess.WEBHOOK -> access.webhookSecret() != null
                    && isSigned(body, signature, access.webhookSecret()) ? Decision.ALLOWED : Decision.BAD_SIGNATURE;
            default -> Decision.NEEDS_KEY;
        };
    }

    private HttpAccess of(String name) {
        long now = nanoTime.getAsLong();
        Entry entry = cache.get(name);
        if (entry != null && now - entry.freshUntil() < 0) {
            return entry.access();
        }
        HttpAccess access = registry.apply(name);
        if (access == null || access.mode() == null) {
            access = KEY_ONLY;
        }
        if (ttlNanos > 0) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(name, new Entry(access, now + ttlNanos));
        }
        return access;
    }

    /**
     * GitHub's webhook signature: {@code sha256=} and the lower-case hex HMAC-SHA256 of the body keyed with the
     * secret's UTF-8 bytes, compared in constant time.
     */
    static boolean isSigned(byte[] body, String signature, String secret) {
        if (signature == null || !signature.startsWith(HttpAccess.SIGNATURE_PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.substring(HttpAccess.SIGNATURE_PREFIX.length()).strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(body, secret), given);
    }

    static byte[] hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static HttpAccess lookUp(RegistryService registry, JsonMapper json, String name) {
        BufferedResponse response = registry.get("/internal/functions/" + name + "/http-access");
        if (response.status() == 404) {
            return null;
        }
        if (response.status() != 200) {
            throw registry.unexpected(response);
        }
        try {
            return json.readValue(response.body(), HttpAccess.class);
        } catch (JacksonException e) {
            throw registry.unexpected(response);
        }
    }
}
