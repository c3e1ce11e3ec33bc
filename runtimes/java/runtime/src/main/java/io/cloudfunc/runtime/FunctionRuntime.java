package io.cloudfunc.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The protocol's messages, answered: {@code init} loads the function once, each {@code invoke} calls it with the
 * call's output captured. Every answer is returned as the bytes of one JSON payload; nothing the function does,
 * returns or throws escapes from here.
 */
final class FunctionRuntime {

    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // events may carry more than a record reads
            .enable(SerializationFeature.FAIL_ON_EMPTY_BEANS) // an object with nothing to write is a mistake
            .build();
    private final CallLogs logs = new CallLogs();
    // written by init, on the first connection, before the call slots' threads start (Thread.start orders them)
    private LoadedFunction function;
    private ErrorReport initError;
    private FunctionClassLoader loader;
    private JsonNode facts = JsonMapper.shared().createObjectNode();
    private int concurrency = 1;
    private final AtomicInteger running = new AtomicInteger();
    /** What runs once no call does; a test replaces it. */
    Runnable endLeftovers = FunctionRuntime::endLeftoverProcesses;
    private static final boolean IN_CONTAINER = !"root".equals(System.getProperty("user.name"))
            && ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L) == 1L;

    JsonMapper json() {
        return json;
    }

    /** Whether init has been answered (ready or error). */
    boolean initAnswered() {
        return function != null || initError != null;
    }

    /** Connections to accept after init (call slots): concurrency - 1 once the function loaded, else none. */
    int extraSlots() {
        return function == null ? 0 : concurrency - 1;
    }

    /** The function's class loader, the context class loader of every thread that calls it (null before init). */
    ClassLoader functionLoader() {
        return loader;
    }

    byte[] answer(byte[] payload) {
        JsonNode message;
        try {
            message = json.readTree(payload);
        } catch (JacksonException e) {
            Main.diag("unreadable frame: " + e.getOriginalMessage());
            message = null;
        }
        String type = message != null && message.isObject() ? message.path("type").asString(null) : null;
        if ("invoke".equals(type)) {
            return invoke(message);
        }
        if ("init".equals(type)) {
            return init(message);
        }
        return error(ErrorReport.of("ProtocolError", "unknown message type " + (type == null ? "null" : "'" + type
                + "'")));
    }

    private byte[] init(JsonNode message) {
        if (function != null || initError != null) {
            return error(ErrorReport.of("ProtocolError", "init was already received"));
        }
        facts = message.path("function");
        concurrency = Math.max(1, message.path("concurrency").asInt(1));
        if (concurrency > 1) {
            logs.perThread();
        }
        Path codeDir = Path.of(message.path("codeDir").asString("/cloudfunc/code")).toAbsolutePath().normalize();
        try {
            message.path("env").properties().forEach(entry -> Environment.set(entry.getKey(),
                    entry.getValue().asString("")));
            loader = FunctionClassLoader.of(codeDir);
            Thread.currentThread().setContextClassLoader(loader);
            logs.install();
            function = LoadedFunction.load(message.path("handler").asString(""), loader, json.getTypeFactory());
        } catch (Throwable thrown) { // anything the function's class does while loading, errors included
            initError = ErrorReport.of(thrown, loader == null ? name -> false : loader::isOwnClass);
            return error(initError);
        }
        return bytes(Map.of("type", "ready"));
    }

    private byte[] invoke(JsonNode message) {
        String id = message.path("id").asString(null);
        if (function == null) {
            ErrorReport error = initError != null ? initError : ErrorReport.of("ProtocolError", "invoke before init");
            return failed(id, error, "");
        }
        InvocationContext context = new InvocationContext(id, facts.path("name").asString(null),
                facts.path("version").asInt(0), facts.path("memoryMb").asInt(0), facts.path("timeoutMs").asLong(0),
                message.path("deadlineMs").asLong(0), message.path("attempt").asInt(1), trigger(message));
        running.incrementAndGet();
        try {
            return logs.during(capture -> call(id, message.path("event"), context, capture));
        } finally {
            if (running.decrementAndGet() == 0) {
                endLeftovers.run();
            }
        }
    }

    /** The call's {@code trigger} as an unmodifiable map, null when absent or not an object. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> trigger(JsonNode message) {
        JsonNode trigger = message.path("trigger");
        return trigger.isObject() ? Collections.unmodifiableMap(json.treeToValue(trigger, Map.class)) : null;
    }

    /**
     * Ends every process left in the container once no call runs (what a call started and did not wait for), so
     * that the next call gets the container's whole pids limit. Only in a container: the runtime unprivileged and its
     * parent the container's init (pid 1), which is spared, like the runtime itself; init reaps the orphans, the
     * JVM its own children.
     */
    static void endLeftoverProcesses() {
        if (!IN_CONTAINER) {
            return;
        }
        long self = ProcessHandle.current().pid();
        long[] killed = ProcessHandle.allProcesses().filter(process -> process.pid() != 1 && process.pid() != self)
                .filter(ProcessHandle::destroyForcibly).mapToLong(ProcessHandle::pid).toArray();
        awaitEnded(killed, 1_000);
    }

    /**
     * A SIGKILLed process ends when it is next scheduled, not when the signal is sent: on a busy machine an orphan
     * can still run when the next call arrives. Waits (at most limitMillis) until each is gone or a zombie (ended,
     * only not yet reaped).
     */
    private static void awaitEnded(long[] pids, long limitMillis) {
        long deadline = System.nanoTime() + limitMillis * 1_000_000;
        for (long pid : pids) {
            while (running(pid) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static boolean running(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException gone) {
            return false;
        }
        int end = stat.lastIndexOf(')');
        char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : 'Z';
        return state != 'Z' && state != 'X';
    }

    private byte[] call(String id, JsonNode eventNode, InvocationContext context, CallLogs.Capture capture) {
        JsonNode result;
        try {
            Object event;
            try {
                event = json.treeToValue(eventNode, function.eventType());
            } catch (JacksonException e) {
                capture.finish();
                return failed(id, ErrorReport.of("InvalidEvent", "the event does not fit the handler's "
                        + function.eventType().getTypeName() + ": " + e.getOriginalMessage()), "");
            }
            Object value = function.call(event, context);
            try {
                result = json.valueToTree(value);
            } catch (Throwable e) { // no serialiser, a cycle, a getter that throws
                String type = value == null ? "null" : value.getClass().getName();
                return failed(id, ErrorReport.of("ResultNotSerializable", "the handler returned a " + type
                        + " that is not JSON-serialisable: " + messageOf(e)), capture.finish());
            }
        } catch (Throwable thrown) { // Errors too (StackOverflowError, ...): the function's, not the runtime's end
            String output = capture.finish();
            return failed(id, ErrorReport.of(thrown, loader::isOwnClass), output);
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("type", "result").put("id", id).put("ok", true);
        answer.set("result", result == null ? json.nullNode() : result);
        answer.put("logs", capture.finish());
        return json.writeValueAsBytes(answer);
    }

    private static String messageOf(Throwable e) {
        return e instanceof JacksonException jackson ? jackson.getOriginalMessage() : String.valueOf(e.getMessage());
    }

    private byte[] failed(String id, ErrorReport error, String output) {
        ObjectNode answer = json.createObjectNode();
        answer.put("type", "result").put("id", id).put("ok", false);
        answer.set("error", report(error));
        answer.put("logs", output);
        return json.writeValueAsBytes(answer);
    }

    private byte[] error(ErrorReport error) {
        ObjectNode answer = json.createObjectNode();
        answer.put("type", "error");
        answer.set("error", report(error));
        return json.writeValueAsBytes(answer);
    }

    private ObjectNode report(ErrorReport error) {
        ObjectNode node = json.createObjectNode();
        node.put("type", error.type()).put("message", error.message());
        node.putArray("trace").addAll(error.trace().stream().map(json.getNodeFactory()::textNode).toList());
        return node;
    }

    private byte[] bytes(Map<String, Object> answer) {
        return json.writeValueAsString(answer).getBytes(StandardCharsets.UTF_8);
    }
}
