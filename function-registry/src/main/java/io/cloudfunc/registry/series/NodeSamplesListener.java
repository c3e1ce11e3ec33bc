package io.cloudfunc.registry.series;

import io.cloudfunc.contracts.messaging.NodeSample;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores the {@link NodeSample}s of {@code cloudfunc.node-samples} in their node's minute (the largest count when a
 * minute gets two). A sample is worth little once late and nothing twice, so one that cannot be read or stored is
 * dropped (logged) rather than handed back: the chart has a gap there.
 */
@Component
class NodeSamplesListener implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(NodeSamplesListener.class);
    private static final int MAX_NODE_ID = 255;
    private static final String STORE = """
            INSERT INTO node_sample_minutes AS m (node_id, t, warm_containers) VALUES (?, ?, ?)
            ON CONFLICT (node_id, t) DO UPDATE SET warm_containers = GREATEST(m.warm_containers,
                                                                              EXCLUDED.warm_containers)
            """;

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    NodeSamplesListener(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public void onMessage(Message message) {
        NodeSample sample;
        try {
            sample = json.readValue(message.getBody(), NodeSample.class);
        } catch (JacksonException e) {
            log.warn("Dropping a node sample that is not a NodeSample ({} bytes)", message.getBody().length);
            return;
        }
        if (sample == null || sample.nodeId() == null || sample.nodeId().isBlank()
                || sample.nodeId().length() > MAX_NODE_ID || sample.warmContainers() < 0) {
            log.warn("Dropping an invalid node sample: {}", sample);
            return;
        }
        Instant at = sample.sampledAt() == null ? Instant.now() : sample.sampledAt();
        store(sample.nodeId(), at, sample.warmContainers());
    }

    void store(String nodeId, Instant at, int warmContainers) {
        jdbc.update(STORE, nodeId, Timestamp.from(at.truncatedTo(ChronoUnit.MINUTES)), warmContainers);
    }
}
