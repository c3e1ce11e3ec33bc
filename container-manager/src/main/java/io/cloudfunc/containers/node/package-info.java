/**
 * The node's life in the cluster: its announcements on {@code cloudfunc.nodes} (capacity, load, warm functions,
 * state) and its drain ({@code POST /internal/drain}).
 */
package io.cloudfunc.containers.node;
