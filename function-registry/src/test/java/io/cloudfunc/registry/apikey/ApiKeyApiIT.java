package io.cloudfunc.registry.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.auth.ApiKeyRole;
import io.cloudfunc.contracts.auth.ApiKeyView;
import io.cloudfunc.contracts.auth.CreateApiKey;
import io.cloudfunc.contracts.auth.CreatedApiKey;
import io.cloudfunc.contracts.auth.RateLimit;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.registry.RegistryIntegrationTest;
import io.cloudfunc.support.auth.ApiKeySecrets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** API keys against a real PostgreSQL: create, list, revoke, verify by hash, the bootstrap key, invocation owners. */
@TestPropertySource(properties = "registry.auth.bootstrap-key=" + ApiKeyApiIT.BOOTSTRAP)
class ApiKeyApiIT extends RegistryIntegrationTest {

    static final String BOOTSTRAP = "it-bootstrap-secret-0123456789abcdef";

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private ApiKeyService service;

    @Test
    void createsAKeyWhoseSecretIsShownOnceAndStoredOnlyAsAHash() {
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        CreatedApiKey created = create(new CreateApiKey("  ci deployer ", ApiKeyRole.DEVELOPER, expires,
                new RateLimit(5, 10)));

        assertThat(created.secret()).startsWith("cf_").hasSize(46);
        ApiKeyView key = created.key();
        assertThat(key.name()).isEqualTo("ci deployer");
        assertThat(key.role()).isEqualTo(ApiKeyRole.DEVELOPER);
        assertThat(key.prefix()).isEqualTo(created.secret().substring(0, 7));
        assertThat(key.expiresAt()).isEqualTo(expires);
        assertThat(key.rateLimit()).isEqualTo(new RateLimit(5, 10));
        assertThat(key.revokedAt()).isNull();

        // the table holds the hash, nowhere the secret
        Map<String, Object> row = jdbc.sql("SELECT * FROM api_keys WHERE id = ?").param(key.id()).query().singleRow();
        assertThat(row.get("secret_sha256")).isEqualTo(ApiKeySecrets.hash(created.secret()));
        assertThat(row.values()).noneMatch(value -> value != null && value.toString().contains(created.secret()));
        assertThat(row.values()).noneMatch(value -> value != null
                && value.toString().contains(created.secret().substring(7)));

        // listing and reading never show the secret or its hash
        String listed = new String(http.get().uri("/internal/keys").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(listed).contains(key.id().toString()).contains("\"role\":\"developer\"")
                .doesNotContain(created.secret()).doesNotContain(ApiKeySecrets.hash(created.secret()));
        String read = new String(http.get().uri("/internal/keys/{id}", key.id()).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        assertThat(read).doesNotContain(created.secret()).doesNotContain("secret");
    }

    @Test
    void verifiesByHashAndNotesTheUse() {
        CreatedApiKey created = create(new CreateApiKey("invoker", ApiKeyRole.INVOKER, null, null));
        ApiKeyView verified = verify(ApiKeySecrets.hash(created.secret()));

        assertThat(verified.id()).isEqualTo(created.key().id());
        assertThat(verified.role()).isEqualTo(ApiKeyRole.INVOKER);
        assertThat(service.get(created.key().id()).lastUsedAt()).isNotNull();
    }

    @Test
    void answers404ForAnUnknownHashAnd400ForAMalformedOne() {
        assertProblem(http.get().uri("/internal/keys/by-hash/{h}", ApiKeySecrets.hash("not-a-key-of-anyone-here"))
                .exchange(), 404, ProblemTypes.API_KEY_NOT_FOUND);
        assertProblem(http.get().uri("/internal/keys/by-hash/{h}", "XYZ").exchange(), 400,
                ProblemTypes.INVALID_REQUEST);
    }

    @Test
    void revokesAKeyOnceAndStillVerifiesItSoThatTheGatewayCanSaySo() {
        CreatedApiKey created = create(new CreateApiKey("to revoke", ApiKeyRole.DEVELOPER, null, null));
        ApiKeyView revoked = http.delete().uri("/internal/keys/{id}", created.key().id()).exchange()
                .expectStatus().isOk().expectBody(ApiKeyView.class).returnResult().getResponseBody();
        assertThat(revoked.revokedAt()).isNotNull();

        ApiKeyView again = http.delete().uri("/internal/keys/{id}", created.key().id()).exchange()
                .expectStatus().isOk().expectBody(ApiKeyView.class).returnResult().getResponseBody();
        assertThat(again.revokedAt()).isEqualTo(revoked.revokedAt());
        assertThat(verify(ApiKeySecrets.hash(created.secret())).revokedAt()).isEqualTo(revoked.revokedAt());
    }

    @Test
    void answers404WhenRevokingAnUnknownKey() {
        assertProblem(http.delete().uri("/internal/keys/{id}", UUID.randomUUID()).exchange(), 404,
                ProblemTypes.API_KEY_NOT_FOUND);
    }

    @Test
    void refusesInvalidKeys() {
        for (Object body : List.of(
                Map.of("role", "admin"),
                Map.of("name", "x"),
                Map.of("name", "x", "role", "superuser"),
                Map.of("name", "x".repeat(101), "role", "admin"),
                Map.of("name", "bad\u0007name", "role", "admin"),
                Map.of("name", "past", "role", "admin", "expiresAt", "2020-01-01T00:00:00Z"),
                Map.of("name", "x", "role", "admin", "rateLimit", Map.of("requestsPerSecond", -1, "burst", 1)),
                Map.of("name", "x", "role", "admin", "rateLimit", Map.of("requestsPerSecond", 1, "burst", 0)))) {
            assertProblem(http.post().uri("/internal/keys").body(body).exchange(), 400, ProblemTypes.INVALID_REQUEST);
        }
        assertProblem(http.post().uri("/internal/keys").exchange(), 400, ProblemTypes.INVALID_REQUEST);
    }

    @Test
    void installsTheBootstrapKeyOnceAsAdmin() throws Exception {
        String hash = ApiKeySecrets.hash(BOOTSTRAP);
        ApiKeyView bootstrap = verify(hash);
        assertThat(bootstrap.name()).isEqualTo("bootstrap");
        assertThat(bootstrap.role()).isEqualTo(ApiKeyRole.ADMIN);

        // restarts, even several at once, insert nothing more
        try (var pool = Executors.newFixedThreadPool(4)) {
            List<Callable<Boolean>> starts = List.of(() -> service.bootstrap(BOOTSTRAP, "bootstrap"),
                    () -> service.bootstrap(BOOTSTRAP, "bootstrap"), () -> service.bootstrap(BOOTSTRAP, "bootstrap"),
                    () -> service.bootstrap(BOOTSTRAP, "bootstrap"));
            for (var start : pool.invokeAll(starts)) {
                assertThat(start.get()).isFalse();
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM api_keys WHERE secret_sha256 = ?").param(hash)
                .query(Long.class).single()).isEqualTo(1L);
        assertThat(jdbc.sql("SELECT count(*) FROM api_keys WHERE secret_sha256 = ? OR name = ?")
                .param(BOOTSTRAP).param(BOOTSTRAP).query(Long.class).single()).isZero();
    }

    @Test
    void aNewSecretIsInsertedByBootstrapOnlyOnce() {
        String secret = "another-bootstrap-" + UUID.randomUUID();
        assertThat(service.bootstrap(secret, "bootstrap")).isTrue();
        assertThat(service.bootstrap(secret, "bootstrap")).isFalse();
    }

    @Test
    void showsAnInvokerOnlyTheInvocationsItsKeyMade() {
        UUID mine = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        recordCreated(new CreateInvocation(id, "echo", 1, null, Instant.now(), InvocationMode.SYNC, mine));

        http.get().uri("/internal/invocations/{id}?apiKeyId={k}", id, mine).exchange().expectStatus().isOk();
        http.get().uri("/internal/invocations/{id}", id).exchange().expectStatus().isOk();
        assertProblem(http.get().uri("/internal/invocations/{id}?apiKeyId={k}", id, other).exchange(), 404,
                ProblemTypes.INVOCATION_NOT_FOUND);
        assertThat(jdbc.sql("SELECT api_key_id FROM invocations WHERE id = ?").param(id).query(UUID.class).single())
                .isEqualTo(mine);
    }

    @Test
    void listsAnInvokerOnlyTheHistoryItsKeyMade() {
        jdbc.sql("INSERT INTO functions (name, runtime, handler, timeout_ms, memory_mb, idle_ttl_ms, latest_version,"
                + " created_at, updated_at) VALUES ('owned', 'python', 'function.handler', 1000, 128, 1000, 1, now(),"
                + " now())").update();
        UUID mine = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        UUID others = UUID.randomUUID();
        recordCreated(new CreateInvocation(id, "owned", 1, null, Instant.now(), InvocationMode.SYNC, mine),
                new CreateInvocation(others, "owned", 1, null, Instant.now(), InvocationMode.SYNC, null));

        String own = new String(http.get().uri("/internal/functions/owned/invocations?apiKeyId={k}", mine).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        String all = new String(http.get().uri("/internal/functions/owned/invocations").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(own).contains(id.toString()).doesNotContain(others.toString());
        assertThat(all).contains(id.toString()).contains(others.toString());
    }

    private CreatedApiKey create(CreateApiKey request) {
        return http.post().uri("/internal/keys").body(request).exchange()
                .expectStatus().isCreated()
                .expectBody(CreatedApiKey.class).returnResult().getResponseBody();
    }

    private ApiKeyView verify(String hash) {
        return http.get().uri("/internal/keys/by-hash/{hash}", hash).exchange()
                .expectStatus().isOk()
                .expectBody(ApiKeyView.class).returnResult().getResponseBody();
    }
}
