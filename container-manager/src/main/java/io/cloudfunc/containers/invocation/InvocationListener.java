package io.cloudfunc.containers.invocation;

import com.rabbitmq.client.Channel;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.registry.FunctionNotFoundException;
import io.cloudfunc.containers.registry.FunctionReplacedException;
import io.cloudfunc.containers.registry.RegistryUnavailableException;
import io.cloudfunc.contracts.function.FunctionNames;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.PublishFailedException;
import io.cloudfunc.support.messaging.RecordPublisher;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@code InvokeFunction} with manual acks. Each consumer thread (a virtual thread) runs its message to
 * the end and acks it on its own channel: reply to {@code reply_to}, publish the record for the registry (one
 * {@code InvocationRecords} message with concurrent calls' records, {@link RecordPublisher}), then ack once the broker
 * confirmed it. So the caller
 * does not wait for the record, yet a message is only acked once its outcome is safe, and acks never cross threads.
 *
 * <p>Unprocessable messages (not JSON, missing fields, unknown function, a version whose code is not the code the
 * message was sent for) are rejected without requeue, which dead-letters them to {@link Topology#DEAD_LETTER_QUEUE};
 * when their invocation id is readable the invocation is also recorded as FAILED (PLATFORM) and the caller gets that
 * reply. When the registry is unreachable the message goes back to the queue (after a pause) for a later try; if the
 * call already ran and only its record failed, the outcome is kept (the last {@value #MAX_UNRECORDED}) so that the
 * redelivery records it instead of running the user's code again.
 */
@Component
public class InvocationListener implements ChannelAwareMessageListener {

    private static final Logger log = LoggerFactory.getLogger(InvocationListener.class);
    /** Pauses between attempts to record a final state; then the message is requeued. */
    private static final List<Duration> RECORD_RETRIES = List.of(Duration.ofMillis(100), Duration.ofMillis(300),
            Duration.ofSeconds(1), Duration.ofSeconds(3));
    /** Pause before a message goes back to the queue, so that a registry outage does not spin the queue. */
    private static final Duration REQUEUE_PAUSE = Duration.ofSeconds(1);
    /** Pause before a call of a function with too many waiting calls goes to the tail of the queue. */
    private static final Duration DEFER_PAUSE = Duration.ofMillis(100);
    /** How many times a message was sent to the tail of the queue (for operators; no limit). */
    static final String DEFERRALS_HEADER = "x-cloudfunc-deferrals";
    /** Outcomes kept while their record is pending; beyond that the oldest are forgotten (and would run again). */
    static final int MAX_UNRECORDED = 10_000;
    /** Set by quorum queues: how many times the message was delivered before. */
    static final String DELIVERY_COUNT_HEADER = "x-delivery-count";
    /** Bound on the redeliveries added to an attempt number. */
    private static final int MAX_COUNTED_REDELIVERIES = 1_000;
    private static final MessagePropertiesConverter AMQP_PROPERTIES = new DefaultMessagePropertiesConverter();

    private final InvocationService invocations;
    private final AsyncOutcomes asyncOutcomes;
    private final RecordPublisher records;
    private final ConfirmedPublisher publisher;
    private final JsonMapper json;
    private final List<Duration> recordRetries;
    private final Duration requeuePause;
    private final Duration deferPause;
    /** Outcomes of calls that ran but could not be recorded yet, by invocation id (oldest first). */
    private final Map<UUID, Unrecorded> unrecorded = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Unrecorded> eldest) {
                    return size() > MAX_UNRECORDED;
                }
            });

    @Autowired
    InvocationListener(InvocationService invocations, AsyncOutcomes asyncOutcomes, RecordPublisher records,
                       ConfirmedPublisher publisher, JsonMapper json) {
        this(invocations, asyncOutcomes, records, publisher, json, RECORD_RETRIES, REQUEUE_PAUSE,
                DEFER_PAUSE);
    }

    InvocationListener(InvocationService invocations, AsyncOutcomes asyncOutcomes, RecordPublisher records,
                       ConfirmedPublisher publisher, JsonMapper json,
                       List<Duration> recordRetries, Duration requeuePause, Duration deferPause) {
        this.invocations = invocations;
        this.asyncOutcomes = asyncOutcomes;
        this.records = records;
        this.publisher = publisher;
        this.json = json;
        this.recordRetries = List.copyOf(recordRetries);
        this.requeuePause = requeuePause;
        this.deferPause = deferPause;
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        Settlement settlement = new Settlement(channel, message.getMessageProperties().getDeliveryTag());
        try {
            process(message, settlement);
        } finally {
            if (!settlement.done) {
                // Something unforeseen (an Error) cut the processing short: hand the message back rather than leave
                // it unacknowledged on this channel, where it would block the consumer's prefetch.
                log.error("Invocation message left unsettled after a failure; it goes back to the queue");
                try {
                    settlement.nack();
                } catch (IOException | RuntimeException e) {
                    log.warn("Could not hand the message back (its channel will on closing): {}", e.toString());
                }
            }
        }
    }

    private void process(Message message, Settlement settlement) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        InvokeFunction command;
        try {
            command = parse(message.getBody());
        } catch (InvalidMessageException e) {
            rejectInvalid(e, properties, settlement.channel);
            settlement.reject();
            return;
        }
        MDC.put("invocationId", command.invocationId().toString());
        MDC.put("functionName", command.functionName());
        int redeliveries = redeliveries(properties);
        if (redeliveries > 0) {
            // The broker handed this message out before, and it was not acked: the call may have run (a manager
            // that died mid-call). It runs as the next attempt, so that the function and the record can tell.
            command = command.platformRetry(redeliveries);
            log.info("Redelivered invocation runs as attempt {}", command.attempt());
        }
        try {
            Unrecorded pending = unrecorded.get(command.invocationId());
            if (pending != null) {
                // The call already ran here; only its record is missing. Running the user's code again would be
                // a second execution for nothing: record (and reply) what it did.
                log.info("Redelivered invocation already ran; recording its outcome again");
                reply(properties, pending.completed(), settlement.channel);
                settle(pending, settlement);
                return;
            }
            InvocationCompleted completed;
            boolean deadLetter = false;
            Long deadline = deadline(properties);
            try {
                if (deadline != null && System.currentTimeMillis() > deadline) {
                    // the caller stopped waiting: a late run would be a run nobody asked for any more
                    log.info("Not running invocation: its deadline passed before it reached a container");
                    completed = pastDeadline(command);
                } else {
                    completed = invocations.run(command, InvocationHeaders.timeoutMs(properties.getHeaders()));
                }
            } catch (FunctionNotFoundException | FunctionReplacedException e) {
                log.warn("Dead-lettering invocation: {}", e.getMessage());
                completed = invocations.notRun(command.invocationId(), command.functionName(), command.version(),
                        e instanceof FunctionReplacedException ? "FunctionReplaced" : "FunctionNotFound",
                        e.getMessage());
                deadLetter = true;
            } catch (ContainerPool.WaitQueueFullException e) {
                // a redelivered call keeps the attempt it was counted as (else its record, already RUNNING at that
                // attempt, could never take the outcome of a lower one)
                defer(message, redeliveries > 0 ? json.writeValueAsBytes(command) : message.getBody(), settlement, e);
                return;
            } catch (RegistryUnavailableException e) {
                log.warn("Registry unavailable, invocation goes back to the queue: {}", e.getMessage());
                pause(requeuePause);
                settlement.nack();
                return;
            } catch (RuntimeException e) {
                log.error("Invocation failed on an unexpected error", e);
                completed = invocations.notRun(command.invocationId(), command.functionName(), command.version(),
                        "PlatformError", "the container-manager failed to run the call");
            }
            boolean async = command.mode() == InvocationMode.ASYNC;
            boolean failed = completed.status() != InvocationStatus.SUCCEEDED;
            if (async && failed && !deadLetter && retried(command, completed, settlement, properties)) {
                return;
            }
            // An ASYNC call that failed on its last attempt is a dead letter (listed by GET /dead-letters).
            completed = completed.asAttempt(command.mode(), command.attempt(), async && failed);
            // The caller gets its answer first; the ack still waits until the outcome is recorded, so a crash in
            // between redelivers the message rather than losing the record.
            reply(properties, completed, settlement.channel);
            settle(new Unrecorded(completed, created(command), deadLetter, async ? command.callbackUrl() : null),
                    settlement);
        } finally {
            MDC.remove("invocationId");
            MDC.remove("functionName");
        }
    }

    /**
     * Too many calls of this function already wait here: the message goes to the TAIL of the queue (republished,
     * confirmed by the broker, then acked), so that the calls of other functions queued behind this function's burst
     * are reached instead of every consumer waiting on one function. After a pause, so that a queue holding only
     * this function's calls does not spin. If the republish fails, the message goes back to the head instead.
     */
    private void defer(Message message, byte[] body, Settlement settlement, RuntimeException why)
            throws IOException {
        log.debug("Deferring invocation: {}", why.getMessage());
        pause(deferPause);
        MessageProperties received = message.getMessageProperties();
        MessageProperties properties = new MessageProperties();
        properties.setContentType(received.getContentType());
        properties.setType(received.getType());
        properties.setReplyTo(received.getReplyTo());
        properties.setCorrelationId(received.getCorrelationId());
        properties.setMessageId(received.getMessageId());
        received.getHeaders().forEach(properties::setHeader);
        // the broker's count of this delivery is not the new message's (the body carries the attempt it counted to)
        properties.getHeaders().remove(DELIVERY_COUNT_HEADER);
        // a synchronous call stays transient, an asynchronous one persistent
        properties.setDeliveryMode(received.getReceivedDeliveryMode() != null ? received.getReceivedDeliveryMode()
                : MessageDeliveryMode.PERSISTENT);
        Object deferrals = received.getHeaders().get(DEFERRALS_HEADER);
        properties.setHeader(DEFERRALS_HEADER, deferrals instanceof Number n ? n.intValue() + 1 : 1);
        try {
            // back the way it came: to this node's queue
            ConfirmedPublisher.await(publisher.publish(received.getReceivedExchange(),
                    received.getReceivedRoutingKey(), new Message(body, properties)));
        } catch (AmqpException e) { // PublishFailedException included
            log.warn("Could not defer the invocation to the tail of the queue ({}); it goes back to the head",
                    e.getMessage());
            settlement.nack();
            return;
        }
        settlement.ack();
    }

    /**
     * Schedules the next attempt of a failed ASYNC call when a policy allows one (a platform failure's or the
     * function's, {@link AsyncOutcomes#nextAttempt(InvokeFunction, InvocationCompleted)}), and acks this one.
     * Returns false when the attempts are used up (the call becomes a dead letter). When the registry or the broker
     * cannot take the retry, the message goes back to the queue (the attempt runs again: at least once).
     */
    private boolean retried(InvokeFunction command, InvocationCompleted completed, Settlement settlement,
                            MessageProperties received) throws IOException {
        Optional<AsyncOutcomes.NextAttempt> next;
        try {
            next = asyncOutcomes.nextAttempt(command, completed);
        } catch (RuntimeException e) {
            log.warn("No retry policy for {} v{} ({}); the failure is final", command.functionName(),
                    command.version(), e.getMessage());
            return false;
        }
        if (next.isEmpty()) {
            return false;
        }
        int nextAttempt = next.get().command().attempt();
        try {
            asyncOutcomes.scheduleRetry(command, next.get(), completed, received.getReplyTo(),
                    received.getCorrelationId());
        } catch (AmqpException e) { // PublishFailedException included
            log.warn("Could not schedule attempt {}; the message goes back to the queue: {}", nextAttempt,
                    e.getMessage());
            pause(requeuePause);
            settlement.nack();
            return true;
        }
        log.info("Attempt {} failed ({}, {}); attempt {} in {} ms", command.attempt(), completed.status(),
                completed.errorKind(), nextAttempt, next.get().delay().toMillis());
        settlement.ack();
        return true;
    }

    /**
     * Records the outcome, then acks (or dead-letters) the message. When the registry stays unreachable the outcome
     * is kept here and the message goes back to the queue after a pause: its redelivery records it without running
     * the call again (at least once for the record, not for the user's code).
     */
    private void settle(Unrecorded outcome, Settlement settlement) throws IOException {
        UUID id = outcome.completed().invocationId();
        if (!record(outcome.completed(), outcome.created())) {
            unrecorded.put(id, outcome);
            pause(requeuePause);
            settlement.nack();
            return;
        }
        unrecorded.remove(id);
        if (outcome.callbackUrl() != null) {
            try {
                asyncOutcomes.requestCallback(outcome.completed(), outcome.callbackUrl());
            } catch (AmqpException e) {
                // The record is safe; the callback is best effort beyond the broker's durability.
                log.warn("Could not request the callback of {}: {}", id, e.getMessage());
            }
        }
        if (outcome.deadLetter()) {
            settlement.reject();
        } else {
            settlement.ack();
        }
    }

    InvokeFunction parse(byte[] body) throws InvalidMessageException {
        ObjectNode tree;
        try {
            tree = readWithRawPayload(body);
        } catch (JacksonException e) {
            throw new InvalidMessageException(null, null, 0, "the message body is not JSON");
        }
        if (tree == null) {
            throw new InvalidMessageException(null, null, 0, "the message body is not a JSON object");
        }
        UUID id = uuidOrNull(tree.path("invocationId"));
        String name = tree.path("functionName").isString() ? tree.path("functionName").stringValue() : null;
        int version = tree.path("version").isInt() ? tree.path("version").intValue() : 0;
        if (id == null) {
            throw new InvalidMessageException(null, name, version, "invocationId is missing or not a UUID");
        }
        if (!FunctionNames.isValid(name)) {
            throw new InvalidMessageException(id, name, version, "functionName is missing or invalid");
        }
        if (version < 1) {
            throw new InvalidMessageException(id, name, version, "version is missing or not a positive integer");
        }
        try {
            return json.treeToValue(tree, InvokeFunction.class);
        } catch (JacksonException e) {
            throw new InvalidMessageException(id, name, version, "the message does not match InvokeFunction: "
                    + e.getOriginalMessage());
        }
    }

    /**
     * The message as a tree, except its {@code payload}: that stays the bytes it came as (checked for being JSON by
     * the tokenizer, never built into a tree), and is written as they are into the runtime's frame and the record.
     * Null when the body is not one JSON object.
     */
    private ObjectNode readWithRawPayload(byte[] body) {
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode tree = json.createObjectNode();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("payload".equals(field)) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    // a string's text is read lazily: finish it, so that the location is past its closing quote
                    parser.finishToken();
                    int end = (int) parser.currentLocation().getByteOffset();
                    tree.set(field, json.getNodeFactory().rawValueNode(
                            new RawValue(new String(body, start, end - start, StandardCharsets.UTF_8))));
                } else {
                    tree.set(field, json.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                            .readTree(parser));
                }
            }
            return parser.nextToken() == null ? tree : null;
        }
    }

    private void rejectInvalid(InvalidMessageException e, MessageProperties properties, Channel channel) {
        log.warn("Dead-lettering an invalid InvokeFunction message{}: {}",
                e.invocationId != null ? " for invocation " + e.invocationId : "", e.getMessage());
        if (e.invocationId == null) {
            return;
        }
        InvocationCompleted completed = invocations.notRun(e.invocationId, e.functionName, e.version,
                "InvalidMessage", "the invocation message could not be processed: " + e.getMessage());
        reply(properties, completed, channel);
        record(completed, null);
    }

    /**
     * Publishes the final state, with the call's acceptance ({@code created}: its event and acceptance time, for a
     * call that has no QUEUED record, e.g. a synchronous one or an outside producer's) in the same message, and waits
     * for the broker's confirm. Returns false when the broker did not take it after a few tries.
     */
    private boolean record(InvocationCompleted completed, CreateInvocation created) {
        for (int attempt = 0; ; attempt++) {
            try {
                // Gathered with the records of concurrent calls into one message; returns once it is confirmed.
                ConfirmedPublisher.await(records.publish(new InvocationRecords(
                        created == null ? List.of() : List.of(created), List.of(), List.of(), List.of(completed))));
                return true;
            } catch (PublishFailedException e) {
                if (attempt >= recordRetries.size()) {
                    log.warn("Could not record the final state of {}: {}", completed.invocationId(), e.getMessage());
                    return false;
                }
                pause(recordRetries.get(attempt));
            }
        }
    }

    /**
     * Answers the caller on the consumer's own channel (not in confirm mode: the caller waiting for the reply is its
     * only reader, and its timeout the only confirmation it needs).
     */
    private void reply(MessageProperties request, InvocationCompleted completed, Channel channel) {
        String replyTo = request.getReplyTo();
        if (replyTo == null || replyTo.isBlank()) {
            return;
        }
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(Topology.TYPE_INVOCATION_COMPLETED);
        properties.setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
        String correlationId = request.getCorrelationId();
        properties.setCorrelationId(correlationId != null ? correlationId : completed.invocationId().toString());
        try {
            channel.basicPublish("", replyTo, false, AMQP_PROPERTIES.fromMessageProperties(properties, "UTF-8"),
                    json.writeValueAsBytes(completed));
        } catch (IOException | RuntimeException e) {
            // The registry has the outcome; the caller will find it there.
            log.warn("Could not reply to {}: {}", replyTo, e.getMessage());
        }
    }

    /** What the registry needs to create the record if there is none yet: the event and when it was accepted. */
    private static CreateInvocation created(InvokeFunction command) {
        return new CreateInvocation(command.invocationId(), command.functionName(), command.version(),
                command.payload(), command.acceptedAt(), command.mode(), command.apiKeyId());
    }

    /**
     * How many times the broker delivered this message before: {@code x-delivery-count} where the queue counts
     * (a quorum queue), else 1 for a message flagged as redelivered. A message handed back before it ran (the
     * registry was unreachable) counts too: the broker does not say why it comes again.
     */
    static int redeliveries(MessageProperties properties) {
        if (properties.getHeaders().get(DELIVERY_COUNT_HEADER) instanceof Number count && count.longValue() > 0) {
            return (int) Math.min(count.longValue(), MAX_COUNTED_REDELIVERIES);
        }
        return Boolean.TRUE.equals(properties.getRedelivered()) ? 1 : 0;
    }

    /** A synchronous call's start deadline (epoch ms, set by the gateway), or null. */
    private static Long deadline(MessageProperties properties) {
        return InvocationHeaders.epochMillis(properties.getHeaders().get(InvocationHeaders.DEADLINE));
    }

    private static InvocationCompleted pastDeadline(InvokeFunction command) {
        return InvocationCompleted.notRun(command.invocationId(), command.functionName(), command.version(),
                InvocationStatus.TIMED_OUT, "DeadlineExceeded",
                "Not started: the caller's deadline passed before a container was free to run the call.",
                command.attempt(), command.mode());
    }

    private static UUID uuidOrNull(JsonNode node) {
        if (!node.isString()) {
            return null;
        }
        try {
            return UUID.fromString(node.stringValue());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An outcome the registry has not taken yet, whether its message is to be dead-lettered once it has, and where
     * its callback goes (null: none).
     */
    private record Unrecorded(InvocationCompleted completed, CreateInvocation created, boolean deadLetter,
                              String callbackUrl) {
    }

    /** Acks, nacks or rejects one delivery, once, and remembers whether it did. */
    private static final class Settlement {

        private final Channel channel;
        private final long tag;
        private boolean done;

        Settlement(Channel channel, long tag) {
            this.channel = channel;
            this.tag = tag;
        }

        void ack() throws IOException {
            done = true;
            channel.basicAck(tag, false);
        }

        /** Back to the queue, for a later try. */
        void nack() throws IOException {
            done = true;
            channel.basicNack(tag, false, true);
        }

        /** Dead-lettered (no requeue). */
        void reject() throws IOException {
            done = true;
            channel.basicReject(tag, false);
        }
    }

    /** A message that can never be processed, with whatever could be read from it. */
    static final class InvalidMessageException extends Exception {

        final UUID invocationId;
        final String functionName;
        final int version;

        InvalidMessageException(UUID invocationId, String functionName, int version, String message) {
            super(message);
            this.invocationId = invocationId;
            this.functionName = functionName;
            this.version = version;
        }
    }
}
