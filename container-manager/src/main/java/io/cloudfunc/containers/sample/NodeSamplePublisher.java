package io.cloudfunc.containers.sample;

import io.cloudfunc.containers.pool.ContainerSnapshot;
import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.contracts.messaging.NodeSample;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the registry how many warm containers this node holds ({@link NodeSample} to {@code cloudfunc.node-samples},
 * publisher-confirmed), for the chart of warm containers per node. A sample that does not get through is logged and
 * not retried: the next one follows a minute later.
 */
class NodeSamplePublisher {

    private static final Logger log = LoggerFactory.getLogger(NodeSamplePublisher.class);

    private final String nodeId;
    private final Supplier<List<ContainerSnapshot>> containers;
    private final ConfirmedPublisher publisher;
    private final JsonMapper json;
    private final Clock clock;

    NodeSamplePublisher(String nodeId, Supplier<List<ContainerSnapshot>> containers, ConfirmedPublisher publisher,
                        JsonMapper json, Clock clock) {
        this.nodeId = nodeId;
        this.containers = containers;
        this.publisher = publisher;
        this.json = json;
        this.clock = clock;
    }

    /** Containers holding a function's code and ready or serving (idle or busy), not retired. */
    static int warmContainers(List<ContainerSnapshot> snapshot) {
        return (int) snapshot.stream()
                .filter(container -> container.function() != null && !container.retired())
                .filter(container -> container.state() instanceof ContainerState.Idle
                        || container.state() instanceof ContainerState.Busy)
                .count();
    }

    /** Counts and publishes one sample; the future completes when the broker confirmed it. */
    CompletableFuture<Void> publish() {
        NodeSample sample = new NodeSample(nodeId, clock.instant(), warmContainers(containers.get()));
        var properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setType(Topology.TYPE_NODE_SAMPLE);
        return publisher.publish("", Topology.NODE_SAMPLES_QUEUE,
                new Message(json.writeValueAsBytes(sample), properties));
    }

    /** One sample, for the schedule: a failure is logged, never thrown. */
    void publishQuietly() {
        try {
            publish().exceptionally(failure -> {
                log.warn("A node sample did not reach the registry's queue: {}", failure.getMessage());
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("Could not count or publish a node sample: {}", e.toString());
        }
    }
}
