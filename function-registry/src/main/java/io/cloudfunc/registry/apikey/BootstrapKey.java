package io.cloudfunc.registry.apikey;

import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.support.auth.ApiKeySecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Installs the operator's first admin key at startup, from {@code CLOUDFUNC_BOOTSTRAP_KEY} or the file named by
 * {@code CLOUDFUNC_BOOTSTRAP_KEY_FILE} ({@code registry.auth.*}): without it, nobody could create the first key.
 * Idempotent across restarts and concurrent starts (an insert that does nothing when the hash exists), and a revoked
 * bootstrap key is not brought back. An unusable bootstrap key stops the registry: starting without the key the
 * operator meant would lock them out.
 */
@Component
class BootstrapKey implements ApplicationRunner {

    static final String NAME = "bootstrap";
    private static final Logger log = LoggerFactory.getLogger(BootstrapKey.class);

    private final RegistryProperties.Auth auth;
    private final ApiKeyService keys;

    BootstrapKey(RegistryProperties properties, ApiKeyService keys) {
        this.auth = properties.auth();
        this.keys = keys;
    }

    @Override
    public void run(ApplicationArguments args) {
        String secret = secret();
        if (secret == null) {
            log.info("No bootstrap API key configured (CLOUDFUNC_BOOTSTRAP_KEY or CLOUDFUNC_BOOTSTRAP_KEY_FILE)");
            return;
        }
        if (!ApiKeySecrets.isWellFormed(secret)) {
            throw new IllegalStateException("The bootstrap API key must be " + ApiKeySecrets.MIN_LENGTH + " to "
                    + ApiKeySecrets.MAX_LENGTH + " visible ASCII characters without spaces (e.g. the output of "
                    + "'openssl rand -hex 32')");
        }
        if (keys.bootstrap(secret, NAME)) {
            log.info("Bootstrap admin API key installed (prefix {})", ApiKeySecrets.displayPrefix(secret));
        } else {
            log.info("Bootstrap admin API key already present (prefix {})", ApiKeySecrets.displayPrefix(secret));
        }
    }

    /** The configured secret, or null; the variable wins over the file. Surrounding whitespace is not part of it. */
    private String secret() {
        if (auth.bootstrapKey() != null && !auth.bootstrapKey().isBlank()) {
            return auth.bootstrapKey().strip();
        }
        if (auth.bootstrapKeyFile() == null || auth.bootstrapKeyFile().isBlank()) {
            return null;
        }
        Path file = Path.of(auth.bootstrapKeyFile().strip());
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the bootstrap API key file " + file + ": " + e, e);
        }
    }
}
