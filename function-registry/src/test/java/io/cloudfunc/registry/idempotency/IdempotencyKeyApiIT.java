package io.cloudfunc.registry.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.invocation.ClaimIdempotencyKey;
import io.cloudfunc.contracts.invocation.IdempotencyKeyClaim;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code POST /internal/idempotency-keys} and {@code DELETE /internal/idempotency-keys/{invocationId}}: a key names
 * its first invocation per API key until its window passes (made 1 s here) or it is released.
 */
@TestPropertySource(properties = "registry.invocations.idempotency-window=1s")
class IdempotencyKeyApiIT extends RegistryIntegrationTest {

    private static final UUID API_KEY = UUID.randomUUID();

    @Test
    void aKeyNamesItsFirstInvocationUntilItsWindowPasses() throws Exception {
        UUID first = UUID.randomUUID();
        assertThat(claim(API_KEY, "k-window", "f1", first)).isEqualTo(new IdempotencyKeyClaim(true, first, "f1"));

        IdempotencyKeyClaim again = claim(API_KEY, "k-window", "f2", UUID.randomUUID());
        assertThat(again).isEqualTo(new IdempotencyKeyClaim(false, first, "f1"));

        Thread.sleep(1100);
        UUID later = UUID.randomUUID();
        assertThat(claim(API_KEY, "k-window", "f2", later)).isEqualTo(new IdempotencyKeyClaim(true, later, "f2"));
    }

    @Test
    void keysOfDifferentApiKeysAreDifferentKeys() {
        UUID mine = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        assertThat(claim(API_KEY, "k-shared", "f", mine).claimed()).isTrue();
        assertThat(claim(UUID.randomUUID(), "k-shared", "f", theirs))
                .isEqualTo(new IdempotencyKeyClaim(true, theirs, "f"));
    }

    @Test
    void aReleasedKeyIsFreeAgain() {
        UUID first = UUID.randomUUID();
        assertThat(claim(API_KEY, "k-release", "f", first).claimed()).isTrue();

        http.delete().uri("/internal/idempotency-keys/{id}", first).exchange().expectStatus().isNoContent();

        UUID second = UUID.randomUUID();
        assertThat(claim(API_KEY, "k-release", "f", second)).isEqualTo(new IdempotencyKeyClaim(true, second, "f"));
        http.delete().uri("/internal/idempotency-keys/{id}", UUID.randomUUID()).exchange().expectStatus()
                .isNoContent();
    }

    @Test
    void refusesAClaimWithoutItsFields() {
        assertProblem(http.post().uri("/internal/idempotency-keys").contentType(MediaType.APPLICATION_JSON)
                .body("{\"apiKeyId\":\"" + API_KEY + "\"}").exchange(), 400, ProblemTypes.INVALID_REQUEST);
    }

    private IdempotencyKeyClaim claim(UUID apiKey, String key, String fingerprint, UUID invocationId) {
        return http.post().uri("/internal/idempotency-keys").contentType(MediaType.APPLICATION_JSON)
                .body(new ClaimIdempotencyKey(apiKey, key, fingerprint, invocationId))
                .exchange()
                .expectStatus().isOk()
                .expectBody(IdempotencyKeyClaim.class).returnResult().getResponseBody();
    }
}
