/**
 * The Docker engine behind one small interface, {@link io.cloudfunc.containers.docker.ContainerEngine}: create,
 * start, remove, list by label, inspect, ping; and, before the application starts, a compose replica's number
 * ({@link io.cloudfunc.containers.docker.ComposeReplicas}). docker-java (httpclient5 transport, API version negotiated
 * with the daemon, never pinned) is used only in this package.
 */
package io.cloudfunc.containers.docker;
