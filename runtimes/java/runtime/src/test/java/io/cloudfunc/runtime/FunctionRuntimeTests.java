package io.cloudfunc.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime's messages, answered in this JVM: each test copies the fixture classes (src/test/java/fixtures) into
 * a code directory, as the manager unpacks a function's jar, and drives {@link FunctionRuntime} with init and
 * invoke payloads.
 */
class FunctionRuntimeTests {

    private static final JsonMapper JSON = JsonMapper.shared();

    @TempDir
    Path codeDir;
    private PrintStream out;
    private PrintStream err;
    private FunctionRuntime runtime;

    @BeforeEach
    void copyFixtures() throws IOException {
        out = System.out;
        err = System.err;
        Path classes = Path.of("target", "test-classes", "fixtures");
        Files.createDirectories(codeDir.resolve("fixtures"));
        try (Stream<Path> files = Files.list(classes)) {
            for (Path file : files.toList()) {
                Files.copy(file, codeDir.resolve("fixtures").resolve(file.getFileName()));
            }
        }
        runtime = new FunctionRuntime();
    }

    @AfterEach
    void restoreStreams() {
        System.setOut(out);
        System.setErr(err);
    }

    @Test
    void leftoverProcessesAreEndedAfterEveryCallEvenOneThatFailed() {
        var ended = new java.util.concurrent.atomic.AtomicInteger();
        runtime.endLeftovers = ended::incrementAndGet;
        init("fixtures.Failing", Map.of());

        assertThat(call(Map.of("kind", "throw")).path("ok").asBoolean()).isFalse();
        assertThat(ended.get()).isEqualTo(1);
        call(Map.of("kind", "none"));
        assertThat(ended.get()).isEqualTo(2);
    }

