package io.cloudfunc.contracts.stats;

import java.time.Instant;

/** Answer of {@code GET /functions/{name}/stats}: one function's figures over the window {@code from} to {@code to}. */
public record FunctionStatsView(String window, Instant from, Instant to, FunctionStats stats) {
}
