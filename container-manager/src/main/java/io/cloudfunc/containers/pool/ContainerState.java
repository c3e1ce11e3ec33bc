package io.cloudfunc.containers.pool;

import java.time.Instant;

/**
 * Where a container is in its life:
 * <pre>
 *   Prewarmed (generic, no code) --specialise--> Starting
 *   Starting --launched--> Busy (calls waiting for it) or Idle (started for minInstances)
 *   Idle <-> Busy (calls in flight, at most the function's concurrency)
 *   any --> Removing (expired, retired, evicted, failed, timed out, shutdown)
 * </pre>
 * A container leaves the pool once removed; it is never reused after Removing. A shutdown can turn a Starting
 * container into Removing: its start then removes it as soon as it has been launched.
 */
public sealed interface ContainerState {

    /** Metric tag / log word for the state. */
    String label();

    /** Being created, started and initialised (or a prewarmed container being given a function's code). */
    record Starting(Instant since) implements ContainerState {
        @Override
        public String label() {
            return "starting";
        }
    }

    /** A generic container of a runtime, started ahead of time, holding no function's code yet. */
    record Prewarmed(Instant since) implements ContainerState {
        @Override
        public String label() {
            return "prewarmed";
        }
    }

    /** Warm and free; expires at {@code since} + the function's idle TTL (never below its minInstances). */
    record Idle(Instant since) implements ContainerState {
        @Override
        public String label() {
            return "idle";
        }
    }

    /** Serving one or more calls (up to the function's concurrency). */
    record Busy(Instant since) implements ContainerState {
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
