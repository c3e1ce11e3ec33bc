package io.cloudfunc.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A stand-in gateway on loopback: answers every request with what {@code route} makes of its raw URI (path and
 * query), and keeps each request as {@code "METHOD uri"}.
 */
final class StubGateway implements AutoCloseable {

    /** An answer: a status and a JSON body (a problem detail from 400 on). */
    record Answer(int status, String json) {
        static Answer ok(String json) {
            return new Answer(200, json);
        }
    }

    final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private StubGateway(BiFunction<String, String, Answer> route) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().toString();
            requests.add(exchange.getRequestMethod() + " " + uri);
            Answer answer = route.apply(exchange.getRequestMethod(), uri);
            exchange.getResponseHeaders().add("Content-Type",
                    answer.status() >= 400 ? "application/problem+json" : "application/json");
            byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    static StubGateway start(Function<String, Answer> route) throws IOException {
        return new StubGateway((method, uri) -> route.apply(uri));
    }

    /** A stub whose answers depend on the method too: {@code route} gets the method and the URI. */
    static StubGateway start(BiFunction<String, String, Answer> route) throws IOException {
        return new StubGateway(route);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    CliRun run(String... args) {
        return CliRun.against(url(), args);
    }

    CliRun runWithEnv(java.util.Map<String, String> env, String... args) {
        return CliRun.against(url(), env, args);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
