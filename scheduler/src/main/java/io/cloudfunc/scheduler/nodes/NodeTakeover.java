package io.cloudfunc.scheduler.nodes;

import com.rabbitmq.client.Channel;
import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.scheduler.placement.NodeLoads;
import io.cloudfunc.scheduler.placement.Placement;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.nodes.NodeDirectory;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Places again the calls waiting in the queue of a node that is out (silent for the node timeout) or draining: a
 * consumer of {@code cloudfunc.node.<id>} republishes each message unchanged, publisher-confirmed, to the queue of a
 * live node chosen by {@link Placement}, and only then acks it. A call is thus never lost (no ack before the confirm)
 * and never run twice by this (a message is on one queue at a time, except when the connection drops between the
 * confirm and the ack: it is then placed again, at least once, like any redelivery). Calls the node was running when
 * it died come back to its queue by RabbitMQ's redelivery and are placed again the same way. When the node is up
 * again, the consumer stops and the node consumes its queue itself.
 *
 * <p>A takeover ends when the queue is missing, or when it is empty and the node has been silent for the directory's
 * {@code forgetAfter} ({@link NodeDirectory#longGone}): the consumer stops, the node is forgotten and its empty queue
 * deleted (only if empty and unused, checked by RabbitMQ). Nothing is placed in the queue of a node gone that long
 * (placement and parking take nodes heard within that time); should a call still be routed to the deleted queue,
 * the publish is mandatory, so it comes back to its publisher as unroutable rather than being lost.
 */
@Component
class NodeTakeover implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeTakeover.class);
    private static final Duration CHECK = Duration.ofSeconds(1);
    /** The header a node reads a message's earlier deliveries from (a quorum queue sets it itself). */
    private static final String DELIVERY_COUNT = "x-delivery-count";

    private final NodeLoads nodes;
    private final AmqpAdmin admin;
    private final ConnectionFactory connections;
    private final ConfirmedPublisher publisher;
    private final JsonMapper json;
    private final Map<String, SimpleMessageListenerContainer> consumers = new HashMap<>();
    private ScheduledExecutorService timer;

    NodeTakeover(NodeLoads nodes, AmqpAdmin admin, ConnectionFactory connections, ConfirmedPublisher publisher,
                 JsonMapper json) {
        this.nodes = nodes;
        this.admin = admin;
        this.connections = connections;
        this.publisher = publisher;
        this.json = json;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("node-takeover").factory());
        timer.scheduleWithFixedDelay(this::check, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        consumers.values().forEach(SimpleMessageListenerContainer::stop);
        consumers.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    /** Takes over the queues of nodes out or not taking calls; gives back those of nodes up again. */
    synchronized void check() {
        try {
            Set<String> orphaned = new HashSet<>(nodes.directory().out());
            Set<String> up = new HashSet<>();
            for (NodeAnnouncement node : nodes.directory().live()) {
                (node.takesCalls() ? up : orphaned).add(node.nodeId());
            }
            if (up.isEmpty()) {
                // no node takes calls: the queues are left as they are (asynchronous calls are parked in them), for
                // taking them over would only hand each message back once a second and count it as redelivered
                if (!consumers.isEmpty()) {
                    log.info("No node takes calls: the calls wait in their nodes' queues");
                    consumers.values().forEach(SimpleMessageListenerContainer::stop);
                    consumers.clear();
                }
                return;
            }
            for (String node : orphaned) {
                consumers.computeIfAbsent(node, this::consumer);
            }
            consumers.entrySet().removeIf(entry -> {
                if (up.contains(entry.getKey())) {
                    log.info("Node {} is up again: it consumes its queue itself", entry.getKey());
                    entry.getValue().stop();
                    return true;
                }
                return nodes.directory().live(entry.getKey()).isEmpty() && ended(entry.getKey(), entry.getValue());
            });
        } catch (RuntimeException e) {
            log.warn("Checking for nodes out failed: {}", e.toString());
        }
    }

    /**
     * Ends the takeover of an out node whose queue is missing, or empty while the node is long gone; the consumer is
     * stopped before the last look, so that the messages it held unacked are counted back in the queue.
     */
    private boolean ended(String node, SimpleMessageListenerContainer consumer) {
        String queue = Topology.nodeQueue(node);
        QueueInformation before = admin.getQueueInfo(queue);
        boolean longGone = nodes.directory().longGone(node);
        if (before != null && (before.getMessageCount() > 0 || !longGone)) {
            return false;
        }
        consumer.stop();
        QueueInformation after = admin.getQueueInfo(queue);
        if (after != null && after.getMessageCount() > 0) {
            consumer.start();
            return false;
        }
        nodes.directory().forget(node);
        if (after == null) {
            log.info("Node {} is out and has no queue: nothing to take over", node);
            return true;
        }
        try {
            if (admin instanceof RabbitAdmin rabbit) {
                rabbit.deleteQueue(queue, true, true);
                log.info("Node {} is gone for good: its queue was empty and is deleted", node);
            }
        } catch (RuntimeException e) {
            // e.g. a quorum queue (no if-empty delete): it stays, empty, for the node to use if it comes back
            log.info("Node {} is gone for good; its empty queue stays ({})", node, e.getMessage());
        }
        return true;
    }

    private SimpleMessageListenerContainer consumer(String node) {
        log.info("Node {} is out or draining: placing the calls waiting in its queue on other nodes", node);
        var container = new SimpleMessageListenerContainer(connections);
        container.setQueueNames(Topology.nodeQueue(node));
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setPrefetchCount(16);
        container.setMissingQueuesFatal(false);
        container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> replace(node, message,
                channel));
        container.afterPropertiesSet();
        container.start();
        return container;
    }

    private void replace(String from, Message message, Channel channel) throws IOException {
        MessageProperties properties = message.getMessageProperties();
        long tag = properties.getDeliveryTag();
        String functionName = "";
        int version = 0;
        try {
            JsonNode body = json.readTree(message.getBody());
            functionName = body.path("functionName").asString("");
            version = body.path("version").asInt(0);
        } catch (RuntimeException e) {
            // unreadable: any live node dead-letters it
        }
        Optional<Placement.Decision> decision = nodes.place(new Placement.Call(functionName, version, 0));
        if (decision.isEmpty()) {
            pause();
            channel.basicNack(tag, false, true); // no node takes calls: it waits in its queue
            return;
        }
        String to = decision.get().nodeId();
        try {
            properties.setDeliveryMode(properties.getReceivedDeliveryMode());
            if (Boolean.TRUE.equals(properties.getRedelivered())
                    && !(properties.getHeaders().get(DELIVERY_COUNT) instanceof Number)) {
                // the dead node may have run it: the next node counts it as the next attempt, as it counts a
                // redelivery (a republished message is no longer flagged as redelivered)
                properties.setHeader(DELIVERY_COUNT, 1);
            }
            publisher.publishAndWait(Topology.INVOCATIONS_EXCHANGE, Topology.nodeRoutingKey(to), message);
            channel.basicAck(tag, false);
            log.info("Invocation {} of {} moved from node {} to node {}", properties.getMessageId(), functionName,
                    from, to);
        } catch (RuntimeException e) {
            log.warn("Moving invocation {} from node {} to node {} failed; it stays: {}", properties.getMessageId(),
                    from, to, e.getMessage());
            pause();
            channel.basicNack(tag, false, true);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(CHECK);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
