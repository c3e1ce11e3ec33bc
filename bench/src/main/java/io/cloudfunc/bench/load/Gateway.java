package io.cloudfunc.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The CloudFunc HTTP API as the harness uses it: one keep-alive HTTP/1.1 client, every request carrying the
 * bootstrap API key (harmless where auth does not exist yet).
 */
public final class Gateway implements AutoCloseable {

    /** What the harness reads from an answer. */
    public record Answer(int status, String startType, String location, String body) {
        public boolean ok() {
            return status == 200;
        }

        /** The answer in a few words, for "not measured" reasons. */
        public String describe() {
            String text = body == null ? "" : body.replaceAll("\\s+", " ");
            return "HTTP " + status + (text.isBlank() ? "" : " " + (text.length() > 160 ? text.substring(0, 160) + "..." : text));
        }
    }

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String apiKey;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().factory());
    private final HttpClient http;

    public Gateway(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    public URI base() {
        return base;
    }

    private HttpRequest.Builder request(String path) {
        return request(base.resolve(path));
    }

    private HttpRequest.Builder request(URI uri) {
        var builder = HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT);
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    /** Deploys one-file Python source as {@code function.handler}. */
    public Answer deployInline(String name, String runtime, String code, long idleTtlMs) throws IOException, InterruptedException {
        return deployInline(name, runtime, code, idleTtlMs, null);
    }

    /** With {@code ociRuntime} named (e.g. {@code runc}): such a function never takes a pre-warmed container. */
    public Answer deployInline(String name, String runtime, String code, long idleTtlMs, String ociRuntime)
            throws IOException, InterruptedException {
        String json = "{\"name\":" + Json.quote(name) + ",\"runtime\":" + Json.quote(runtime) + ",\"code\":"
                + Json.quote(code) + ",\"idleTtlMs\":" + idleTtlMs
                + (ociRuntime == null ? "" : ",\"ociRuntime\":" + Json.quote(ociRuntime)) + "}";
        return send(request("/functions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Deploys a zip archive with its metadata, as the CLI does (multipart: {@code metadata} and {@code code}). */
    public Answer deployZip(String name, String runtime, String handler, byte[] zip, long idleTtlMs)
            throws IOException, InterruptedException {
        return deployZip(name, runtime, handler, zip, idleTtlMs, null);
    }

    /** With {@code ociRuntime} named (e.g. {@code runc}): such a function never takes a pre-warmed container. */
    public Answer deployZip(String name, String runtime, String handler, byte[] zip, long idleTtlMs,
                            String ociRuntime) throws IOException, InterruptedException {
        String boundary = "cf-bench-" + UUID.randomUUID();
        String metadata = "{\"name\":" + Json.quote(name) + ",\"runtime\":" + Json.quote(runtime) + ",\"handler\":"
                + Json.quote(handler) + ",\"idleTtlMs\":" + idleTtlMs
                + (ociRuntime == null ? "" : ",\"ociRuntime\":" + Json.quote(ociRuntime)) + "}";
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"code\"; filename=\"code.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(zip);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/functions").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    public Answer delete(String name) throws IOException, InterruptedException {
        return send(request("/functions/" + name).DELETE().build());
    }

    public HttpRequest invoke(String name, String event, boolean async) {
        var builder = request("/functions/" + name + "/invoke").header("Content-Type", "application/json");
        if (async) {
            builder.header("Prefer", "respond-async");
        }
        return builder.POST(HttpRequest.BodyPublishers.ofString(event)).build();
    }

    public Answer get(URI uri) throws IOException, InterruptedException {
        return send(request(base.resolve(uri)).GET().build());
    }

    public Answer send(HttpRequest request) throws IOException, InterruptedException {
        return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    public CompletableFuture<Answer> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(Gateway::answer);
    }

    private static Answer answer(HttpResponse<String> response) {
        return new Answer(response.statusCode(),
                response.headers().firstValue("X-CloudFunc-Start").orElse(null),
                response.headers().firstValue("Location").orElse(null),
                response.body());
    }

    @Override
    public void close() {
        http.close();
        executor.shutdownNow();
    }
}
