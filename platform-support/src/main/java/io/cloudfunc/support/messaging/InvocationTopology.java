package io.cloudfunc.support.messaging;

import io.cloudfunc.contracts.messaging.Topology;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * The platform's shared RabbitMQ exchanges and queues (docs/messaging.md), declared by every service that uses them
 * so that any of them can start first. RabbitMQ refuses a redeclaration with other arguments, which is why they are
 * built in this one place: {@code cloudfunc.invoke} carries exactly one argument, {@code x-dead-letter-exchange}.
 */
public final class InvocationTopology {

    private InvocationTopology() {
    }

    /**
     * The durable direct exchange {@code cloudfunc.invocations} and the queue {@code cloudfunc.invoke} bound to it
     * with {@code invoke}, dead-lettering to the fanout exchange {@code cloudfunc.invocations.dlx} and its queue
     * {@code cloudfunc.invoke.dead}, the durable queue {@code cloudfunc.callbacks} bound with {@code callback}, the
     * durable queue {@code cloudfunc.records} (addressed through the default exchange), plus
     * the {@linkplain #eventsExchange() events exchange}.
     */
    public static Declarables declarables() {
        DirectExchange invocations = new DirectExchange(Topology.INVOCATIONS_EXCHANGE, true, false);
        Queue invoke = QueueBuilder.durable(Topology.INVOKE_QUEUE)
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .build();
        FanoutExchange deadLetters = new FanoutExchange(Topology.DEAD_LETTER_EXCHANGE, true, false);
        Queue dead = QueueBuilder.durable(Topology.DEAD_LETTER_QUEUE).build();
        Queue callbacks = QueueBuilder.durable(Topology.CALLBACK_QUEUE).build();
        return new Declarables(recordsQueue(),
                invocations, invoke, BindingBuilder.bind(invoke).to(invocations).with(Topology.INVOKE_ROUTING_KEY),
                deadLetters, dead, BindingBuilder.bind(dead).to(deadLetters),
                callbacks, BindingBuilder.bind(callbacks).to(invocations).with(Topology.CALLBACK_ROUTING_KEY),
                eventsExchange());
    }

    /**
     * The durable queue {@code cloudfunc.records} of {@code InvocationRecords}, consumed by the function-registry and
     * addressed through the default exchange.
     */
    public static Queue recordsQueue() {
        return QueueBuilder.durable(Topology.RECORDS_QUEUE).build();
    }

    /**
     * The durable queue {@code cloudfunc.node-samples} of {@code NodeSample}s, published by every container-manager
     * and consumed by the function-registry, addressed through the default exchange.
     */
    public static Queue nodeSamplesQueue() {
        return QueueBuilder.durable(Topology.NODE_SAMPLES_QUEUE).build();
    }

    /**
     * The durable queue of one container-manager node, {@code cloudfunc.node.<nodeId>}, bound to
     * {@code cloudfunc.invocations} with {@code node.<nodeId>} and dead-lettering like the intake. Declared by the
     * node itself and by the schedulers that place calls on it.
     */
    public static Declarables nodeQueue(String nodeId) {
        Queue queue = QueueBuilder.durable(Topology.nodeQueue(nodeId))
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE)
                .build();
        return new Declarables(queue, BindingBuilder.bind(queue)
                .to(new DirectExchange(Topology.INVOCATIONS_EXCHANGE, true, false))
                .with(Topology.nodeRoutingKey(nodeId)));
    }

    /**
     * The retry delay queue for {@code delayMs}: durable, every message waits {@code delayMs} ({@code x-message-ttl})
     * and is then dead-lettered to {@code cloudfunc.invocations} with routing key {@code invoke}, i.e. runs again. One
     * queue per delay keeps expiry in arrival order (a per-message TTL only expires messages at the head of a queue).
     * An unused queue deletes itself ({@code x-expires}) well after its last message has left: publishing declares it
     * again first, which resets that clock.
     */
    public static Queue retryQueue(long delayMs) {
        if (delayMs <= 0) {
            throw new IllegalArgumentException("a retry delay queue needs a positive delay, got " + delayMs);
        }
        return QueueBuilder.durable(Topology.RETRY_QUEUE_PREFIX + delayMs)
                .ttl((int) Math.min(Integer.MAX_VALUE, delayMs))
                .deadLetterExchange(Topology.INVOCATIONS_EXCHANGE)
                .deadLetterRoutingKey(Topology.INVOKE_ROUTING_KEY)
                .expires((int) Math.min(Integer.MAX_VALUE, 2 * delayMs + 600_000))
                .build();
    }

    /** The durable topic exchange {@code cloudfunc.events} of function lifecycle events. */
    public static TopicExchange eventsExchange() {
        return new TopicExchange(Topology.EVENTS_EXCHANGE, true, false);
    }
}
