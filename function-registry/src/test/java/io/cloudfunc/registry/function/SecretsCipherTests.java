package io.cloudfunc.registry.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.TestProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class SecretsCipherTests {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void roundTripsAndNeverStoresThePlainText() {
        SecretsCipher cipher = new SecretsCipher(properties(KEY, null), json);

        byte[] sealed = cipher.encrypt("fn", Map.of("TOKEN", "value-123"));

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("value-123").doesNotContain("TOKEN");
        assertThat(cipher.decrypt("fn", sealed)).isEqualTo(Map.of("TOKEN", "value-123"));
        assertThat(cipher.encrypt("fn", Map.of("TOKEN", "value-123"))).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(cipher.encrypt("fn", Map.of())).isNull();
        assertThat(cipher.decrypt("fn", null)).isEmpty();
    }

    @Test
    void aCiphertextMovedToAnotherFunctionOrReadWithAnotherKeyDoesNotDecrypt() {
        SecretsCipher cipher = new SecretsCipher(properties(KEY, null), json);
        byte[] sealed = cipher.encrypt("fn", Map.of("TOKEN", "value-123"));
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        SecretsCipher other = new SecretsCipher(properties(Base64.getEncoder().encodeToString(otherKey), null), json);

        assertThatThrownBy(() -> cipher.decrypt("other-fn", sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("value-123");
        assertThatThrownBy(() -> other.decrypt("fn", sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMalformedKeyFailsAtStartUp() {
        assertThatThrownBy(() -> SecretsCipher.loadKey(properties("not base64!", null).secrets()))
                .hasMessageContaining("registry.secrets.key");
        assertThatThrownBy(() -> SecretsCipher.loadKey(properties(Base64.getEncoder().encodeToString(new byte[16]),
                null).secrets())).hasMessageContaining("exactly 32 bytes");
    }

    @Test
    void withoutAKeyGeneratesAKeyFileOnceAndReusesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nested").resolve("secrets.key");

        byte[] first = SecretsCipher.loadKey(properties("", file).secrets());
        byte[] second = SecretsCipher.loadKey(properties("", file).secrets());

        assertThat(first).hasSize(32).isEqualTo(second);
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    private static RegistryProperties properties(String key, Path keyFile) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("secrets.key", key);
        if (keyFile != null) {
            settings.put("secrets.key-file", keyFile.toString());
        }
        return TestProperties.registry(settings);
    }
}
