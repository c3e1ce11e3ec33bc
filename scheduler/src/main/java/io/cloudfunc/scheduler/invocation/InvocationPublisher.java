package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import java.util.Date;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes {@link InvokeFunction} commands as documented in docs/messaging.md: persistent JSON, correlation id =
 * invocation id, {@code reply_to} = this instance's reply queue, type {@value Topology#TYPE_INVOKE_FUNCTION}.
 */
@Component
class InvocationPublisher {

    private final RabbitTemplate rabbit;
    private final JsonMapper json;
    private final String replyTo;

    InvocationPublisher(RabbitTemplate rabbit, JsonMapper json, PendingReplies pendingReplies) {
        this.rabbit = rabbit;
        this.json = json;
        this.replyTo = pendingReplies.replyQueue();
    }

    /**
     * Sends the command; the returned correlation data's future completes when the broker confirms (or rejects) it.
     *
     * @throws org.springframework.amqp.AmqpException when the broker cannot be reached
     */
    CorrelationData publish(InvokeFunction command) {
        return publish(command, replyTo);
    }

    /** Sends an asynchronous call: no {@code reply_to}, the outcome goes to the record (and the callback). */
    CorrelationData publishAsync(InvokeFunction command) {
        return publish(command, null);
    }

    private CorrelationData publish(InvokeFunction command, String replyTo) {
        String id = command.invocationId().toString();
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setCorrelationId(id);
        properties.setMessageId(id);
        if (replyTo != null) {
            properties.setReplyTo(replyTo);
        }
        properties.setType(Topology.TYPE_INVOKE_FUNCTION);
        properties.setTimestamp(Date.from(command.acceptedAt()));
        var confirm = new CorrelationData(id);
        rabbit.send(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY,
                new Message(json.writeValueAsBytes(command), properties), confirm);
        return confirm;
    }
}
