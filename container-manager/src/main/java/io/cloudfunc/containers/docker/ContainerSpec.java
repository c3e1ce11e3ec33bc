package io.cloudfunc.containers.docker;

import java.util.List;
import java.util.Map;

/**
 * Everything a function container is created with. The isolation settings that never vary (no capabilities,
 * no-new-privileges, Docker's default seccomp profile, read-only root, an init process, no /dev/shm, a noexec /tmp)
 * are applied by the engine, not described here.
 *
 * @param name        container name
 * @param image       runtime image
 * @param user        {@code uid:gid} the process runs as
 * @param labels      labels, for finding the container again
 * @param env         environment variables ({@code KEY=value})
 * @param bindSource  host directory mounted read-write at {@code bindTarget}; null for none
 * @param bindTarget  where it appears inside the container
 * @param memoryBytes memory limit, also the memory+swap limit (no swap)
 * @param pidsLimit   most processes/threads
 * @param cpuMillis   CPU limit in thousandths of a CPU (a CFS quota: {@code cpuMillis / 1000} of a CPU's time)
 * @param tmpfsBytes  size of the tmpfs at {@code /tmp}
 * @param logMaxBytes size of the container's json-file log
 * @param network     {@link #NO_NETWORK}, or the name of the (isolated bridge) network to attach the container to
 * @param ociRuntime  OCI runtime the engine runs the container with ({@code runc}, {@code runsc}, ...)
 * @param entrypoint  the process to run instead of the image's entrypoint (a dependency build's script); null for
 *                    the image's own
 */
public record ContainerSpec(
        String name,
        String image,
        String user,
        Map<String, String> labels,
        List<String> env,
        String bindSource,
        String bindTarget,
        long memoryBytes,
        long pidsLimit,
        long cpuMillis,
        long tmpfsBytes,
        long logMaxBytes,
        String network,
        String ociRuntime,
        List<String> entrypoint) {

    /** Docker's network mode for a container with only a loopback interface. */
    public static final String NO_NETWORK = "none";

    public ContainerSpec {
        labels = Map.copyOf(labels);
        env = List.copyOf(env);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    }

    /** A container that runs its image's entrypoint. */
    public ContainerSpec(String name, String image, String user, Map<String, String> labels, List<String> env,
                         String bindSource, String bindTarget, long memoryBytes, long pidsLimit, long cpuMillis,
                         long tmpfsBytes, long logMaxBytes, String network, String ociRuntime) {
        this(name, image, user, labels, env, bindSource, bindTarget, memoryBytes, pidsLimit, cpuMillis, tmpfsBytes,
                logMaxBytes, network, ociRuntime, null);
    }
}
