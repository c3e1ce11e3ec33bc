package io.cloudfunc.contracts.messaging;

import java.time.Instant;

/**
 * What a container-manager node holds, sent once a minute to {@link Topology#NODE_SAMPLES_QUEUE} (type
 * {@value Topology#TYPE_NODE_SAMPLE}); the function-registry keeps it for {@code GET /stats/series/nodes}.
 *
 * @param nodeId         the node ({@code containers.node})
 * @param sampledAt      when the node counted
 * @param warmContainers containers holding a function's code, idle or busy (not pre-warmed generic ones, not those
 *                       starting or being removed)
 */
public record NodeSample(String nodeId, Instant sampledAt, int warmContainers) {
}
