package io.cloudfunc.contracts.stats;

import java.time.Instant;
import java.util.List;

/**
 * Answer of {@code GET /stats}: the totals over all functions and the figures of each function that was called in
 * the window ({@code from} to {@code to}); {@code GET /functions/{name}/stats} answers one {@link FunctionStats}
 * with the same window fields.
 */
public record StatsView(String window, Instant from, Instant to, FunctionStats total, List<FunctionStats> functions) {
}
