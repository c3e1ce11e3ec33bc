package io.cloudfunc.gateway.invocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.StubService;
import io.cloudfunc.gateway.support.TestKey;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** RabbitMQ where nobody listens, behind a registry that verifies the key: an invoke is a 503 naming the broker. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UnreachableBrokerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final StubService REGISTRY = new StubService();
    private static final TestKey KEY = TestKey.register(REGISTRY, "invoker", null);

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void nowhere(DynamicPropertyRegistry registry) throws Exception {
        int closed;
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        registry.add("gateway.registry-url", () -> REGISTRY.url().toString());
        registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
        registry.add("spring.rabbitmq.port", () -> closed);
    }

    @AfterAll
    static void stopRegistry() {
        REGISTRY.close();
    }

    @Test
    void answers503NamingTheBroker() throws Exception {
        for (String query : new String[] {"", "?async=true"}) {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/functions/hello/invoke" + query))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + KEY.secret())
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(503);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("service").asString()).isEqualTo("rabbitmq");
            assertThat(response.body()).doesNotContain("Exception");
        }
    }
}
