package io.cloudfunc.gateway.messaging;

import io.cloudfunc.support.messaging.InvocationTopology;
import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the platform's exchanges and queues (the same {@link InvocationTopology} as every service), so that the
 * gateway's first invocation is routable even when it starts before the schedulers.
 */
@Configuration(proxyBeanMethods = false)
class TopologyConfiguration {

    @Bean
    Declarables invocationTopology() {
        return InvocationTopology.declarables();
    }
}
