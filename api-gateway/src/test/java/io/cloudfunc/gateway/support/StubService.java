package io.cloudfunc.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A downstream service (registry or scheduler) on loopback: answers what a test told it to for a method and path,
 * a 404 problem otherwise (with the internal path as its instance, as a real service's has), and records every
 * request it got.
 */
public final class StubService implements AutoCloseable {

    public record Answer(int status, String contentType, byte[] body) {

        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        public static Answer problem(int status, String body) {
            return new Answer(status, "application/problem+json", body.getBytes(StandardCharsets.UTF_8));
        }

        public static Answer empty(int status) {
            return new Answer(status, null, new byte[0]);
        }
    }

    /** One request; {@code query} is the raw query string or null, {@code apiKeyId} the internal key id header. */
    public record Received(String method, String path, String query, String contentType, String apiKeyId,
            byte[] body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public StubService() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void answer(String method, String path, Answer answer) {
        answers.put(method + " " + path, answer);
    }

    /** Every request received, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests received for a method and path, oldest first. */
    public List<Received> received(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public Received last(String method, String path) {
        List<Received> matching = received(method, path);
        if (matching.isEmpty()) {
            throw new AssertionError("no " + method + " " + path + " received");
        }
        return matching.getLast();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(method, path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("X-CloudFunc-Api-Key-Id"), body));
        // as a Spring service answers: Spring's title, the service's own (internal) path as the instance
        Answer answer = answers.getOrDefault(method + " " + path, Answer.problem(404,
                "{\"type\":\"urn:cloudfunc:problem:not-found\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"No such path.\",\"instance\":\"" + path + "\"}"));
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (var out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
