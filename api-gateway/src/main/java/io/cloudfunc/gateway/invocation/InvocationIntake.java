package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.invocation.InvocationIds;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.gateway.GatewayProperties;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.PublishFailedException;
import io.cloudfunc.support.messaging.TransientPublisher;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Hands invocations to the schedulers over RabbitMQ: an {@code InvocationRequest} to the intake queue
 * ({@code cloudfunc.invocations} / {@code invoke}) whose body is the event exactly as the caller sent it, with this
 * gateway's reply queue as {@code reply_to} and the invocation id as correlation id, and waits for the reply: the
 * outcome (from the container-manager), the acceptance of an asynchronous call, or a problem detail (from the
 * scheduler). A synchronous request is transient, unconfirmed ({@link TransientPublisher}) and carries its start
 * deadline; an asynchronous one is persistent and confirmed, and its acceptance comes only once the scheduler has
 * had its forward and its QUEUED record confirmed.
 */
@Component
class InvocationIntake {

    static final String BROKER = "rabbitmq";
    private static final Logger log = LoggerFactory.getLogger(InvocationIntake.class);

    private final ConfirmedPublisher publisher;
    private final TransientPublisher transientPublisher;
    private final PendingReplies replies;
    private final Duration startTimeout;
    private final Duration invokeTimeout;
    private final Duration acceptTimeout;

    InvocationIntake(RabbitTemplate rabbit, TransientPublisher transientPublisher, PendingReplies replies,
                     GatewayProperties properties) {
        this.publisher = new ConfirmedPublisher(rabbit, properties.acceptTimeout());
        this.transientPublisher = transientPublisher;
        this.replies = replies;
        this.startTimeout = properties.startTimeout();
        this.invokeTimeout = properties.invokeTimeout();
        this.acceptTimeout = properties.acceptTimeout();
    }

    /** A synchronous call: the reply message (an outcome or a problem). */
    Message call(String reference, byte[] event, UUID apiKeyId) {
        return call(InvocationIds.newId(), reference, event, apiKeyId, null);
    }

    /**
     * A synchronous call under the given invocation id (one an {@code Idempotency-Key} names), within the caller's
     * {@code timeoutMs} when not null (and always within the function's own).
     */
    Message call(UUID id, String reference, byte[] event, UUID apiKeyId, Long timeoutMs) {
        long now = System.currentTimeMillis();
        MessageProperties properties = properties(id, reference, InvocationMode.SYNC, now, apiKeyId, timeoutMs);
        properties.setHeader(InvocationHeaders.DEADLINE, now + startTimeout.toMillis());
        String correlationId = id.toString();
        CompletableFuture<Message> reply = replies.expect(correlationId);
        try {
            // transient and unconfirmed: the reply is the acknowledgement this caller waits for
            transientPublisher.publish(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY,
                    new Message(event, properties));
        } catch (AmqpException e) {
            replies.forget(correlationId, reply);
            log.warn("Publishing invocation {} failed: {}", id, e.getMessage());
            throw Problems.platformError(BROKER, "The invocation could not be published: RabbitMQ is unavailable.");
        }
        try {
            return await(reply, invokeTimeout, id, reference);
        } finally {
            replies.forget(correlationId, reply);
        }
    }

    /** An asynchronous call: the scheduler's acceptance (or a problem) once the call is durable. */
    Message accept(String reference, byte[] event, UUID apiKeyId, String callbackUrl) {
        return accept(InvocationIds.newId(), reference, event, apiKeyId, callbackUrl, null);
    }

    /** An asynchronous call under the given invocation id (one an {@code Idempotency-Key} names). */
    Message accept(UUID id, String reference, byte[] event, UUID apiKeyId, String callbackUrl, Long timeoutMs) {
        MessageProperties properties = properties(id, reference, InvocationMode.ASYNC, System.currentTimeMillis(),
                apiKeyId, timeoutMs);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        if (callbackUrl != null) {
            properties.setHeader(InvocationHeaders.CALLBACK_URL, callbackUrl);
        }
        return accepted(id, reference, event, properties);
    }

    private MessageProperties properties(UUID id, String reference, InvocationMode mode, long acceptedAt,
                                         UUID apiKeyId, Long timeoutMs) {
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(Topology.TYPE_INVOCATION_REQUEST);
        properties.setMessageId(id.toString());
        properties.setCorrelationId(id.toString());
        properties.setReplyTo(replies.replyQueue());
        properties.setHeader(InvocationHeaders.FUNCTION, reference);
        properties.setHeader(InvocationHeaders.MODE, mode.name());
        properties.setHeader(InvocationHeaders.ACCEPTED_AT, acceptedAt);
        if (apiKeyId != null) {
            properties.setHeader(InvocationHeaders.API_KEY_ID, apiKeyId.toString());
        }
        if (timeoutMs != null) {
            properties.setHeader(InvocationHeaders.TIMEOUT_MS, timeoutMs);
        }
        return properties;
    }

    private Message accepted(UUID id, String reference, byte[] event, MessageProperties properties) {
        String correlationId = id.toString();
        CompletableFuture<Message> reply = replies.expect(correlationId);
        try {
            // The confirm is not awaited before the reply (the scheduler's acceptance comes after its own confirmed
            // forward and record, so it implies this one); a refusal fails the call.
            publisher.publish(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY,
                    new Message(event, properties)).whenComplete((confirmed, failure) -> {
                        if (failure != null) {
                            log.warn("Publishing invocation {} failed: {}", id, failure.getMessage());
                            reply.completeExceptionally(Problems.platformError(BROKER, notTaken(failure)));
                        }
                    });
            return await(reply, acceptTimeout, id, reference);
        } finally {
            replies.forget(correlationId, reply);
        }
    }

    /** What the caller is told, without the client's own words. */
    private static String notTaken(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
        if (!(cause instanceof PublishFailedException failed)) {
            return "RabbitMQ did not take the invocation.";
        }
        return switch (failed.reason()) {
            case BROKER_UNREACHABLE, INTERRUPTED -> "The invocation could not be published: RabbitMQ is unavailable.";
            case NACKED -> "RabbitMQ refused the invocation.";
            case RETURNED -> "RabbitMQ could not route the invocation to the schedulers' queue.";
            case TIMED_OUT -> "RabbitMQ did not confirm the invocation in time.";
        };
    }

    private static Message await(CompletableFuture<Message> reply, Duration wait, UUID id, String reference) {
        try {
            return reply.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ProblemDetail problem = Problems.of(HttpStatus.GATEWAY_TIMEOUT, ProblemTypes.OUTCOME_UNKNOWN,
                    "No answer for invocation " + id + " of '" + reference + "' within " + wait.toMillis()
                            + " ms. It may still run: its record will show the outcome.");
            problem.setProperty("invocationId", id);
            throw new ProblemException(problem);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProblemException problem) {
                throw problem;
            }
            throw Problems.platformError(BROKER, "Waiting for the reply failed.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Problems.platformError("api-gateway", "Interrupted while waiting for the reply.");
        }
    }
}
