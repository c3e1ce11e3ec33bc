package io.cloudfunc.scheduler.schedule;

import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.schedule.ScheduleTick;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import java.time.Instant;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes a claimed tick as an outside producer would: an asynchronous {@link InvokeFunction} (the function's
 * retries and dead letters apply) to the intake, persistent and confirmed. Its event is the envelope
 * {@code {"schedule": name, "tick": instant, "data": the schedule's data}} (docs/api.md, Schedules).
 */
@Component
class TickPublisher {

    private final ConfirmedPublisher publisher;
    private final JsonMapper json;

    TickPublisher(ConfirmedPublisher publisher, JsonMapper json) {
        this.publisher = publisher;
        this.json = json;
    }

    /**
     * @throws io.cloudfunc.support.messaging.PublishFailedException the broker did not take it, or did not say so
     */
    void publish(ScheduleTick tick) {
        InvokeFunction command = new InvokeFunction(tick.invocationId(), tick.functionName(), tick.version(),
                event(tick), Instant.now(), tick.codeSha256(), InvocationMode.ASYNC, 1, null, null);
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(Topology.TYPE_INVOKE_FUNCTION);
        properties.setCorrelationId(tick.invocationId().toString());
        properties.setMessageId(tick.invocationId().toString());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        publisher.publishAndWait(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY,
                new Message(json.writeValueAsBytes(command), properties));
    }

    JsonNode event(ScheduleTick tick) {
        ObjectNode event = json.createObjectNode();
        event.put("schedule", tick.schedule());
        event.put("tick", tick.tick().toString());
        event.set("data", tick.data() == null ? json.createObjectNode() : tick.data());
        return event;
    }
}
