/**
 * The container-manager nodes as this scheduler hears them ({@code cloudfunc.nodes}), and the takeover of the queues
 * of nodes out or draining: their waiting calls are placed on live nodes.
 */
package io.cloudfunc.scheduler.nodes;
