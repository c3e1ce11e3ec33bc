package io.cloudfunc.containers.runtime;

import io.cloudfunc.contracts.invocation.FunctionError;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One persistent connection to a container's runtime, used by one call at a time (a container serving several
 * calls at once has one connection per call slot). Time limits are enforced by closing the channel from a timer,
 * which wakes the blocked read; after any {@link RuntimeFailure} the connection is closed and the container must be
 * discarded.
 */
public final class RuntimeConnection implements AutoCloseable {

    private static final int READ_BUFFER_BYTES = 16 * 1024;
    /** States of one exchange: waiting for the answer, then answered, expired (the alarm) or failed (I/O). */
    private static final int WAITING = 0;
    private static final int ANSWERED = 1;
    private static final int EXPIRED = 2;
    private static final int FAILED = 3;

    private final SocketChannel channel;
    private final FrameCodec.FrameReader reader;
    private final JsonMapper json;
    private final ScheduledExecutorService timer;

    private RuntimeConnection(SocketChannel channel, int maxFrame, JsonMapper json, ScheduledExecutorService timer) {
        this.channel = channel;
        this.reader = new FrameCodec.FrameReader(READ_BUFFER_BYTES, maxFrame);
        this.json = json;
        this.timer = timer;
    }

    /**
     * Connects to a runtime that is starting: retries every {@code poll} until the socket accepts, the timeout
     * passes, or {@code stillStarting} (checked every quarter second) says the container gave up.
     */
    public static RuntimeConnection open(Path socket, Duration timeout, Duration poll, BooleanSupplier stillStarting,
                                         int maxFrame, JsonMapper json, ScheduledExecutorService timer)
            throws RuntimeFailure {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        long start = System.nanoTime();
        long nextCheck = start + TimeUnit.MILLISECONDS.toNanos(250);
        IOException last = null;
        while (System.nanoTime() - start < timeout.toNanos()) {
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(address);
                return new RuntimeConnection(channel, maxFrame, json, timer);
            } catch (IOException e) {
                last = e; // no socket yet, or nobody listening on it yet
                closeQuietly(channel);
            }
            if (System.nanoTime() - nextCheck > 0) {
                nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
                if (!stillStarting.getAsBoolean()) {
                    throw new RuntimeFailure(RuntimeFailure.Kind.CONNECTION_LOST,
                            "the runtime exited before it opened its socket", last);
                }
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeFailure(RuntimeFailure.Kind.CONNECTION_LOST, "interrupted while connecting", e);
            }
        }
        throw new RuntimeFailure(RuntimeFailure.Kind.TIMED_OUT,
                "the runtime did not open " + socket.getFileName() + " within " + timeout.toMillis() + " ms", last);
    }

    /** Loads the function. Empty when the runtime is ready, else the error loading it raised. */
    public Optional<FunctionError> init(InitRequest request, Duration timeout) throws RuntimeFailure {
        ObjectNode message = json.createObjectNode();
        message.put("type", "init");
        message.put("handler", request.handler());
        message.put("codeDir", request.codeDir());
        ObjectNode env = message.putObject("env");
        request.env().forEach(env::put);
        ObjectNode function = message.putObject("function");
        function.put("name", request.functionName());
        function.put("version", request.version());
        function.put("memoryMb", request.memoryMb());
        function.put("timeoutMs", request.timeoutMs());
        if (request.concurrency() > 1) { // absent means 1: runtimes that predate it keep working
            message.put("concurrency", request.concurrency());
        }
        JsonNode reply;
        try {
            reply = json.readTree(exchange(message, timeout));
        } catch (JacksonException e) {
            throw protocol("unreadable JSON from the runtime: " + e.getOriginalMessage());
        }
        String type = text(reply, "type", "");
        return switch (type) {
            case "ready" -> Optional.empty();
            case "error" -> Optional.of(errorOf(reply.path("error")));
            default -> throw protocol("expected ready or error after init, got type '" + type + "'");
        };
    }

    /**
     * Runs one call. A function that raised is a normal outcome, and so is a result the manager cannot read (too
     * deep, a number too long): the frame was intact, so the connection stays usable. A failure of the runtime is
     * thrown.
     */
    public CallOutcome invoke(UUID invocationId, JsonNode event, long deadlineEpochMs, Duration timeout)
            throws RuntimeFailure {
        return invoke(invocationId, event, deadlineEpochMs, 1, timeout);
    }

    /**
     * Runs one call, telling the runtime which attempt of the invocation it is (1 for the first; above 1 for the
     * retries of an asynchronous call), for the handler's context.
     */
    public CallOutcome invoke(UUID invocationId, JsonNode event, long deadlineEpochMs, int attempt, Duration timeout)
            throws RuntimeFailure {
        return invoke(invocationId, event, deadlineEpochMs, attempt, null, timeout);
    }

    /**
     * Runs one call set off by a trigger (a schedule's tick, a queue's message): {@code trigger} goes to the runtime
     * as the frame's {@code trigger} field, for the handler's context; null sends no such field (a direct call).
     */
    public CallOutcome invoke(UUID invocationId, JsonNode event, long deadlineEpochMs, int attempt,
                              Map<String, ?> trigger, Duration timeout) throws RuntimeFailure {
        ObjectNode message = json.createObjectNode();
        message.put("type", "invoke");
        String id = invocationId.toString();
        message.put("id", id);
        message.set("event", event);
        message.put("deadlineMs", deadlineEpochMs);
        message.put("attempt", Math.max(1, attempt));
        if (trigger != null) { // absent for a direct call: runtimes that predate it never see it
            message.set("trigger", json.valueToTree(trigger));
        }
        byte[] answer = exchange(message, timeout);
        JsonNode reply;
        try {
            reply = json.readTree(answer);
        } catch (StreamConstraintsException e) {
            // Valid JSON beyond the parser's limits (nesting deeper than 500, a number of more than 1000 digits):
            // what the handler returned, since the runtime's own fields are flat and short. Neither the registry nor
            // the scheduler could read it either, so the call fails as the function's.
            return new CallOutcome(false, null, FunctionError.of("ResultNotSerializable", "the handler's result"
                    + " exceeds what the platform accepts in JSON: " + e.getOriginalMessage()), "", answer.length);
        } catch (JacksonException e) {
            throw protocol("unreadable JSON from the runtime: " + e.getOriginalMessage());
        }
        String type = text(reply, "type", "");
        if (!"result".equals(type)) {
            String detail = "error".equals(type) ? ": " + text(reply.path("error"), "message", "") : "";
            throw protocol("expected a result, got type '" + type + "'" + detail);
        }
        if (!id.equals(text(reply, "id", ""))) {
            // The runtime echoes the id it was given and answers one call at a time, so a result for another id
            // was written by something else holding the socket: the function's own code.
            close();
            throw new RuntimeFailure(RuntimeFailure.Kind.FOREIGN_ANSWER, "a result for invocation '"
                    + text(reply, "id", "") + "' arrived while waiting for " + id, null);
        }
        String logs = text(reply, "logs", "");
        if (reply.path("ok").isBoolean() && reply.path("ok").booleanValue()) {
            return new CallOutcome(true, reply.get("result"), null, logs, answer.length);
        }
        return new CallOutcome(false, null, errorOf(reply.path("error")), logs, answer.length);
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    /**
     * Sends one frame and reads the answer's payload. The time limit is one state per exchange, settled once by
     * compare-and-set: either the answer arrives first (and a late alarm does nothing) or the alarm does (and closes
     * the channel, which wakes the blocked read). So a connection whose call succeeded is never closed behind it.
     */
    private byte[] exchange(ObjectNode message, Duration timeout) throws RuntimeFailure {
        byte[] payload = json.writeValueAsBytes(message);
        AtomicInteger state = new AtomicInteger(WAITING);
        ScheduledFuture<?> alarm = timer.schedule(() -> expire(state), timeout.toNanos(), TimeUnit.NANOSECONDS);
        byte[] answer;
        try {
            ByteBuffer[] frame = FrameCodec.encode(payload);
            while (frame[1].hasRemaining()) {
                channel.write(frame);
            }
            answer = reader.read(channel);
        } catch (FrameCodec.FrameTooLargeException e) {
            close();
            if (!state.compareAndSet(WAITING, FAILED)) {
                throw timedOut(timeout, e);
            }
            throw new RuntimeFailure(RuntimeFailure.Kind.FRAME_TOO_LARGE, e.getMessage(), e);
        } catch (IOException e) { // closed by the alarm, or by the runtime (end of stream), or broken
            close();
            throw state.compareAndSet(WAITING, FAILED) ? lost(e) : timedOut(timeout, e);
        } finally {
            alarm.cancel(false);
        }
        if (!state.compareAndSet(WAITING, ANSWERED)) { // the alarm went off just as the answer arrived
            close();
            throw timedOut(timeout, null);
        }
        return answer;
    }

    private void expire(AtomicInteger state) {
        if (state.compareAndSet(WAITING, EXPIRED)) {
            close();
        }
    }

    private RuntimeFailure timedOut(Duration timeout, Exception cause) {
        return new RuntimeFailure(RuntimeFailure.Kind.TIMED_OUT,
                "no answer within " + timeout.toMillis() + " ms", cause);
    }

    private static RuntimeFailure lost(IOException cause) {
        return new RuntimeFailure(RuntimeFailure.Kind.CONNECTION_LOST, "connection to the runtime lost: "
                + cause.getMessage(), cause);
    }

    private RuntimeFailure protocol(String message) {
        close();
        return new RuntimeFailure(RuntimeFailure.Kind.PROTOCOL, message, null);
    }

    private static FunctionError errorOf(JsonNode error) {
        List<String> trace = new ArrayList<>();
        for (JsonNode line : error.path("trace")) {
            trace.add(line.isString() ? line.stringValue() : line.toString());
        }
        return new FunctionError(text(error, "type", "Error"), text(error, "message", ""), trace);
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.path(field);
        return value.isString() ? value.stringValue() : fallback;
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do: it is closed as far as we are concerned
            }
        }
    }
}
