package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.support.messaging.TransientPublisher;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The consumers of the intake queue (each on a virtual thread with its own channel and prefetch, acking its own
 * messages, on the connection of the {@link TransientPublisher}); the nodes' queues are declared when a node is first
 * heard (io.cloudfunc.scheduler.nodes).
 */
@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

    @Bean
    SimpleMessageListenerContainer intakeListenerContainer(TransientPublisher transientPublisher,
                                                           IntakeListener listener, SchedulerProperties properties) {
        SchedulerProperties.Intake intake = properties.intake();
        // on the connection without confirms: a synchronous call's forward goes out on the consumer's own channel,
        // ahead of the ack of its request
        var container = new SimpleMessageListenerContainer(transientPublisher.connectionFactory());
        container.setQueueNames(Topology.INVOKE_QUEUE);
        container.setMessageListener(listener);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(intake.concurrency());
        container.setPrefetchCount(intake.prefetch());
        container.setDefaultRequeueRejected(true);
        container.setMissingQueuesFatal(false);
        var executor = new SimpleAsyncTaskExecutor("intake-");
        executor.setVirtualThreads(true);
        container.setTaskExecutor(executor);
        return container;
    }
}
