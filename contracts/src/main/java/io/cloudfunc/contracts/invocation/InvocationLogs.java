package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.UUID;

/**
 * What one invocation wrote to stdout and stderr, as {@code GET /invocations/{id}/logs} and
 * {@code GET /functions/{name}/logs} answer it.
 *
 * @param finishedAt null while the invocation has not finished (its logs arrive with its final state)
 * @param logs       the captured output, "" when none
 * @param truncated  the output went past the platform's cap: {@code logs} was cut and ends with {@link #TRUNCATION_MARK}
 */
public record InvocationLogs(
        UUID invocationId,
        String functionName,
        int version,
        InvocationStatus status,
        Instant finishedAt,
        String logs,
        boolean truncated) {

    /** The line that ends logs that were cut, appended by the runtimes and the container-manager alike. */
    public static final String TRUNCATION_MARK = "\n...[truncated]";

    public static boolean isTruncated(String logs) {
        return logs != null && logs.endsWith(TRUNCATION_MARK);
    }
}
