package io.cloudfunc.containers.it;

import static io.cloudfunc.support.testing.TestDocuments.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Functions of runtime image against the real engine: stdin/stdout images (one container per call), an image that
 * embeds the runtime protocol (pooled), and the image API ({@code /internal/images}). Builds its own small images
 * and removes them afterwards.
 */
@ExtendWith(ImageFunctionsIT.AfterManagerStopped.class) // declared first: runs after Spring closed the context
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ImageFunctionsIT {

    static final ItInfrastructure INFRA = ItInfrastructure.start();
    static final String STDIO_IMAGE = "cloudfunc-it/stdio-" + INFRA.suffix + ":1";
    static final String SOCKET_IMAGE = "cloudfunc-it/socket-" + INFRA.suffix + ":1";
    static final String TINY_IMAGE = "cloudfunc-it/tiny-" + INFRA.suffix + ":1";
    static final Path TINY_TAR = INFRA.workDir.resolve("tiny.tar");

    static {
        try {
            buildImages();
        } catch (Exception e) {
            throw new IllegalStateException("could not build the test images: " + e.getMessage(), e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.virtual-host", () -> INFRA.vhost);
        registry.add("containers.registry-url", () -> INFRA.registry.url().toString());
        registry.add("containers.socket-root", () -> INFRA.socketRoot().toString());
        registry.add("containers.code-cache", () -> INFRA.codeCache().toString());
        registry.add("containers.node", () -> INFRA.node);
        registry.add("containers.consumer.concurrency", () -> "4");
        registry.add("containers.consumer.shutdown-grace", () -> "5s");
        registry.add("containers.images.max-upload-size", () -> "1MB");
        registry.add("containers.images.max-logs", () -> "1KB");
    }

    @Autowired
    RabbitTemplate rabbit;
    @Autowired
    RabbitAdmin admin;
    @Autowired
    JsonMapper json;
    @Autowired
    DockerClient docker;
    @Autowired
    ContainerPool pool;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final HttpClient http = HttpClient.newHttpClient();
    private String replyQueue;

    static final class AfterManagerStopped implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            try {
                assertThat(ItInfrastructure.containers(Map.of(Labels.MANAGER, INFRA.node)))
                        .as("containers left after the manager stopped").isEmpty();
            } finally {
                ItInfrastructure.run(Duration.ofSeconds(60), false, "docker", "rmi", "-f", STDIO_IMAGE, SOCKET_IMAGE,
                        TINY_IMAGE);
                INFRA.stop();
            }
        }
    }

    @Test
    void stdioImageGetsTheEventOnStdinAndRunsColdInAContainerOfItsOwnEveryTime() throws Exception {
        FunctionVersionView echo = INFRA.registry.deployImage("echo-" + suffix, STDIO_IMAGE, "", 10_000, 128,
                Map.of("GREETING", "hi"));
        double coldStarts = meters.counter("cloudfunc.container.starts", "type", "cold").count();

        InvocationCompleted first = call(echo, "{\"name\":\"Alice\"}");
        InvocationCompleted second = call(echo, "[1,2,3]");

        assertThat(first.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(first.result().get("echo").get("name").stringValue()).isEqualTo("Alice");
        assertThat(first.result().get("greeting").stringValue()).isEqualTo("hi");
        assertThat(first.startType()).isEqualTo(StartType.COLD);
        assertThat(first.logs()).contains("processing the event");
        assertThat(second.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(second.result().get("echo").toString()).isEqualTo("[1,2,3]");
        assertThat(second.startType()).isEqualTo(StartType.COLD);
        assertThat(meters.counter("cloudfunc.container.starts", "type", "cold").count())
                .as("both counted as cold starts").isEqualTo(coldStarts + 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> containersOf(echo).isEmpty());
    }

    @Test
    void nonZeroExitFailsWithTheExitCodeAndTheEndOfStderr() throws Exception {
        FunctionVersionView echo = INFRA.registry.deployImage("exit-" + suffix, STDIO_IMAGE, "", 10_000, 128,
                Map.of());

        InvocationCompleted failed = call(echo, "{\"mode\":\"fail\"}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(failed.error().type()).isEqualTo("NonZeroExit");
        assertThat(failed.error().message()).contains("code 3").contains("the disk is on fire");
        assertThat(failed.logs()).contains("the disk is on fire");
    }

    @Test
    void stdoutThatIsNotJsonFailsTheCall() throws Exception {
        FunctionVersionView echo = INFRA.registry.deployImage("garbage-" + suffix, STDIO_IMAGE, "", 10_000, 128,
                Map.of());

        InvocationCompleted failed = call(echo, "{\"mode\":\"garbage\"}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.error().type()).isEqualTo("InvalidOutput");
        assertThat(failed.error().message()).contains("this is not json");
    }

    @Test
    void stderrBeyondTheCapIsTruncated() throws Exception {
        FunctionVersionView echo = INFRA.registry.deployImage("chatty-" + suffix, STDIO_IMAGE, "", 10_000, 128,
                Map.of());

        InvocationCompleted chatty = call(echo, "{\"mode\":\"chatty\"}");

        assertThat(chatty.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(chatty.logs()).endsWith("...[truncated]").hasSizeLessThan(1100);
    }

    @Test
    void callPastItsTimeoutIsKilledAndItsHardenedContainerRemoved() throws Exception {
        FunctionVersionView sleeper = INFRA.registry.deployImage("sleep-" + suffix, STDIO_IMAGE, "", 4_000, 96,
                Map.of());
        UUID id = UUID.randomUUID();
        publish(new InvokeFunction(id, sleeper.functionName(), 1, json.readTree("{\"mode\":\"sleep\"}"),
                Instant.now(), sleeper.codeSha256()));

        List<String> running = await().atMost(Duration.ofSeconds(10)).until(() -> containersOf(sleeper),
                ids -> !ids.isEmpty());
        InspectContainerResponse inspect = docker.inspectContainerCmd(running.getFirst()).exec();
        var host = inspect.getHostConfig();
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getNetworkMode()).isEqualTo("none");
        assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
        assertThat(host.getSecurityOpts()).contains("no-new-privileges");
        assertThat(host.getMemory()).isEqualTo(96L * 1024 * 1024);
        assertThat(host.getPidsLimit()).isEqualTo(128L);
        assertThat(host.getTmpFs()).containsKey("/tmp");
        assertThat(inspect.getConfig().getUser()).isEqualTo("10001:10001"); // the image runs as root: not here
        // while it runs, the one-shot container holds its room in the node's budget, as a busy container
        assertThat(pool.snapshot()).filteredOn(c -> FunctionKey.of(sleeper).equals(c.function()))
                .singleElement().satisfies(c -> {
                    assertThat(c.state().label()).isEqualTo("busy");
                    assertThat(c.memoryMb()).isEqualTo(96);
                });

        InvocationCompleted timedOut = awaitReply(id);
        assertThat(timedOut.status()).isEqualTo(InvocationStatus.TIMED_OUT);
        assertThat(timedOut.error().type()).isEqualTo("TimeoutError");
        await().atMost(Duration.ofSeconds(10)).until(() -> containersOf(sleeper).isEmpty());
        assertThat(pool.snapshot()).as("its room given back")
                .noneMatch(c -> FunctionKey.of(sleeper).equals(c.function()));
    }

    @Test
    void insideTheContainerThereIsNoNetworkNoRootAndNoWritableRoot() throws Exception {
        FunctionVersionView probe = INFRA.registry.deployImage("probe-" + suffix, STDIO_IMAGE, "", 10_000, 128,
                Map.of());

        JsonNode seen = call(probe, "{\"mode\":\"inspect\"}").result();

        assertThat(seen.get("uid").intValue()).isEqualTo(10001);
        assertThat(seen.get("interfaces").toString()).isEqualTo("[\"lo\"]");
        assertThat(seen.get("rootWritable").booleanValue()).isFalse();
        assertThat(seen.get("tmpWritable").booleanValue()).isTrue();
    }

    @Test
    void missingImageFailsTheCall() throws Exception {
        FunctionVersionView gone = INFRA.registry.deployImage("gone-" + suffix, "cloudfunc-it/never-built:1", "",
                10_000, 128, Map.of());

        InvocationCompleted failed = call(gone, "{}");

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.error().type()).isEqualTo("ImageNotFound");
        assertThat(failed.error().message()).contains("cloudfunc-it/never-built:1");
    }

    @Test
    void imageEmbeddingTheRuntimeProtocolIsPooledWarmOnTheSecondCall() throws Exception {
        FunctionVersionView baked = INFRA.registry.deployImage("baked-" + suffix, SOCKET_IMAGE, "", 10_000, 128,
                Map.of());

        InvocationCompleted first = call(baked, "{\"name\":\"Alice\"}");
        InvocationCompleted second = call(baked, "{\"name\":\"Bob\"}");

        assertThat(first.status()).as("%s", first.error()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(first.result().stringValue()).isEqualTo("Baked hello Alice!");
        assertThat(first.startType()).isEqualTo(StartType.COLD);
        assertThat(second.result().stringValue()).isEqualTo("Baked hello Bob!");
        assertThat(second.startType()).isEqualTo(StartType.WARM);
        assertThat(containersOf(baked)).hasSize(1);
    }

    @Test
    void uploadedDockerSaveArchiveIsLoadedAndListed() throws Exception {
        HttpResponse<String> loaded = http.send(HttpRequest.newBuilder(api("/internal/images"))
                        .header("Content-Type", "application/x-tar")
                        .POST(HttpRequest.BodyPublishers.ofFile(TINY_TAR)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        assertThat(json.readTree(loaded.body()).get("images").toString()).contains(TINY_IMAGE);

        HttpResponse<String> one = get("/internal/images/" + TINY_IMAGE);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json.readTree(one.body()).get("protocol").stringValue()).isEqualTo("stdio");
        HttpResponse<String> socket = get("/internal/images/" + SOCKET_IMAGE);
        assertThat(json.readTree(socket.body()).get("protocol").stringValue()).isEqualTo("socket");
        HttpResponse<String> all = get("/internal/images");
        assertThat(all.body()).contains(TINY_IMAGE).contains(STDIO_IMAGE);
    }

    @Test
    void unknownImageIsA404Problem() throws Exception {
        HttpResponse<String> missing = get("/internal/images/cloudfunc-it/never-built:1");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(missing.body()).get("type").stringValue())
                .isEqualTo("urn:cloudfunc:problem:image-not-found");
    }

    @Test
    void uploadThatIsNotAnArchiveOrTooLargeIsRefused() throws Exception {
        HttpResponse<String> text = post("not a tar at all".getBytes(StandardCharsets.UTF_8));
        byte[] header = Files.readAllBytes(TINY_TAR);
        byte[] corrupt = new byte[4096];
        System.arraycopy(header, 0, corrupt, 0, 512); // a real first tar header, then zeros and no manifest
        HttpResponse<String> broken = post(corrupt);
        HttpResponse<String> huge = post(new byte[2 * 1024 * 1024]);

        assertThat(text.statusCode()).isEqualTo(400);
        assertThat(json.readTree(text.body()).get("type").stringValue())
                .isEqualTo("urn:cloudfunc:problem:invalid-image-archive");
        assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
        assertThat(json.readTree(broken.body()).get("type").stringValue())
                .isEqualTo("urn:cloudfunc:problem:invalid-image-archive");
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void refusedUploadsDoNotShowTheEnginesOwnFiles() throws Exception {
        // a tar of one file: the engine looks for its manifest in a temporary directory of its own
        byte[] noManifest = tar("hello.txt", "hi\n".getBytes(StandardCharsets.UTF_8));
        // a manifest naming a config that is not there
        byte[] missingConfig = tar("manifest.json", ("[{\"Config\":\"missing.json\",\"RepoTags\":[\"x:1\"],"
                + "\"Layers\":[\"none/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));

        for (byte[] archive : new byte[][] {noManifest, missingConfig}) {
            HttpResponse<String> refused = post(archive);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            String detail = json.readTree(refused.body()).get("detail").stringValue();
            assertThat(detail).startsWith("The Docker engine could not load the archive: ")
                    .doesNotContain("/var/lib/docker").doesNotContain("docker-import").doesNotContain("/tmp/");
        }
    }

    private static void buildImages() throws Exception {
        Path stdio = Files.createDirectories(INFRA.workDir.resolve("stdio"));
        Files.writeString(stdio.resolve("Dockerfile"), """
                ARG BASE_IMAGE
                FROM ${BASE_IMAGE}
                COPY main.py /app/main.py
                CMD ["python3", "/app/main.py"]
                """);
        Files.writeString(stdio.resolve("main.py"), """
                import json, os, sys, time
                event = json.load(sys.stdin)
                mode = event.get("mode") if isinstance(event, dict) else None
                if mode == "fail":
                    print("the disk is on fire", file=sys.stderr)
                    sys.exit(3)
                if mode == "garbage":
                    print("this is not json")
                    sys.exit(0)
                if mode == "sleep":
                    time.sleep(60)
                if mode == "chatty":
                    print("x" * 5000, file=sys.stderr)
                if mode == "inspect":
                    def writable(path):
                        try:
                            with open(os.path.join(path, "probe"), "w") as f:
                                f.write("x")
                            return True
                        except OSError:
                            return False
                    print(json.dumps({"uid": os.getuid(), "interfaces": sorted(os.listdir("/sys/class/net")),
                                      "rootWritable": writable("/"), "tmpWritable": writable("/tmp")}))
                    sys.exit(0)
                print("processing the event", file=sys.stderr)
                print(json.dumps({"echo": event, "greeting": os.environ.get("GREETING")}))
                """);
        ItInfrastructure.run(Duration.ofMinutes(3), "docker", "build", "-q", "-t", STDIO_IMAGE, "--build-arg",
                "BASE_IMAGE=" + ItInfrastructure.baseImage("python:3.13-slim"), stdio.toString());

        Path socket = Files.createDirectories(INFRA.workDir.resolve("socket"));
        Files.writeString(socket.resolve("Dockerfile"), """
                FROM %s
                COPY function.py /function/function.py
                LABEL io.cloudfunc.protocol=socket io.cloudfunc.code-dir=/function io.cloudfunc.handler=function.handler
                """.formatted(ItInfrastructure.RUNTIME_IMAGE));
        Files.writeString(socket.resolve("function.py"), """
                def handler(event):
                    return f"Baked hello {event['name']}!"
                """);
        ItInfrastructure.run(Duration.ofMinutes(3), "docker", "build", "-q", "-t", SOCKET_IMAGE, socket.toString());

        // A few-KB image saved and removed again: only loading the archive brings it back.
        Path tiny = Files.createDirectories(INFRA.workDir.resolve("tiny"));
        Files.writeString(tiny.resolve("Dockerfile"), "FROM scratch\nCOPY hello.txt /hello.txt\n");
        Files.writeString(tiny.resolve("hello.txt"), "hello\n");
        ItInfrastructure.run(Duration.ofMinutes(1), "docker", "build", "-q", "-t", TINY_IMAGE, tiny.toString());
        ItInfrastructure.run(Duration.ofMinutes(1), "docker", "save", "-o", TINY_TAR.toString(), TINY_IMAGE);
        ItInfrastructure.run(Duration.ofMinutes(1), "docker", "rmi", TINY_IMAGE);
    }

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(api(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(api("/internal/images"))
                .header("Content-Type", "application/x-tar")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private InvocationCompleted call(FunctionVersionView function, String event) throws Exception {
        UUID id = UUID.randomUUID();
        publish(new InvokeFunction(id, function.functionName(), function.version(), json.readTree(event),
                Instant.now(), function.codeSha256()));
        return awaitReply(id);
    }

    private void publish(InvokeFunction command) {
        rabbit.convertAndSend(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, command, message -> {
            message.getMessageProperties().setReplyTo(replyQueue());
            message.getMessageProperties().setCorrelationId(command.invocationId().toString());
            message.getMessageProperties().setType(Topology.TYPE_INVOKE_FUNCTION);
            return message;
        });
    }

    private InvocationCompleted awaitReply(UUID id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Message reply = rabbit.receive(replyQueue(), 1_000);
            if (reply != null && id.toString().equals(reply.getMessageProperties().getCorrelationId())) {
                return json.readValue(reply.getBody(), InvocationCompleted.class);
            }
        }
        throw new AssertionError("no reply for invocation " + id);
    }

    private String replyQueue() {
        if (replyQueue == null) {
            replyQueue = "it.image.replies." + suffix;
            admin.declareQueue(new Queue(replyQueue, false, false, false));
        }
        return replyQueue;
    }

    private static List<String> containersOf(FunctionVersionView function) throws Exception {
        return ItInfrastructure.containers(Map.of(Labels.FUNCTION, function.functionName(),
                Labels.MANAGER, INFRA.node));
    }
}
