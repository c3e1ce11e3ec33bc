package io.cloudfunc.contracts.messaging;

/**
 * Event published by the registry on {@link Topology#EVENTS_EXCHANGE} when a function is deployed (a new version)
 * or deleted, or when one of its aliases is set or removed, so that caches are invalidated and old containers retired.
 * Consumers that only care about code ignore {@code ALIASED}.
 *
 * @param latestVersion the new latest version, or 0 when deleted
 */
public record FunctionChanged(String functionName, Change change, int latestVersion) {

    public enum Change {
        DEPLOYED, DELETED, ALIASED
    }
}
