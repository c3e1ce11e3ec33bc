package io.cloudfunc.containers.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Invokes functions the way the scheduler does: an {@code InvokeFunction} message on the invocations exchange with a
 * reply-to queue of the test's own, whose replies it waits for.
 */
final class ItCalls {

    private final RabbitTemplate rabbit;
    private final JsonMapper json;
    private final String replyQueue;
    private final Map<UUID, InvocationCompleted> replies = new HashMap<>();
    private final Map<UUID, Instant> arrivals = new HashMap<>();

    ItCalls(RabbitTemplate rabbit, RabbitAdmin admin, JsonMapper json, String replyQueue) {
        this.rabbit = rabbit;
        this.json = json;
        this.replyQueue = replyQueue;
        admin.declareQueue(new Queue(replyQueue, false, false, false));
    }

    /** The queue the replies come to. */
    String replyQueue() {
        return replyQueue;
    }

    InvocationCompleted call(FunctionVersionView function, String event) throws Exception {
        UUID id = publish(function, event);
        return awaitReplies(List.of(id)).get(id);
    }

    UUID publish(FunctionVersionView function, String event) throws Exception {
        UUID id = UUID.randomUUID();
        InvokeFunction command = new InvokeFunction(id, function.functionName(), function.version(),
                json.readTree(event), Instant.now(), function.codeSha256());
        rabbit.convertAndSend(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, command, message -> {
            message.getMessageProperties().setReplyTo(replyQueue);
            message.getMessageProperties().setCorrelationId(id.toString());
            message.getMessageProperties().setType(Topology.TYPE_INVOKE_FUNCTION);
            return message;
        });
        return id;
    }

    /**
     * The replies to these calls, waiting up to 40 s for all of them; fails when one is missing. Replies to other
     * calls read meanwhile are kept for a later wait.
     */
    Map<UUID, InvocationCompleted> awaitReplies(List<UUID> ids) {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (!replies.keySet().containsAll(ids) && System.nanoTime() < deadline) {
            Message reply = rabbit.receive(replyQueue, 1_000);
            if (reply != null) {
                InvocationCompleted completed = json.readValue(reply.getBody(), InvocationCompleted.class);
                replies.put(completed.invocationId(), completed);
                arrivals.put(completed.invocationId(), Instant.now());
            }
        }
        assertThat(replies.keySet()).as("replies received").containsAll(ids);
        Map<UUID, InvocationCompleted> answered = new HashMap<>();
        ids.forEach(id -> answered.put(id, replies.get(id)));
        return answered;
    }

    /** When the reply to that call was read (null before). */
    Instant arrivalOf(UUID id) {
        return arrivals.get(id);
    }
}
