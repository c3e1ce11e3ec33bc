package io.cloudfunc.contracts.node;

import java.time.Instant;

/**
 * A node the registry has a sample of ({@code GET /internal/nodes/seen}): schedulers started after a node died learn
 * of it here, since its announcements are gone, and take over its queue.
 *
 * @param id       node id ({@code containers.node})
 * @param lastSeen the start of the minute of its latest sample
 */
public record SeenNode(String id, Instant lastSeen) {
}
