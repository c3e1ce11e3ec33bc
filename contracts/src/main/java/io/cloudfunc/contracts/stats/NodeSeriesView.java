package io.cloudfunc.contracts.stats;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Answer of {@code GET /stats/series/nodes}: warm containers per container-manager node over time, one point per
 * step in {@code [from, to)}. A point names the nodes that sent a sample in its step, each with the largest warm
 * container count it reported there; a node that sent none is absent from that point.
 */
public record NodeSeriesView(Instant from, Instant to, String step, List<Point> points) {

    public NodeSeriesView {
        points = List.copyOf(points);
    }

    /** @param nodes node id to warm containers (idle or busy containers holding a function's code) */
    public record Point(Instant t, Map<String, Integer> nodes) {

        public Point {
            nodes = Map.copyOf(nodes);
        }
    }
}
