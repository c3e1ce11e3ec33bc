package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.messaging.ApiKeyRevoked;
import io.cloudfunc.contracts.messaging.Topology;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * This gateway's own exclusive, auto-delete queue bound to {@link Topology#EVENTS_EXCHANGE} with
 * {@link Topology#API_KEY_REVOKED_ROUTING_KEY}: a key revoked through any gateway is evicted from every gateway's
 * key cache at once (docs/messaging.md, {@code ApiKeyRevoked}), not only when its entry expires.
 */
@Configuration(proxyBeanMethods = false)
class KeyEventsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KeyEventsConfiguration.class);

    private final String queueName = "cloudfunc.gateway.events." + UUID.randomUUID();

    @Bean
    Declarables keyEventsQueue() {
        // durable=false, exclusive, auto-delete: the queue lives exactly as long as this instance's connection
        Queue queue = new Queue(queueName, false, true, true);
        Binding binding = new Binding(queueName, Binding.DestinationType.QUEUE, Topology.EVENTS_EXCHANGE,
                Topology.API_KEY_REVOKED_ROUTING_KEY, null);
        return new Declarables(queue, binding);
    }

    @Bean
    DirectMessageListenerContainer keyEventsListenerContainer(ConnectionFactory connectionFactory,
                                                              KeyVerifier verifier, JsonMapper json) {
        // the queue dies with its connection and revocations published meanwhile are lost: after every
        // (re)connect, start from an empty key cache
        connectionFactory.addConnectionListener(connection -> verifier.evictAll());
        var container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(queueName);
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        container.setMessageListener((MessageListener) message -> {
            try {
                ApiKeyRevoked revoked = json.readValue(message.getBody(), ApiKeyRevoked.class);
                if (revoked != null && revoked.keyId() != null) {
                    verifier.evict(revoked.keyId());
                }
            } catch (JacksonException e) {
                log.warn("Ignored an API key event that is not an ApiKeyRevoked: {}", e.getOriginalMessage());
            }
        });
        return container;
    }
}
