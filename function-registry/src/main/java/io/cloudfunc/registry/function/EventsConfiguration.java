package io.cloudfunc.registry.function;

import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** RabbitMQ pieces the registry needs to announce function changes. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    /** Message bodies are JSON written with the application's mapper (ISO-8601 instants, no type info). */
    @Bean
    MessageConverter jsonMessageConverter(JsonMapper jsonMapper) {
        return new JacksonJsonMessageConverter(jsonMapper);
    }
}
