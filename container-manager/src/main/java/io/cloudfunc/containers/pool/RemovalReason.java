package io.cloudfunc.containers.pool;

import java.util.Locale;

/** Why a container is removed (also the {@code reason} tag of the removal counter). */
public enum RemovalReason {
    /** Idle for longer than its function's idle TTL. */
    IDLE_EXPIRED,
    /** Its function was deleted, or a newer version deployed. */
    RETIRED,
    /** Made room for another function's container. */
    EVICTED,
    /** Its call ran past the function's timeout. */
    TIMED_OUT,
    /** Its runtime died or broke the protocol during a call. */
    FAILED,
    /** The manager is stopping. */
    SHUTDOWN,
    /** An operator stopped it ({@code DELETE /instances/{id}}). */
    STOPPED,
    /** It loaded a deploy's code to check it (never serves a call: the code is not a deployed version). */
    VERIFIED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
