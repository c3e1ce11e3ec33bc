package io.cloudfunc.containers.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the function-registry's internal endpoints the manager calls, on loopback: serves function
 * versions and their code, and records the RUNNING and final-state PUTs.
 */
final class StubRegistry implements AutoCloseable {

    private static final Pattern VERSION = Pattern.compile("^/internal/functions/([^/]+)/versions/(\\d+)(/code)?$");
    private static final Pattern INVOCATION = Pattern.compile("^/internal/invocations/([0-9a-f-]{36})(/running)?$");

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    private final Map<String, FunctionVersionView> versions = new ConcurrentHashMap<>();
    private final Map<String, byte[]> code = new ConcurrentHashMap<>();
    final Map<UUID, InvocationCompleted> completed = new ConcurrentHashMap<>();
    final Set<UUID> running = ConcurrentHashMap.newKeySet();
    final AtomicInteger codeDownloads = new AtomicInteger();

    StubRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Deploys a function (one version) whose code is the given files. */
    FunctionVersionView deploy(String name, int version, Map<String, String> files, long timeoutMs, int memoryMb,
                               long idleTtlMs, Map<String, String> env) throws Exception {
        byte[] zip = zip(files);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
        FunctionVersionView view = new FunctionVersionView(name, version, "python", "function.handler", timeoutMs,
                memoryMb, idleTtlMs, env, sha, zip.length, Instant.now());
        versions.put(name + "/" + version, view);
        code.put(name + "/" + version, zip);
        return view;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher version = VERSION.matcher(path);
            Matcher invocation = INVOCATION.matcher(path);
            if ("GET".equals(method) && version.matches()) {
                String key = version.group(1) + "/" + version.group(2);
                if (!versions.containsKey(key)) {
                    send(exchange, 404, "application/problem+json",
                            "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"status\":404}"
                                    .getBytes(StandardCharsets.UTF_8));
                } else if (version.group(3) != null) {
                    codeDownloads.incrementAndGet();
                    send(exchange, 200, "application/zip", code.get(key));
                } else {
                    send(exchange, 200, "application/json", json.writeValueAsBytes(versions.get(key)));
                }
            } else if ("PUT".equals(method) && invocation.matches()) {
                UUID id = UUID.fromString(invocation.group(1));
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (invocation.group(2) != null) {
                    json.readTree(body).path("startedAt").stringValue(); // must be there
                    running.add(id);
                } else {
                    completed.put(id, json.readValue(body, InvocationCompleted.class));
                }
                send(exchange, 204, null, null);
            } else {
                send(exchange, 404, "application/problem+json", "{\"status\":404}".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
