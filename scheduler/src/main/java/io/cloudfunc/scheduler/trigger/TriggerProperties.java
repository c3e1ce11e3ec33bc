package io.cloudfunc.scheduler.trigger;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code scheduler.triggers.*}: how this scheduler runs queue triggers.
 *
 * @param enabled         run triggers at all
 * @param mqttUrl         the MQTT server of triggers that name none
 * @param natsUrl         the NATS server of triggers that name none (RabbitMQ: the platform's own broker)
 * @param refresh         how often the definitions are read again even without a {@code TriggerChanged} event
 * @param report          how often the counts are sent to the registry
 * @param outcomeTimeout  how long a message's invocation may take (retries included) before its slot is freed
 *                        without a reply or dead letter
 * @param reconnect       pause before a trigger whose broker failed is started again
 * @param natsAckWait     how long JetStream waits for an ack before it delivers a message again
 */
@Validated
@ConfigurationProperties("scheduler.triggers")
public record TriggerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("tcp://127.0.0.1:1883") @NotNull URI mqttUrl,
        @DefaultValue("nats://127.0.0.1:4222") @NotNull URI natsUrl,
        @DefaultValue("30s") @NotNull Duration refresh,
        @DefaultValue("5s") @NotNull Duration report,
        @DefaultValue("30m") @NotNull Duration outcomeTimeout,
        @DefaultValue("5s") @NotNull Duration reconnect,
        @DefaultValue("10s") @NotNull Duration natsAckWait) {
}
