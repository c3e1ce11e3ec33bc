package io.cloudfunc.scheduler.invocation;

import com.rabbitmq.client.Channel;
import io.cloudfunc.contracts.function.FunctionRefs;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.AsyncInvocationAccepted;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.function.FunctionResolver;
import io.cloudfunc.scheduler.placement.NodeLoads;
import io.cloudfunc.scheduler.placement.Placement;
import io.cloudfunc.scheduler.web.DownstreamProblemException;
import io.cloudfunc.support.callback.CallbackUrls;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.PublishFailedException;
import io.cloudfunc.support.messaging.RecordPublisher;
import io.cloudfunc.support.messaging.TransientPublisher;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * Consumes the intake queue {@code cloudfunc.invoke} with manual acks and places every call on a node's queue.
 *
 * <p>A gateway's {@code InvocationRequest} (the event as bytes, the rest in {@link InvocationHeaders}): the
 * reference is resolved from the function cache, a synchronous call whose deadline passed is not forwarded (504,
 * recorded as TIMED_OUT), the call is forwarded as an {@link InvokeFunction} whose {@code payload} is the event's
 * bytes spliced in (never parsed here) with the caller's {@code reply_to} and correlation id, so the node answers
 * the caller directly. An asynchronous call's QUEUED record goes to the registry with it; once the broker confirmed
 * both, the gateway gets the acceptance. Problems (unknown function, bad reference, registry down) are answered to
 * {@code reply_to} as problem details. An asynchronous call's intake message is acked only after its forward was
 * confirmed; a synchronous call's forward (like its request and its reply) is transient and unconfirmed
 * ({@link TransientPublisher}): the caller's reply or timeout is its confirmation.
 *
 * <p>An {@link InvokeFunction} (an outside producer's, or an attempt coming back from a retry queue) already names
 * its version: it is forwarded unchanged to the function's node.
 */
@Component
class IntakeListener implements ChannelAwareMessageListener {

    static final String TYPE_INVOCATION_ACCEPTED = "InvocationAccepted";
    private static final Logger log = LoggerFactory.getLogger(IntakeListener.class);
    private static final Duration REQUEUE_PAUSE = Duration.ofSeconds(1);
    private static final CompletableFuture<Boolean> ACK = CompletableFuture.completedFuture(true);
    private static final MessagePropertiesConverter AMQP_PROPERTIES = new DefaultMessagePropertiesConverter();

    private final FunctionResolver functions;
    private final TransientPublisher transientPublisher;
    private final ConfirmedPublisher publisher;
    private final RecordPublisher records;
    private final IntakeMetrics metrics;
    private final JsonMapper json;
    private final NodeLoads nodes;
    private final Duration confirmTimeout;
    /**
     * Where an asynchronous call's acceptance is answered and its request settled once the broker confirmed: off the
     * client's threads that complete the confirms, which must never wait on a socket.
     */
    private final ExecutorService settling = Executors.newVirtualThreadPerTaskExecutor();

    IntakeListener(FunctionResolver functions, TransientPublisher transientPublisher, ConfirmedPublisher publisher,
                   RecordPublisher records, IntakeMetrics metrics, JsonMapper json, SchedulerProperties properties,
                   NodeLoads nodes) {
        this.functions = functions;
        this.transientPublisher = transientPublisher;
        this.publisher = publisher;
        this.records = records;
        this.metrics = metrics;
        this.json = json;
        this.nodes = nodes;
        this.confirmTimeout = properties.confirmTimeout();
    }

    @Override
    public void onMessage(Message message, Channel channel) throws IOException {
        long tag = message.getMessageProperties().getDeliveryTag();
        boolean handedOver = false;
        try {
            if (Topology.TYPE_INVOCATION_REQUEST.equals(message.getMessageProperties().getType())) {
                CompletableFuture<Boolean> done = request(message, channel);
                handedOver = true;
                if (done.isDone()) {
                    settle(channel, tag, done.join());
                } else {
                    // an asynchronous call: settled once the broker confirmed its forward and record, while this
                    // consumer goes on with the next request (the prefetch bounds how many wait so)
                    done.whenCompleteAsync((ack, failure) -> settle(channel, tag, failure == null && ack), settling);
                }
                return;
            }
            if (!forwardAsIs(message)) {
                pause();
                channel.basicNack(tag, false, true);
                handedOver = true;
                return;
            }
            channel.basicAck(tag, false);
            handedOver = true;
        } finally {
            if (!handedOver) {
                // an Error cut the processing short: back to the queue rather than stuck on this channel
                channel.basicNack(tag, false, true);
            }
        }
    }

    /** Acks a request, or hands it back to the intake after a pause (its forward may not have been taken). */
    private static void settle(Channel channel, long tag, boolean ack) {
        Runnable settlement = () -> {
            try {
                if (ack) {
                    channel.basicAck(tag, false);
                } else {
                    channel.basicNack(tag, false, true);
                }
            } catch (IOException | RuntimeException e) {
                // the channel closed: the broker hands the request out again (at least once)
                log.warn("Could not settle intake message {}: {}", tag, e.toString());
            }
        };
        if (ack) {
            settlement.run();
        } else {
            CompletableFuture.runAsync(settlement, CompletableFuture.delayedExecutor(REQUEUE_PAUSE.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
    }

    /**
     * A gateway's request; always answered (outcome from the node, acceptance or problem from here). The future says
     * whether to ack the request (true) or hand it back to the intake (false); it is complete on return except for an
     * asynchronous call, whose forward and record are confirmed later.
     */
    private CompletableFuture<Boolean> request(Message message, Channel channel) {
        MessageProperties received = message.getMessageProperties();
        String replyTo = received.getReplyTo();
        String correlationId = received.getCorrelationId();
        UUID id;
        try {
            id = UUID.fromString(received.getMessageId());
        } catch (RuntimeException e) {
            log.warn("Dropping an invocation request without a valid message id");
            metrics.count(IntakeMetrics.REJECTED);
            return ACK;
        }
        Map<String, Object> headers = received.getHeaders();
        InvocationMode mode = "ASYNC".equals(text(headers.get(InvocationHeaders.MODE))) ? InvocationMode.ASYNC
                : InvocationMode.SYNC;
        Instant acceptedAt = instant(headers.get(InvocationHeaders.ACCEPTED_AT));
        UUID apiKeyId = uuid(headers.get(InvocationHeaders.API_KEY_ID));
        try {
            FunctionRefs.Ref ref = FunctionResolver.parse(text(headers.get(InvocationHeaders.FUNCTION)));
            String callbackUrl = mode == InvocationMode.ASYNC ? callback(headers) : null;
            FunctionVersionView function = functions.resolve(ref);
            Long deadline = InvocationHeaders.epochMillis(headers.get(InvocationHeaders.DEADLINE));
            if (mode == InvocationMode.SYNC && deadline != null && System.currentTimeMillis() > deadline) {
                expired(id, function, message.getBody(), acceptedAt, apiKeyId);
                throw new ProblemException(deadlineProblem(id, function.functionName()));
            }
            // placed before anything is published: with no node to take it, a synchronous request waits in the
            // intake, an asynchronous one is accepted and waits in a known node's queue
            String node = place(function, mode);
            JsonNode payload = raw(message.getBody());
            var command = new InvokeFunction(id, function.functionName(), function.version(), payload, acceptedAt,
                    function.codeSha256(), mode, 1, callbackUrl, apiKeyId);
            var properties = new MessageProperties();
            properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            properties.setType(Topology.TYPE_INVOKE_FUNCTION);
            properties.setMessageId(id.toString());
            properties.setCorrelationId(correlationId);
            if (deadline != null) {
                properties.setHeader(InvocationHeaders.DEADLINE, deadline);
            }
            Long timeoutMs = InvocationHeaders.timeoutMs(headers);
            if (timeoutMs != null) {
                properties.setHeader(InvocationHeaders.TIMEOUT_MS, timeoutMs); // the caller's own, for the node
            }
            if (mode == InvocationMode.SYNC) {
                // the caller waits for the node's reply, which is all the confirmation it needs: transient and
                // unconfirmed, so the intake message is acked as soon as the forward is written
                properties.setReplyTo(replyTo);
                forwardTransient(command, properties, channel, node);
                metrics.count(IntakeMetrics.FORWARDED);
                return ACK;
            }
            properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
            CompletableFuture<Void> recorded = records.created(new CreateInvocation(id, function.functionName(),
                    function.version(), payload, acceptedAt, InvocationMode.ASYNC, apiKeyId));
            byte[] accepted = json.writeValueAsBytes(new AsyncInvocationAccepted(id, function.functionName(),
                    function.version(), InvocationStatus.QUEUED, acceptedAt,
                    Map.of("self", "/invocations/" + id, "function", "/functions/" + function.functionName())));
            return forward(command, properties, node)
                    .thenCompose(forwarded -> recorded.orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
                            .handleAsync((confirmed, failure) -> {
                                if (failure != null) {
                                    // the call itself is durable and will run; its outcome writes its record
                                    log.warn("RabbitMQ did not confirm the QUEUED record of {}: {}", id,
                                            failure.toString());
                                }
                                metrics.count(IntakeMetrics.FORWARDED);
                                reply(replyTo, correlationId, TYPE_INVOCATION_ACCEPTED,
                                        MessageProperties.CONTENT_TYPE_JSON, accepted);
                                return true;
                            }, settling))
                    .exceptionallyAsync(failure -> answered(unwrap(failure), id, replyTo, correlationId), settling);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(answered(e, id, replyTo, correlationId));
        }
    }

    /**
     * Answers a request that failed with {@code failure} (a problem to the caller) and says whether to ack it: false
     * only when its forward may have been taken (it goes back to the intake and is forwarded again).
     */
    private boolean answered(Throwable failure, UUID id, String replyTo, String correlationId) {
        switch (failure) {
            case RequeueException e -> {
                metrics.count(IntakeMetrics.FAILED);
                return false;
            }
            case ProblemException e -> {
                metrics.count(e.problem().getStatus() >= 500 ? IntakeMetrics.FAILED : IntakeMetrics.REJECTED);
                ProblemDetail problem = e.problem();
                if (problem.getProperties() == null || !problem.getProperties().containsKey("invocationId")) {
                    problem.setProperty("invocationId", id);
                }
                reply(replyTo, correlationId, Topology.TYPE_PROBLEM, "application/problem+json", problemJson(problem));
            }
            case DownstreamProblemException e -> {
                // the registry's own problem (404 unknown function, version or alias), passed through as it is
                metrics.count(e.status() >= 500 ? IntakeMetrics.FAILED : IntakeMetrics.REJECTED);
                reply(replyTo, correlationId, Topology.TYPE_PROBLEM, "application/problem+json", e.body());
            }
            default -> {
                // never a poison loop: the caller gets a 503 and the message is acked
                log.error("Invocation request {} failed unexpectedly", id, failure);
                metrics.count(IntakeMetrics.FAILED);
                reply(replyTo, correlationId, Topology.TYPE_PROBLEM, "application/problem+json", problemJson(
                        Problems.platformError("scheduler", "The scheduler failed to place the invocation; the error"
                                + " is in its log.").with("invocationId", id).problem()));
            }
        }
        return true;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    /**
     * An {@link InvokeFunction} as an outside producer (or a retry queue) sent it: to its function's node,
     * unchanged. Returns false when the forward failed (the message goes back to the queue).
     */
    private boolean forwardAsIs(Message message) {
        String functionName = "";
        int version = 0;
        try {
            JsonNode body = json.readTree(message.getBody());
            JsonNode name = body.path("functionName");
            functionName = name.isString() ? name.stringValue() : "";
            version = body.path("version").asInt(0);
        } catch (JacksonException e) {
            // unreadable: the node dead-letters it (and records it as FAILED when its id is readable)
        }
        var node = nodes.place(new Placement.Call(functionName, version, 0)).map(Placement.Decision::nodeId)
                .or(nodes::parking);
        if (node.isEmpty()) {
            log.warn("No node known yet; invocation {} waits in the intake",
                    message.getMessageProperties().getMessageId());
            return false;
        }
        try {
            publisher.publishAndWait(Topology.INVOCATIONS_EXCHANGE,
                    Topology.nodeRoutingKey(node.get()), message);
            metrics.count(IntakeMetrics.FORWARDED);
            return true;
        } catch (RuntimeException e) {
            log.warn("Forwarding invocation {} to its node failed; it goes back to the intake: {}",
                    message.getMessageProperties().getMessageId(), e.getMessage());
            metrics.count(IntakeMetrics.FAILED);
            return false;
        }
    }

    /**
     * A synchronous call's forward, on the consumer's own channel (not in confirm mode): the broker reads it before
     * the request's ack that follows, so a scheduler that dies in between leaves the request to be handed out again,
     * never an acked request without its forward.
     */
    private void forwardTransient(InvokeFunction command, MessageProperties properties, Channel channel,
                                  String node) {
        properties.setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
        try {
            channel.basicPublish(Topology.INVOCATIONS_EXCHANGE, Topology.nodeRoutingKey(node), false,
                    AMQP_PROPERTIES.fromMessageProperties(properties, "UTF-8"), json.writeValueAsBytes(command));
        } catch (IOException | RuntimeException e) {
            log.warn("Forwarding invocation {} to node {} failed: {}", command.invocationId(), node, e.getMessage());
            throw Problems.platformError("rabbitmq", "The invocation could not be handed to a node.");
        }
    }

    /**
     * An asynchronous call's forward: completes once the broker confirmed it; fails with a {@link RequeueException}
     * when the broker may have taken it (no confirm, connection lost), or with a 503 problem when it surely did not
     * (nacked, unroutable; the QUEUED record is then ended as FAILED).
     */
    private CompletableFuture<Void> forward(InvokeFunction command, MessageProperties properties, String node) {
        return publisher.publish(Topology.INVOCATIONS_EXCHANGE, Topology.nodeRoutingKey(node),
                        new Message(json.writeValueAsBytes(command), properties))
                .exceptionallyCompose(failure -> {
                    Throwable cause = unwrap(failure);
                    log.warn("Forwarding invocation {} to node {} failed: {}", command.invocationId(), node,
                            cause.getMessage());
                    boolean surelyNotTaken = cause instanceof PublishFailedException e
                            && (e.reason() == PublishFailedException.Reason.NACKED
                            || e.reason() == PublishFailedException.Reason.RETURNED);
                    if (!surelyNotTaken) {
                        // it may be on the node's queue already (the connection dropped before the confirm): the
                        // request goes back to the intake and is forwarded again (at least once), never failed by guess
                        return CompletableFuture.failedFuture(new RequeueException(cause));
                    }
                    // its QUEUED record may be written: end it, so that it does not stay QUEUED for ever
                    records.completed(InvocationCompleted.notRun(command.invocationId(), command.functionName(),
                            command.version(), InvocationStatus.FAILED, "PlatformError",
                            "The invocation could not be handed to a node.", 1, InvocationMode.ASYNC));
                    return CompletableFuture.failedFuture(
                            Problems.platformError("rabbitmq", "The invocation could not be handed to a node."));
                });
    }

    /** A request to hand back to the intake (after a pause), unanswered. */
    private static final class RequeueException extends RuntimeException {
        RequeueException(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }

        RequeueException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The node for a call of {@code function} (see {@link Placement}): its maxInstances x concurrency caps its calls
     * across the nodes. With no live node taking calls, an asynchronous call waits in the durable queue of a node
     * heard last ({@link NodeLoads#parking}), so that it is accepted as before; a synchronous one (or any call
     * when no node was ever heard) goes back to the intake after a pause.
     */
    private String place(FunctionVersionView function, InvocationMode mode) {
        int maxCalls = function.maxInstances() > 0 ? function.maxInstances() * Math.max(1, function.concurrency()) : 0;
        return nodes.place(new Placement.Call(function.functionName(), function.version(), maxCalls))
                .map(Placement.Decision::nodeId)
                .or(() -> mode == InvocationMode.ASYNC ? nodes.parking() : Optional.empty())
                .orElseThrow(() -> {
                    log.warn("No live node takes calls; the call of {} waits in the intake", function.functionName());
                    return new RequeueException("no live node");
                });
    }

    /** A synchronous call nobody waits for any more is not run; its record says so. */
    private void expired(UUID id, FunctionVersionView function, byte[] event, Instant acceptedAt, UUID apiKeyId) {
        log.info("Invocation {} of {} reached the scheduler after its deadline; not run", id,
                function.functionName());
        records.publish(new InvocationRecords(
                List.of(new CreateInvocation(id, function.functionName(), function.version(), raw(event), acceptedAt,
                        InvocationMode.SYNC, apiKeyId)),
                List.of(), List.of(),
                List.of(InvocationCompleted.notRun(id, function.functionName(), function.version(),
                        InvocationStatus.TIMED_OUT, "DeadlineExceeded", "Not started: the caller's deadline passed"
                                + " before the call reached a node.", 1, InvocationMode.SYNC))));
    }

    static ProblemDetail deadlineProblem(UUID id, String functionName) {
        ProblemDetail problem = Problems.of(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.FUNCTION_TIMEOUT,
                "Invocation " + id + " of '" + functionName + "' was not started before its deadline; it was not"
                        + " run.");
        problem.setProperty("invocationId", id);
        problem.setProperty("functionName", functionName);
        return problem;
    }

    private void reply(String replyTo, String correlationId, String type, String contentType, byte[] body) {
        if (replyTo == null || replyTo.isBlank()) {
            return;
        }
        var properties = new MessageProperties();
        properties.setContentType(contentType);
        properties.setType(type);
        properties.setCorrelationId(correlationId);
        try {
            transientPublisher.publish("", replyTo, new Message(body, properties));
        } catch (RuntimeException e) {
            log.warn("Could not reply to {}: {}", replyTo, e.getMessage());
        }
    }

    private byte[] problemJson(ProblemDetail problem) {
        ObjectNode node = json.createObjectNode();
        node.put("type", String.valueOf(problem.getType()));
        node.put("title", problem.getTitle());
        node.put("status", problem.getStatus());
        node.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            problem.getProperties().forEach((key, value) -> node.set(key, json.valueToTree(value)));
        }
        return json.writeValueAsBytes(node);
    }

    /** The event's bytes as a node that is written as it is, never parsed (the gateway checked it). */
    private JsonNode raw(byte[] event) {
        return json.getNodeFactory().rawValueNode(new RawValue(new String(event, StandardCharsets.UTF_8)));
    }

    private static String callback(Map<String, Object> headers) {
        String url = text(headers.get(InvocationHeaders.CALLBACK_URL));
        return url == null || url.isBlank() ? null : CallbackUrls.checked(url);
    }

    private static String text(Object header) {
        return header == null ? null : header.toString();
    }

    private static Instant instant(Object header) {
        Long millis = InvocationHeaders.epochMillis(header);
        return millis == null ? Instant.now() : Instant.ofEpochMilli(millis);
    }

    private static UUID uuid(Object header) {
        try {
            return header == null ? null : UUID.fromString(header.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(REQUEUE_PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
