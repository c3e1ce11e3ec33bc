package io.cloudfunc.support.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key secrets: how they are made, recognised and hashed. The platform stores only the SHA-256 of a secret: a
 * generated secret carries 256 random bits, so a fast hash is enough (nobody can guess a preimage), and looking a key
 * up by its hash costs one index probe instead of a password-hash computation on every request.
 */
public final class ApiKeySecrets {

    /** Every generated secret starts with this, so that it is recognisable in a config file or a leak scanner. */
    public static final String PREFIX = "cf_";
    /** Shortest secret accepted (a bootstrap key chosen by an operator included). */
    public static final int MIN_LENGTH = 20;
    /** Longest secret accepted. */
    public static final int MAX_LENGTH = 256;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private ApiKeySecrets() {
    }

    /** A new secret: {@code cf_} and 32 random bytes in base64url (46 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + BASE64URL.encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the secret's UTF-8 bytes: what is stored and looked up. */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean sameHash(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
                b.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Whether {@code secret} can be a secret at all: {@link #MIN_LENGTH} to {@link #MAX_LENGTH} visible ASCII
     * characters (what fits in an HTTP header unquoted). Anything else is refused without a lookup.
     */
    public static boolean isWellFormed(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH || secret.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first characters of the secret, shown in listings to tell keys apart: 7 of a generated secret ({@code cf_}
     * and 4 random characters, 24 of its 256 bits), fewer of a short one.
     */
    public static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(7, secret.length() / 4));
    }
}
