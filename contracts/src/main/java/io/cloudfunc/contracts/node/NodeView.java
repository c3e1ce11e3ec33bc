package io.cloudfunc.contracts.node;

import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container-manager node as {@code GET /nodes} shows it, from its latest announcement.
 *
 * @param id        node id ({@code containers.node})
 * @param state     {@code up}, {@code draining}, {@code drained} (as it announces), or {@code out} (not heard for
 *                  {@code node-timeout}: its waiting calls are placed on other nodes)
 * @param url       base URL of its internal API
 * @param lastSeen  when its latest announcement arrived
 * @param startedAt when its process started
 * @param capacity  memory budget, containers, free slots
 * @param load      busy containers, calls in flight, calls waiting
 * @param functions function versions it holds containers of
 * @param prewarmed pre-warmed containers by runtime
 */
public record NodeView(String id, String state, URI url, Instant lastSeen, Instant startedAt,
                       NodeAnnouncement.Capacity capacity, NodeAnnouncement.Load load,
                       List<NodeAnnouncement.WarmFunction> functions, Map<String, Integer> prewarmed) {

    /** What {@code GET /nodes} calls a node not heard for the node timeout. */
    public static final String OUT = "out";
}
