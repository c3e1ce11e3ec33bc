package io.cloudfunc.scheduler.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/** The two function-registry endpoints the scheduler calls, on loopback, with what they were asked recorded. */
public final class StubRegistry implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final Map<String, FunctionVersionView> functions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    private final List<CreateInvocation> created = new CopyOnWriteArrayList<>();
    private final Map<String, String> records = new ConcurrentHashMap<>();
    private final AtomicInteger batches = new AtomicInteger();

    public StubRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/internal/functions/", this::function);
        server.createContext("/internal/invocations", this::createInvocation);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void put(String name, int version, long timeoutMs) {
        Instant now = Instant.now();
        functions.put(name, new FunctionVersionView(name, version, "python", "function.handler", timeoutMs, 128,
                60_000, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, "0".repeat(64), 100, now, List.of()));
    }

    public int lookups(String name) {
        AtomicInteger count = lookups.get(name);
        return count == null ? 0 : count.get();
    }

    public List<CreateInvocation> created() {
        return created;
    }

    /** The exact 404 body the registry answers for an unknown function. */
    public static byte[] notFoundBody(String name) {
        return ("{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"title\":\"Function not found\","
                + "\"status\":404,\"detail\":\"No function named '" + name + "'.\",\"functionName\":\"" + name + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void function(HttpExchange exchange) throws IOException {
        // /internal/functions/{name}/versions/{qualifier}: this stub knows one version of each function, by
        // "latest" or by its number
        String[] path = exchange.getRequestURI().getPath().substring("/internal/functions/".length()).split("/");
        String name = path[0];
        lookups.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
        FunctionVersionView known = functions.get(name);
        FunctionVersionView function = known != null && path.length == 3 && path[1].equals("versions")
                && (path[2].equals("latest") || path[2].equals(Integer.toString(known.version()))) ? known : null;
        if (function == null) {
            respond(exchange, 404, "application/problem+json", notFoundBody(name));
        } else {
            respond(exchange, 200, "application/json", JSON.writeValueAsBytes(function));
        }
    }

    /** What {@code GET /internal/invocations/{id}} answers (a record's JSON), by id. */
    public void putRecord(java.util.UUID id, String json) {
        records.put(id.toString(), json);
    }

    public int batches() {
        return batches.get();
    }

    private void createInvocation(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/internal/invocations/batch")) {
            CreateInvocation[] batch = JSON.readValue(exchange.getRequestBody().readAllBytes(),
                    CreateInvocation[].class);
            created.addAll(List.of(batch));
            batches.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        if ("GET".equals(exchange.getRequestMethod())) {
            String record = records.get(path.substring(path.lastIndexOf('/') + 1));
            if (record == null) {
                respond(exchange, 404, "application/problem+json", "{\"status\":404}".getBytes(StandardCharsets.UTF_8));
            } else {
                respond(exchange, 200, "application/json", record.getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        CreateInvocation invocation = JSON.readValue(exchange.getRequestBody().readAllBytes(), CreateInvocation.class);
        created.add(invocation);
        respond(exchange, 201, "application/json",
                ("{\"id\":\"" + invocation.id() + "\",\"status\":\"QUEUED\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
