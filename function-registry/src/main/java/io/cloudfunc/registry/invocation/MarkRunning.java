package io.cloudfunc.registry.invocation;

import java.time.Instant;

/** Body of {@code PUT /internal/invocations/{id}/running}; an absent {@code startedAt} means now. */
record MarkRunning(Instant startedAt) {
}
