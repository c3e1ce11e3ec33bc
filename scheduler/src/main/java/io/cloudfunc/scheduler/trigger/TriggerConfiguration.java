package io.cloudfunc.scheduler.trigger;

import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.trigger.TriggerChanged;
import io.cloudfunc.scheduler.function.FunctionResolver;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.InstanceQueue;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * This instance's two queues for triggers, both exclusive and auto-delete: the outcomes of the invocations it made
 * from messages ({@code reply_to} of each), and the events that say a trigger (or a function) changed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TriggerProperties.class)
@ConditionalOnProperty(name = "scheduler.triggers.enabled", havingValue = "true", matchIfMissing = true)
class TriggerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TriggerConfiguration.class);

    private final String id = UUID.randomUUID().toString();
    private final InstanceQueue outcomes = new InstanceQueue("cloudfunc.scheduler.trigger-outcomes." + id);
    private final InstanceQueue events = new InstanceQueue("cloudfunc.scheduler.trigger-events." + id);

    @Bean
    Declarables triggerOutcomesQueue() {
        return outcomes.declarables();
    }

    @Bean
    Declarables triggerEventsQueue() {
        return events.declarables(TriggerChanged.ROUTING_KEY, Topology.FUNCTION_CHANGED_ROUTING_KEY);
    }

    @Bean
    TriggerManager triggerManager(RegistryClient registry, FunctionResolver functions, ConfirmedPublisher publisher,
            ConnectionFactory connectionFactory, JsonMapper json, TriggerProperties properties,
            TriggerMetrics metrics, @org.springframework.beans.factory.annotation.Value("${server.port:9000}") int port) {
        return new TriggerManager(registry, functions, publisher, connectionFactory, json, properties, metrics,
                outcomes.name(), port);
    }

    @Bean
    DirectMessageListenerContainer triggerOutcomesContainer(ConnectionFactory connectionFactory,
            TriggerManager manager, JsonMapper json) {
        return outcomes.listener(connectionFactory, message -> {
            if (!Topology.TYPE_INVOCATION_COMPLETED.equals(message.getMessageProperties().getType())) {
                return;
            }
            try {
                manager.outcome(json.readValue(message.getBody(), InvocationCompleted.class));
            } catch (RuntimeException e) {
                log.warn("Unreadable invocation outcome for a trigger: {}", e.toString());
            }
        });
    }

    @Bean
    DirectMessageListenerContainer triggerEventsContainer(ConnectionFactory connectionFactory,
            TriggerManager manager) {
        return events.listener(connectionFactory, message -> manager.changed(), manager::changed);
    }
}
