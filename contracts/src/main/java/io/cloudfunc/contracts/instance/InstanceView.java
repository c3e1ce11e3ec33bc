package io.cloudfunc.contracts.instance;

import java.time.Instant;

/**
 * A container a container-manager keeps for a function (an instance).
 *
 * @param id           the instance id ({@code DELETE /instances/{id}} stops it)
 * @param node         the container-manager that owns it ({@code containers.node})
 * @param functionName the function it serves, null for a prewarmed container that has none yet
 * @param version      the function version it serves, 0 for a prewarmed container
 * @param runtime      the runtime its image runs
 * @param state        its life-cycle state as the container-manager names it (starting, prewarmed, idle, busy, removing)
 * @param idleSince    when it last became idle, or null while busy
 */
public record InstanceView(String id, String node, String functionName, int version, String runtime, String state,
        Instant idleSince) {
}
