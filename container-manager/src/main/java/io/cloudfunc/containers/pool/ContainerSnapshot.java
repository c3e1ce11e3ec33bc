package io.cloudfunc.containers.pool;

import java.time.Duration;

/**
 * An immutable view of one pooled container, what {@link PoolDecisions} decide on.
 *
 * @param retired no new call may use it: removed when idle
 */
public record ContainerSnapshot(String key, FunctionKey function, ContainerState state, Duration idleTtl,
                                boolean retired) {
}
