/**
 * The node's samples for the registry's statistics over time: warm containers, once a minute, on
 * {@code cloudfunc.node-samples} (docs/messaging.md).
 */
package io.cloudfunc.containers.sample;
