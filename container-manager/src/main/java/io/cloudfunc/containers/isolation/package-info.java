/**
 * What separates one function's container from the host, the network and other functions beyond the fixed
 * settings the Docker engine applies to every container: which network it joins ({@code none} or the isolated
 * outbound bridge) and which OCI runtime runs it. {@link io.cloudfunc.containers.isolation.ContainerIsolation}
 * resolves both for a function version and checks the engine can honour them before a container is created.
 */
package io.cloudfunc.containers.isolation;
