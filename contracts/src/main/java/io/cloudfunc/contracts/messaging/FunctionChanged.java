package io.cloudfunc.contracts.messaging;

import io.cloudfunc.contracts.function.FunctionVersionView;

/**
 * Event published by the registry on {@link Topology#EVENTS_EXCHANGE} when a function is deployed (a new version)
 * or deleted, or when one of its aliases is set or removed, so that caches are invalidated and old containers retired.
 * Consumers that only care about code ignore {@code ALIASED}.
 *
 * @param latestVersion the new latest version, or 0 when deleted
 * @param latest        for {@code DEPLOYED}: the new version itself, as {@code GET
 *                      /internal/functions/{name}/versions/{version}} gives it, so that a consumer readying itself
 *                      for the first call need not ask the registry; null otherwise (and from older registries)
 */
public record FunctionChanged(String functionName, Change change, int latestVersion, FunctionVersionView latest) {

    public FunctionChanged(String functionName, Change change, int latestVersion) {
        this(functionName, change, latestVersion, null);
    }

    /** The version the event carries, when it is the deployed latest version of the function it names. */
    public FunctionVersionView deployedVersion() {
        return change == Change.DEPLOYED && latest != null && functionName != null
                && functionName.equals(latest.functionName()) && latest.version() == latestVersion ? latest : null;
    }

    public enum Change {
        DEPLOYED, DELETED, ALIASED
    }
}
