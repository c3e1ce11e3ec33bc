package io.cloudfunc.contracts.stats;

import java.time.Instant;
import java.util.List;

/**
 * Answer of {@code GET /stats/series}: one point per step in {@code [from, to)}, both aligned to the step (UTC), for
 * one function or (named null) all existing functions together.
 *
 * @param function the function, or null for all existing functions
 * @param step     {@code 1m}, {@code 5m}, {@code 15m}, {@code 1h} or {@code 1d}
 */
public record SeriesView(String function, Instant from, Instant to, String step, List<SeriesPoint> points) {

    public SeriesView {
        points = List.copyOf(points);
    }
}
