package io.cloudfunc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpServer;
import io.cloudfunc.cli.CloudFuncCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asynchronous invocations through the four services, the real PostgreSQL, RabbitMQ and Docker: 202 and polling,
 * callbacks to a receiver on loopback, retries that succeed on a later attempt (the attempt reaches the function's
 * context), dead letters, history pages, the CLI's async commands, an outside AMQP producer without reply-to, and
 * an invoker key that sees only its own invocations. Every request sends a key (the bootstrap admin's unless said).
 *
 * <p>The Python runtime image is built from this tree under a tag of its own (the shared {@code latest} tag may hold
 * another branch's runtime), and removed at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AsyncEndToEndIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration FINAL_WITHIN = Duration.ofSeconds(60);

    private static Platform platform;
    private static String runtimeImage;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = new Platform();
        Path root = Path.of(System.getProperty("cloudfunc.root", "..")).toAbsolutePath().normalize();
        runtimeImage = "cloudfunc/runtime-python:e2e-async-" + platform.id;
        docker("build", "-q", "-t", runtimeImage, "--build-arg", "BASE_IMAGE=" + Platform.pythonBaseImage(),
                root.resolve("runtimes/python").toString());
        platform.start(List.of(), List.of("--containers.runtimes.python.image=" + runtimeImage));
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            if (runtimeImage != null) {
                docker("rmi", runtimeImage);
            }
        }
    }

    @Test
    @Order(1)
    void asyncInvokeAnswers202WithALocationThatEndsSucceeded() throws Exception {
        deploy("echo", """
                def handler(event, context):
                    return {"echo": event, "attempt": context.attempt}
                """);

        var accepted = post("/functions/echo/invoke", "{\"n\":1}", "Prefer", "respond-async");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(accepted.body());
        String id = body.path("invocationId").asString();
        assertThat(accepted.headers().firstValue("Location")).contains("/invocations/" + id);
        assertThat(accepted.headers().firstValue("Preference-Applied")).contains("respond-async");
        assertThat(accepted.headers().firstValue("X-CloudFunc-Invocation-Id")).contains(id);
        assertThat(body.path("status").asString()).isEqualTo("QUEUED");
        assertThat(body.path("functionName").asString()).isEqualTo("echo");

        // the record exists as soon as the call is accepted
        var early = get(accepted.headers().firstValue("Location").orElseThrow());
        assertThat(early.statusCode()).as(early.body()).isEqualTo(200);
        assertThat(JSON.readTree(early.body()).path("status").asString())
                .isIn("QUEUED", "RUNNING", "SUCCEEDED");

        JsonNode record = awaitFinal(id);
        assertThat(record.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(record.path("result")).isEqualTo(JSON.readTree("{\"echo\":{\"n\":1},\"attempt\":1}"));
        assertThat(record.path("mode").asString()).isEqualTo("ASYNC");
        assertThat(record.path("attempt").asInt()).isEqualTo(1);
        assertThat(record.path("deadLettered").asBoolean()).isFalse();
        assertThat(record.path("startType").asString()).isEqualTo("COLD");
        Instant acceptedAt = Instant.parse(record.path("acceptedAt").asString());
        Instant startedAt = Instant.parse(record.path("startedAt").asString());
        Instant finishedAt = Instant.parse(record.path("finishedAt").asString());
        assertThat(startedAt).isAfterOrEqualTo(acceptedAt);
        assertThat(finishedAt).isAfterOrEqualTo(startedAt);
        assertThat(record.path("durationMs").isIntegralNumber()).isTrue();

        // ?async=true is the same, and the container is warm now
        var second = post("/functions/echo/invoke?async=true", "{\"n\":2}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(202);
        JsonNode secondRecord = awaitFinal(JSON.readTree(second.body()).path("invocationId").asString());
        assertThat(secondRecord.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(secondRecord.path("startType").asString()).isEqualTo("WARM");
    }

    @Test
    @Order(2)
    void aCallbackReceivesTheFinalRecord() throws Exception {
        record Delivery(String invocationHeader, String contentType, String body) {
        }
        var deliveries = new LinkedBlockingQueue<Delivery>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("X-CloudFunc-Invocation-Id"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), new String(bytes, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            var accepted = post("/functions/echo/invoke?callbackUrl=" + URLEncoder.encode(hook, StandardCharsets.UTF_8),
                    "{\"hook\":true}", "Prefer", "respond-async");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String id = JSON.readTree(accepted.body()).path("invocationId").asString();

            Delivery delivery = deliveries.poll(FINAL_WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertThat(delivery).as("callback for " + id).isNotNull();
            assertThat(delivery.invocationHeader()).isEqualTo(id);
            assertThat(delivery.contentType()).startsWith("application/json");
            JsonNode posted = JSON.readTree(delivery.body());
            assertThat(posted.path("id").asString()).isEqualTo(id);
            assertThat(posted.path("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(posted.path("result").path("echo")).isEqualTo(JSON.readTree("{\"hook\":true}"));
            assertThat(posted.path("finishedAt").isString()).isTrue();
            // one 2xx ends it: no second delivery
            assertThat(deliveries.poll(2, TimeUnit.SECONDS)).isNull();
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    @Order(3)
    void aFailingCallIsRetriedUntilItsThirdAttemptSucceeds() throws Exception {
        deploy("flaky", """
                def handler(event, context):
                    if context.attempt < 3:
                        raise RuntimeError("attempt %d fails" % context.attempt)
                    return {"succeededOn": context.attempt}
                """, "--max-retries", "2", "--retry-backoff", "100ms");

        var accepted = post("/functions/flaky/invoke?async=true", "{}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode record = awaitFinal(JSON.readTree(accepted.body()).path("invocationId").asString());
        assertThat(record.path("status").asString()).as(record.toString()).isEqualTo("SUCCEEDED");
        assertThat(record.path("attempt").asInt()).isEqualTo(3);
        assertThat(record.path("result").path("succeededOn").asInt()).isEqualTo(3);
        assertThat(record.path("deadLettered").asBoolean()).isFalse();
        assertThat(record.path("nextAttemptAt").isNull()).as(record.toString()).isTrue();

        // a synchronous call is never retried
        var sync = post("/functions/flaky/invoke", "{}");
        assertThat(sync.statusCode()).as(sync.body()).isEqualTo(502);
        assertThat(sync.body()).contains("attempt 1 fails");
        JsonNode syncRecord = awaitFinal(sync.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow());
        assertThat(syncRecord.path("attempt").asInt()).isEqualTo(1);
        assertThat(syncRecord.path("mode").asString()).isEqualTo("SYNC");
        assertThat(syncRecord.path("deadLettered").asBoolean()).isFalse();
    }

    @Test
    @Order(4)
    void aCallFailingEveryAttemptIsADeadLetter() throws Exception {
        deploy("always-fails", """
                def handler(event, context):
                    raise ValueError("no luck on attempt %d" % context.attempt)
                """, "--max-retries", "1", "--retry-backoff", "100ms");

        CliRun invoke = cli("invoke", "always-fails", "--async", "--data", "{\"x\":1}");
        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        String id = invoke.out().strip();
        assertThat(id).matches("[0-9a-f-]{36}");

        CliRun wait = cli("invocation", id, "--wait", "--wait-timeout", "60s");
        assertThat(wait.exitCode()).as(wait.out() + wait.err()).isEqualTo(5);
        assertThat(wait.out()).contains("FAILED").contains("no luck on attempt 2");

        JsonNode record = awaitFinal(id);
        assertThat(record.path("status").asString()).isEqualTo("FAILED");
        assertThat(record.path("attempt").asInt()).isEqualTo(2);
        assertThat(record.path("deadLettered").asBoolean()).isTrue();
        assertThat(record.path("error").path("type").asString()).isEqualTo("ValueError");
        assertThat(record.path("errorKind").asString()).isEqualTo("FUNCTION");

        assertThat(ids(getJson("/dead-letters"))).contains(id);
        assertThat(ids(getJson("/dead-letters?function=always-fails"))).containsExactly(id);
        assertThat(ids(getJson("/dead-letters?function=flaky"))).isEmpty();

        CliRun deadLetters = cli("dead-letters");
        assertThat(deadLetters.exitCode()).as(deadLetters.err()).isZero();
        assertThat(deadLetters.out()).contains("FUNCTION").contains(id).contains("always-fails");
        CliRun json = cli("--output", "json", "dead-letters", "always-fails");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(ids(JSON.readTree(json.out()))).containsExactly(id);
    }

    @Test
    @Order(5)
    void historyFiltersByStatusAndPagesWithACursorWithoutGapsOrRepeats() throws Exception {
        deploy("paged", """
                def handler(event):
                    if event.get("fail"):
                        raise RuntimeError("asked to fail")
                    return event["i"]
                """);
        List<String> all = new ArrayList<>();
        Set<String> failing = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            boolean fail = i % 2 == 1;
            var accepted = post("/functions/paged/invoke?async=true", "{\"i\":" + i + ",\"fail\":" + fail + "}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String id = JSON.readTree(accepted.body()).path("invocationId").asString();
            all.add(id);
            if (fail) {
                failing.add(id);
            }
        }
        for (String id : all) {
            awaitFinal(id);
        }

        List<String> paged = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        List<Instant> accepted = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            JsonNode body = getJson("/functions/paged/invocations?limit=2"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            pageSizes.add(body.path("items").size());
            body.path("items").forEach(item -> {
                paged.add(item.path("id").asString());
                accepted.add(Instant.parse(item.path("acceptedAt").asString()));
            });
            cursor = body.path("nextCursor").isString() ? body.path("nextCursor").asString() : null;
            if (cursor == null) {
                break;
            }
        }
        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        assertThat(accepted).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(ids(getJson("/functions/paged/invocations?status=FAILED")))
                .containsExactlyInAnyOrderElementsOf(failing);
        assertThat(ids(getJson("/functions/paged/invocations?status=succeeded")))
                .hasSize(3).doesNotContainAnyElementsOf(failing);
        Instant first = accepted.getLast();
        assertThat(ids(getJson("/functions/paged/invocations?from=" + first.plusSeconds(3600)))).isEmpty();
        assertThat(ids(getJson("/functions/paged/invocations?to=" + first))).isEmpty();
        assertThat(ids(getJson("/functions/paged/invocations?from=" + first))).hasSize(5);

        var badStatus = get("/functions/paged/invocations?status=LOST");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(get("/functions/paged/invocations?cursor=bm90LWEtY3Vyc29y").statusCode()).isEqualTo(400);
        assertThat(get("/functions/no-such-fn/invocations").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void theCliInvokesAsynchronouslyWaitsAndLists() throws Exception {
        CliRun invoke = cli("invoke", "echo", "--async", "--data", "{\"via\":\"cli\"}");
        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        String id = invoke.out().strip();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);

        CliRun wait = cli("invocation", id, "--wait", "--wait-timeout", "60s");
        assertThat(wait.exitCode()).as(wait.err()).isZero();
        assertThat(wait.out()).contains("SUCCEEDED").contains("ASYNC").contains("via").contains("cli");

        CliRun list = cli("invocations", "echo", "-o", "json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode rows = JSON.readTree(list.out());
        assertThat(ids(rows)).contains(id);
        assertThat(rows.get(0).path("id").asString()).as("newest first").isEqualTo(id);

        CliRun failed = cli("invocations", "paged", "--status", "failed");
        assertThat(failed.exitCode()).as(failed.err()).isZero();
        assertThat(failed.out()).contains("FAILED").doesNotContain("SUCCEEDED");
    }

    @Test
    @Order(7)
    void anOutsideProducerWithoutReplyToFindsTheRecordAndGetsRetries() throws Exception {
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                        builder -> builder.schemaRegistryConfig(
                                SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                .getSchema(Files.newInputStream(Path.of(System.getProperty("cloudfunc.root", ".."))
                        .resolve("docs/invoke-function.schema.json")));
        JsonNode echo = getJson("/functions/echo");
        JsonNode flaky = getJson("/functions/flaky");
        String plainId = UUID.randomUUID().toString();
        String asyncId = UUID.randomUUID().toString();
        // as docs/messaging.md describes them: the first without mode (SYNC), the second ASYNC with the code digest
        String plain = "{\"invocationId\":\"" + plainId + "\",\"functionName\":\"echo\",\"version\":"
                + echo.path("latestVersion").asInt() + ",\"payload\":{\"from\":\"amqp\"},\"acceptedAt\":\""
                + Instant.now() + "\"}";
        String async = "{\"invocationId\":\"" + asyncId + "\",\"functionName\":\"flaky\",\"version\":"
                + flaky.path("latestVersion").asInt() + ",\"payload\":null,\"acceptedAt\":\"" + Instant.now()
                + "\",\"codeSha256\":\"" + flaky.path("codeSha256").asString() + "\",\"mode\":\"ASYNC\"}";
        assertThat(schema.validate(plain, InputFormat.JSON)).isEmpty();
        assertThat(schema.validate(async, InputFormat.JSON)).isEmpty();
        // the schema does reject what the platform would not take
        assertThat(schema.validate(async.replace("\"ASYNC\"", "\"LATER\""), InputFormat.JSON)).isNotEmpty();
        assertThat(schema.validate("{\"invocationId\":\"x\",\"functionName\":\"echo\",\"version\":1}",
                InputFormat.JSON)).isNotEmpty();

        var factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(platform.vhost);
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            channel.confirmSelect();
            for (String[] message : new String[][] {{plainId, plain}, {asyncId, async}}) {
                var properties = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                        .contentType("application/json").deliveryMode(2).type("InvokeFunction")
                        .correlationId(message[0]).build();
                channel.basicPublish("cloudfunc.invocations", "invoke", true, properties,
                        message[1].getBytes(StandardCharsets.UTF_8));
            }
            channel.waitForConfirmsOrDie(5_000);
        }

        JsonNode plainRecord = awaitFinal(plainId);
        assertThat(plainRecord.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(plainRecord.path("result").path("echo")).isEqualTo(JSON.readTree("{\"from\":\"amqp\"}"));
        assertThat(plainRecord.path("mode").asString()).isEqualTo("SYNC");

        JsonNode asyncRecord = awaitFinal(asyncId);
        assertThat(asyncRecord.path("status").asString()).as(asyncRecord.toString()).isEqualTo("SUCCEEDED");
        assertThat(asyncRecord.path("attempt").asInt()).isEqualTo(3);
        assertThat(asyncRecord.path("mode").asString()).isEqualTo("ASYNC");
    }

    @Test
    @Order(8)
    void anInvokerKeySeesOnlyItsOwnInvocationsInTheHistory() throws Exception {
        CliRun created = cli("-o", "json", "keys", "create", "--name", "e2e-async-invoker", "--role", "invoker");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String invoker = JSON.readTree(created.out()).path("secret").asString();
        assertThat(invoker).isNotBlank();

        List<String> own = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var accepted = postAs(invoker, "/functions/echo/invoke?async=true", "{\"by\":\"invoker\"}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            own.add(JSON.readTree(accepted.body()).path("invocationId").asString());
        }
        CliRun viaCli = cliWithKey(invoker, "invoke", "echo", "--async", "--data", "{\"by\":\"invoker-cli\"}");
        assertThat(viaCli.exitCode()).as(viaCli.err()).isZero();
        own.add(viaCli.out().strip());
        var byAdmin = post("/functions/echo/invoke?async=true", "{\"by\":\"admin\"}");
        assertThat(byAdmin.statusCode()).as(byAdmin.body()).isEqualTo(202);
        String adminId = JSON.readTree(byAdmin.body()).path("invocationId").asString();
        for (String id : own) {
            assertThat(awaitFinal(id).path("status").asString()).isEqualTo("SUCCEEDED");
        }
        awaitFinal(adminId);

        // the invoker's pages (2 per page) hold exactly its own calls, none of the many others of echo
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 5; page++) {
            var response = getAs(invoker, "/functions/echo/invocations?limit=2"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            seen.addAll(ids(body));
            cursor = body.path("nextCursor").isString() ? body.path("nextCursor").asString() : null;
            if (cursor == null) {
                break;
            }
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(own);
        var filtered = getAs(invoker, "/functions/echo/invocations?status=SUCCEEDED");
        assertThat(ids(JSON.readTree(filtered.body()))).containsExactlyInAnyOrderElementsOf(own);
        CliRun listed = cliWithKey(invoker, "invocations", "echo", "-o", "json", "--all");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(ids(JSON.readTree(listed.out()))).containsExactlyInAnyOrderElementsOf(own);

        // a developer or admin sees everyone's
        assertThat(ids(getJson("/functions/echo/invocations?limit=500"))).contains(adminId).containsAll(own);
        // the invoker reads its own records, not the admin's, and no dead letters at all
        assertThat(getAs(invoker, "/invocations/" + own.getFirst()).statusCode()).isEqualTo(200);
        assertThat(getAs(invoker, "/invocations/" + adminId).statusCode()).isEqualTo(404);
        assertThat(getAs(invoker, "/dead-letters").statusCode()).isEqualTo(403);
    }

    // --- helpers

    record CliRun(int exitCode, String out, String err) {
    }

    /** The CLI in-process with the bootstrap admin key. */
    static CliRun cli(String... args) {
        return cliWithKey(platform.adminKey, args);
    }

    /** The CLI in-process with {@code key} ({@code --api-key}) and no saved login. */
    static CliRun cliWithKey(String key, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = CloudFuncCli.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        List<String> full = new ArrayList<>(List.of("--url", platform.gateway().toString(),
                "--config", tmp.resolve("no-cli-config.json").toString(), "--api-key", key));
        full.addAll(List.of(args));
        int code = commandLine.execute(full.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }

    private static void deploy(String name, String source, String... options) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("function.py"), source);
        List<String> args = new ArrayList<>(List.of("deploy", dir.toString(), "--name", name));
        args.addAll(List.of(options));
        CliRun deploy = cli(args.toArray(String[]::new));
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    }

    /** Polls the record until it is final (SUCCEEDED, FAILED, TIMED_OUT), within {@link #FINAL_WITHIN}. */
    private static JsonNode awaitFinal(String id) throws Exception {
        Instant deadline = Instant.now().plus(FINAL_WITHIN);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            var response = get("/invocations/" + id);
            last = response.body();
            if (response.statusCode() == 200) {
                JsonNode record = JSON.readTree(last);
                if (List.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(record.path("status").asString())) {
                    return record;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("invocation " + id + " did not reach a final state: " + last);
    }

    private static List<String> ids(JsonNode pageOrArray) {
        JsonNode items = pageOrArray.isArray() ? pageOrArray : pageOrArray.path("items");
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static JsonNode getJson(String path) throws Exception {
        var response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return getAs(platform.adminKey, path);
    }

    private static HttpResponse<String> getAs(String key, String path) throws Exception {
        return sendAs(key, HttpRequest.newBuilder(uri(path)).GET());
    }

    private static HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        return postAs(platform.adminKey, path, json, headers);
    }

    private static HttpResponse<String> postAs(String key, String path, String json, String... headers)
            throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return sendAs(key, request);
    }

    /** Every endpoint but health needs a key (docs/api.md, Authentication). */
    private static HttpResponse<String> sendAs(String key, HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static URI uri(String path) {
        return platform.gateway().resolve(path);
    }

    private static void docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_BUILDKIT", "0");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
