/**
 * The interface a CloudFunc Java function implements ({@link io.cloudfunc.function.Handler}) and the context each
 * call gets. See runtimes/java/README.md.
 */
package io.cloudfunc.function;
