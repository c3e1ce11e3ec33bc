package io.cloudfunc.scheduler.schedule;

import io.cloudfunc.contracts.messaging.Topology;
import java.util.UUID;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This instance's own exclusive, auto-delete queue bound to {@link Topology#EVENTS_EXCHANGE} with
 * {@link Topology#SCHEDULE_CHANGED_ROUTING_KEY}: every {@code ScheduleChanged} wakes the ticker, which claims again and
 * learns the new earliest tick. The body is not read: any change means "look again".
 */
@Configuration(proxyBeanMethods = false)
class ScheduleEventsConfiguration {

    private final String queueName = "cloudfunc.scheduler.schedule-events." + UUID.randomUUID();

    @Bean
    Declarables scheduleEventsQueue() {
        Queue queue = new Queue(queueName, false, true, true);
        Binding binding = new Binding(queueName, Binding.DestinationType.QUEUE, Topology.EVENTS_EXCHANGE,
                Topology.SCHEDULE_CHANGED_ROUTING_KEY, null);
        return new Declarables(queue, binding);
    }

    @Bean
    DirectMessageListenerContainer scheduleEventsListenerContainer(ConnectionFactory connectionFactory,
            ScheduleTicker ticker) {
        // events published while the connection was down are lost with the queue: look again after a reconnect
        connectionFactory.addConnectionListener(connection -> ticker.wake());
        var container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(queueName);
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        container.setMessageListener(message -> ticker.wake());
        return container;
    }
}
