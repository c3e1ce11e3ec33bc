package io.cloudfunc.registry.function;

import io.cloudfunc.support.messaging.InvocationTopology;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** RabbitMQ pieces the registry needs to announce function changes. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    /** Declared by the registry too (same arguments as its consumers), so events are routable from the start. */
    @Bean
    TopicExchange eventsExchange() {
        return InvocationTopology.eventsExchange();
    }

    /** Message bodies are JSON written with the application's mapper (ISO-8601 instants, no type info). */
    @Bean
    MessageConverter jsonMessageConverter(JsonMapper jsonMapper) {
        return new JacksonJsonMessageConverter(jsonMapper);
    }
}
