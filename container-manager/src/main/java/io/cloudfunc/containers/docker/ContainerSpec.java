package io.cloudfunc.containers.docker;

import java.util.List;
import java.util.Map;

/**
 * Everything a function container is created with. The isolation settings that never vary (no network, no
 * capabilities, no-new-privileges, read-only root, an init process, no /dev/shm, a noexec /tmp) are applied by the
 * engine, not described here.
 *
 * @param name        container name
 * @param image       runtime image
 * @param user        {@code uid:gid} the process runs as
 * @param labels      labels, for finding the container again
 * @param env         environment variables ({@code KEY=value})
 * @param bindSource  host directory mounted read-write at {@code bindTarget}
 * @param bindTarget  where it appears inside the container
 * @param memoryBytes memory limit, also the memory+swap limit (no swap)
 * @param pidsLimit   most processes/threads
 * @param nanoCpus    CPU quota in billionths of a CPU
 * @param tmpfsBytes  size of the tmpfs at {@code /tmp}
 * @param logMaxBytes size of the container's json-file log
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
        long nanoCpus,
        long tmpfsBytes,
        long logMaxBytes) {

    public ContainerSpec {
        labels = Map.copyOf(labels);
        env = List.copyOf(env);
    }
}
