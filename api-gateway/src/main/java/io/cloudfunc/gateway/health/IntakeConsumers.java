package io.cloudfunc.gateway.health;

import io.cloudfunc.contracts.messaging.Topology;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when at least one scheduler consumes the intake queue ({@value Topology#INVOKE_QUEUE}): RabbitMQ's consumer
 * count, read with a passive declare. A queue that does not exist (no scheduler ever declared it) is DOWN.
 */
final class IntakeConsumers implements HealthIndicator {

    private final RabbitTemplate rabbit;

    IntakeConsumers(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    @Override
    public Health health() {
        Integer consumers;
        try {
            consumers = rabbit.execute(channel -> (int) channel.consumerCount(Topology.INVOKE_QUEUE));
        } catch (AmqpException e) {
            return Health.down().withDetail("error", "the intake queue cannot be read").build();
        }
        int count = consumers == null ? 0 : consumers;
        return (count > 0 ? Health.up() : Health.down()).withDetail("consumers", count).build();
    }
}
