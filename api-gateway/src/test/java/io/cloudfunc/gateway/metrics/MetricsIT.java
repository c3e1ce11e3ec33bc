package io.cloudfunc.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import io.cloudfunc.gateway.support.StubService.Answer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: the registry's Prometheus text relayed as it is, behind a developer key. */
class MetricsIT extends GatewayIntegrationTest {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String METRICS = """
            # HELP cloudfunc_function_invocations_total Invocations that reached their final state
            # TYPE cloudfunc_function_invocations_total counter
            cloudfunc_function_invocations_total{function="hello_fn",start_type="cold",status="SUCCEEDED"} 1.0
            """;

    @Test
    void relaysTheRegistrysPrometheusTextWithItsContentType() throws Exception {
        REGISTRY.answer("GET", "/internal/metrics",
                new Answer(200, PROMETHEUS_TEXT, METRICS.getBytes(StandardCharsets.UTF_8)));

        HttpResponse<byte[]> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""))
                .isEqualTo(PROMETHEUS_TEXT.replace(" ", ""));
        assertThat(text(response)).isEqualTo(METRICS);
    }

    @Test
    void needsADeveloperKey() throws Exception {
        assertProblem(send(request("/metrics", null).GET()), 401, "unauthorized");
        assertProblem(send(request("/metrics", INVOKER).GET()), 403, "forbidden");
        REGISTRY.answer("GET", "/internal/metrics",
                new Answer(200, PROMETHEUS_TEXT, METRICS.getBytes(StandardCharsets.UTF_8)));
        assertThat(send(request("/metrics", DEVELOPER).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void aRegistryThatCannotBeReachedIsA503Problem() throws Exception {
        REGISTRY.answer("GET", "/internal/metrics", Answer.empty(500));

        assertProblem(get("/metrics"), 503, "platform-error");
    }
}
