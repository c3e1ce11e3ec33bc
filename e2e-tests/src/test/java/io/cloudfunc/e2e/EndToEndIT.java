package io.cloudfunc.e2e;

import static io.cloudfunc.e2e.Api.*;
import static io.cloudfunc.support.testing.TestDocuments.nested;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.cli.CloudFuncCli;
import io.cloudfunc.contracts.invocation.EventLimits;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole invocation path through the four services, the real PostgreSQL, RabbitMQ and Docker: deploy seed 001's
 * hello_fn with the CLI's own code, invoke it, and throw bad input at the gateway.
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static Platform platform;

    @BeforeAll
    static void platform() {
        platform = SharedPlatform.get();
    }

    /** Images the tests built, removed at the end (the shared platform stops after the last class). */
    private static final List<String> BUILT_IMAGES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void removeBuiltImages() throws Exception {
        for (String image : BUILT_IMAGES) {
            new ProcessBuilder("docker", "rmi", "-f", image).redirectErrorStream(true).start().waitFor();
        }
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
        assertThat(deploy.out()).contains("Deployed hello_fn version 1");

        List<String> starts = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CliRun invoke = cli("invoke", "hello_fn", "--data", "{\"name\":\"Alice\"}", "-v");
            assertThat(invoke.exitCode()).as(invoke.err()).isZero();
            assertThat(invoke.out().strip()).isEqualTo("Hello Alice!");
            starts.add(invoke.err().replaceAll("(?s).*start: (\\w+).*", "$1").strip());
        }
        assertThat(starts).containsExactly("cold", "warm", "warm");
        assertThat(Platform.containersOf("hello_fn")).hasSize(1);

        CliRun list = cli("list");
        assertThat(list.out()).contains("hello_fn").contains("python");
        CliRun describe = cli("--output", "json", "describe", "hello_fn");
        assertThat(describe.out()).contains("\"latestVersion\" : 1");
    }

    @Test
    @Order(2)
    void recordsEveryInvocationWithItsTimings() throws Exception {
        var response = post("/functions/hello_fn/invoke", "application/json", "{\"name\":\"Bob\"}".getBytes());
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
    @Order(6)
    void deployingInlineSourceCreatesANewVersion() throws Exception {
        var response = post("/functions", "application/json", """
                {"name":"hello_fn","runtime":"python","code":"def handler(event, context):\\n    return {'v': 2, 'id': context.invocation_id if hasattr(context, 'invocation_id') else None}\\n"}
                """.getBytes());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).contains("\"latestVersion\":2");

        var invoke = post("/functions/hello_fn/invoke", "application/json", "{}".getBytes());
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
        assertThat(Platform.containersOf("hello_fn")).isNotEmpty();
        CliRun delete = cli("delete", "hello_fn");
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        awaitNoContainers("hello_fn");
        CliRun invoke = cli("invoke", "hello_fn");
        assertThat(invoke.exitCode()).isEqualTo(3);
        assertThat(invoke.err()).contains("hello_fn");
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
        Instant acceptedAt = Instant.parse("2026-05-01T10:00:01.250Z"); // the producer's, long before the run
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
                    + "\"payload\":{\"from\":\"amqp\"},\"acceptedAt\":\"" + acceptedAt + "\"}";
            channel.confirmSelect();
            channel.basicPublish("cloudfunc.invocations", "invoke", true, properties,
                    message.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);

            String completed = reply.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(completed).contains("\"status\":\"SUCCEEDED\"").contains("\"echo\":{\"from\":\"amqp\"}")
                    .contains("\"startType\":\"COLD\"");
        }
        String record = awaitFinalRecord(id);
        assertThat(record).contains("\"status\":\"SUCCEEDED\"").contains("\"from\":\"amqp\"");
        // the record keeps what the producer sent: its event and its acceptance time
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        var recorded = json.readTree(record);
        assertThat(recorded.path("request")).isEqualTo(json.readTree("{\"from\":\"amqp\"}"));
        assertThat(Instant.parse(recorded.path("acceptedAt").asString())).isEqualTo(acceptedAt);
    }

    @Test
    @Order(20)
    void everyInvocationsLogsAreReadableThroughTheApiAndTheCli() throws Exception {
        Path talker = functionDir("talker", """
                import sys
                def handler(event):
                    print("said:", event["say"])
                    print("to stderr", file=sys.stderr)
                    if event.get("flood"):
                        print("z" * 200_000)
                    return event["say"]
                """);
        assertThat(cli("deploy", talker.toString()).exitCode()).isZero();
        String first = invocationId(post("/functions/talker/invoke", "application/json", "{\"say\":\"one\"}".getBytes()));
        String second = invocationId(post("/functions/talker/invoke", "application/json", "{\"say\":\"two\"}".getBytes()));
        String flooded = invocationId(post("/functions/talker/invoke", "application/json",
                "{\"say\":\"flood\",\"flood\":true}".getBytes()));
        awaitFinalRecord(flooded);

        CliRun latest = cli("logs", "talker");
        CliRun one = cli("logs", "talker", "--invocation", first);
        HttpResponse<String> floodedLogs = get("/invocations/" + flooded + "/logs");

        assertThat(latest.exitCode()).as(latest.err()).isZero();
        assertThat(latest.out()).containsSubsequence(first, "said: one", "to stderr", second, "said: two", flooded,
                "(truncated)", "said: flood", "...[truncated]");
        assertThat(one.out()).contains("said: one\nto stderr\n").doesNotContain("said: two");
        assertThat(floodedLogs.statusCode()).isEqualTo(200);
        assertThat(floodedLogs.body()).contains("\"truncated\":true").contains("\"invocationId\":\"" + flooded + "\"");

        // --follow shows the invocations that finish after it started, then stops at --limit
        var follower = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cli("logs", "talker", "--follow", "--tail", "0", "--limit", "1", "--interval", "100ms"));
        // Invoked until the follower has shown one: however late it starts, a later invocation is one it shows.
        List<String> live = new java.util.ArrayList<>();
        for (int i = 0; i < 60 && !follower.isDone(); i++) {
            live.add(invocationId(post("/functions/talker/invoke", "application/json",
                    "{\"say\":\"live\"}".getBytes())));
            Thread.sleep(250);
        }
        CliRun followed = follower.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out()).contains("said: live").doesNotContain("said: one").doesNotContain(flooded);
        assertThat(live).anySatisfy(id -> assertThat(followed.out()).contains(id));
        assertThat(cli("logs", "no-such-function").exitCode()).isEqualTo(3);
    }

    @Test
    @Order(10)
    void stdinStdoutImageUploadedWithTheCliRunsInAColdContainerOfItsOwnEveryCall() throws Exception {
        String tag = "cloudfunc-e2e/stdio-hello-" + platform.id + ":1";
        BUILT_IMAGES.add(tag);
        Platform.docker("build", "-q", "-t", tag, "--build-arg", "BASE_IMAGE=" + Platform.pythonBaseImage(),
                platform.repository("runtimes/image/example/stdio-hello").toString());
        Path archive = platform.workDir.resolve("stdio-hello.tar");
        Platform.docker("save", "-o", archive.toString(), tag);
        Platform.docker("rmi", tag); // only the upload can bring it back

        CliRun upload = cli("images", "upload", archive.toString());
        assertThat(upload.exitCode()).as(upload.err()).isZero();
        assertThat(upload.out()).contains("Loaded " + tag);
        assertThat(upload.err()).contains("100%");
        CliRun list = cli("images", "list");
        assertThat(list.out()).containsPattern(java.util.regex.Pattern.quote(tag) + "\\s+stdio");

        CliRun missing = cli("deploy", "--runtime", "image", "--image", "cloudfunc-e2e/never-uploaded:1",
                "--name", "nowhere");
        assertThat(missing.exitCode()).isEqualTo(4);
        assertThat(missing.err()).contains("Image not found: cloudfunc-e2e/never-uploaded:1");

        CliRun deploy = cli("deploy", "--runtime", "image", "--image", tag, "--name", "stdio-hello",
                "--env", "GREETING=Howdy", "--timeout", "20s");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        assertThat(deploy.out()).contains("Deployed stdio-hello version 1");

        List<String> starts = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CliRun invoke = cli("--output", "json", "invoke", "stdio-hello", "--data", "{\"name\":\"Alice\"}", "-v");
            assertThat(invoke.exitCode()).as(invoke.err()).isZero();
            assertThat(invoke.out()).contains("\"message\" : \"Hello Alice!\"").contains("\"greeting\" : \"Howdy\"");
            starts.add(invoke.err().replaceAll("(?s).*start: (\\w+).*", "$1").strip());
        }
        assertThat(starts).containsExactly("cold", "cold");

        var response = post("/functions/stdio-hello/invoke", "application/json", "{\"name\":\"Bob\"}".getBytes());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-CloudFunc-Start")).contains("cold");
        String record = awaitFinalRecord(response.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow());
        assertThat(record).contains("\"startType\":\"COLD\"").contains("greeting Bob");
        awaitNoContainers("stdio-hello");
    }

    @Test
    @Order(11)
    void imageEmbeddingTheRuntimeProtocolIsPooledAndWarmOnTheSecondCall() throws Exception {
        String tag = "cloudfunc-e2e/socket-hello-" + platform.id + ":1";
        BUILT_IMAGES.add(tag);
        Platform.docker("build", "-q", "-t", tag, platform.repository("runtimes/image/example/socket-hello").toString());

        var deploy = post("/functions", "application/json",
                ("{\"name\":\"socket-hello\",\"runtime\":\"image\",\"image\":\"" + tag + "\"}").getBytes());
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(201);

        List<String> starts = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            var response = post("/functions/socket-hello/invoke", "application/json",
                    "{\"name\":\"Alice\"}".getBytes());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("\"Hello Alice from a baked image!\"");
            starts.add(response.headers().firstValue("X-CloudFunc-Start").orElseThrow());
        }
        assertThat(starts).containsExactly("cold", "warm");
        assertThat(Platform.containersOf("socket-hello")).hasSize(1);
        var images = get("/images");
        assertThat(images.body()).contains(tag).contains("\"protocol\":\"socket\"");
    }

    /** A version's dependency build, as its JSON names it. */
    private static final java.util.regex.Pattern JSON_DIGEST = java.util.regex.Pattern.compile(
            "\"dependenciesDigest\"\\s*:\\s*\"[0-9a-f]{64}\"");

    @Test
    @Order(20)
    void nodeFunctionsWithTheCliTheirNpmDependencyInstalledAtDeployColdThenWarm() throws Exception {
        Path repository = Path.of("..").toAbsolutePath().normalize();
        Path deps = platform.workDir.resolve("deps_fn");
        Files.createDirectories(deps);
        for (String file : List.of("index.js", "package.json")) {
            Files.copy(repository.resolve("runtimes/node/example/deps_fn").resolve(file), deps.resolve(file));
        }

        CliRun deploy = cli("deploy", deps.toString(), "--runtime", "node", "--handler", "index.check");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        // installed by the platform at deploy, the build's log shown as it runs
        assertThat(deploy.err()).contains("  build | $ npm install --omit=dev");
        assertThat(deps.resolve("node_modules")).as("the user's folder is left alone").doesNotExist();

        List<String> starts = new java.util.ArrayList<>();
        for (String value : List.of("\"42\"", "\"forty-two\"")) {
            CliRun invoke = cli("invoke", "deps_fn", "--data", "{\"value\":" + value + "}", "-v");
            assertThat(invoke.exitCode()).as(invoke.err()).isZero();
            assertThat(invoke.out()).containsPattern("\"isNumber\"\\s*:\\s*" + value.equals("\"42\""));
            starts.add(invoke.err().replaceAll("(?s).*start: (\\w+).*", "$1").strip());
        }
        assertThat(starts).containsExactly("cold", "warm");

        Path hello = repository.resolve("runtimes/node/example/hello_fn");
        assertThat(cli("deploy", hello.toString(), "--name", "node-hello", "--runtime", "node").exitCode()).isZero();
        CliRun greeted = cli("invoke", "node-hello", "--data", "{\"name\":\"Alice\"}");
        assertThat(greeted.out().strip()).isEqualTo("Hello Alice!");

        var uninstalled = deploy("{\"name\":\"no-modules\",\"runtime\":\"node\",\"handler\":\"index.check\"}",
                zip(Map.of("index.js", Files.readString(deps.resolve("index.js")),
                        "package.json", Files.readString(deps.resolve("package.json")))));
        // an HTTP deploy gets its dependencies installed too: the same package.json, so deps_fn's build is reused
        assertThat(uninstalled.statusCode()).as(uninstalled.body()).isEqualTo(201);
        var checked = post("/functions/no-modules/invoke", "application/json", "{\"value\":\"7\"}".getBytes());
        assertThat(checked.body()).containsPattern("\"isNumber\"\\s*:\\s*true");
        assertThat(get("/functions/no-modules/versions").body()).contains(JSON_DIGEST.matcher(
                get("/functions/deps_fn/versions").body()).results().findFirst().orElseThrow().group());

        Path failing = Files.createDirectories(platform.workDir.resolve("node_failing"));
        Files.writeString(failing.resolve("index.js"),
                "exports.handler = async (event) => { throw new RangeError('bad ' + event.n); };\n");
        assertThat(cli("deploy", failing.toString(), "--runtime", "node").exitCode()).isZero();
        var failed = post("/functions/node_failing/invoke", "application/json", "{\"n\":7}".getBytes());
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.body()).contains("RangeError").contains("bad 7").contains("index.js")
                .doesNotContain("runtime.js");
    }

    @Test
    @Order(21)
    void javaJarWithTheCliColdThenWarmAndItsErrors() throws Exception {
        Path jar = Path.of("..", "runtimes", "java", "example", "hello-fn", "target", "hello-fn.jar")
                .toAbsolutePath().normalize();
        assertThat(jar).as("built by Maven before this module").exists();

        CliRun deploy = cli("deploy", jar.toString(), "--name", "java-hello", "--runtime", "java",
                "--handler", "com.example.Hello", "--memory", "256m");
        assertThat(deploy.exitCode()).as(deploy.err()).isZero();
        assertThat(deploy.out()).contains("Deployed java-hello version 1");

        List<String> starts = new java.util.ArrayList<>();
        for (String name : List.of("Alice", "Bob")) {
            CliRun invoke = cli("invoke", "java-hello", "--data", "{\"name\":\"" + name + "\"}", "-v");
            assertThat(invoke.exitCode()).as(invoke.err()).isZero();
            assertThat(invoke.out().strip()).isEqualTo("Hello " + name + "!");
            starts.add(invoke.err().replaceAll("(?s).*start: (\\w+).*", "$1").strip());
        }
        assertThat(starts).containsExactly("cold", "warm");

        CliRun unfit = cli("invoke", "java-hello", "--data", "[1, 2]");
        assertThat(unfit.exitCode()).isEqualTo(5);
        assertThat(unfit.err()).contains("InvalidEvent");

        CliRun missing = cli("deploy", jar.toString(), "--name", "java-missing", "--runtime", "java",
                "--handler", "com.example.Missing");
        assertThat(missing.exitCode()).isEqualTo(4);
        assertThat(missing.err()).contains("com/example/Missing.class not found");
        CliRun noHandler = cli("deploy", jar.toString(), "--name", "java-nohandler", "--runtime", "java");
        assertThat(noHandler.exitCode()).isEqualTo(4);
        assertThat(noHandler.err()).contains("a java function needs a handler");
    }

    @Test
    @Order(10)
    void refusesCallsWithoutAValidKeyAndEnforcesRoles() throws Exception {
        var deploy = post("/functions", "application/json", """
                {"name":"whoami","runtime":"python","code":"def handler(event):\\n    return 'ok'\\n"}
                """.getBytes());
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(201);

        // 401 without a key, with a wrong one; health stays public
        var none = sendAs(null, HttpRequest.newBuilder(uri("/functions")).GET());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"cloudfunc\"");
        assertThat(none.body()).contains("urn:cloudfunc:problem:unauthorized");
        assertThat(sendAs("cf_not-a-key-of-this-platform-0000", HttpRequest.newBuilder(uri("/functions")).GET())
                .statusCode()).isEqualTo(401);
        assertThat(sendAs(null, HttpRequest.newBuilder(uri("/actuator/health")).GET()).statusCode()).isEqualTo(200);
        var health = sendAs(null, HttpRequest.newBuilder(uri("/health")).GET());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        CliRun anonymous = cliWithKey(null, "list");
        assertThat(anonymous.exitCode()).isEqualTo(8);
        assertThat(anonymous.err()).startsWith("Error: ").contains("API key");

        // an invoker key: invokes, cannot deploy (403), reads only its own invocations (another's is a 404)
        String invoker = createKey("e2e-invoker", "invoker");
        var invoked = sendAs(invoker, HttpRequest.newBuilder(uri("/functions/whoami/invoke"))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{}")));
        assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
        String own = invoked.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow();
        assertThat(sendAs(invoker, HttpRequest.newBuilder(uri("/invocations/" + own)).GET()).statusCode())
                .isEqualTo(200);
        String others = post("/functions/whoami/invoke", "application/json", "{}".getBytes()).headers()
                .firstValue("X-CloudFunc-Invocation-Id").orElseThrow();
        var hidden = sendAs(invoker, HttpRequest.newBuilder(uri("/invocations/" + others)).GET());
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).contains("invocation-not-found");
        assertThat(get("/invocations/" + others).statusCode()).isEqualTo(200);
        var hiddenLogs = sendAs(invoker, HttpRequest.newBuilder(uri("/invocations/" + others + "/logs")).GET());
        assertThat(hiddenLogs.statusCode()).isEqualTo(404);
        assertThat(hiddenLogs.body()).contains("invocation-not-found");
        assertThat(sendAs(invoker, HttpRequest.newBuilder(uri("/invocations/" + own + "/logs")).GET()).statusCode())
                .isEqualTo(200);
        var forbidden = sendAs(invoker, HttpRequest.newBuilder(uri("/functions")).header("Content-Type",
                "application/json").POST(BodyPublishers.ofString(
                "{\"name\":\"nope\",\"runtime\":\"python\",\"code\":\"x\"}")));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("urn:cloudfunc:problem:forbidden");
        CliRun cliForbidden = cliWithKey(invoker, "delete", "whoami");
        assertThat(cliForbidden.exitCode()).isEqualTo(9);

        // revoked: refused at once by this gateway
        String id = keyId("e2e-invoker");
        CliRun revoke = cli("keys", "revoke", id);
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        var revoked = sendAs(invoker, HttpRequest.newBuilder(uri("/invocations/" + own)).GET());
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.body()).contains("revoked");
    }

    @Test
    @Order(11)
    void expiresKeysAndRateLimitsThem() throws Exception {
        CliRun created = cli("-o", "json", "keys", "create", "--name", "e2e-short", "--role", "developer",
                "--expires-in", "2s");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String shortLived = GatewayJson.text(created.out(), "secret");
        assertThat(sendAs(shortLived, HttpRequest.newBuilder(uri("/functions")).GET()).statusCode()).isEqualTo(200);
        HttpResponse<String> expired = null;
        for (int i = 0; i < 50; i++) { // at most 10 s
            expired = sendAs(shortLived, HttpRequest.newBuilder(uri("/functions")).GET());
            if (expired.statusCode() == 401) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("expired");

        CliRun limited = cli("-o", "json", "keys", "create", "--name", "e2e-limited", "--role", "developer",
                "--rate-limit", "1", "--burst", "1");
        String key = GatewayJson.text(limited.out(), "secret");
        int tooMany = 0;
        String retryAfter = null;
        for (int i = 0; i < 3; i++) {
            var response = sendAs(key, HttpRequest.newBuilder(uri("/functions")).GET());
            if (response.statusCode() == 429) {
                tooMany++;
                retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                assertThat(response.body()).contains("urn:cloudfunc:problem:rate-limited");
            }
        }
        assertThat(tooMany).isPositive();
        assertThat(retryAfter).isEqualTo("1");
    }

    @Test
    @Order(12)
    void neverShowsOrStoresASecretAfterCreation() throws Exception {
        String secret = createKey("e2e-secret", "developer");

        CliRun listed = cli("-o", "json", "keys", "list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("e2e-secret").doesNotContain(secret);
        assertThat(cli("keys", "list").out()).doesNotContain(secret);
        assertThat(get("/keys").body()).doesNotContain(secret).doesNotContain(platform.adminKey);

        List<String> rows = platform.query("SELECT * FROM api_keys");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(4);
        assertThat(String.join("\n", rows)).doesNotContain(secret).doesNotContain(secret.substring(8))
                .doesNotContain(platform.adminKey.substring(8))
                .contains(sha256(secret));
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Creates a key with the CLI and returns its secret. */
    private static String createKey(String name, String role) {
        CliRun created = cli("-o", "json", "keys", "create", "--name", name, "--role", role);
        assertThat(created.exitCode()).as(created.err()).isZero();
        return GatewayJson.text(created.out(), "secret");
    }

    private static String keyId(String name) {
        CliRun listed = cli("-o", "json", "keys", "list");
        for (var key : tools.jackson.databind.json.JsonMapper.builder().build().readTree(listed.out())) {
            if (name.equals(key.path("name").asString())) {
                return key.path("id").asString();
            }
        }
        throw new AssertionError("no key named " + name + " in " + listed.out());
    }

    /** One text field of a JSON document. */
    private static final class GatewayJson {
        static String text(String json, String field) {
            String value = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json).path(field)
                    .asString();
            assertThat(value).as(field + " in " + json).isNotBlank();
            return value;
        }
    }

    @Test
    @Order(13)
    void anEventAsDeepAsTheGatewayAllowsRunsThroughEveryHopAndOneLevelMoreIsA400() throws Exception {
        var deploy = post("/functions", "application/json", """
                {"name":"deep-echo","runtime":"python","code":"def handler(event):\\n    return event\\n"}
                """.getBytes());
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(201);

        String deepest = nested(EventLimits.MAX_DEPTH);
        var answer = post("/functions/deep-echo/invoke", "application/json", deepest.getBytes());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body().replace(" ", "")).isEqualTo(deepest);
        String id = answer.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow();
        var record = get("/invocations/" + id);
        assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
        assertThat(record.body()).contains("\"status\":\"SUCCEEDED\"");

        var deeper = post("/functions/deep-echo/invoke", "application/json",
                nested(EventLimits.MAX_DEPTH + 1).getBytes());
        assertThat(deeper.statusCode()).as(deeper.body()).isEqualTo(400);
        assertThat(deeper.body()).contains("nested too deeply");
    }

    @Test
    @Order(14)
    void numbersOfAnEventKeepTheirValueInItsRecord() throws Exception {
        var deploy = post("/functions", "application/json", """
                {"name":"numbers","runtime":"python","code":"def handler(event):\\n    return 'ok'\\n"}
                """.getBytes());
        assertThat(deploy.statusCode()).as(deploy.body()).isEqualTo(201);
        var response = post("/functions/numbers/invoke", "application/json",
                "{\"name\":\"Num\",\"huge\":1e400,\"price\":1.50}".getBytes());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String id = response.headers().firstValue("X-CloudFunc-Invocation-Id").orElseThrow();

        String record = awaitFinalRecord(id);
        var request = tools.jackson.databind.json.JsonMapper.builder()
                .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build()
                .readTree(record).path("request");
        assertThat(record).doesNotContain("Infinity");
        assertThat(request.path("huge").isNumber()).as(record).isTrue();
        assertThat(request.path("huge").decimalValue()).isEqualByComparingTo("1e400");
        assertThat(request.path("price").decimalValue()).isEqualByComparingTo("1.5");
    }
}
