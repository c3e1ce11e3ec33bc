/**
 * The manager's side of the runtime protocol (docs/runtime-contract.md): length-prefixed JSON frames over one
 * persistent unix socket connection per container; {@code init} once, then one {@code invoke} at a time.
 */
package io.cloudfunc.containers.runtime;
