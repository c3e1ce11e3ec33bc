package io.cloudfunc.containers.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.cloudfunc.contracts.invocation.FunctionError;
import java.io.IOException;
import java.math.BigInteger;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The manager's side of the protocol against a fake runtime on a real unix socket. */
class RuntimeConnectionTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private ServerSocketChannel server;

    @AfterEach
    void tearDown() throws IOException {
        timer.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void initThenInvokeReturnsTheResultAndLogs() throws Exception {
        RuntimeConnection connection = connect(request -> switch (request.path("type").stringValue()) {
            case "init" -> object("type", "ready");
            default -> {
                ObjectNode reply = object("type", "result");
                reply.put("id", request.path("id").stringValue());
                reply.put("ok", true);
                reply.put("result", "Hello " + request.path("event").path("name").stringValue() + "!");
                reply.put("logs", "said hello\n");
                yield reply;
            }
        });

        Optional<FunctionError> initError = connection.init(initRequest(), Duration.ofSeconds(1));
        CallOutcome outcome = connection.invoke(UUID.randomUUID(), JSON.readTree("{\"name\":\"Alice\"}"),
                System.currentTimeMillis() + 1000, Duration.ofSeconds(1));

        assertThat(initError).isEmpty();
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.result().stringValue()).isEqualTo("Hello Alice!");
        assertThat(outcome.logs()).isEqualTo("said hello\n");
    }

    @Test
    void invokeTellsTheRuntimeWhichAttemptItIs() throws Exception {
        RuntimeConnection connection = connect(request -> {
            ObjectNode reply = object("type", "result");
            reply.put("id", request.path("id").stringValue());
            reply.put("ok", true);
            reply.set("result", request.path("attempt"));
            reply.put("logs", "");
            return reply;
        });

        CallOutcome retry = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, 3, Duration.ofSeconds(1));
        CallOutcome first = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(1));

        assertThat(retry.result().intValue()).isEqualTo(3);
        assertThat(first.result().intValue()).isEqualTo(1);
    }

    @Test
    void invokeSendsTheTriggerOnlyWhenThereIsOne() throws Exception {
        RuntimeConnection connection = connect(request -> {
            ObjectNode reply = object("type", "result");
            reply.put("id", request.path("id").stringValue());
            reply.put("ok", true);
            reply.put("result", request.has("trigger") ? request.get("trigger").toString() : "absent");
            reply.put("logs", "");
            return reply;
        });

        CallOutcome tick = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, 1,
                Map.of("kind", "schedule", "name", "nightly", "tick", "2026-12-07T21:05:00Z"), Duration.ofSeconds(1));
        CallOutcome direct = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, 1, Duration.ofSeconds(1));

        assertThat(JSON.readTree(tick.result().stringValue())).isEqualTo(JSON.readTree(
                "{\"kind\":\"schedule\",\"name\":\"nightly\",\"tick\":\"2026-12-07T21:05:00Z\"}"));
        assertThat(direct.result().stringValue()).isEqualTo("absent");
    }

    @Test
    void functionErrorIsAnOutcomeWithTypeMessageAndTrace() throws Exception {
        RuntimeConnection connection = connect(request -> {
            ObjectNode reply = object("type", "result");
            reply.put("id", request.path("id").stringValue());
            reply.put("ok", false);
            ObjectNode error = reply.putObject("error");
            error.put("type", "ZeroDivisionError");
            error.put("message", "division by zero");
            error.putArray("trace").add("  File \"function.py\", line 2, in handler").add("    return 1 / 0");
            reply.put("logs", "");
            return reply;
        });

        CallOutcome outcome = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(1));

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.error()).isEqualTo(new FunctionError("ZeroDivisionError", "division by zero",
                java.util.List.of("  File \"function.py\", line 2, in handler", "    return 1 / 0")));
    }

    @Test
    void initErrorIsReturnedNotThrown() throws Exception {
        RuntimeConnection connection = connect(request -> {
            ObjectNode reply = object("type", "error");
            reply.putObject("error").put("type", "ModuleNotFoundError").put("message", "No module named 'numpy'");
            return reply;
        });

        Optional<FunctionError> initError = connection.init(initRequest(), Duration.ofSeconds(1));

        assertThat(initError).map(FunctionError::type).contains("ModuleNotFoundError");
        assertThat(initError.get().trace()).isEmpty();
    }

    @Test
    void noAnswerWithinTheTimeoutClosesTheConnection() throws Exception {
        RuntimeConnection connection = connect(request -> null);
        long start = System.nanoTime();

        assertThatThrownBy(() -> connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofMillis(150)))
                .isInstanceOfSatisfying(RuntimeFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.TIMED_OUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(140),
                Duration.ofSeconds(2));
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void runtimeClosingTheConnectionIsReportedAsLost() throws Exception {
        RuntimeConnection connection = connect(request -> {
            throw new IllegalStateException("die");
        });

        assertThatThrownBy(() -> connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(RuntimeFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.CONNECTION_LOST));
    }

    @Test
    void resultForAnotherInvocationIsAForeignAnswerAndClosesTheConnection() throws Exception {
        RuntimeConnection connection = connect(request -> {
            ObjectNode reply = object("type", "result");
            reply.put("id", "someone-else");
            reply.put("ok", true);
            return reply;
        });

        assertThatThrownBy(() -> connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(RuntimeFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.FOREIGN_ANSWER));
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void unreadableJsonIsAProtocolError() throws Exception {
        RuntimeConnection connection = connect(request -> "{\"type\": \"result\", oops".getBytes());

        assertThatThrownBy(() -> connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(RuntimeFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.PROTOCOL));
    }

    @Test
    void resultWithANumberTooLongToReadIsNotSerializableAndTheConnectionStaysUsable() throws Exception {
        RuntimeConnection connection = connect(request -> {
            ObjectNode reply = resultFor(request);
            reply.set("result", JSON.getNodeFactory().numberNode(new BigInteger("9".repeat(1_500))));
            return reply;
        });

        CallOutcome outcome = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(1));
        CallOutcome next = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(1));

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.error().type()).isEqualTo("ResultNotSerializable");
        assertThat(outcome.error().message()).doesNotContain("Exception");
        assertThat(connection.isOpen()).isTrue();
        assertThat(next.error().type()).isEqualTo("ResultNotSerializable"); // the stream is still in step
    }

    @Test
    void resultNestedTooDeepToReadIsNotSerializable() throws Exception {
        // As Python writes it (its json module nests up to its recursion limit); raw, since Jackson would not
        RuntimeConnection connection = connect(request -> ("{\"type\":\"result\",\"id\":\""
                + request.path("id").stringValue() + "\",\"ok\":true,\"logs\":\"\",\"result\":"
                + "[".repeat(600) + "]".repeat(600) + "}").getBytes(StandardCharsets.UTF_8));

        CallOutcome outcome = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofSeconds(1));

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.error().type()).isEqualTo("ResultNotSerializable");
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void timeLimitThatGoesOffJustAfterTheAnswerLeavesTheConnectionOpen() throws Exception {
        // The alarm is held back and run by hand after the answer: as when it fires while invoke() returns and
        // cancelling it comes too late.
        List<Runnable> alarms = new ArrayList<>();
        ScheduledExecutorService heldBack = mock(ScheduledExecutorService.class);
        when(heldBack.schedule(any(Runnable.class), anyLong(), any(TimeUnit.class))).thenAnswer(call -> {
            alarms.add(call.getArgument(0));
            return mock(ScheduledFuture.class);
        });
        RuntimeConnection connection = connect(RuntimeConnectionTests::okResult, heldBack);

        CallOutcome first = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofMillis(10));
        alarms.getFirst().run();
        CallOutcome second = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofMillis(10));

        assertThat(first.ok()).isTrue();
        assertThat(connection.isOpen()).isTrue();
        assertThat(second.ok()).isTrue();
    }

    @Test
    void alarmOfAnEarlierCallDoesNotExpireTheNextOne() throws Exception {
        List<Runnable> alarms = new ArrayList<>();
        ScheduledExecutorService heldBack = mock(ScheduledExecutorService.class);
        when(heldBack.schedule(any(Runnable.class), anyLong(), any(TimeUnit.class))).thenAnswer(call -> {
            alarms.add(call.getArgument(0));
            if (alarms.size() == 2) {
                alarms.getFirst().run(); // the first call's alarm, late, while the second call waits
            }
            return mock(ScheduledFuture.class);
        });
        RuntimeConnection connection = connect(RuntimeConnectionTests::okResult, heldBack);

        connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofMillis(10));
        CallOutcome second = connection.invoke(UUID.randomUUID(), JSON.nullNode(), 0, Duration.ofMillis(10));

        assertThat(second.ok()).isTrue();
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void openGivesUpWhenTheContainerStopsStarting() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> RuntimeConnection.open(dir.resolve("never.sock"), Duration.ofSeconds(5),
                Duration.ofMillis(2), () -> false, 1024, JSON, timer))
                .isInstanceOfSatisfying(RuntimeFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.CONNECTION_LOST));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void openTimesOutWhenNoSocketAppears() {
        assertThatThrownBy(() -> RuntimeConnection.open(dir.resolve("never.sock"), Duration.ofMillis(100),
                Duration.ofMillis(2), () -> true, 1024, JSON, timer))
                .isInstanceOfSatisfying(RuntimeFailure.class,
                        f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.TIMED_OUT));
    }

    /**
     * Starts a fake runtime answering each request with {@code answer}: a JsonNode, or raw payload bytes (null:
     * never answer; throw: hang up).
     */
    private RuntimeConnection connect(Function<JsonNode, Object> answer) throws Exception {
        return connect(answer, timer);
    }

    private RuntimeConnection connect(Function<JsonNode, Object> answer, ScheduledExecutorService alarms)
            throws Exception {
        Path socket = dir.resolve("runtime.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread.ofVirtual().start(() -> serve(answer));
        return RuntimeConnection.open(socket, Duration.ofSeconds(2), Duration.ofMillis(2), () -> true, 1 << 20, JSON,
                alarms);
    }

    private void serve(Function<JsonNode, Object> answer) {
        try (SocketChannel channel = server.accept()) {
            FrameCodec.FrameReader reader = new FrameCodec.FrameReader(1024, 1 << 20);
            while (true) {
                JsonNode request = JSON.readTree(reader.read(channel));
                Object reply;
                try {
                    reply = answer.apply(request);
                } catch (RuntimeException e) {
                    return; // hang up
                }
                if (reply == null) {
                    Thread.sleep(10_000);
                    return;
                }
                byte[] payload = reply instanceof byte[] raw ? raw : JSON.writeValueAsBytes(reply);
                ByteBuffer[] frame = FrameCodec.encode(payload);
                while (frame[1].hasRemaining()) {
                    channel.write(frame);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test is over
        }
    }

    private static ObjectNode resultFor(JsonNode request) {
        ObjectNode reply = object("type", "result");
        reply.put("id", request.path("id").stringValue());
        reply.put("ok", true);
        reply.put("logs", "");
        return reply;
    }

    private static Object okResult(JsonNode request) {
        return resultFor(request).put("result", "fine");
    }

    private static ObjectNode object(String key, String value) {
        ObjectNode node = JSON.createObjectNode();
        node.put(key, value);
        return node;
    }

    private static InitRequest initRequest() {
        return new InitRequest("function.handler", "/cloudfunc/code", Map.of("A", "1"), "hello", 1, 128, 1000, 1);
    }
}
