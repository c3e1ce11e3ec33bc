package io.cloudfunc.registry.function;

import io.cloudfunc.registry.RegistryProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encrypts a version's secrets at rest: AES-256-GCM over the JSON object of its secrets, a fresh 12-byte nonce per
 * encryption stored in front of the ciphertext, and the function's name as associated data, so that a ciphertext
 * copied to another function's row does not decrypt.
 */
@Component
public class SecretsCipher {

    private static final Logger log = LoggerFactory.getLogger(SecretsCipher.class);
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() { };

    private final SecretKey key;
    private final JsonMapper json;
    private final SecureRandom random = new SecureRandom();

    SecretsCipher(RegistryProperties properties, JsonMapper json) {
        this.key = new SecretKeySpec(loadKey(properties.secrets()), "AES");
        this.json = json;
    }

    /** Null for no secrets, so that a version without any stores nothing. */
    public byte[] encrypt(String functionName, Map<String, String> secrets) {
        if (secrets.isEmpty()) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(functionName.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(json.writeValueAsBytes(new TreeMap<>(secrets)));
            byte[] stored = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, stored, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
            return stored;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The secrets {@link #encrypt} sealed; fails when the data was sealed with another key or for another function. */
    public Map<String, String> decrypt(String functionName, byte[] stored) {
        if (stored == null) {
            return Map.of();
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(functionName.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
            return json.readValue(plain, MAP);
        } catch (GeneralSecurityException e) {
            // Never the data itself in the message: only that the key does not fit.
            throw new IllegalStateException("the secrets of function " + functionName + " cannot be decrypted with"
                    + " the configured key (registry.secrets.key changed?)");
        }
    }

    static byte[] loadKey(RegistryProperties.Secrets settings) {
        if (settings.key() != null && !settings.key().isBlank()) {
            return decode(settings.key().strip(), "registry.secrets.key");
        }
        Path file = settings.keyFile();
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return decode(Files.readString(file).strip(), "the key file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secrets key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return; // another registry instance created it first: use theirs
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        log.warn("No registry.secrets.key (CLOUDFUNC_SECRETS_KEY) configured: generated a new key in {}. Keep that "
                + "file: secrets stored with it cannot be read without it.", file);
    }

    private static byte[] decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not valid base64 (expected base64 of 32 random bytes, "
                    + "e.g. from `openssl rand -base64 32`)");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(source + " must be base64 of exactly 32 bytes (AES-256), got "
                    + key.length + " bytes");
        }
        return key;
    }
}
