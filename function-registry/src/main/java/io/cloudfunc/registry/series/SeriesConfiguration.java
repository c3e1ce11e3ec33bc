package io.cloudfunc.registry.series;

import io.cloudfunc.contracts.messaging.Topology;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The consumer of {@code cloudfunc.node-samples}: one consumer, automatic acks, nothing handed back. */
@Configuration(proxyBeanMethods = false)
class SeriesConfiguration {

    @Bean
    SimpleMessageListenerContainer nodeSamplesListenerContainer(ConnectionFactory connectionFactory,
                                                                NodeSamplesListener listener) {
        var container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.NODE_SAMPLES_QUEUE); // declared by every service (MessagingTopology)
        container.setMessageListener(listener);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        // a sample the database could not take is dropped, not requeued in a loop (the next comes in a minute)
        container.setDefaultRequeueRejected(false);
        container.setMissingQueuesFatal(false);
        return container;
    }
}
