package io.cloudfunc.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code GET /health} with RabbitMQ and everything the gateway checks up. */
class HealthIT extends GatewayIntegrationTest {

    @Test
    void answersUpWithoutAKeyAndSaysNothingMore() throws Exception {
        HttpResponse<byte[]> response = send(request("/health", null).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(text(response)).isEqualTo("{\"status\":\"UP\"}");
        assertThat(JSON.readTree(send(request("/actuator/health", null).GET()).body()).path("status").asString())
                .isEqualTo("UP");
    }

    @Test
    void isReadOnly() throws Exception {
        assertProblem(send(request("/health", null).DELETE()), 405, "method-not-allowed");
    }
}
