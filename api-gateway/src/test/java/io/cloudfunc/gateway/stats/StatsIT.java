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
    void relaysTheSeriesWithItsParametersEncoded() throws Exception {
        String series = "{\"function\":\"hello_fn\",\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-01T00:02:00Z\","
                + "\"step\":\"1m\",\"points\":[]}";
        String nodes = "{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-01T01:00:00Z\",\"step\":\"1h\","
                + "\"points\":[{\"t\":\"2026-01-01T00:00:00Z\",\"nodes\":{\"local\":3}}]}";
        REGISTRY.answer("GET", "/internal/stats/series", Answer.json(200, series));
        REGISTRY.answer("GET", "/internal/stats/series/nodes", Answer.json(200, nodes));

        HttpResponse<byte[]> answer = get("/stats/series?function=hello_fn&from=2026-01-01T00:00:00%2B01:00"
                + "&to=2026-01-01T00:02:00Z&step=1m");
        HttpResponse<byte[]> all = get("/stats/series");
        HttpResponse<byte[]> perNode = get("/stats/series/nodes?step=1h");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(text(answer)).isEqualTo(series);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(text(perNode)).isEqualTo(nodes);
        assertThat(REGISTRY.received("GET", "/internal/stats/series")).extracting(received -> received.query())
                .containsExactly("from=2026-01-01T00%3A00%3A00%2B01%3A00&function=hello_fn&step=1m"
                        + "&to=2026-01-01T00%3A02%3A00Z", null);
        assertThat(REGISTRY.received("GET", "/internal/stats/series/nodes")).extracting(received -> received.query())
                .containsExactly("step=1h");
    }

    @Test
    void passesTheRegistrysBadRequestOn() throws Exception {
        String problem = "{\"type\":\"urn:cloudfunc:problem:invalid-request\",\"title\":\"Invalid request\","
                + "\"status\":400,\"detail\":\"unknown step '2m': one of 1m, 5m, 15m, 1h or 1d\"}";
        REGISTRY.answer("GET", "/internal/stats/series", Answer.problem(400, problem));

        HttpResponse<byte[]> answer = get("/stats/series?step=2m");

        assertProblem(answer, 400, "invalid-request");
        assertThat(text(answer)).contains("unknown step '2m'");
    }

    @Test
    void needsADeveloperKey() throws Exception {
        assertProblem(send(request("/stats/functions/hello_fn", null).GET()), 401, "unauthorized");
        assertProblem(send(request("/stats/functions/hello_fn", INVOKER).GET()), 403, "forbidden");
        assertProblem(send(request("/stats/series", INVOKER).GET()), 403, "forbidden");
        assertProblem(send(request("/stats/series/nodes", null).GET()), 401, "unauthorized");
    }
}
