/**
 * Resolving a function reference (name, name:version, name:alias) to a version: a bounded cache in front of the registry, emptied per function
 * by {@code FunctionChanged} events that arrive on this instance's own exclusive queue.
 */
package io.cloudfunc.scheduler.function;
