/**
 * Invocations end to end: the AMQP consumer of {@code InvokeFunction} (manual acks), running one call in a pooled
 * container, recording the final state in the registry, replying to {@code reply_to}; and the
 * {@code FunctionChanged} events that retire containers.
 */
package io.cloudfunc.containers.invocation;
