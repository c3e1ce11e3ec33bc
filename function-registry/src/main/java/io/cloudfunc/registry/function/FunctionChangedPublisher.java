package io.cloudfunc.registry.function;

import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends {@link FunctionChanged} to {@link Topology#EVENTS_EXCHANGE} once the deploy or delete that raised it has
 * committed, so that no service hears of a version that could still be rolled back. A failed send is logged, not
 * reported to the caller: the change itself is stored.
 */
@Component
class FunctionChangedPublisher {

    private static final Logger log = LoggerFactory.getLogger(FunctionChangedPublisher.class);

    private final RabbitTemplate rabbit;

    FunctionChangedPublisher(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(FunctionChanged event) {
        try {
            rabbit.convertAndSend(Topology.EVENTS_EXCHANGE, Topology.FUNCTION_CHANGED_ROUTING_KEY, event, message -> {
                message.getMessageProperties().setType(Topology.TYPE_FUNCTION_CHANGED);
                message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.PERSISTENT);
                return message;
            });
            log.debug("Published {}", event);
        } catch (AmqpException e) {
            log.error("Could not publish {}: {}", event, e.getMessage());
        }
    }
}
