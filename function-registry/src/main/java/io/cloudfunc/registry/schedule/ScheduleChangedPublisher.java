package io.cloudfunc.registry.schedule;

import io.cloudfunc.contracts.messaging.ScheduleChanged;
import io.cloudfunc.contracts.messaging.Topology;
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
 * Sends {@link ScheduleChanged} to {@link Topology#EVENTS_EXCHANGE} once the change has committed, on a virtual thread
 * of its own (a broker that cannot be reached must not fail a committed change). Transient: a lost event only delays
 * a scheduler until the tick it already knew, or its longest sleep.
 */
@Component
class ScheduleChangedPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ScheduleChangedPublisher.class);

    private final RabbitTemplate rabbit;
    private final ExecutorService sender =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("schedule-changed-publisher").factory());

    ScheduleChangedPublisher(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void publish(ScheduleChanged event) {
        try {
            sender.execute(() -> send(event));
        } catch (RejectedExecutionException e) {
            log.debug("Not publishing {}: the registry is shutting down", event);
        }
    }

    private void send(ScheduleChanged event) {
        try {
            rabbit.convertAndSend(Topology.EVENTS_EXCHANGE, Topology.SCHEDULE_CHANGED_ROUTING_KEY, event, message -> {
                message.getMessageProperties().setType(Topology.TYPE_SCHEDULE_CHANGED);
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
