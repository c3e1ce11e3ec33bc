package io.cloudfunc.contracts.stats;

/**
 * Invocation figures of one function (or of all, for the totals) over a window.
 *
 * @param invocations    calls accepted in the window
 * @param succeeded      of those, succeeded
 * @param errors         failed: the function raised an error or the platform could not run it
 * @param timeouts       ran past their timeout
 * @param pending        not finished yet (queued or running)
 * @param durationMs     the function's own run time of the finished calls, in milliseconds; null when none finished
 * @param coldStartRatio share of started calls that were not warm (cold or pre-warmed), 0 to 1; null when none
 */
public record FunctionStats(
        String functionName,
        long invocations,
        long succeeded,
        long errors,
        long timeouts,
        long pending,
        Durations durationMs,
        Double coldStartRatio) {

    /** Percentiles by linear interpolation (PostgreSQL {@code percentile_cont}), and the sum. */
    public record Durations(Double p50, Double p95, Double p99, Double max, long total) {
    }
}
