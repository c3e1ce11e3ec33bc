package io.cloudfunc.support.nodes;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.contracts.messaging.Topology;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node announcement exchange and the listening side of it: the durable fanout exchange {@code cloudfunc.nodes},
 * and for each listener (a scheduler, a gateway) an exclusive, auto-delete queue of its own bound to it, whose
 * messages feed a {@link NodeDirectory}. Announcements are state, not work: auto-ack, nothing persisted.
 */
public final class NodeAnnouncements {

    private static final Logger log = LoggerFactory.getLogger(NodeAnnouncements.class);

    private NodeAnnouncements() {
    }

    /** The durable fanout exchange {@code cloudfunc.nodes}. */
    public static FanoutExchange exchange() {
        return new FanoutExchange(Topology.NODES_EXCHANGE, true, false);
    }

    /** A listener's own queue ({@code <prefix><random>}, exclusive, auto-delete) and its binding to the exchange. */
    public static Declarables listenerQueue(AnonymousQueue queue) {
        FanoutExchange exchange = exchange();
        return new Declarables(exchange, queue, BindingBuilder.bind(queue).to(exchange));
    }

    /** A queue name for a listener, e.g. {@code cloudfunc.scheduler.nodes.}. */
    public static AnonymousQueue anonymousQueue(String prefix) {
        return new AnonymousQueue(new Base64UrlNamingStrategy(prefix));
    }

    /** One consumer of {@code queue} handing every readable announcement to {@code heard}. */
    public static SimpleMessageListenerContainer listener(ConnectionFactory connections, AnonymousQueue queue,
                                                          Consumer<NodeAnnouncement> heard, JsonMapper json) {
        var container = new SimpleMessageListenerContainer(connections);
        container.setQueues(queue);
        container.setAcknowledgeMode(AcknowledgeMode.NONE);
        container.setMissingQueuesFatal(false);
        container.setMessageListener((MessageListener) message -> {
            try {
                NodeAnnouncement announcement = json.readValue(message.getBody(), NodeAnnouncement.class);
                if (announcement.nodeId() != null && !announcement.nodeId().isBlank()) {
                    heard.accept(announcement);
                }
            } catch (JacksonException e) {
                log.warn("Ignoring an unreadable node announcement: {}", e.getOriginalMessage());
            }
        });
        return container;
    }
}
