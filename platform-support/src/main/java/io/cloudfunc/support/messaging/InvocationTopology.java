package io.cloudfunc.support.messaging;

import io.cloudfunc.contracts.messaging.Topology;
import java.util.Objects;
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
 * built in this one place, of the one {@link QueueType} every service is configured with
 * ({@code cloudfunc.messaging.queue-type}; a bean of every service, {@link MessagingTopology}).
 *
 * <p>Every queue on which accepted work waits (the intake, the node queues, the retry delay queues, records,
 * callbacks, node samples, dead letters) is durable and of that type. As quorum queues they also get:
 * <ul>
 * <li>{@code x-delivery-limit} {@value #QUORUM_DELIVERY_LIMIT}: RabbitMQ 4 drops (or dead-letters) a quorum queue's
 * message handed back more than 20 times by default, and the services hand messages back on purpose (a registry
 * whose database is down, every second; a scheduler whose forward failed). They stop unprocessable messages
 * themselves (rejected to the dead letters), so the broker's limit is set out of reach;</li>
 * <li>on the queues that dead-letter ({@code cloudfunc.invoke}, node and retry queues) {@code x-dead-letter-strategy}
 * {@code at-least-once} (with the {@code x-overflow} {@code reject-publish} it requires; no length limit is set, so
 * it never refuses a publish): a quorum queue's dead-lettering is at most once otherwise, and a retry delay queue's
 * expiry back to the intake is how a retried call runs again.</li>
 * </ul>
 * Classic queues are declared exactly as before quorum queues existed here, so a running installation keeps its
 * queues.
 */
public final class InvocationTopology {

    /** The redelivery limit of the quorum queues: out of reach, see the class comment. */
    static final int QUORUM_DELIVERY_LIMIT = 1_000_000;

    private final QueueType queueType;

    public InvocationTopology(QueueType queueType) {
        this.queueType = Objects.requireNonNull(queueType, "queueType");
    }

    public QueueType queueType() {
        return queueType;
    }

    /**
     * The durable direct exchange {@code cloudfunc.invocations} and the queue {@code cloudfunc.invoke} bound to it
     * with {@code invoke}, dead-lettering to the fanout exchange {@code cloudfunc.invocations.dlx} and its queue
     * {@code cloudfunc.invoke.dead}, the durable queue {@code cloudfunc.callbacks} bound with {@code callback}, the
     * durable queues {@code cloudfunc.records} and {@code cloudfunc.node-samples} (addressed through the default
     * exchange), plus the {@linkplain #eventsExchange() events exchange}.
     */
    public Declarables declarables() {
        DirectExchange invocations = invocationsExchange();
        Queue invoke = deadLettering(durable(Topology.INVOKE_QUEUE).deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE))
                .build();
        FanoutExchange deadLetters = new FanoutExchange(Topology.DEAD_LETTER_EXCHANGE, true, false);
        Queue dead = durable(Topology.DEAD_LETTER_QUEUE).build();
        Queue callbacks = durable(Topology.CALLBACK_QUEUE).build();
        return new Declarables(recordsQueue(), nodeSamplesQueue(),
                invocations, invoke, BindingBuilder.bind(invoke).to(invocations).with(Topology.INVOKE_ROUTING_KEY),
                deadLetters, dead, BindingBuilder.bind(dead).to(deadLetters),
                callbacks, BindingBuilder.bind(callbacks).to(invocations).with(Topology.CALLBACK_ROUTING_KEY),
                eventsExchange());
    }

    /**
     * The durable queue {@code cloudfunc.records} of {@code InvocationRecords}, consumed by the function-registry and
     * addressed through the default exchange.
     */
    public Queue recordsQueue() {
        return durable(Topology.RECORDS_QUEUE).build();
    }

    /**
     * The durable queue {@code cloudfunc.node-samples} of {@code NodeSample}s, published by every container-manager
     * and consumed by the function-registry, addressed through the default exchange.
     */
    public Queue nodeSamplesQueue() {
        return durable(Topology.NODE_SAMPLES_QUEUE).build();
    }

    /**
     * The durable queue of one container-manager node, {@code cloudfunc.node.<nodeId>}, bound to
     * {@code cloudfunc.invocations} with {@code node.<nodeId>} and dead-lettering like the intake. Declared by the
     * node itself and by the schedulers that place calls on it.
     */
    public Declarables nodeQueue(String nodeId) {
        Queue queue = deadLettering(durable(Topology.nodeQueue(nodeId))
                .deadLetterExchange(Topology.DEAD_LETTER_EXCHANGE))
                .build();
        return new Declarables(queue, BindingBuilder.bind(queue)
                .to(invocationsExchange())
                .with(Topology.nodeRoutingKey(nodeId)));
    }

    /**
     * The retry delay queue for {@code delayMs}: durable, every message waits {@code delayMs} ({@code x-message-ttl})
     * and is then dead-lettered to {@code cloudfunc.invocations} with routing key {@code invoke}, i.e. runs again. One
     * queue per delay keeps expiry in arrival order (a per-message TTL only expires messages at the head of a queue).
     * An unused queue deletes itself ({@code x-expires}) well after its last message has left: publishing declares it
     * again first, which resets that clock. Quorum queues support both arguments from RabbitMQ 3.10 on.
     */
    public Queue retryQueue(long delayMs) {
        if (delayMs <= 0) {
            throw new IllegalArgumentException("a retry delay queue needs a positive delay, got " + delayMs);
        }
        return deadLettering(durable(Topology.RETRY_QUEUE_PREFIX + delayMs)
                .ttl((int) Math.min(Integer.MAX_VALUE, delayMs))
                .deadLetterExchange(Topology.INVOCATIONS_EXCHANGE)
                .deadLetterRoutingKey(Topology.INVOKE_ROUTING_KEY)
                .expires((int) Math.min(Integer.MAX_VALUE, 2 * delayMs + 600_000)))
                .build();
    }

    /** The durable topic exchange {@code cloudfunc.events} of function lifecycle and API key events. */
    public static TopicExchange eventsExchange() {
        return new TopicExchange(Topology.EVENTS_EXCHANGE, true, false);
    }

    private static DirectExchange invocationsExchange() {
        return new DirectExchange(Topology.INVOCATIONS_EXCHANGE, true, false);
    }

    private QueueBuilder durable(String name) {
        QueueBuilder queue = QueueBuilder.durable(name);
        return switch (queueType) {
            case CLASSIC -> queue;
            case QUORUM -> queue.quorum().deliveryLimit(QUORUM_DELIVERY_LIMIT);
        };
    }

    private QueueBuilder deadLettering(QueueBuilder queue) {
        return switch (queueType) {
            case CLASSIC -> queue;
            case QUORUM -> queue.withArgument("x-dead-letter-strategy", "at-least-once")
                    .overflow(QueueBuilder.Overflow.rejectPublish);
        };
    }
}
