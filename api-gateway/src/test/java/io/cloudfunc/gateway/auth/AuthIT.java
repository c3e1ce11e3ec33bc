package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.gateway.support.StubIntake;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubService.Answer;
import io.cloudfunc.gateway.support.TestKey;
import io.cloudfunc.support.auth.ApiKeySecrets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** API keys at the gateway: 401 without a usable key, 403 without the role, 429 over the limit, key management. */
class AuthIT extends GatewayIntegrationTest {

    private static final String INVOCATION = "/invocations/0b6f3c8e-2f0e-4f5b-9d7c-1a2b3c4d5e6f";
    private static final TestKey REVOKED = TestKey.register(REGISTRY, "admin",
            ",\"revokedAt\":\"2026-01-02T00:00:00Z\"");
    private static final TestKey EXPIRED = TestKey.register(REGISTRY, "admin",
            ",\"expiresAt\":\"2020-01-01T00:00:00Z\"");
    private static final TestKey LIMITED = TestKey.register(REGISTRY, "developer",
            ",\"rateLimit\":{\"requestsPerSecond\":1,\"burst\":1}");

    @ParameterizedTest
    @ValueSource(strings = {"GET /functions", "POST /functions", "POST /functions/hello/invoke",
            "GET " + INVOCATION, "GET /keys", "DELETE /functions/hello", "GET /no/such/path"})
    void answers401WithABearerChallengeWithoutAKey(String call) throws Exception {
        String[] parts = call.split(" ");
        HttpResponse<byte[]> response = send(request(parts[1], null)
                .method(parts[0], HttpRequest.BodyPublishers.ofString("{}")));

        JsonNode problem = assertProblem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"cloudfunc\"");
        assertThat(problem.path("detail").asString()).contains("Authorization: Bearer");
    }

    @Test
    void answers401ForAnUnknownOrMalformedKeyOrAnotherScheme() throws Exception {
        for (String authorization : new String[] {"Bearer unknown-key-" + UUID.randomUUID(), "Bearer short",
                "Basic dXNlcjpwYXNz", "Bearer ", "bearer"}) {
            HttpResponse<byte[]> response = send(request("/functions", null).header("Authorization", authorization));
            assertProblem(response, 401, "unauthorized");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer realm=\"cloudfunc\""));
        }
        assertThat(REGISTRY.received("GET", "/internal/keys/by-hash/" + ApiKeySecrets.hash("short"))).isEmpty();
    }

    @Test
    void acceptsTheSchemeInAnyCase() throws Exception {
        REGISTRY.answer("GET", "/internal/functions", Answer.json(200, "[]"));
        HttpResponse<byte[]> response = send(request("/functions", null)
                .header("Authorization", "bearer " + ADMIN.secret()));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void answers401ForARevokedOrExpiredKeySayingWhy() throws Exception {
        HttpResponse<byte[]> revoked = send(request("/functions", REVOKED).GET());
        assertThat(assertProblem(revoked, 401, "unauthorized").path("detail").asString()).contains("revoked");
        assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer realm=\"cloudfunc\", error=\"invalid_token\"");

        HttpResponse<byte[]> expired = send(request("/functions", EXPIRED).GET());
        assertThat(assertProblem(expired, 401, "unauthorized").path("detail").asString()).contains("expired");
    }

    @Test
    void servesHealthWithoutAKey() throws Exception {
        assertThat(send(request("/actuator/health", null).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void answers403WhenTheRoleDoesNotAllowTheCall() throws Exception {
        JsonNode deploy = assertProblem(send(request("/functions", INVOKER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))),
                403, "forbidden");
        assertThat(deploy.path("role").asString()).isEqualTo("invoker");
        assertThat(deploy.path("requiredRole").asString()).isEqualTo("developer");
        assertProblem(send(request("/functions", INVOKER).GET()), 403, "forbidden");
        assertProblem(send(request("/functions/hello", INVOKER).DELETE()), 403, "forbidden");
        assertProblem(send(request("/keys", DEVELOPER).GET()), 403, "forbidden");
        assertProblem(send(request("/keys", DEVELOPER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 403, "forbidden");
        assertThat(REGISTRY.received("POST", "/internal/functions")).isEmpty();
    }

    @Test
    void refusesAnUnauthenticatedUploadWithoutReadingIt() throws Exception {
        byte[] big = new byte[200 * 1024]; // over gateway.max-archive-size (64KB) in these tests
        HttpResponse<byte[]> response = send(request("/functions", null)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertProblem(response, 401, "unauthorized");
    }

    @Test
    void passesTheCallersKeyIdToTheScheduler() throws Exception {
        INTAKE.answer("whoami", StubIntake.Reply.completed(
                "{\"invocationId\":\"" + UUID.randomUUID() + "\",\"functionName\":\"whoami\",\"version\":1,"
                        + "\"status\":\"SUCCEEDED\",\"result\":1,\"logs\":\"\",\"durationMs\":1}"));

        HttpResponse<byte[]> response = send(request("/functions/whoami/invoke", INVOKER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(INTAKE.last("whoami").header(InvocationHeaders.API_KEY_ID)).isEqualTo(INVOKER.id().toString());
    }

    @Test
    void letsAnInvokerReadOnlyItsOwnInvocations() throws Exception {
        String path = "/internal/invocations/" + INVOCATION.substring("/invocations/".length());
        send(request(INVOCATION, INVOKER).GET());
        assertThat(REGISTRY.last("GET", path).query()).isEqualTo("apiKeyId=" + INVOKER.id());

        send(request(INVOCATION, DEVELOPER).GET());
        assertThat(REGISTRY.last("GET", path).query()).isNull();
    }

    @Test
    void letsAnInvokerListOnlyItsOwnHistoryAndPassesItsKeyOnAsyncCalls() throws Exception {
        send(request("/functions/hist/invocations?limit=5", INVOKER).GET());
        assertThat(REGISTRY.last("GET", "/internal/functions/hist/invocations").query())
                .isEqualTo("limit=5&apiKeyId=" + INVOKER.id());
        send(request("/functions/hist/invocations?limit=5", DEVELOPER).GET());
        assertThat(REGISTRY.last("GET", "/internal/functions/hist/invocations").query()).isEqualTo("limit=5");

        INTAKE.answer("hist", StubIntake.Reply.problem("{\"type\":\"urn:cloudfunc:problem:function-not-found\","
                + "\"title\":\"Function not found\",\"status\":404,\"detail\":\"No function named 'hist'.\"}"));
        send(request("/functions/hist/invoke?async=true", INVOKER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(INTAKE.last("hist").header(InvocationHeaders.API_KEY_ID)).isEqualTo(INVOKER.id().toString());
        assertProblem(send(request("/dead-letters", INVOKER).GET()), 403, "forbidden");
    }

    @Test
    void answers429WithRetryAfterOverTheKeysRateLimit() throws Exception {
        HttpResponse<byte[]> first = send(request(INVOCATION, LIMITED).GET());
        assertThat(first.statusCode()).isNotEqualTo(429);
        HttpResponse<byte[]> second = send(request(INVOCATION, LIMITED).GET());

        JsonNode problem = assertProblem(second, 429, "rate-limited");
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(problem.path("retryAfterSeconds").asInt()).isEqualTo(1);
    }

    @Test
    void createsKeysThroughTheRegistryAndPointsAtThem() throws Exception {
        UUID id = UUID.randomUUID();
        REGISTRY.answer("POST", "/internal/keys", Answer.json(201, "{\"key\":{\"id\":\"" + id
                + "\",\"name\":\"ci\",\"role\":\"developer\",\"prefix\":\"cf_abcd\"},\"secret\":\"cf_secret\"}"));

        HttpResponse<byte[]> response = send(request("/keys").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"role\":\"developer\"}")));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).hasValue("/keys/" + id);
        assertThat(JSON.readTree(response.body()).path("secret").asString()).isEqualTo("cf_secret");
        assertThat(text(REGISTRY.last("POST", "/internal/keys"))).contains("\"role\":\"developer\"");
    }

    @Test
    void refusesAKeyRequestWithAnUnknownFieldOrANumberForItsNameWithoutCallingTheRegistry() throws Exception {
        int before = REGISTRY.received("POST", "/internal/keys").size();

        JsonNode unknown = assertProblem(send(request("/keys").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"role\":\"developer\","
                        + "\"roles\":[\"admin\"]}"))), 400, "invalid-request");
        JsonNode number = assertProblem(send(request("/keys").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":12,\"role\":\"developer\"}"))), 400,
                "invalid-request");

        assertThat(unknown.path("detail").asString()).endsWith("unknown field 'roles'.");
        assertThat(number.path("detail").asString()).endsWith("'name' must be a string.");
        assertThat(number.path("field").asString()).isEqualTo("name");
        assertThat(REGISTRY.received("POST", "/internal/keys")).hasSize(before);
    }

    @Test
    void letsEveryKeyReadItself() throws Exception {
        HttpResponse<byte[]> response = send(request("/keys/current", INVOKER).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("id").asString()).isEqualTo(INVOKER.id().toString());
    }

    @Test
    void stopsAcceptingAKeyAsSoonAsItIsRevokedHere() throws Exception {
        TestKey key = TestKey.register(REGISTRY, "developer", null);
        REGISTRY.answer("GET", "/internal/functions", Answer.json(200, "[]"));
        assertThat(send(request("/functions", key).GET()).statusCode()).isEqualTo(200); // now cached

        String revoked = "{\"id\":\"" + key.id() + "\",\"name\":\"" + key.name()
                + "\",\"role\":\"developer\",\"prefix\":\"test\",\"revokedAt\":\"2026-01-03T00:00:00Z\"}";
        REGISTRY.answer("DELETE", "/internal/keys/" + key.id(), Answer.json(200, revoked));
        REGISTRY.answer("GET", "/internal/keys/by-hash/" + ApiKeySecrets.hash(key.secret()),
                Answer.json(200, revoked));
        assertThat(send(request("/keys/" + key.id()).DELETE()).statusCode()).isEqualTo(200);

        assertProblem(send(request("/functions", key).GET()), 401, "unauthorized");
    }

    @Test
    void answers400ForAMalformedKeyId() throws Exception {
        assertProblem(send(request("/keys/not-a-uuid").DELETE()), 400, "invalid-request");
    }

    private static String text(io.cloudfunc.gateway.support.StubService.Received received) {
        return new String(received.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
