package io.cloudfunc.contracts.stats;

import java.time.Instant;
import java.util.List;

/**
 * Answer of {@code GET /functions/{name}/stats}: one function's figures over the window {@code from} to {@code to},
 * and the same per version that ran in the window, oldest first ({@code versions}: compare the two sides of a
 * traffic split).
 */
public record FunctionStatsView(String window, Instant from, Instant to, FunctionStats stats,
                                List<VersionStats> versions) {
}
