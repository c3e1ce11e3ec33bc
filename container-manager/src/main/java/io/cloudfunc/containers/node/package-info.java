/**
 * The node's life in the cluster: its announcements on {@code cloudfunc.nodes} (capacity, load, warm functions,
 * state), its drain ({@code POST /internal/drain}), and which node a replica of a scaled compose service is
 * ({@link io.cloudfunc.containers.node.ReplicaNodeEnvironment}).
 */
package io.cloudfunc.containers.node;
