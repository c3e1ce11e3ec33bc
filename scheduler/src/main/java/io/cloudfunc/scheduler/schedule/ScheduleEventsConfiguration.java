package io.cloudfunc.scheduler.schedule;

import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.InstanceQueue;
import org.springframework.amqp.core.Declarables;
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

    private final InstanceQueue queue = InstanceQueue.named("cloudfunc.scheduler.schedule-events.");

    @Bean
    Declarables scheduleEventsQueue() {
        return queue.declarables(Topology.SCHEDULE_CHANGED_ROUTING_KEY);
    }

    @Bean
    DirectMessageListenerContainer scheduleEventsListenerContainer(ConnectionFactory connectionFactory,
            ScheduleTicker ticker) {
        // events published while the connection was down are lost with the queue: look again after a reconnect
        return queue.listener(connectionFactory, message -> ticker.wake(), ticker::wake);
    }
}
