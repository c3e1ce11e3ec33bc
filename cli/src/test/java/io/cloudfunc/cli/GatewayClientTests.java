package io.cloudfunc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GatewayClientTests {

    @Test
    void a401ToAPostKeepsTheProblemDetail() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"status\":401,\"detail\":\"the API key is revoked\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"cloudfunc\"");
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            CliRun run = CliRun.against("http://127.0.0.1:" + server.getAddress().getPort(), "--api-key", "k1",
                    "invoke", "hello", "-d", "{}");

            assertThat(run.code()).isEqualTo(8);
            assertThat(run.err()).isEqualTo("Error: the API key is revoked\n");
        } finally {
            server.stop(0);
        }
    }
}
