package io.cloudfunc.gateway.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.support.http.BufferedResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

class RelayCreatedTests {

    private final DownstreamService registry = new DownstreamService("function-registry", "http://127.0.0.1:1",
            HttpClients.createDefault(), Duration.ofSeconds(1));

    private static BufferedResponse answer(int status, String contentType, String body) {
        return new BufferedResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCreatedAnswerGetsThePublicLocationOfTheNameItMade() {
        ResponseEntity<byte[]> relayed = registry.relayCreated(answer(201, "application/json",
                "{\"function\":\"f\",\"name\":\"nightly\"}"), "/functions/f/schedules");

        assertThat(relayed.getStatusCode().value()).isEqualTo(201);
        assertThat(relayed.getHeaders().getFirst(HttpHeaders.LOCATION)).isEqualTo("/functions/f/schedules/nightly");
        assertThat(new String(relayed.getBody(), StandardCharsets.UTF_8)).contains("\"nightly\"");
    }

    @Test
    void aProblemOrAnAnswerWithoutANameIsRelayedWithoutLocation() {
        ResponseEntity<byte[]> problem = registry.relayCreated(answer(409, "application/problem+json",
                "{\"type\":\"x\",\"status\":409}"), "/functions/f/triggers");
        ResponseEntity<byte[]> nameless = registry.relayCreated(answer(201, "application/json", "{}"),
                "/functions/f/triggers");

        assertThat(problem.getStatusCode().value()).isEqualTo(409);
        assertThat(problem.getHeaders().getLocation()).isNull();
        assertThat(nameless.getStatusCode().value()).isEqualTo(201);
        assertThat(nameless.getHeaders().getLocation()).isNull();
    }
}
