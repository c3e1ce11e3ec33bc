package io.cloudfunc.contracts.invocation;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Invocation ids: time-ordered UUIDs (RFC 9562 version 7: 48 bits of Unix milliseconds, then random bits), so that
 * whoever holds an id knows roughly when the call was accepted (the registry waits a moment for the record of a
 * call accepted just now instead of answering 404) and records sort by acceptance in the index.
 */
public final class InvocationIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private InvocationIds() {
    }

    public static UUID newId() {
        return newId(System.currentTimeMillis());
    }

    static UUID newId(long epochMillis) {
        long random = RANDOM.nextLong();
        long high = (epochMillis << 16) | 0x7000L | ((random >>> 52) & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    /** When a version 7 id was made; null for any other kind of UUID (an outside producer's random id). */
    public static Instant createdAt(UUID id) {
        if (id == null || id.version() != 7) {
            return null;
        }
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }

    /** True for a version 7 id made less than {@code window} ago (and not in the future by more than that). */
    public static boolean isRecent(UUID id, Duration window) {
        Instant created = createdAt(id);
        if (created == null) {
            return false;
        }
        Duration age = Duration.between(created, Instant.now());
        return age.compareTo(window) < 0 && age.compareTo(window.negated()) > 0;
    }
}
