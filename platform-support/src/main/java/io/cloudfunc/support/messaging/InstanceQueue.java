package io.cloudfunc.support.messaging;

import io.cloudfunc.contracts.messaging.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * A queue of one service instance: not durable, exclusive and auto-delete, so it lives exactly as long as the
 * instance's connection, optionally bound to {@link Topology#EVENTS_EXCHANGE}, and consumed without acknowledgements.
 * What is published to it while the connection is down is lost with the queue.
 *
 * @param name the queue's name, e.g. {@code cloudfunc.gateway.events.<uuid>} ({@link #named})
 */
public record InstanceQueue(String name) {

    /** A queue named {@code prefix} and a random UUID: {@code cloudfunc.scheduler.events.<uuid>}. */
    public static InstanceQueue named(String prefix) {
        return new InstanceQueue(prefix + UUID.randomUUID());
    }

    /** The queue, and its bindings to the events exchange with each of {@code eventRoutingKeys}. */
    public Declarables declarables(String... eventRoutingKeys) {
        List<Declarable> declarables = new ArrayList<>();
        declarables.add(new Queue(name, false, true, true));
        for (String routingKey : eventRoutingKeys) {
            declarables.add(new Binding(name, Binding.DestinationType.QUEUE, Topology.EVENTS_EXCHANGE, routingKey,
                    null));
        }
        return new Declarables(declarables);
    }

    /** The consumer of the queue: {@code listener} gets each message, no acknowledgement. */
    public DirectMessageListenerContainer listener(ConnectionFactory connectionFactory, MessageListener listener) {
        var container = new DirectMessageListenerContainer(connectionFactory);
        container.setQueueNames(name);
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        container.setMessageListener(listener);
        return container;
    }

    /**
     * {@link #listener}, with {@code afterConnect} run after every (re)connect: the events published meanwhile are
     * lost, so that the instance starts again from what needs none of them (an empty cache, a fresh look).
     */
    public DirectMessageListenerContainer listener(ConnectionFactory connectionFactory, MessageListener listener,
            Runnable afterConnect) {
        connectionFactory.addConnectionListener(connection -> afterConnect.run());
        return listener(connectionFactory, listener);
    }
}
