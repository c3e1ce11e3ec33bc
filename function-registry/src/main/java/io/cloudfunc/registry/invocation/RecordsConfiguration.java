package io.cloudfunc.registry.invocation;

import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.contracts.messaging.Topology;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The consumer of {@code cloudfunc.records}: the registry is the only writer of invocation records. */
@Configuration(proxyBeanMethods = false)
class RecordsConfiguration {

    /**
     * {@code consumers} consumers with manual acks, each taking up to {@code prefetch} messages at once: whatever is
     * waiting (up to the prefetch) is applied in one transaction, without waiting for more than is there.
     */
    @Bean
    SimpleMessageListenerContainer recordsListenerContainer(ConnectionFactory connectionFactory,
                                                            RecordsListener listener,
                                                            RegistryProperties properties) {
        RegistryProperties.Invocations settings = properties.invocations();
        var container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(Topology.RECORDS_QUEUE); // declared by every service (MessagingTopology)
        container.setMessageListener(listener);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setConcurrentConsumers(settings.consumers());
        container.setPrefetchCount(settings.prefetch());
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(settings.prefetch());
        // Only what has arrived: the container waits up to the receive timeout for each further message of a batch
        // (1 s by default) and checks the batch timeout only between them, so both are short. An idle consumer so
        // wakes 50 times a second, which costs nothing noticeable.
        container.setReceiveTimeout(20);
        container.setBatchReceiveTimeout(2);
        container.setMissingQueuesFatal(false);
        return container;
    }
}
