package io.cloudfunc.containers.pool;

import java.time.Duration;
import java.util.Map;

/**
 * The pool's limits and sizing, taken from {@code containers.pool.*} and {@code containers.runtimes.*}.
 *
 * @param capacity              the node's memory budget and container count
 * @param capacityWait          how long a call waits for a free slot before failing with a platform error
 * @param defaultIdleTtl        idle TTL of functions that do not set theirs
 * @param maxWaitingPerFunction calls of one function that may wait here for a slot; more are handed back to the
 *                              broker (see the invocation listener), so one function's burst cannot hold every
 *                              consumer
 * @param prewarm               prewarmed container counts by runtime (runtimes not listed get none)
 * @param prewarmMemoryMb       memory limit a prewarmed container starts with (raised or lowered when specialised)
 * @param prewarmWindow         how far back cold starts that found no prewarmed container raise the target
 */
public record PoolSettings(NodeCapacity capacity, Duration capacityWait, Duration defaultIdleTtl,
                           int maxWaitingPerFunction, Map<String, Prewarm> prewarm, int prewarmMemoryMb,
                           Duration prewarmWindow) {

    public PoolSettings {
        prewarm = Map.copyOf(prewarm);
    }

    /**
     * Prewarmed containers a runtime keeps: at least {@code min}, up to {@code max} while cold starts happen.
     * {@code anyMemory}: a prewarmed container may take a function of any memory size (its limit is changed when it
     * is given the function); false for runtimes that size their heap when they start (a JVM, V8), whose prewarmed
     * containers only take functions of exactly the prewarm memory.
     */
    public record Prewarm(int min, int max, boolean anyMemory) {

        public Prewarm(int min, int max) {
            this(min, max, true);
        }
    }

    /** Whether a prewarmed container of {@code runtime} may take a function of {@code memoryMb}. */
    public boolean prewarmFits(String runtime, int memoryMb) {
        Prewarm settings = prewarm.get(runtime);
        return settings != null && (settings.anyMemory() || memoryMb == prewarmMemoryMb);
    }
}
