package io.cloudfunc.containers.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.function.FunctionView;
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
 * versions and their code; the records the manager publishes land in {@link #completed} and {@link #running} through
 * {@link SchedulerStandIn}.
 */
final class StubRegistry implements AutoCloseable {

    private static final Pattern VERSION = Pattern.compile("^/internal/functions/([^/]+)/versions/(\\d+)(/code|/secrets)?$");

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    private final Map<String, FunctionVersionView> versions = new ConcurrentHashMap<>();
    private final Map<String, byte[]> code = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    final Map<UUID, InvocationCompleted> completed = new ConcurrentHashMap<>();
    final Set<UUID> running = ConcurrentHashMap.newKeySet();
    /** The latest attempt of each invocation that was marked as running. */
    final Map<UUID, Integer> runningAttempt = new ConcurrentHashMap<>();
    final AtomicInteger codeDownloads = new AtomicInteger();
    /** GETs of a version's configuration ({@code /internal/functions/{name}/versions/{n}}). */
    final AtomicInteger versionLookups = new AtomicInteger();

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
        return deploy(name, version, "python", "function.handler", zip(files), timeoutMs, memoryMb, idleTtlMs, env,
                0, 10, 1, "none", null, Map.of());
    }

    /** A version with secrets: its view names them, the secrets endpoint gives their values. */
    FunctionVersionView deploy(String name, int version, Map<String, String> files, long timeoutMs, int memoryMb,
                               long idleTtlMs, Map<String, String> env, Map<String, String> secretValues)
            throws Exception {
        return deploy(name, version, "python", "function.handler", zip(files), timeoutMs, memoryMb, idleTtlMs, env,
                0, 10, 1, "none", null, secretValues);
    }

    /** Deploys a function with its isolation settings: {@code network} none or outbound, an OCI runtime or null. */
    FunctionVersionView deploy(String name, int version, Map<String, String> files, long timeoutMs, int memoryMb,
                               long idleTtlMs, Map<String, String> env, String network, String ociRuntime)
            throws Exception {
        return deploy(name, version, "python", "function.handler", zip(files), timeoutMs, memoryMb, idleTtlMs, env,
                0, 10, 1, network, ociRuntime, Map.of());
    }

    /** A version with scaling settings: minInstances, maxInstances, concurrency. */
    FunctionVersionView deploy(String name, int version, Map<String, String> files, long timeoutMs, int memoryMb,
                               long idleTtlMs, Map<String, String> env, int minInstances, int maxInstances,
                               int concurrency) throws Exception {
        return deploy(name, version, "python", "function.handler", zip(files), timeoutMs, memoryMb, idleTtlMs, env,
                minInstances, maxInstances, concurrency, "none", null, Map.of());
    }

    /** Deploys a function (one version) of any runtime whose code is the given archive. */
    FunctionVersionView deploy(String name, int version, String runtime, String handler, byte[] zip, long timeoutMs,
                               int memoryMb, long idleTtlMs, Map<String, String> env) throws Exception {
        return deploy(name, version, runtime, handler, zip, timeoutMs, memoryMb, idleTtlMs, env, 0, 10, 1, "none",
                null, Map.of());
    }

    /** Deploys a function of any runtime with scaling settings: minInstances, maxInstances, concurrency. */
    FunctionVersionView deploy(String name, int version, String runtime, String handler, byte[] zip,
                               long timeoutMs, int memoryMb, long idleTtlMs, Map<String, String> env,
                               int minInstances, int maxInstances, int concurrency) throws Exception {
        return deploy(name, version, runtime, handler, zip, timeoutMs, memoryMb, idleTtlMs, env, minInstances,
                maxInstances, concurrency, "none", null, Map.of());
    }

    private FunctionVersionView deploy(String name, int version, String runtime, String handler, byte[] zip,
                                       long timeoutMs, int memoryMb, long idleTtlMs, Map<String, String> env,
                                       int minInstances, int maxInstances, int concurrency, String network,
                                       String ociRuntime, Map<String, String> secretValues) throws Exception {
        secrets.put(name + "/" + version, Map.copyOf(secretValues));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
        FunctionVersionView view = new FunctionVersionView(name, version, runtime, handler, timeoutMs,
                memoryMb, idleTtlMs, env, minInstances, maxInstances, concurrency, network, ociRuntime, null, 0,
                1000L, sha, zip.length, Instant.now(),
                java.util.List.copyOf(new java.util.TreeSet<>(secretValues.keySet())));
        versions.put(name + "/" + version, view);
        code.put(name + "/" + version, zip);
        return view;
    }

    /** The version as deployed, with a CPU limit of its own ({@code cpuMillis}) in its place. */
    FunctionVersionView withCpuLimit(FunctionVersionView v, int cpuMillis) {
        FunctionVersionView view = new FunctionVersionView(v.functionName(), v.version(), v.runtime(), v.handler(),
                v.timeoutMs(), v.memoryMb(), cpuMillis, v.idleTtlMs(), v.env(), v.minInstances(), v.maxInstances(),
                v.concurrency(), v.network(), v.ociRuntime(), v.image(), v.maxRetries(), v.retryBackoffMs(),
                v.codeSha256(), v.codeSize(), v.createdAt(), v.secretNames());
        versions.put(v.functionName() + "/" + v.version(), view);
        return view;
    }

    /** Deploys a function of runtime image (one version); its code is an empty zip, as the registry stores it. */
    FunctionVersionView deployImage(String name, String image, String handler, long timeoutMs, int memoryMb,
                                    Map<String, String> env) throws Exception {
        byte[] zip = zip(Map.of());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip));
        FunctionVersionView view = new FunctionVersionView(name, 1, "image", handler, timeoutMs, memoryMb, 60_000,
                env, 0, 10, 1, "none", null, image, 0, 1000L, sha, zip.length, Instant.now(), java.util.List.of());
        versions.put(name + "/1", view);
        code.put(name + "/1", zip);
        return view;
    }

    /** Every function as the registry lists it: the configuration of its latest version. */
    private java.util.List<FunctionView> functions() {
        Map<String, FunctionVersionView> latest = new java.util.TreeMap<>();
        versions.values().forEach(v -> latest.merge(v.functionName(), v, (a, b) -> a.version() >= b.version() ? a : b));
        return latest.values().stream().map(v -> new FunctionView(v.functionName(), v.runtime(), v.handler(),
                v.timeoutMs(), v.memoryMb(), v.cpuMillis(), v.idleTtlMs(), v.env(), v.minInstances(), v.maxInstances(),
                v.concurrency(), v.network(), v.ociRuntime(), v.image(), v.maxRetries(), v.retryBackoffMs(),
                v.version(), v.codeSha256(), v.codeSize(), v.createdAt(), v.createdAt(), v.secretNames())).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher version = VERSION.matcher(path);
            if ("GET".equals(method) && version.matches()) {
                String key = version.group(1) + "/" + version.group(2);
                if (!versions.containsKey(key)) {
                    send(exchange, 404, "application/problem+json",
                            "{\"type\":\"urn:cloudfunc:problem:function-not-found\",\"status\":404}"
                                    .getBytes(StandardCharsets.UTF_8));
                } else if ("/secrets".equals(version.group(3))) {
                    send(exchange, 200, "application/json", json.writeValueAsBytes(secrets.get(key)));
                } else if (version.group(3) != null) {
                    codeDownloads.incrementAndGet();
                    send(exchange, 200, "application/zip", code.get(key));
                } else {
                    versionLookups.incrementAndGet();
                    send(exchange, 200, "application/json", json.writeValueAsBytes(versions.get(key)));
                }
            } else if ("GET".equals(method) && path.equals("/internal/functions")) {
                send(exchange, 200, "application/json", json.writeValueAsBytes(functions()));
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
        Map<String, byte[]> contents = new java.util.LinkedHashMap<>();
        files.forEach((name, text) -> contents.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return zipBytes(contents);
    }

    static byte[] zipBytes(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue());
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
