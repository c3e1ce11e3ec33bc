package io.cloudfunc.gateway.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubService.Answer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Statistics relayed from the registry, at the native paths and at seed 002's {@code /stats/functions/{name}}. */
class StatsIT extends GatewayIntegrationTest {

    private static final String STATS = "{\"window\":\"%s\",\"from\":\"2026-01-01T00:00:00Z\",\"to\":"
            + "\"2026-01-01T01:00:00Z\",\"stats\":{\"functionName\":\"hello_fn\",\"invocations\":4}}";

    @Test
    void answersOneFunctionsStatsAtBothPathsWithTheWindowPassedOn() throws Exception {
        REGISTRY.answer("GET", "/internal/functions/hello_fn/stats", Answer.json(200, STATS.formatted("1h")));

        HttpResponse<byte[]> seed = get("/stats/functions/hello_fn?window=15m");
        HttpResponse<byte[]> native_ = get("/functions/hello_fn/stats");

        assertThat(seed.statusCode()).isEqualTo(200);
        assertThat(text(seed)).isEqualTo(STATS.formatted("1h"));
        assertThat(text(native_)).isEqualTo(text(seed));
        assertThat(REGISTRY.received("GET", "/internal/functions/hello_fn/stats"))
                .extracting(received -> received.query()).containsSubsequence("window=15m", null);
    }

    @Test
    void answersTheRegistrys404ForAnUnknownFunctionAnd400ForAnInvalidName() throws Exception {
        String notFound = "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"title\":\"Function not found\","
                + "\"status\":404,\"detail\":\"No function named 'no-such-fn'.\",\"functionName\":\"no-such-fn\"}";
        REGISTRY.answer("GET", "/internal/functions/no-such-fn/stats", Answer.problem(404, notFound));

        assertProblem(get("/stats/functions/no-such-fn"), 404, "function-not-found");
        assertProblem(get("/stats/functions/Bad_Name"), 400, "invalid-request");
        assertThat(REGISTRY.received("GET", "/internal/functions/Bad_Name/stats")).isEmpty();
    }

    @Test
    void needsADeveloperKey() throws Exception {
        assertProblem(send(request("/stats/functions/hello_fn", null).GET()), 401, "unauthorized");
        assertProblem(send(request("/stats/functions/hello_fn", INVOKER).GET()), 403, "forbidden");
    }
}
