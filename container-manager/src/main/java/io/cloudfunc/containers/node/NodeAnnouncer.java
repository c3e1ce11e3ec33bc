package io.cloudfunc.containers.node;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.TransientPublisher;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes this node's {@link NodeAnnouncement} to {@code cloudfunc.nodes} (transient, unconfirmed: the next one
 * follows a second later) and holds the node's state: up, draining, drained.
 */
public class NodeAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(NodeAnnouncer.class);

    private final String nodeId;
    private final ContainerPool pool;
    private final TransientPublisher publisher;
    private final JsonMapper json;
    private final Clock clock;
    private final Announcements.Sizes sizes;
    private final URI configuredUrl;
    private final Environment environment;
    private final Instant startedAt;
    private final AtomicLong sequence = new AtomicLong();
    private volatile String state = NodeAnnouncement.UP;
    private volatile URI url;

    NodeAnnouncer(ContainerManagerProperties properties, AnnounceProperties announce, ContainerPool pool,
                  TransientPublisher publisher, JsonMapper json, Clock clock, Environment environment) {
        this.nodeId = properties.node();
        this.pool = pool;
        this.publisher = publisher;
        this.json = json;
        this.clock = clock;
        ContainerManagerProperties.Pool sizes = properties.pool();
        this.sizes = new Announcements.Sizes(sizes.maxContainers(), sizes.memoryBudget().toMegabytes(),
                (int) Math.max(1, sizes.prewarmMemory().toMegabytes()));
        this.configuredUrl = announce.url();
        this.environment = environment;
        this.startedAt = clock.instant();
    }

    String nodeId() {
        return nodeId;
    }

    String state() {
        return state;
    }

    void state(String state) {
        this.state = state;
    }

    /** Builds and publishes one announcement; the future of a failure is only logged. */
    void announce() {
        try {
            NodeAnnouncement announcement = Announcements.of(nodeId, url(), startedAt, sequence.incrementAndGet(),
                    clock.instant(), state, pool.snapshot(), pool.waitingCalls(), pool.callMillis(),
                    sizes);
            var properties = new MessageProperties();
            properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            properties.setType(Topology.TYPE_NODE_ANNOUNCEMENT);
            publisher.publish(Topology.NODES_EXCHANGE, "", new Message(json.writeValueAsBytes(announcement),
                    properties));
        } catch (RuntimeException e) {
            log.warn("Could not announce node {}: {}", nodeId, e.toString());
        }
    }

    private URI url() {
        if (url == null) {
            if (configuredUrl != null) {
                url = configuredUrl;
            } else {
                String port = environment.getProperty("local.server.port",
                        environment.getProperty("server.port", "9100"));
                String host;
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    host = "localhost";
                }
                url = URI.create("http://" + host + ":" + port);
            }
        }
        return url;
    }
}
