package io.cloudfunc.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.gateway.support.GatewayIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Requests Tomcat refuses before any servlet runs still get a problem detail, not its HTML error page. Sent over a
 * plain socket: {@code java.net.http} will not send a broken %-escape.
 */
class MalformedRequestIT extends GatewayIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"/functions/a%2Fb", "/functions/%ZZ", "/functions/%"})
    void answersAnUnparsableUriWithAProblemDetail(String path) throws IOException {
        String response = exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        int split = response.indexOf("\r\n\r\n");
        String head = response.substring(0, split);
        String body = response.substring(split + 4);
        assertThat(head).startsWith("HTTP/1.1 400");
        assertThat(head.toLowerCase()).contains("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:invalid-request");
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.path("detail").asString()).startsWith("The request could not be parsed: ")
                .doesNotContain("org.apache").doesNotContain("Exception");
        assertThat(body).doesNotContain("<html").doesNotContain("Tomcat");
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /stats?foo=%zz, application/json",
            "GET, /stats?window=%, application/json",
            "GET, /dead-letters?function=%zz, application/json",
            "GET, /functions/hello/logs?limit=5&foo=%zz, application/json",
            "GET, /functions/hello/invocations?status=%G1, application/json",
            "GET, /functions?x=%zz, application/json",
            "POST, /functions/hello/invoke?foo=%zz, application/json",
            // curl -d's type: the body is an event, never parsed as form fields, and the query is still checked
            "POST, /functions/hello/invoke?foo=%zz, application/x-www-form-urlencoded"})
    void answersAMalformedQueryStringWith400(String method, String target, String contentType) throws IOException {
        long registryCalls = callsBeyondKeys();
        String response = exchange(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + ADMIN.secret() + "\r\nContent-Type: " + contentType + "\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}");

        int split = response.indexOf("\r\n\r\n");
        String head = response.substring(0, split);
        String body = response.substring(split + 4);
        assertThat(head).as(body).startsWith("HTTP/1.1 400");
        assertThat(head.toLowerCase()).contains("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:invalid-request");
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("detail").asString()).contains("query string")
                .doesNotContain("org.apache").doesNotContain("Exception");
        assertThat(problem.path("instance").asString()).isEqualTo(target.substring(0, target.indexOf('?')));
        assertThat(callsBeyondKeys()).as("nothing was asked of the registry").isEqualTo(registryCalls);
    }

    /** Requests the registry got, other than the key lookups of authentication. */
    private static long callsBeyondKeys() {
        return REGISTRY.received().stream().filter(r -> !r.path().startsWith("/internal/keys/")).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Big", "Authorization"})
    void answersOversizedHeadersWith413(String header) throws IOException {
        // over gateway.max-header-size (16KB by default), under Tomcat's own parser limit (64KB)
        String value = header.equals("Authorization") ? "Bearer " + "k".repeat(20 * 1024) : "x".repeat(20 * 1024);
        String response = exchange("GET /functions HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + ": " + value
                + "\r\nConnection: close\r\n\r\n");

        int split = response.indexOf("\r\n\r\n");
        String head = response.substring(0, split);
        String body = response.substring(split + 4);
        assertThat(head).startsWith("HTTP/1.1 413");
        assertThat(head.toLowerCase()).contains("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:payload-too-large");
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("detail").asString()).contains("headers are too large");
    }

    @Test
    void answersHeadersPastTomcatsOwnLimitWithAProblemDetailToo() throws IOException {
        String response = exchange("GET /functions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(80 * 1024)
                + "\r\nConnection: close\r\n\r\n");

        int split = response.indexOf("\r\n\r\n");
        assertThat(response.substring(0, split)).startsWith("HTTP/1.1 400");
        JsonNode problem = JSON.readTree(response.substring(split + 4));
        assertThat(problem.path("type").asString()).isEqualTo("urn:cloudfunc:problem:invalid-request");
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
