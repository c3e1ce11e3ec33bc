package io.cloudfunc.scheduler.messaging;

import io.cloudfunc.support.messaging.InvocationTopology;
import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the platform's exchanges and queues, from the same {@link InvocationTopology} as the container-manager:
 * RabbitMQ refuses a redeclaration with different arguments.
 */
@Configuration(proxyBeanMethods = false)
class TopologyConfiguration {

    @Bean
    Declarables invocationTopology() {
        return InvocationTopology.declarables();
    }
}
