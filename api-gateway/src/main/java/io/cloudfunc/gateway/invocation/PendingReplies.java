package io.cloudfunc.gateway.invocation;

import io.cloudfunc.contracts.problem.ProblemTypes;
import io.cloudfunc.support.problem.ProblemException;
import io.cloudfunc.support.problem.Problems;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.http.HttpStatus;

/**
 * Callers waiting for a reply, by correlation id (the invocation id), and the listener of this instance's reply
 * queue that completes them. A reply is kept as the message it came as (an outcome, an acceptance or a problem
 * detail): the caller reads it once. A reply nobody waits for any more (the caller gave up) is dropped: the record
 * has the outcome. When the broker connection is lost, so is the reply queue with whatever it held: every waiting
 * caller then gets a 503 at once instead of waiting for a reply that cannot come.
 */
class PendingReplies implements MessageListener, ConnectionListener {

    private static final Logger log = LoggerFactory.getLogger(PendingReplies.class);

    private final ConcurrentMap<String, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();
    private final String replyQueue;

    PendingReplies(String replyQueue) {
        this.replyQueue = replyQueue;
    }

    /** The queue replies are addressed to (through the default exchange). */
    String replyQueue() {
        return replyQueue;
    }

    /** Registered before publishing, so that even the fastest reply finds its caller. */
    CompletableFuture<Message> expect(String correlationId) {
        var reply = new CompletableFuture<Message>();
        waiting.put(correlationId, reply);
        return reply;
    }

    void forget(String correlationId, CompletableFuture<Message> reply) {
        waiting.remove(correlationId, reply);
    }

    int size() {
        return waiting.size();
    }

    @Override
    public void onMessage(Message message) {
        String correlationId = message.getMessageProperties().getCorrelationId();
        CompletableFuture<Message> reply = correlationId == null ? null : waiting.remove(correlationId);
        if (reply == null) {
            log.debug("Dropping reply {}: nobody is waiting for it", correlationId);
            return;
        }
        reply.complete(message);
    }

    @Override
    public void onCreate(Connection connection) {
    }

    @Override
    public void onShutDown(com.rabbitmq.client.ShutdownSignalException signal) {
        if (waiting.isEmpty()) {
            return;
        }
        log.warn("RabbitMQ connection lost ({}); failing {} waiting calls", signal.getMessage(), waiting.size());
        waiting.forEach((id, reply) -> {
            if (waiting.remove(id, reply)) {
                reply.completeExceptionally(new ProblemException(Problems.of(HttpStatus.SERVICE_UNAVAILABLE,
                        ProblemTypes.OUTCOME_UNKNOWN, "The connection to RabbitMQ was lost while waiting for the"
                                + " result. The invocation may still run; its record will show it."))
                        .with("service", "rabbitmq").with("invocationId", id));
            }
        });
    }
}
