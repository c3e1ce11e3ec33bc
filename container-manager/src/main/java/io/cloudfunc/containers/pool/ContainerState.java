package io.cloudfunc.containers.pool;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a container is in its life. Starting -> Busy (the call that started it) -> Idle <-> Busy ... -> Removing.
 * A container leaves the pool once removed; it is never reused after Removing. A shutdown can turn a Starting
 * container into Removing: its cold start then removes it as soon as it has been launched.
 */
public sealed interface ContainerState {

    /** Metric tag / log word for the state. */
    String label();

    /** Being created, started and initialised, for the call that asked for it. */
    record Starting(Instant since) implements ContainerState {
        @Override
        public String label() {
            return "starting";
        }
    }

    /** Warm and free; expires at {@code since} + the function's idle TTL. */
    record Idle(Instant since) implements ContainerState {
        @Override
        public String label() {
            return "idle";
        }
    }

    /** Serving one invocation. */
    record Busy(UUID invocationId, Instant since) implements ContainerState {
        @Override
        public String label() {
            return "busy";
        }
    }

    /** Being killed and removed. */
    record Removing(RemovalReason reason, Instant since) implements ContainerState {
        @Override
        public String label() {
            return "removing";
        }
    }
}
