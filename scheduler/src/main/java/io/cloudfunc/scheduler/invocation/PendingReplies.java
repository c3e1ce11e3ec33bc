package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.support.problem.Problems;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Callers waiting for a reply, by correlation id (the invocation id), and the listener of this instance's reply
 * queue that completes them. A reply nobody waits for any more (the caller gave up) is dropped: the
 * container-manager has recorded the outcome in the registry already.
 */
class PendingReplies implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(PendingReplies.class);

    private final ConcurrentMap<String, CompletableFuture<InvocationCompleted>> waiting = new ConcurrentHashMap<>();
    private final String replyQueue;
    private final JsonMapper json;

    PendingReplies(String replyQueue, JsonMapper json) {
        this.replyQueue = replyQueue;
        this.json = json;
    }

    /** The queue replies are addressed to (through the default exchange). */
    String replyQueue() {
        return replyQueue;
    }

    /** Registered before publishing, so that even the fastest reply finds its caller. */
    CompletableFuture<InvocationCompleted> expect(String correlationId) {
        var reply = new CompletableFuture<InvocationCompleted>();
        waiting.put(correlationId, reply);
        return reply;
    }

    void forget(String correlationId, CompletableFuture<InvocationCompleted> reply) {
        waiting.remove(correlationId, reply);
    }

    int size() {
        return waiting.size();
    }

    @Override
    public void onMessage(Message message) {
        String correlationId = message.getMessageProperties().getCorrelationId();
        CompletableFuture<InvocationCompleted> reply = correlationId == null ? null : waiting.remove(correlationId);
        if (reply == null) {
            log.debug("Dropping reply {}: nobody is waiting for it", correlationId);
            return;
        }
        try {
            reply.complete(json.readValue(message.getBody(), InvocationCompleted.class));
        } catch (JacksonException e) {
            log.warn("Unreadable reply for invocation {}: {}", correlationId, e.getOriginalMessage());
            reply.completeExceptionally(Problems.platformError("container-manager",
                    "The container-manager's reply for invocation " + correlationId + " could not be read."));
        }
    }
}
