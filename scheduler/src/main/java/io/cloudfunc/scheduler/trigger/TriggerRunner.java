package io.cloudfunc.scheduler.trigger;

import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.InvocationIds;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.trigger.TriggerCounts;
import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.cloudfunc.scheduler.function.FunctionResolver;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one trigger: each message of its source becomes an ASYNC {@link InvokeFunction} on the intake (persistent,
 * publisher-confirmed), with this scheduler's outcome queue as {@code reply_to}; the message is acknowledged once the
 * broker confirmed it. At most {@code concurrency} invocations are in flight (accepted, outcome not yet back); the
 * outcome frees the slot, sends the message's reply and, when the invocation failed for good, its dead letter.
 */
final class TriggerRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TriggerRunner.class);

    record Pending(TriggerRunner runner, TriggerMessage message, Instant acceptedAt) {
    }

    private final TriggerDefinition definition;
    private final TriggerSource source;
    private final FunctionResolver functions;
    private final ConfirmedPublisher publisher;
    private final JsonMapper json;
    private final String outcomeQueue;
    private final Map<UUID, Pending> pending;
    private final TriggerMetrics metrics;
    private final Semaphore slots;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;

    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Instant> lastDeliveryAt = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastErrorAt = new AtomicReference<>();

    TriggerRunner(TriggerDefinition definition, TriggerSource source, FunctionResolver functions,
                  ConfirmedPublisher publisher, JsonMapper json, String outcomeQueue, Map<UUID, Pending> pending,
                  TriggerMetrics metrics) {
        this.definition = definition;
        this.source = source;
        this.functions = functions;
        this.publisher = publisher;
        this.json = json;
        this.outcomeQueue = outcomeQueue;
        this.pending = pending;
        this.metrics = metrics;
        this.slots = new Semaphore(definition.concurrency());
    }

    TriggerDefinition definition() {
        return definition;
    }

    void start() throws Exception {
        source.start(message -> workers.execute(() -> accept(message)));
        metrics.register(definition, source, () -> definition.concurrency() - slots.availablePermits());
        log.info("Trigger {}/{} consuming {} {}", definition.function(), definition.name(),
                definition.kind().wireName(), definition.source());
    }

    /** Takes a slot, then hands the message to the platform until the broker confirmed it, then acks it. */
    private void accept(TriggerMessage message) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        UUID id = InvocationIds.newId();
        while (!closed) {
            try {
                FunctionVersionView version = functions.resolve(FunctionRefs.parse(definition.function()));
                var command = new InvokeFunction(id, version.functionName(), version.version(), event(message),
                        Instant.now(), version.codeSha256(), InvocationMode.ASYNC, 1, null);
                var properties = new MessageProperties();
                properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
                properties.setType(Topology.TYPE_INVOKE_FUNCTION);
                properties.setCorrelationId(id.toString());
                properties.setMessageId(id.toString());
                properties.setReplyTo(outcomeQueue);
                properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
                properties.setHeader("x-cloudfunc-trigger", definition.function() + "/" + definition.name());
                pending.put(id, new Pending(this, message, Instant.now()));
                publisher.publishAndWait(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY,
                        new Message(json.writeValueAsBytes(command), properties));
            } catch (Exception e) {
                log.warn("Trigger {}/{}: a message could not be handed to the platform, trying again: {}",
                        definition.function(), definition.name(), e.getMessage());
                lastError.set("not accepted: " + e.getMessage());
                lastErrorAt.set(Instant.now());
                if (pause()) {
                    break;
                }
                continue;
            }
            deliveries.incrementAndGet();
            lastDeliveryAt.set(Instant.now());
            metrics.delivered(definition);
            try {
                message.settle().ack();
            } catch (Exception e) {
                // the channel or connection went away meanwhile: the broker delivers the message again, and it
                // runs twice (at least once); never publish it again from here, its delivery tag is stale
                log.warn("Trigger {}/{}: a message accepted as {} could not be acknowledged: {}",
                        definition.function(), definition.name(), id, e.toString());
            }
            return;
        }
        // closed before the message was taken: back to its source (redelivered, here or to another scheduler)
        if (pending.remove(id) != null) {
            slots.release();
        }
        try {
            message.settle().requeue();
        } catch (Exception e) {
            log.debug("Could not hand a message back: {}", e.toString());
        }
    }

    /** The event: the body when it is one JSON value, else {@code {"base64", "contentType"}}. */
    JsonNode event(TriggerMessage message) {
        boolean maybeJson = message.contentType() == null || message.contentType().contains("json");
        if (maybeJson && message.body().length > 0) {
            try {
                return json.readTree(message.body());
            } catch (JacksonException notJson) {
                // as bytes below
            }
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("base64", Base64.getEncoder().encodeToString(message.body()));
        wrapped.put("contentType", message.contentType() == null ? "application/octet-stream" : message.contentType());
        return json.valueToTree(wrapped);
    }

    /** The invocation's outcome came back: free the slot, reply, dead-letter a failure. */
    void completed(Pending call, InvocationCompleted outcome) {
        slots.release();
        boolean failed = outcome.status() != InvocationStatus.SUCCEEDED;
        if (failed) {
            String error = outcome.error() == null ? String.valueOf(outcome.status())
                    : outcome.error().type() + ": " + outcome.error().message();
            failed(error);
            if (definition.deadLetter() != null) {
                try {
                    source.deadLetter(definition.deadLetter(), call.message(), error);
                } catch (Exception e) {
                    log.warn("Trigger {}/{}: dead letter to {} failed: {}", definition.function(), definition.name(),
                            definition.deadLetter(), e.toString());
                }
            }
        }
        if (call.message().replyTo() != null && !call.message().replyTo().isBlank()) {
            try {
                byte[] body = failed ? json.writeValueAsBytes(Map.of("status", outcome.status(),
                        "error", outcome.error() == null ? Map.of() : outcome.error()))
                        : json.writeValueAsBytes(outcome.result());
                source.reply(call.message(), body, failed);
            } catch (Exception e) {
                log.debug("Trigger {}/{}: reply failed: {}", definition.function(), definition.name(), e.toString());
            }
        }
    }

    /** No outcome within the wait: the slot is freed, nothing is sent. */
    void abandoned() {
        slots.release();
    }

    private void failed(String error) {
        failures.incrementAndGet();
        lastError.set(error);
        lastErrorAt.set(Instant.now());
        metrics.failed(definition);
    }

    /** What happened since the last report, taken (counted once). */
    TriggerCounts drainCounts() {
        long delivered = deliveries.getAndSet(0);
        long failed = failures.getAndSet(0);
        return new TriggerCounts(definition.function(), definition.name(), delivered, failed,
                lastDeliveryAt.getAndSet(null), lastError.getAndSet(null), lastErrorAt.getAndSet(null));
    }

    /** Gives back counts a report could not deliver. */
    void restore(TriggerCounts counts) {
        deliveries.addAndGet(counts.deliveries());
        failures.addAndGet(counts.failures());
        lastDeliveryAt.compareAndSet(null, counts.lastDeliveryAt());
        lastError.compareAndSet(null, counts.lastError());
        lastErrorAt.compareAndSet(null, counts.lastErrorAt());
    }

    private boolean pause() {
        try {
            Thread.sleep(1_000);
            return closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        close(false);
    }

    /** Stops consuming; {@code forget}: the trigger is gone, so is what the broker keeps for its consumer. */
    void close(boolean forget) {
        closed = true;
        metrics.unregister(definition);
        source.close();
        if (forget) {
            source.forget();
        }
        workers.shutdownNow();
        log.info("Trigger {}/{} stopped", definition.function(), definition.name());
    }
}
