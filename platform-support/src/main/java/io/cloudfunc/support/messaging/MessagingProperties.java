package io.cloudfunc.support.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * RabbitMQ settings every service shares ({@code cloudfunc.messaging.*}); all four services must be given the same.
 *
 * @param queueType {@code classic} (default, for a single broker) or {@code quorum} (a RabbitMQ cluster):
 *                  the type of every durable queue on which accepted work waits ({@code CLOUDFUNC_MESSAGING_QUEUE_TYPE})
 */
@ConfigurationProperties("cloudfunc.messaging")
public record MessagingProperties(@DefaultValue("classic") QueueType queueType) {
}
