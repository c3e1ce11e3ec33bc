package io.cloudfunc.registry.series;

import java.time.Instant;

/**
 * An invocation record as it counts in the series: where it ended, and how.
 *
 * @param status     SUCCEEDED, FAILED or TIMED_OUT
 * @param startType  COLD, PREWARMED, WARM, or null when the call reached no container
 * @param durationMs its run time in the container, or null
 * @param errorType  its error's type ({@code OutOfMemoryError} counts as an OOM kill), or null
 */
public record EndedCall(String functionName, Instant finishedAt, String status, String startType, Long durationMs,
                        String errorType) {
}
