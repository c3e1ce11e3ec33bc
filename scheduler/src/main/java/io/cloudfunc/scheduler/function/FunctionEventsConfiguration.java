package io.cloudfunc.scheduler.function;

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
import tools.jackson.databind.json.JsonMapper;

/**
 * This instance's own exclusive, auto-delete queue bound to {@link Topology#EVENTS_EXCHANGE} with
 * {@link Topology#FUNCTION_CHANGED_ROUTING_KEY}, and the consumer that invalidates the function cache.
 */
@Configuration(proxyBeanMethods = false)
class FunctionEventsConfiguration {

    private final String queueName = "cloudfunc.scheduler.events." + UUID.randomUUID();

    @Bean
    Declarables functionEventsQueue() {
        // durable=false, exclusive, auto-delete: the queue lives exactly as long as this instance's connection.
        Queue queue = new Queue(queueName, false, true, true);
        Binding binding = new Binding(queueName, Binding.DestinationType.QUEUE, Topology.EVENTS_EXCHANGE,
                Topology.FUNCTION_CHANGED_ROUTING_KEY, null);
        return new Declarables(queue, binding);
    }

    @Bean
    DirectMessageListenerContainer functionEventsListenerContainer(ConnectionFactory connectionFactory,
            FunctionResolver functions, JsonMapper json) {
        // An exclusive queue dies with its connection, and events published meanwhile are lost: after every
        // (re)connect start from an empty cache.
        connectionFactory.addConnectionListener(connection -> functions.invalidateAll());
        var container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(queueName);
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        container.setMessageListener(new FunctionChangedListener(functions, json));
        return container;
    }
}
