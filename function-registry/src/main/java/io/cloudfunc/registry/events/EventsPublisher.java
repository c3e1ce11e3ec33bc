package io.cloudfunc.registry.events;

import io.cloudfunc.contracts.messaging.ApiKeyRevoked;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.ScheduleChanged;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.trigger.TriggerChanged;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends {@link FunctionChanged}, {@link ApiKeyRevoked}, {@link ScheduleChanged} and {@link TriggerChanged} to
 * {@link Topology#EVENTS_EXCHANGE} once the deploy, delete, revocation, schedule or trigger change that raised it has
 * committed, so that no service hears of a change that could still be rolled back. A failed send is logged, not
 * reported to the caller: the change itself is stored (a gateway that misses a revocation still refuses the key once
 * its cache entry expires, {@code gateway.auth.cache-ttl}; a scheduler that misses a trigger's change picks it up at
 * its periodic check).
 * <p>
 * The send runs on a virtual thread of its own, never on the request's: with the broker unreachable it may wait for
 * the connect timeout, and the caller must not see a committed deploy fail (the gateway would answer 503). One
 * thread sends them all, so that consumers hear of the changes of a function in the order they were committed.
 */
@Component
class EventsPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventsPublisher.class);

    private final RabbitTemplate rabbit;
    private final ExecutorService sender =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("events-publisher").factory());

    EventsPublisher(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(FunctionChanged event) {
        publish(Topology.FUNCTION_CHANGED_ROUTING_KEY, Topology.TYPE_FUNCTION_CHANGED, event);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(ApiKeyRevoked event) {
        publish(Topology.API_KEY_REVOKED_ROUTING_KEY, Topology.TYPE_API_KEY_REVOKED, event);
    }

    /** A schedule created, paused, resumed or deleted: the schedulers claim due ticks again. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(ScheduleChanged event) {
        publish(Topology.SCHEDULE_CHANGED_ROUTING_KEY, Topology.TYPE_SCHEDULE_CHANGED, event);
    }

    /** A queue trigger created or deleted: the schedulers start or stop its consumers at once. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(TriggerChanged event) {
        publish(TriggerChanged.ROUTING_KEY, TriggerChanged.TYPE, event);
    }

    private void publish(String routingKey, String type, Object event) {
        try {
            sender.execute(() -> send(routingKey, type, event));
        } catch (RejectedExecutionException e) {
            log.error("Could not publish {}: the registry is shutting down", event);
        }
    }

    private void send(String routingKey, String type, Object event) {
        try {
            rabbit.convertAndSend(Topology.EVENTS_EXCHANGE, routingKey, event, message -> {
                message.getMessageProperties().setType(type);
                message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.PERSISTENT);
                return message;
            });
            log.debug("Published {}", event);
        } catch (RuntimeException e) {
            log.error("Could not publish {}: {}", event, e.getMessage());
        }
    }

    /** Lets the events already committed go out (bounded), before the connection factory closes. */
    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
            log.warn("Events still unsent at shutdown were dropped");
            sender.shutdownNow();
        }
    }
}
