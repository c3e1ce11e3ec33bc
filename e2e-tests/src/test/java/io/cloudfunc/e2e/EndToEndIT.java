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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole invocation path through the four services, the real PostgreSQL, RabbitMQ and Docker: deploy seed 001's
 * hello_fn with the CLI's own code, invoke it, and throw bad input at the gateway.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static Platform platform;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = new Platform();
        platform.start(List.of("--gateway.max-archive-size=1MB", "--gateway.max-event-size=64KB",
                "--spring.servlet.multipart.max-file-size=1MB", "--spring.servlet.multipart.max-request-size=2MB"));
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    record CliRun(int exitCode, String out, String err) {
    }

    static CliRun cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = CloudFuncCli.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 2];
        full[0] = "--url";
        full[1] = platform.gateway().toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = commandLine.execute(full);
        return new CliRun(code, out.toString(), err.toString());
    }

    static Path functionDir(String dirName, String source) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(dirName));
        Files.writeString(dir.resolve("function.py"), source);
        return dir;
    }

    @Test
    @Order(1)
    void deploysHelloFnWithTheCliAndAnswersColdThenWarm() throws Exception {
        Path hello = functionDir("hello_fn",
                "def handler(event):\n    return f\"Hello {event.get('name', 'World')}!\"\n");
        Files.writeString(hello.resolve(".cloudfuncignore"), "notes.txt\n");
        Files.writeString(hello.resolve("notes.txt"), "not deployed");

        CliRun deploy = cli("deploy", hello.toString());
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        assertThat(deploy.out()).contains("Deployed hello-fn version 1");

        List<String> starts = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CliRun invoke = cli("invoke", "hello-fn", "--data", "{\"name\":\"Alice\"}", "-v");
            assertThat(invoke.exitCode()).as(invoke.err()).isZero();
            assertThat(invoke.out().strip()).isEqualTo("Hello Alice!");
            starts.add(invoke.err().replaceAll("(?s).*start: (\\w+).*", "$1").strip());
        }
        assertThat(starts).containsExactly("cold", "warm", "warm");
        assertThat(Platform.containersOf("hello-fn")).hasSize(1);

        CliRun list = cli("list");
        assertThat(list.out()).contains("hello-fn").contains("python");
        CliRun describe = cli("--output", "json", "describe", "hello-fn");
        assertThat(describe.out()).contains("\"latestVersion\" : 1");
    }

    @Test
    @Order(2)
    void recordsEveryInvocationWithItsTimings() throws Exception {
        var response = post("/functions/hello-fn/invoke", "application/json", "{\"name\":\"Bob\"}".getBytes());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-CloudFunc-Start")).contains("warm");
        assertThat(response.headers().firstValue("X-CloudFunc-Duration-Ms")).isPresent();
        assertThat(response.headers().firstValue("X-CloudFunc-Total-Ms")).isPresent();
        String id = response.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow();

        String record = awaitFinalRecord(id);
        assertThat(record).contains("\"status\":\"SUCCEEDED\"").contains("\"startType\":\"WARM\"")
                .contains("\"result\":\"Hello Bob!\"").contains("\"name\":\"Bob\"").contains("\"finishedAt\"");
    }

    @Test
    @Order(3)
    void aRaisingHandlerIsAFunctionErrorNotAPlatformError() throws Exception {
        Path failing = functionDir("failing", "def handler(event):\n    raise ValueError('bad event: ' + str(event))\n");
        assertThat(cli("deploy", failing.toString()).exitCode()).isZero();

        CliRun invoke = cli("invoke", "failing", "--data", "{\"x\":1}");
        assertThat(invoke.exitCode()).isEqualTo(5);
        assertThat(invoke.err()).startsWith("Error: ").contains("bad event").doesNotContain("\tat ");

        var response = post("/functions/failing/invoke", "application/json", "{}".getBytes());
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("X-CloudFunc-Function-Error")).isPresent();
        assertThat(response.body()).contains("ValueError").contains("function.py").doesNotContain("runtime.py");
        String record = awaitFinalRecord(response.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow());
        assertThat(record).contains("\"status\":\"FAILED\"").contains("ValueError");
    }

    @Test
    @Order(4)
    void aHandlerPastItsTimeoutIsTimedOutAndItsContainerRemoved() throws Exception {
        Path sleepy = functionDir("sleepy", "import time\n\ndef handler(event):\n    time.sleep(30)\n    return 'late'\n");
        assertThat(cli("deploy", sleepy.toString(), "--timeout", "1s").exitCode()).isZero();

        var response = post("/functions/sleepy/invoke", "application/json", "{}".getBytes());
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("urn:cloudfunc:problem:function-timeout");
        String id = response.headers().firstValue("X-CloudFunc-Invocation-Id")
                .orElseGet(() -> response.body().replaceAll("(?s).*\"invocationId\":\"([0-9a-f-]+)\".*", "$1"));
        assertThat(awaitFinalRecord(id)).contains("\"status\":\"TIMED_OUT\"");
        awaitNoContainers("sleepy");

        CliRun invoke = cli("invoke", "sleepy");
        assertThat(invoke.exitCode()).isEqualTo(6);
    }

    @Test
    @Order(5)
    void answersEveryBadInputWithAProblemDetail() throws Exception {
        record Case(String what, HttpResponse<String> response, int status) {
        }
        byte[] helloZip = zip(Map.of("function.py", "def handler(event):\n    return 1\n"));
        List<Case> cases = List.of(
                new Case("unknown function", post("/functions/nope/invoke", "application/json", "{}".getBytes()), 404),
                new Case("unknown function GET", get("/functions/nope"), 404),
                new Case("unknown invocation", get("/invocations/" + UUID.randomUUID()), 404),
                new Case("malformed invocation id", get("/invocations/not-a-uuid"), 400),
                new Case("invalid name on invoke", post("/functions/Bad_Name/invoke", "application/json", "{}".getBytes()), 400),
                new Case("invalid JSON event", post("/functions/hello-fn/invoke", "application/json", "{\"name\":".getBytes()), 400),
                new Case("oversized event", post("/functions/hello-fn/invoke", "application/json",
                        ("{\"pad\":\"" + "x".repeat(100_000) + "\"}").getBytes()), 413),
                new Case("invalid name on deploy", deploy(spec("Bad_Name", "python"), helloZip), 400),
                new Case("unsupported runtime", deploy(spec("cobol-fn", "cobol"), helloZip), 400),
                new Case("malformed zip", deploy(spec("broken-zip", "python"), "this is not a zip".getBytes()), 400),
                new Case("zip with path traversal", deploy(spec("traversal", "python"),
                        zip(Map.of("function.py", "def handler(e):\n    return 1\n", "../evil.py", "x = 1\n"))), 400),
                new Case("missing handler file", deploy(spec("no-handler", "python"), zip(Map.of("other.py", "x = 1\n"))), 400),
                new Case("oversized archive", deploy(spec("too-big", "python"), zip(Map.of("function.py",
                        "def handler(e):\n    return 1\n", "blob.bin", randomText(1_500_000)))), 413),
                new Case("invalid inline deploy JSON", post("/functions", "application/json", "{\"name\":".getBytes()), 400),
                new Case("unknown path", get("/no/such/path"), 404),
                new Case("wrong method", send(HttpRequest.newBuilder(uri("/functions/hello-fn/invoke")).PUT(
                        BodyPublishers.ofString("{}")).header("Content-Type", "application/json")), 405));

        for (Case c : cases) {
            assertThat(c.response().statusCode()).as(c.what() + ": " + c.response().body()).isEqualTo(c.status());
            assertThat(c.response().headers().firstValue("Content-Type")).as(c.what())
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(c.response().body()).as(c.what())
                    .contains("\"type\"").contains("\"status\":" + c.status()).contains("\"detail\"")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        for (String rejected : List.of("cobol-fn", "broken-zip", "traversal", "no-handler", "too-big")) {
            assertThat(get("/functions/" + rejected).statusCode()).as(rejected + " must not be stored").isEqualTo(404);
        }
    }

    @Test
    @Order(6)
    void deployingInlineSourceCreatesANewVersion() throws Exception {
        var response = post("/functions", "application/json", """
                {"name":"hello-fn","runtime":"python","code":"def handler(event, context):\\n    return {'v': 2, 'id': context.invocation_id if hasattr(context, 'invocation_id') else None}\\n"}
                """.getBytes());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"latestVersion\":2");

        var invoke = post("/functions/hello-fn/invoke", "application/json", "{}".getBytes());
        assertThat(invoke.statusCode()).as(invoke.body()).isEqualTo(200);
        assertThat(invoke.body()).contains("\"v\":2");
        assertThat(invoke.headers().firstValue("X-CloudFunc-Start")).contains("cold");
        // a cold start shows in the platform's total, not in the function's own duration
        long total = Long.parseLong(invoke.headers().firstValue("X-CloudFunc-Total-Ms").orElseThrow());
        long duration = Long.parseLong(invoke.headers().firstValue("X-CloudFunc-Duration-Ms").orElseThrow());
        assertThat(total).isGreaterThan(duration + 50);
    }

    @Test
    @Order(7)
    void deletingAFunctionRetiresItsContainers() throws Exception {
        assertThat(Platform.containersOf("hello-fn")).isNotEmpty();
        CliRun delete = cli("delete", "hello-fn");
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        awaitNoContainers("hello-fn");
        CliRun invoke = cli("invoke", "hello-fn");
        assertThat(invoke.exitCode()).isEqualTo(3);
        assertThat(invoke.err()).contains("hello-fn");
    }

    @Test
    @Order(8)
    void deployOptionsReachTheFunction() throws Exception {
        Path dir = functionDir("greeter_env", """
                import os

                def greet(event, context):
                    return {"greeting": os.environ["GREETING"] + " " + event["name"],
                            "function": context.function_name, "memoryMb": context.memory_limit_in_mb}
                """);
        CliRun deploy = cli("deploy", dir.toString(), "--name", "greeter", "--handler", "function.greet",
                "--env", "GREETING=Hi", "--memory", "96m", "--timeout", "5s", "--idle-ttl", "20s");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();

        CliRun describe = cli("--output", "json", "describe", "greeter");
        assertThat(describe.out()).contains("\"memoryMb\" : 96").contains("\"timeoutMs\" : 5000")
                .contains("\"idleTtlMs\" : 20000").contains("\"GREETING\" : \"Hi\"")
                .contains("\"handler\" : \"function.greet\"");

        CliRun invoke = cli("--output", "json", "invoke", "greeter", "--data", "{\"name\":\"Alice\"}");
        assertThat(invoke.exitCode()).as(invoke.err()).isZero();
        assertThat(invoke.out()).contains("\"greeting\" : \"Hi Alice\"").contains("\"function\" : \"greeter\"")
                .contains("\"memoryMb\" : 96");
        String container = Platform.containersOf("greeter").getFirst();
        String memory = new String(new ProcessBuilder("docker", "inspect", "-f", "{{.HostConfig.Memory}}", container)
                .start().getInputStream().readAllBytes()).strip();
        assertThat(memory).isEqualTo(String.valueOf(96L * 1024 * 1024));
    }

    @Test
    @Order(9)
    void anOutsideProgramInvokesOverAmqpFollowingTheMessagingContract() throws Exception {
        var deploy = post("/functions", "application/json", """
                {"name":"amqp-echo","runtime":"python","code":"def handler(event):\\n    return {'echo': event}\\n"}
                """.getBytes());
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(201);

        var factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(platform.vhost);
        String id = UUID.randomUUID().toString();
        try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
            var reply = new java.util.concurrent.CompletableFuture<String>();
            channel.basicConsume("amq.rabbitmq.reply-to", true, (tag, delivery) -> {
                if (id.equals(delivery.getProperties().getCorrelationId())) {
                    reply.complete(new String(delivery.getBody(), StandardCharsets.UTF_8));
                }
            }, tag -> { });
            var properties = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).type("InvokeFunction")
                    .correlationId(id).replyTo("amq.rabbitmq.reply-to").build();
            String message = "{\"invocationId\":\"" + id + "\",\"functionName\":\"amqp-echo\",\"version\":1,"
                    + "\"payload\":{\"from\":\"amqp\"},\"acceptedAt\":\"" + Instant.now() + "\"}";
            channel.confirmSelect();
            channel.basicPublish("cloudfunc.invocations", "invoke", true, properties,
                    message.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);

            String completed = reply.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(completed).contains("\"status\":\"SUCCEEDED\"").contains("\"echo\":{\"from\":\"amqp\"}")
                    .contains("\"startType\":\"COLD\"");
        }
        assertThat(awaitFinalRecord(id)).contains("\"status\":\"SUCCEEDED\"").contains("\"from\":\"amqp\"");
    }

    // --- helpers

    private static String awaitFinalRecord(String id) throws Exception {
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

    private static void awaitNoContainers(String function) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (Platform.containersOf(function).isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(Platform.containersOf(function)).as("containers of " + function).isEmpty();
    }

    private static URI uri(String path) {
        return platform.gateway().resolve(path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private static HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(BodyPublishers.ofByteArray(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String spec(String name, String runtime) {
        return "{\"name\":\"" + name + "\",\"runtime\":\"" + runtime + "\",\"handler\":\"function.handler\"}";
    }

    private static HttpResponse<String> deploy(String metadata, byte[] archive) throws Exception {
        String boundary = "e2e-" + UUID.randomUUID();
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"code\"; filename=\"code.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(archive);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post("/functions", "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private static byte[] zip(Map<String, String> files) throws Exception {
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
    private static String randomText(int length) {
        var random = new java.util.Random(42);
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('!' + random.nextInt(90)));
        }
        return sb.toString();
    }
}
