package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.CloudFuncCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** What the e2e tests do to the shared platform: HTTP calls to the gateway, CLI runs, archives, waiting. */
final class Api {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path functionDirs;

    private Api() {
    }

    record CliRun(int exitCode, String out, String err) {
    }

    /** The CLI's own code, in-process, against the shared platform, with the bootstrap admin key. */
    static CliRun cli(String... args) {
        return cliWithKey(SharedPlatform.get().adminKey, args);
    }

    /**
     * The CLI with {@code key} ({@code --api-key}), or with none when null; never a saved login (a config file
     * that does not exist).
     */
    static CliRun cliWithKey(String key, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        Platform platform = SharedPlatform.get();
        List<String> full = new java.util.ArrayList<>(List.of("--url", platform.gateway().toString(),
                "--config", platform.workDir.resolve("no-cli-config.json").toString()));
        if (key != null) {
            full.addAll(List.of("--api-key", key));
        }
        full.addAll(List.of(args));
        String[] line = full.toArray(String[]::new);
        // the command line main() builds for these arguments
        var commandLine = CloudFuncCli.commandLine(line);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(line);
        return new CliRun(code, out.toString(), err.toString());
    }

    static synchronized Path functionDir(String dirName, String source) throws Exception {
        if (functionDirs == null) {
            functionDirs = SharedPlatform.get().workDir.resolve("functions");
        }
        Path dir = Files.createDirectories(functionDirs.resolve(dirName));
        Files.writeString(dir.resolve("function.py"), source);
        return dir;
    }

    static HttpResponse<String> put(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(json)));
    }

    static HttpResponse<String> delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** Deploys a one-file python function inline; asserts it was stored. */
    static void deployInline(String name, String source) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"runtime\":\"python\",\"code\":"
                + new tools.jackson.databind.json.JsonMapper().writeValueAsString(source) + "}";
        var response = post("/functions", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }


    static String awaitFinalRecord(String id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            var response = get("/invocations/" + id);
            body = response.body();
            if (response.statusCode() == 200 && body.matches("(?s).*\"status\":\"(SUCCEEDED|FAILED|TIMED_OUT)\".*")) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("invocation " + id + " did not reach a final state: " + body);
    }

    static void awaitNoContainers(String function) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (Platform.containersOf(function).isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(Platform.containersOf(function)).as("containers of " + function).isEmpty();
    }

    static URI uri(String path) {
        return SharedPlatform.get().gateway().resolve(path);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    static HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(BodyPublishers.ofByteArray(body)));
    }

    /** Sends with the bootstrap admin key. */
    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return sendAs(SharedPlatform.get().adminKey, request);
    }

    /** Sends with {@code key}, or with no Authorization header when it is null. */
    static HttpResponse<String> sendAs(String key, HttpRequest.Builder request) throws Exception {
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The invocation id of a 200 answer. */
    static String invocationId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow();
    }

    static String spec(String name, String runtime) {
        return "{\"name\":\"" + name + "\",\"runtime\":\"" + runtime + "\",\"handler\":\"function.handler\"}";
    }

    static HttpResponse<String> deploy(String metadata, byte[] archive) throws Exception {
        return deploy(List.<String[]>of(new String[] {"metadata", "application/json", metadata}), archive);
    }

    /** A multipart deploy: the fields (name, content type or null, value), then the {@code code} part. */
    static HttpResponse<String> deploy(List<String[]> fields, byte[] archive) throws Exception {
        String boundary = "e2e-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        for (String[] field : fields) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n"
                    + (field[1] == null ? "" : "Content-Type: " + field[1] + "\r\n") + "\r\n" + field[2] + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"code\"; filename=\"code.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(archive);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post("/functions", "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    static byte[] zip(Map<String, String> files) throws Exception {
        var buffer = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(buffer)) {
            for (var file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return buffer.toByteArray();
    }

    /** Text that does not compress, so the archive really is that large. */
    static String randomText(int length) {
        var random = new java.util.Random(42);
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('!' + random.nextInt(90)));
        }
        return sb.toString();
    }
}
