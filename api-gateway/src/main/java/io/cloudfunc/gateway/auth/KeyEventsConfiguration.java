package io.cloudfunc.gateway.auth;

import io.cloudfunc.contracts.messaging.ApiKeyRevoked;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.InstanceQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Declarables;
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

    private final InstanceQueue queue = InstanceQueue.named("cloudfunc.gateway.events.");

    @Bean
    Declarables keyEventsQueue() {
        return queue.declarables(Topology.API_KEY_REVOKED_ROUTING_KEY);
    }

    @Bean
    DirectMessageListenerContainer keyEventsListenerContainer(ConnectionFactory connectionFactory,
                                                              KeyVerifier verifier, JsonMapper json) {
        // revocations published while the connection was down are lost: after every (re)connect, start from an
        // empty key cache
        return queue.listener(connectionFactory, message -> {
            try {
                ApiKeyRevoked revoked = json.readValue(message.getBody(), ApiKeyRevoked.class);
                if (revoked != null && revoked.keyId() != null) {
                    verifier.evict(revoked.keyId());
                }
            } catch (JacksonException e) {
                log.warn("Ignored an API key event that is not an ApiKeyRevoked: {}", e.getOriginalMessage());
            }
        }, verifier::evictAll);
    }
}
