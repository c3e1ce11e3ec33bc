package io.cloudfunc.containers.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.oneshot.OneShotRunner;
import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.containers.pool.ContainerLauncher;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.NodeCapacity;
import io.cloudfunc.containers.pool.PoolSettings;
import io.cloudfunc.containers.pool.LaunchedContainer;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.containers.runtime.FrameCodec;
import io.cloudfunc.containers.runtime.RuntimeConnection;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** One invocation through the service with a fake launcher: how each way a call can end settles its container. */
@ExtendWith(OutputCaptureExtension.class)
class InvocationServiceTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SHA = "a".repeat(64);

    @TempDir
    Path dir;
    private final RegistryClient registry = mock(RegistryClient.class);
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final FakeLauncher launcher = new FakeLauncher();
    private final ContainerPool pool = new ContainerPool(launcher, background, Clock.systemUTC(),
            new PoolSettings(new NodeCapacity(100_000, 10), Duration.ofSeconds(1), Duration.ofSeconds(60), 16,
                    Map.of(), 128, Duration.ofSeconds(60)), f -> Path.of("/code"), new SimpleMeterRegistry());
    private final InvocationService invocations = service(false);
    private ServerSocketChannel runtime;

    @AfterEach
    void tearDown() throws IOException {
        background.shutdownNow();
        timer.shutdownNow();
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void unexpectedFailureDuringTheCallFailsAsThePlatformsAndRemovesTheContainer() throws Exception {
        when(registry.version(any(), anyInt(), any())).thenReturn(function());
        launcher.connection = () -> null; // the call then fails on a NullPointerException: a bug of ours

        InvocationCompleted completed = invocations.run(command());

        assertThat(completed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(completed.errorKind()).isEqualTo(ErrorKind.PLATFORM);
        assertThat(completed.error().type()).isEqualTo("PlatformError");
        assertThat(pool.snapshot()).as("no container left busy").isEmpty();
        assertThat(launcher.destroyed).hasSize(1);
    }

    @Test
    void resultForAnotherInvocationIsTheFunctionsFaultAndRemovesTheContainer() throws Exception {
        when(registry.version(any(), anyInt(), any())).thenReturn(function());
        Path socket = fakeRuntime(request -> {
            ObjectNode reply = JSON.createObjectNode().put("type", "result").put("id", UUID.randomUUID().toString())
                    .put("ok", true).put("logs", "");
            reply.put("result", "forged");
            return reply;
        });
        launcher.connection = () -> connect(socket);

        InvocationCompleted completed = invocations.run(command());

        assertThat(completed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(completed.errorKind()).isEqualTo(ErrorKind.FUNCTION);
        assertThat(completed.error().type()).isEqualTo("ProtocolViolation");
        assertThat(pool.snapshot()).isEmpty();
    }

    @Test
    void codeDigestOfTheMessageIsWhatTheVersionIsLoadedWith() throws Exception {
        when(registry.version("hello", 1, SHA)).thenReturn(function());
        Path socket = fakeRuntime(request -> JSON.createObjectNode().put("type", "result")
                .put("id", request.path("id").stringValue()).put("ok", true).put("result", "hi").put("logs", ""));
        launcher.connection = () -> connect(socket);

        InvocationCompleted completed = invocations.run(command());

        assertThat(completed.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(completed.result().stringValue()).isEqualTo("hi");
        assertThat(pool.count("idle")).isEqualTo(1);
    }

    @Test
    void payloadResultAndOutputAreLoggedOnlyWithLogPayloadsOn(CapturedOutput output) throws Exception {
        when(registry.version("hello", 1, SHA)).thenReturn(function());
        Path socket = fakeRuntime(request -> JSON.createObjectNode().put("type", "result")
                .put("id", request.path("id").stringValue()).put("ok", true).put("result", "Hello Alice!")
                .put("logs", "greeting Alice\n"));
        launcher.connection = () -> connect(socket);
        InvokeFunction call = new InvokeFunction(UUID.randomUUID(), "hello", 1,
                JSON.createObjectNode().put("name", "Alice"), Instant.now(), SHA);

        invocations.run(call);
        String quiet = output.getOut();
        service(true).run(call);
        String verbose = output.getOut().substring(quiet.length());

        assertThat(quiet).doesNotContain("Alice");
        assertThat(verbose).contains("Executing hello v1 with payload {\"name\":\"Alice\"}")
                .contains("Invoked hello v1: SUCCEEDED in ")
                .contains("result \"Hello Alice!\", function output:\ngreeting Alice");
    }

    private InvocationService service(boolean logPayloads) {
        return new InvocationService(registry, mock(io.cloudfunc.support.messaging.RecordPublisher.class),
                mock(CodeCache.class), pool, mock(OneShotRunner.class), background, timer, properties(logPayloads),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    private static InvokeFunction command() {
        return new InvokeFunction(UUID.randomUUID(), "hello", 1, JSON.createObjectNode(), Instant.now(), SHA);
    }

    private static FunctionVersionView function() {
        return new FunctionVersionView("hello", 1, "python", "function.handler", 2_000, 128, 60_000, Map.of(), 0, 10, 1, "none", null, null, 0, 1000L, SHA,
                10, Instant.EPOCH, java.util.List.of());
    }

    private static ContainerManagerProperties properties(boolean logPayloads) {
        return new ContainerManagerProperties(URI.create("http://127.0.0.1:1"), null, null, null, null, 0, null, null,
                null, null, null, null, Duration.ofMinutes(1), null, null, logPayloads, null);
    }

    private RuntimeConnection connect(Path socket) {
        try {
            return RuntimeConnection.open(socket, Duration.ofSeconds(2), Duration.ofMillis(2), () -> true, 1 << 20,
                    JSON, timer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A runtime on a unix socket that answers every frame with {@code answer}. */
    private Path fakeRuntime(java.util.function.Function<JsonNode, JsonNode> answer) throws IOException {
        Path socket = dir.resolve("runtime.sock");
        runtime = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        runtime.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> {
            try (SocketChannel channel = runtime.accept()) {
                FrameCodec.FrameReader reader = new FrameCodec.FrameReader(1024, 1 << 20);
                while (true) {
                    ByteBuffer[] frame = FrameCodec.encode(JSON.writeValueAsBytes(
                            answer.apply(JSON.readTree(reader.read(channel)))));
                    while (frame[1].hasRemaining()) {
                        channel.write(frame);
                    }
                }
            } catch (IOException e) {
                // connection closed: the test is over
            }
        });
        return socket;
    }

    private static final class FakeLauncher implements ContainerLauncher {

        final List<String> destroyed = new CopyOnWriteArrayList<>();
        volatile Supplier<RuntimeConnection> connection = () -> null;

        @Override
        public LaunchedContainer launch(String key, FunctionVersionView function, Supplier<Path> code) {
            return new LaunchedContainer("id-" + key, Path.of("/containers", key), connection.get());
        }

        @Override
        public LaunchedContainer launchGeneric(String key, String runtime) {
            throw new UnsupportedOperationException("no prewarming here");
        }

        @Override
        public LaunchedContainer specialise(String key, LaunchedContainer generic, FunctionVersionView function,
                                            Supplier<Path> code) {
            throw new UnsupportedOperationException("no prewarming here");
        }

        @Override
        public java.util.Set<String> runningKeys() {
            return java.util.Set.of();
        }

        @Override
        public void destroy(String key, LaunchedContainer container) {
            if (container != null && container.connection() != null) {
                container.connection().close();
            }
            destroyed.add(key);
        }

        @Override
        public Optional<ContainerStatus> exitStatus(LaunchedContainer container) {
            return Optional.empty();
        }
    }
}
