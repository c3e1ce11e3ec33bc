package io.cloudfunc.containers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ContainerEngine} on docker-java. Every function container gets the same isolation settings. */
final class DockerJavaEngine implements ContainerEngine {

    /** The only writable place: nothing there can be executed, no set-uid, no device files. */
    static final String TMP_OPTIONS = "rw,noexec,nosuid,nodev";

    private final DockerClient docker;

    DockerJavaEngine(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public String create(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("none")
                // docker-init (tini) as PID 1: reaps the zombies of processes a function forks and forwards signals
                .withInit(true)
                // a private IPC namespace without /dev/shm: no shared memory segments, no second writable tmpfs
                .withIpcMode("none")
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", TMP_OPTIONS + ",size=" + spec.tmpfsBytes()))
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes())
                .withPidsLimit(spec.pidsLimit())
                .withNanoCPUs(spec.nanoCpus())
                .withUlimits(List.of(new Ulimit("nofile", 1024L, 1024L)))
                .withBinds(new Bind(spec.bindSource(), new Volume(spec.bindTarget()), AccessMode.rw))
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", Long.toString(spec.logMaxBytes()), "max-file", "1")));
        try {
            return docker.createContainerCmd(spec.image())
                    .withName(spec.name())
                    .withUser(spec.user())
                    .withLabels(spec.labels())
                    .withEnv(spec.env())
                    .withHostConfig(host)
                    .exec()
                    .getId();
        } catch (NotFoundException e) {
            throw new ContainerEngineException("image " + spec.image() + " not found on the Docker engine", e);
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not create a container from " + spec.image() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void start(String containerId) {
        try {
            docker.startContainerCmd(containerId).exec();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not start container " + shortId(containerId) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // already gone: that is what we wanted
        } catch (ConflictException e) {
            // "removal already in progress": someone else (the reaper, a shutdown) is removing it
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not remove container " + shortId(containerId) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<ContainerSummary> list(Map<String, String> labels) {
        try {
            return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec().stream()
                    .map(c -> new ContainerSummary(c.getId(), c.getLabels() != null ? c.getLabels() : Map.of(),
                            c.getState()))
                    .toList();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not list containers: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ContainerStatus> inspect(String containerId) {
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(containerId).exec().getState();
            return Optional.of(new ContainerStatus(containerId,
                    Boolean.TRUE.equals(state.getRunning()),
                    state.getExitCodeLong() != null ? state.getExitCodeLong().intValue() : null,
                    Boolean.TRUE.equals(state.getOOMKilled()),
                    state.getError()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not inspect container " + shortId(containerId) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void ping() {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("the Docker engine does not answer: " + e.getMessage(), e);
        }
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
