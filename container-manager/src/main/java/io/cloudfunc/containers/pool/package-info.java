/**
 * The warm pool: every container this manager runs, its lifecycle as an explicit state
 * ({@link io.cloudfunc.containers.pool.ContainerState}: starting, idle, busy, removing), and the decisions taken on
 * it as pure functions ({@link io.cloudfunc.containers.pool.PoolDecisions}: which container serves a call, which
 * ones expired, which ones a deploy or delete retires). {@link io.cloudfunc.containers.pool.ContainerPool} applies
 * those decisions; {@link io.cloudfunc.containers.pool.DockerContainerLauncher} performs cold starts.
 */
package io.cloudfunc.containers.pool;
