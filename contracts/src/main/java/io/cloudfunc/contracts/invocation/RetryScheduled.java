package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.UUID;

/**
 * Container-manager to registry (the {@code retried} list of an {@code InvocationRecords} message): an attempt of an
 * ASYNC invocation failed and the next one is scheduled. The record goes back to QUEUED with the failed attempt's
 * error, and its {@code attempt} becomes {@code nextAttempt}; a record already final or further along is left alone.
 *
 * @param failedStatus  how the failed attempt ended: FAILED or TIMED_OUT
 * @param nextAttempt   number of the attempt that will run
 * @param nextAttemptAt when it will run
 */
public record RetryScheduled(
        UUID invocationId,
        String functionName,
        int version,
        InvocationStatus failedStatus,
        FunctionError error,
        ErrorKind errorKind,
        int nextAttempt,
        Instant nextAttemptAt) {
}
