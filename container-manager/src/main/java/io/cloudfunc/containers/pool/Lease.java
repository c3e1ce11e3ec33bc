package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.runtime.RuntimeConnection;
import io.cloudfunc.contracts.invocation.StartType;

/**
 * A container slot handed to one call, and how it was obtained. Must be given back with
 * {@link ContainerPool#release(Lease)} or {@link ContainerPool#discard(Lease, RemovalReason)}.
 *
 * @param connection     the connection to the runtime this call uses (one per concurrent call slot)
 * @param coldStartNanos time the start took (0 for a warm container)
 */
public record Lease(PooledContainer container, RuntimeConnection connection, StartType startType,
                    long coldStartNanos) {
}
