package io.cloudfunc.scheduler.messaging;

import io.cloudfunc.contracts.messaging.Topology;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the platform's exchanges and queues. RabbitMQ refuses a redeclaration with different arguments, so the
 * arguments here must stay identical to the container-manager's: {@code cloudfunc.invoke} carries exactly one
 * argument, {@code x-dead-letter-exchange}.
 */
@Configuration(proxyBeanMethods = false)
class TopologyConfiguration {

    @Bean
    Declarables invocationTopology() {
        DirectExchange invocations = new DirectExchange(Topology.INVOCATIONS_EXCHANGE, true, false);
        Queue invoke = QueueBuilder.durable(Topology.INVOKE_QUEUE)
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .build();
        FanoutExchange deadLetters = new FanoutExchange(Topology.DEAD_LETTER_EXCHANGE, true, false);
        Queue dead = QueueBuilder.durable(Topology.DEAD_LETTER_QUEUE).build();
        TopicExchange events = new TopicExchange(Topology.EVENTS_EXCHANGE, true, false);
        return new Declarables(
                invocations, invoke, BindingBuilder.bind(invoke).to(invocations).with(Topology.INVOKE_ROUTING_KEY),
                deadLetters, dead, BindingBuilder.bind(dead).to(deadLetters),
                events);
    }
}
