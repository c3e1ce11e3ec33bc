package io.cloudfunc.scheduler.callback;

import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.scheduler.SchedulerProperties;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/** The consumers of {@code cloudfunc.callbacks} (declared with the shared topology). */
@Configuration(proxyBeanMethods = false)
class CallbackConfiguration {

    /**
     * One consumer with manual acknowledgements: {@link CallbackDelivery} hands each message to a virtual thread of
     * its own and acks it when its delivery has ended (tries included), so up to {@code in-flight} callbacks (the
     * prefetch) are delivered at once and a slow receiver holds up only its own. Unacked deliveries go back to the
     * queue when the scheduler stops or dies (at-least-once).
     */
    @Bean
    SimpleMessageListenerContainer callbackListenerContainer(ConnectionFactory connectionFactory,
            CallbackDelivery delivery, SchedulerProperties properties) {
        var container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.CALLBACK_QUEUE);
        container.setMessageListener(delivery);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(1);
        container.setPrefetchCount(properties.callbacks().inFlight());
        container.setDefaultRequeueRejected(false);
        container.setMissingQueuesFatal(false);
        var executor = new SimpleAsyncTaskExecutor("callback-");
        executor.setVirtualThreads(true);
        container.setTaskExecutor(executor);
        return container;
    }
}
