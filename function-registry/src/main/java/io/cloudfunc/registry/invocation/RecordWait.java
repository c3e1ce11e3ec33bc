package io.cloudfunc.registry.invocation;

import io.cloudfunc.contracts.invocation.InvocationIds;
import io.cloudfunc.registry.RegistryProperties;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Reads a record that may not be written yet: records travel as messages, so a GET right after the 202 of a call
 * can come before the registry's consumer has written it. An id made in the last {@value #RECENT_SECONDS} s
 * (time-ordered, {@link InvocationIds}) is polled for up to {@code registry.invocations.record-wait}; any other id
 * is answered at once.
 */
@Component
class RecordWait {

    static final int RECENT_SECONDS = 10;
    private static final Duration RECENT = Duration.ofSeconds(RECENT_SECONDS);
    private static final Duration POLL = Duration.ofMillis(20);

    private final Duration wait;

    RecordWait(RegistryProperties properties) {
        this.wait = properties.invocations().recordWait();
    }

    /** What {@code read} finds, polling for a moment when the id is recent and it finds nothing. */
    <T> Optional<T> read(UUID id, Supplier<Optional<T>> read) {
        Optional<T> found = read.get();
        if (found.isPresent() || !InvocationIds.isRecent(id, RECENT)) {
            return found;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
            found = read.get();
        }
        return found;
    }
}
