/**
 * The Java runtime that runs inside a function container: the socket and framing ({@link io.cloudfunc.runtime.Main}),
 * the messages ({@code FunctionRuntime}), loading the function ({@code LoadedFunction}, {@code FunctionClassLoader})
 * and capturing its output ({@code CallLogs}). Protocol: docs/runtime-contract.md.
 */
package io.cloudfunc.runtime;
