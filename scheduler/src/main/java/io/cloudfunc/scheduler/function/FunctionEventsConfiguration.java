package io.cloudfunc.scheduler.function;

import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.InstanceQueue;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * This instance's own exclusive, auto-delete queue bound to {@link Topology#EVENTS_EXCHANGE} with
 * {@link Topology#FUNCTION_CHANGED_ROUTING_KEY}, and the consumer that invalidates the function cache.
 */
@Configuration(proxyBeanMethods = false)
class FunctionEventsConfiguration {

    private final InstanceQueue queue = InstanceQueue.named("cloudfunc.scheduler.events.");

    @Bean
    Declarables functionEventsQueue() {
        return queue.declarables(Topology.FUNCTION_CHANGED_ROUTING_KEY);
    }

    @Bean
    DirectMessageListenerContainer functionEventsListenerContainer(ConnectionFactory connectionFactory,
            FunctionResolver functions, JsonMapper json) {
        // events published while the connection was down are lost: after every (re)connect start from an empty cache
        return queue.listener(connectionFactory, new FunctionChangedListener(functions, json),
                functions::invalidateAll);
    }
}
