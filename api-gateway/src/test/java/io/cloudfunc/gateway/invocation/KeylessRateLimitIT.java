package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubIntake;
import io.cloudfunc.gateway.support.StubService;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Calls of a public HTTP function made without a key are limited per client address. */
@TestPropertySource(properties = {"gateway.auth.rate-limits.anonymous.requests-per-second=1",
        "gateway.auth.rate-limits.anonymous.burst=2"})
class KeylessRateLimitIT extends GatewayIntegrationTest {

    @Test
    void aClientAddressCallingWithoutAKeyIsLimitedWhileKeyedCallsAreNot() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/limited/http-access",
                StubService.Answer.json(200, "{\"mode\":\"public\",\"webhookSecret\":null}"));
        INTAKE.answer("limited", StubIntake.Reply.completed("{\"invocationId\":\"1c6f3c8e-2f0e-4f5b-9d7c-"
                + "1a2b3c4d5e6f\",\"functionName\":\"limited\",\"version\":1,\"status\":\"SUCCEEDED\",\"startType\":"
                + "\"WARM\",\"logs\":\"\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":"
                + "\"2026-01-01T00:00:00.004Z\",\"durationMs\":4,\"result\":1}"));

        int[] statuses = new int[4];
        HttpResponse<byte[]> refused = null;
        for (int i = 0; i < statuses.length; i++) {
            HttpResponse<byte[]> response = send(request("/fn/limited", null).GET());
            statuses[i] = response.statusCode();
            if (response.statusCode() == 429) {
                refused = response;
            }
        }
        HttpResponse<byte[]> keyed = send(request("/fn/limited", ADMIN).GET());

        assertThat(statuses[0]).isEqualTo(200);
        assertThat(statuses[1]).isEqualTo(200);
        assertThat(statuses).as("the burst of 2, then refusals").contains(429);
        assertThat(refused).isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("rate-limited")
                .contains("without an API key");
        assertThat(keyed.statusCode()).as("an API key has its own limit").isEqualTo(200);
    }
}
