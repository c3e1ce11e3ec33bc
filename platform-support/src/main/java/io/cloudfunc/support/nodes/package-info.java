/**
 * The container-manager nodes' announcements ({@code cloudfunc.nodes}, docs/messaging.md) as schedulers and gateways
 * hear them: which nodes are live, what each holds and runs.
 */
package io.cloudfunc.support.nodes;
