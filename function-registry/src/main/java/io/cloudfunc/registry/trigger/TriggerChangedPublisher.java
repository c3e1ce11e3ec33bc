package io.cloudfunc.registry.trigger;

import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.trigger.TriggerChanged;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends {@link TriggerChanged} to {@code cloudfunc.events} once the change committed, off the request's thread (as
 * {@code FunctionChangedPublisher} does). A lost event only delays a scheduler until its periodic check.
 */
@Component
class TriggerChangedPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TriggerChangedPublisher.class);

    private final RabbitTemplate rabbit;
    private final ExecutorService sender =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("trigger-changed-publisher").factory());

    TriggerChangedPublisher(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(TriggerChanged event) {
        try {
            sender.execute(() -> send(event));
        } catch (RejectedExecutionException e) {
            log.warn("Could not publish {}: the registry is shutting down", event);
        }
    }

    private void send(TriggerChanged event) {
        try {
            rabbit.convertAndSend(Topology.EVENTS_EXCHANGE, TriggerChanged.ROUTING_KEY, event, message -> {
                message.getMessageProperties().setType(TriggerChanged.TYPE);
                return message;
            });
        } catch (RuntimeException e) {
            log.warn("Could not publish {}: {}", event, e.getMessage());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
            sender.shutdownNow();
        }
    }
}
