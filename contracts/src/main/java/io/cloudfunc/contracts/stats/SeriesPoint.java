package io.cloudfunc.contracts.stats;

import java.time.Instant;

/**
 * The invocations that ended in one step: by final status ({@code errors} are FAILED calls, the function's fault or
 * the platform's; {@code oom} those of them killed for their memory limit), by how their container was obtained
 * (calls that reached none count in no start type), and their duration percentiles.
 *
 * @param t          start of the step
 * @param durationMs percentiles of the calls' run time in the container, from a histogram (exact below 32 ms, within
 *                   3.2 % above); nulls when no call of the step has a duration
 */
public record SeriesPoint(Instant t, long invocations, long succeeded, long errors, long timeouts, long oom,
                          long cold, long prewarmed, long warm, Percentiles durationMs) {

    /** Nearest-rank percentiles in milliseconds, null when there is no duration. */
    public record Percentiles(Double p50, Double p95, Double p99) {
    }
}
