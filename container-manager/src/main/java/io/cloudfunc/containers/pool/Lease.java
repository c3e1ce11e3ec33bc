package io.cloudfunc.containers.pool;

import io.cloudfunc.contracts.invocation.StartType;

/**
 * A container handed to one call, and how it was obtained. Must be given back with
 * {@link ContainerPool#release(Lease)} or {@link ContainerPool#discard(Lease, RemovalReason)}.
 *
 * @param coldStartNanos time the cold start took (0 for a warm container)
 */
public record Lease(PooledContainer container, StartType startType, long coldStartNanos) {
}
