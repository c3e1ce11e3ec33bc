package io.cloudfunc.support.messaging;

import org.springframework.amqp.core.Declarables;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * In every service that talks to RabbitMQ: the {@link InvocationTopology} of the configured
 * {@linkplain MessagingProperties#queueType() queue type}, and its shared exchanges and queues declared (by Boot's
 * {@code RabbitAdmin}, again after every reconnection), so that any service can start first.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.amqp.rabbit.core.RabbitAdmin")
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingTopology {

    @Bean
    InvocationTopology invocationTopology(MessagingProperties properties) {
        return new InvocationTopology(properties.queueType());
    }

    @Bean
    Declarables sharedInvocationTopology(InvocationTopology topology) {
        return topology.declarables();
    }
}
