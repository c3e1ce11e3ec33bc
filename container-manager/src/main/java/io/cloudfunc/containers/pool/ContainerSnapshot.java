package io.cloudfunc.containers.pool;

import java.time.Duration;

/**
 * An immutable view of one pooled container, what {@link PoolDecisions} decide on.
 *
 * @param function     the function version it serves; null for a prewarmed (generic) container
 * @param runtime      the runtime its image runs (python, node, ...)
 * @param retired      no new call may use it: removed when idle
 * @param calls        calls in flight on it, or waiting for it to finish starting
 * @param concurrency  calls it may serve at once
 * @param memoryMb     what it counts against the node's memory budget
 * @param minInstances its function's minInstances: idle expiry and eviction never go below
 */
public record ContainerSnapshot(String key, FunctionKey function, String runtime, ContainerState state,
                                Duration idleTtl, boolean retired, int calls, int concurrency, int memoryMb,
                                int minInstances) {

    boolean live() {
        return !(state instanceof ContainerState.Removing);
    }

    boolean serves(FunctionKey key) {
        return function != null && !retired && function.equals(key);
    }
}
