package io.cloudfunc.registry.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.CreateApiKey;
import io.cloudfunc.contracts.auth.CreatedApiKey;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The last admin key that can still be used is never revoked: nobody could manage keys any more. A database of its
 * own (no bootstrap key here), so the admins counted are this test's.
 */
class LastAdminKeyIT extends RegistryIntegrationTest {

    @Test
    void theLastUsableAdminKeyIsRefusedWithAConflictAndOthersAreRevoked() {
        CreatedApiKey first = create("first admin", ApiKeyRole.ADMIN, null);
        create("expired admin", ApiKeyRole.ADMIN, Instant.now().plus(1, ChronoUnit.SECONDS));
        CreatedApiKey developer = create("developer", ApiKeyRole.DEVELOPER, null);

        revoke(developer.key().id()).expectStatus().isOk(); // not an admin: no rule

        awaitExpiry();
        assertProblem(revoke(first.key().id()), 409, ProblemTypes.LAST_ADMIN_KEY)
                .jsonPath("$.apiKeyId").isEqualTo(first.key().id().toString());

        CreatedApiKey second = create("second admin", ApiKeyRole.ADMIN, null);
        ApiKeyView revoked = revoke(first.key().id()).expectStatus().isOk().expectBody(ApiKeyView.class)
                .returnResult().getResponseBody();
        assertThat(revoked.revokedAt()).isNotNull();
        assertProblem(revoke(second.key().id()), 409, ProblemTypes.LAST_ADMIN_KEY);
        // a revoked key revoked again stays as it was (idempotent), last admin or not
        revoke(first.key().id()).expectStatus().isOk();
    }

    private static void awaitExpiry() {
        try {
            Thread.sleep(1_100); // the expired admin must not count as one that can be used
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RestTestClient.ResponseSpec revoke(UUID id) {
        return http.delete().uri("/internal/keys/{id}", id).exchange();
    }

    private CreatedApiKey create(String name, ApiKeyRole role, Instant expiresAt) {
        return http.post().uri("/internal/keys").body(new CreateApiKey(name, role, expiresAt, null)).exchange()
                .expectStatus().isCreated()
                .expectBody(CreatedApiKey.class).returnResult().getResponseBody();
    }
}
