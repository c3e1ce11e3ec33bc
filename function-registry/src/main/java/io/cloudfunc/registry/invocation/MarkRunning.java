package io.cloudfunc.registry.invocation;

import java.time.Instant;

/**
 * Body of {@code PUT /internal/invocations/{id}/running}; an absent {@code startedAt} means now, an absent
 * {@code attempt} the first. A mark of an attempt older than the record's (a late mark of a call retried since)
 * is ignored.
 */
record MarkRunning(Instant startedAt, Integer attempt) {
}
