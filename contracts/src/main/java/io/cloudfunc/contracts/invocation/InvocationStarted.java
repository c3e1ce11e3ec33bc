package io.cloudfunc.contracts.invocation;

import java.time.Instant;
import java.util.UUID;

/**
 * Container-manager to registry: an attempt of an invocation started in a container (QUEUED to RUNNING). A mark of
 * an attempt older than the record's, or for a record already final, changes nothing.
 *
 * @param startedAt when the attempt started; null means when the registry reads it
 * @param attempt   which attempt started (absent or 0 means 1)
 */
public record InvocationStarted(UUID invocationId, Instant startedAt, Integer attempt) {

    public InvocationStarted {
        attempt = attempt == null ? 1 : Math.max(1, attempt);
    }
}
