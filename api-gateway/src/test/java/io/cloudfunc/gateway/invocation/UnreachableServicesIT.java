package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registry and scheduler that nobody listens for: 503 problems naming the service, never a 500 (nor a 401: a key
 * that cannot be verified is the platform's failure, not the caller's). The scheduler's case is
 * {@link UnreachableSchedulerIT}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachableServicesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void nowhere(DynamicPropertyRegistry registry) throws Exception {
        String closed = "http://127.0.0.1:" + freePort();
        registry.add("gateway.registry-url", () -> closed);
        registry.add("gateway.scheduler-url", () -> closed);
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void answers503NamingTheRegistry() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/functions"))
                        .header("Authorization", "Bearer some-well-formed-api-key-0123456789").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:platform-error");
        assertThat(problem.path("service").asString()).isEqualTo("function-registry");
        assertThat(problem.path("detail").asString()).contains("function-registry");
    }
}