    @Test
    void handlerClassGetsItsTypedEventAndTheContextAndOneInstanceServesEveryCall() {
        assertThat(init("fixtures.Greeter", Map.of())).isEqualTo(JSON.readTree("{\"type\":\"ready\"}"));

        JsonNode first = call(Map.of("name", "Alice", "tags", List.of("a"), "ignored", true));
        JsonNode second = call(Map.of("name", "Bob"));

        assertThat(first.path("ok").asBoolean()).isTrue();
        JsonNode result = first.path("result");
        assertThat(result.path("greeting").asString()).isEqualTo("Hello Alice!");
        assertThat(result.path("tags").get(0).asString()).isEqualTo("a");
        assertThat(result.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(result.path("function").asString()).isEqualTo("fn:3");
        assertThat(result.path("memory").asInt()).isEqualTo(256);
        assertThat(result.path("remaining").asLong()).isBetween(50_000L, 60_000L);
        assertThat(result.path("loader").asBoolean()).as("context class loader is the function's").isTrue();
        assertThat(first.path("logs").asString()).isEqualTo("hello to Alice\non stderr\n");
        assertThat(second.path("result").path("calls").asInt()).isEqualTo(2);
        assertThat(second.path("result").path("instances").asInt()).isEqualTo(1);
        assertThat(second.path("result").path("tags").isNull()).isTrue();
        assertThat(second.path("logs").asString()).isEqualTo("hello to Bob\non stderr\n");
    }

    @Test
    void staticMethodHandlerGetsTheEvent() {
        init("fixtures.Methods::upper", Map.of());

        assertThat(call("shout").path("result").asString()).isEqualTo("SHOUT");
    }

    @Test
    void instanceMethodHandlerMayTakeTheContextOrNothingAndKeepsItsInstance() {
        init("fixtures.Methods::twice", Map.of());
        assertThat(call(21).path("result").asInt()).isEqualTo(42);

        FunctionRuntime counter = new FunctionRuntime();
        answer(counter, Map.of("type", "init", "handler", "fixtures.Methods::counter", "codeDir",
                codeDir.toString()));
        answer(counter, invoke(null));
        assertThat(answer(counter, invoke(null)).path("result").asInt()).isEqualTo(2);
    }

    @Test
    void theContextTellsTheAttemptAndOneWhenTheManagerSendsNone() {
        init("fixtures.Methods::attempt", Map.of());

        Map<String, Object> retry = invoke(null);
        retry.put("attempt", 3);
        assertThat(answer(runtime, retry).path("result").asInt()).isEqualTo(3);
        assertThat(call(null).path("result").asInt()).isEqualTo(1);
    }

    @Test
    void theContextTellsTheTriggerAndNothingForADirectCall() {
        init("fixtures.Methods::trigger", Map.of());

        Map<String, Object> tick = invoke(null);
        tick.put("trigger", Map.of("kind", "schedule", "name", "nightly", "tick", "2026-12-07T21:05:00Z"));
        JsonNode ticked = answer(runtime, tick).path("result");
        assertThat(ticked.path("name").asString()).isEqualTo("nightly");
        assertThat(ticked.path("tick").asString()).isEqualTo("2026-12-07T21:05:00Z");
        assertThat(call(null).path("result").isEmpty()).isTrue();
    }

    @Test
    void genericEventTypesAreBound() {
        init("fixtures.Methods::sum", Map.of());

        assertThat(call(List.of(1, 2, 3)).path("result").asInt()).isEqualTo(6);
    }

    @Test
    void anEventThatDoesNotFitTheHandlersTypeFailsTheCall() {
        init("fixtures.Methods::sum", Map.of());

        JsonNode answer = call(Map.of("not", "a list"));

        assertThat(answer.path("ok").asBoolean()).isFalse();
        assertThat(answer.path("error").path("type").asString()).isEqualTo("InvalidEvent");
        assertThat(call(List.of(4)).path("result").asInt()).isEqualTo(4);
    }

    @Test
    void anExceptionIsReportedWithTheFunctionsOwnFramesOutermostFirstAndTheRuntimeServesOn() {
        init("fixtures.Failing", Map.of());

        JsonNode answer = call(Map.of("kind", "throw"));

        assertThat(answer.path("ok").asBoolean()).isFalse();
        JsonNode error = answer.path("error");
        assertThat(error.path("type").asString()).isEqualTo("ArithmeticException");
        assertThat(error.path("message").asString()).isEqualTo("/ by zero");
        List<String> trace = error.path("trace").valueStream().map(JsonNode::asString).toList();
        assertThat(trace).hasSize(2);
        assertThat(trace.get(0)).startsWith("  at fixtures.Failing.handle(Failing.java:");
        assertThat(trace.get(1)).startsWith("  at fixtures.Failing.divide(Failing.java:");
        assertThat(call(Map.of("kind", "ok")).path("result").asString()).isEqualTo("fine");
    }

    @Test
    void customUnprintableAndStackOverflowErrorsAreReported() {
        init("fixtures.Failing", Map.of());

        assertThat(call(Map.of("kind", "custom")).path("error").path("type").asString()).isEqualTo("Custom");
        JsonNode unprintable = call(Map.of("kind", "unprintable")).path("error");
        assertThat(unprintable.path("message").asString()).startsWith("<unprintable ");
        assertThat(call(Map.of("kind", "stack")).path("error").path("type").asString())
                .isEqualTo("StackOverflowError");
        assertThat(call(Map.of("kind", "ok")).path("ok").asBoolean()).isTrue();
    }

    @Test
    void aResultThatIsNotJsonSerialisableFailsTheCall() {
        init("fixtures.Failing", Map.of());

        for (String kind : List.of("object", "cycle")) {
            JsonNode answer = call(Map.of("kind", kind));
            assertThat(answer.path("ok").asBoolean()).as(kind).isFalse();
            assertThat(answer.path("error").path("type").asString()).as(kind).isEqualTo("ResultNotSerializable");
        }
        assertThat(call(Map.of("kind", "ok")).path("result").asString()).isEqualTo("fine");
    }

    @Test
    void logsBeyondTheCapAreCutOnACharacterBoundaryAndMarked() {
        init("fixtures.Failing", Map.of());

        String logs = call(Map.of("kind", "chatty")).path("logs").asString();

        assertThat(logs).endsWith("\n" + CallLogs.TRUNCATED).doesNotContain("\uFFFD");
        int kept = logs.substring(0, logs.length() - CallLogs.TRUNCATED.length() - 1)
                .getBytes(StandardCharsets.UTF_8).length;
        assertThat(kept).isBetween(CallLogs.CAP - 4, CallLogs.CAP);
        assertThat(call(Map.of("kind", "ok")).path("logs").asString()).isEmpty();
    }

    @Test
    void environmentIsSetBeforeTheClassLoads() {
        init("fixtures.EnvReader", Map.of("GREETING", "hi-" + UUID.randomUUID()));

        assertThat(call("there").path("result").asString()).startsWith("hi-").endsWith(" there");
        assertThat(System.getenv("GREETING")).startsWith("hi-");
    }

    @Test
    void initErrorsNameWhatIsWrongAndEveryCallRepeatsThem() {
        Map<String, String> expected = Map.of(
                "fixtures.Missing", "HandlerNotFound",
                "fixtures.Methods::nothing", "HandlerNotFound",
                "fixtures.NotAHandler", "InvalidHandler",
                "fixtures.Methods::dup", "InvalidHandler",
                "fixtures.Methods::three", "InvalidHandler",
                "not a handler", "InvalidHandler",
                "fixtures.BrokenInit", "IllegalStateException");
        expected.forEach((handler, type) -> {
            runtime = new FunctionRuntime();
            JsonNode answer = init(handler, Map.of());
            assertThat(answer.path("type").asString()).as(handler).isEqualTo("error");
            assertThat(answer.path("error").path("type").asString()).as(handler).isEqualTo(type);
            assertThat(call(null).path("error").path("type").asString()).as(handler).isEqualTo(type);
        });
    }

    @Test
    void aStaticInitialiserFailureShowsTheFunctionsFrames() {
        JsonNode error = init("fixtures.BrokenInit", Map.of()).path("error");

        assertThat(error.path("message").asString()).isEqualTo("bad config");
        assertThat(error.path("trace").valueStream().map(JsonNode::asString))
                .anyMatch(line -> line.startsWith("  at fixtures.BrokenInit.load(BrokenInit.java:"));
    }

    @Test
    void protocolErrorsForUnknownMessagesUnreadableFramesAndASecondInit() {
        assertThat(answer(runtime, Map.of("type", "dance")).path("error").path("type").asString())
                .isEqualTo("ProtocolError");
        assertThat(JSON.readTree(runtime.answer("{not json".getBytes(StandardCharsets.UTF_8)))
                .path("error").path("type").asString()).isEqualTo("ProtocolError");
        assertThat(call("x").path("error").path("type").asString()).isEqualTo("ProtocolError");
        init("fixtures.Methods::upper", Map.of());
        assertThat(init("fixtures.Methods::upper", Map.of()).path("error").path("message").asString())
                .isEqualTo("init was already received");
    }

    @Test
    void theTrainingRunServesItsFunctionOverARealSocket() throws Exception {
        Training.run(); // throws when an answer is not the expected one
        assertThat(System.out).isNotSameAs(out).as("the training's runtime installed its capture");
    }

    @Test
    void withConcurrencyTwoTwoCallsRunAtOnceOverTwoConnectionsEachWithItsOwnLogsAndResult() throws Exception {
        Path socket = codeDir.resolve("runtime.sock");
        Thread server = serveOn(socket);
        try (Client first = Client.connect(socket)) {
            JsonNode ready = first.exchange(Map.of("type", "init", "handler", "fixtures.Meeting", "codeDir",
                    codeDir.toString(), "concurrency", 2, "function", Map.of("name", "fn", "version", 1)));
            assertThat(ready.path("type").asString()).as(ready.toString()).isEqualTo("ready");
            try (Client second = Client.connect(socket);
                 ExecutorService callers = Executors.newFixedThreadPool(2)) {
                Map<String, Object> one = invoke(Map.of("n", 1));
                Map<String, Object> two = invoke(Map.of("n", 2));
                Future<JsonNode> firstCall = callers.submit(() -> first.exchange(one));
                Future<JsonNode> secondCall = callers.submit(() -> second.exchange(two));

                JsonNode a = firstCall.get(20, TimeUnit.SECONDS);
                JsonNode b = secondCall.get(20, TimeUnit.SECONDS);

                assertThat(a.path("ok").asBoolean()).as(a.toString()).isTrue();
                assertThat(a.path("result").asString()).isEqualTo("done 1 " + one.get("id"));
                assertThat(a.path("logs").asString()).isEqualTo("arrived 1\nleft 1\n");
                assertThat(b.path("ok").asBoolean()).as(b.toString()).isTrue();
                assertThat(b.path("result").asString()).isEqualTo("done 2 " + two.get("id"));
                assertThat(b.path("logs").asString()).isEqualTo("arrived 2\nleft 2\n");
                assertThat(Client.refused(socket)).as("no third connection").isTrue();
            }
        }
        server.join(10_000);
        assertThat(server.isAlive()).as("the runtime stops when the first connection closes").isFalse();
    }

    @Test
    void withoutConcurrencyTheSocketStopsListeningOnceInitIsAnswered() throws Exception {
        Path socket = codeDir.resolve("runtime.sock");
        Thread server = serveOn(socket);
        try (Client only = Client.connect(socket)) {
            only.exchange(Map.of("type", "init", "handler", "fixtures.Methods::upper", "codeDir", codeDir.toString()));

            assertThat(Client.refused(socket)).isTrue();
            assertThat(only.exchange(invoke("still served")).path("result").asString()).isEqualTo("STILL SERVED");
        }
        server.join(10_000);
        assertThat(server.isAlive()).isFalse();
    }

    private Thread serveOn(Path socket) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                Main.run(socket, runtime);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One connection to the runtime's socket, as the manager holds it. */
    private record Client(SocketChannel channel, DataInputStream in, OutputStream out) implements AutoCloseable {

        static Client connect(Path socket) throws Exception {
            for (int attempt = 0; attempt < 500; attempt++) { // up to 5 s
                try {
                    SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    return new Client(channel, new DataInputStream(Channels.newInputStream(channel)),
                            Channels.newOutputStream(channel));
                } catch (IOException notYet) {
                    Thread.sleep(10);
                }
            }
            throw new IllegalStateException("the runtime never opened " + socket);
        }

        /** Whether a new connection is refused, or closed without being served. */
        static boolean refused(Path socket) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        JsonNode exchange(Map<String, ?> message) throws IOException {
            byte[] body = JSON.writeValueAsBytes(message);
            out.write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            return JSON.readTree(answer);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private JsonNode init(String handler, Map<String, String> env) {
        return answer(runtime, Map.of("type", "init", "handler", handler, "codeDir", codeDir.toString(), "env", env,
                "function", Map.of("name", "fn", "version", 3, "memoryMb", 256, "timeoutMs", 60_000)));
    }

    private JsonNode call(Object event) {
        Map<String, Object> message = invoke(event);
        JsonNode answer = answer(runtime, message);
        assertThat(answer.path("type").asString()).isEqualTo("result");
        assertThat(answer.path("id").asString()).isEqualTo(message.get("id"));
        return answer;
    }

    private static Map<String, Object> invoke(Object event) {
        Map<String, Object> message = new java.util.HashMap<>();
        message.put("type", "invoke");
        message.put("id", UUID.randomUUID().toString());
        message.put("event", event);
        message.put("deadlineMs", System.currentTimeMillis() + 60_000);
        return message;
    }

    private static JsonNode answer(FunctionRuntime runtime, Map<String, ?> message) {
        return JSON.readTree(runtime.answer(JSON.writeValueAsBytes(message)));
    }
}
