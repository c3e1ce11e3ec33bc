package io.cloudfunc.containers.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.LoadResponseItem;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link ContainerEngine} on docker-java. Every function container gets the same isolation settings. */
final class DockerJavaEngine implements ContainerEngine {

    /** The only writable place: nothing there can be executed, no set-uid, no device files. */
    static final String TMP_OPTIONS = "rw,noexec,nosuid,nodev";
    /** The CFS period CPU limits are quotas of: Docker's default, 100 ms. */
    static final long CPU_PERIOD_MICROS = 100_000;
    /** Bridge driver option that stops containers on the network from reaching each other. */
    static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";

    private static final Pattern LOADED = Pattern.compile("Loaded image(?: ID)?: (\\S+)");
    private static final Pattern ENGINE_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]*)\"");

    private final DockerClient docker;
    private final URI dockerHost;

    DockerJavaEngine(DockerClient docker, URI dockerHost) {
        this.docker = docker;
        this.dockerHost = dockerHost;
    }

    @Override
    public String create(ContainerSpec spec) {
        return create(spec, false);
    }

    @Override
    public String createWithStdin(ContainerSpec spec) {
        return create(spec, true);
    }

    private String create(ContainerSpec spec, boolean stdin) {
        try {
            CreateContainerCmd create = docker.createContainerCmd(spec.image())
                    .withName(spec.name())
                    .withUser(spec.user())
                    .withLabels(spec.labels())
                    .withEnv(spec.env())
                    .withHostConfig(hostConfig(spec));
            if (spec.entrypoint() != null) {
                create.withEntrypoint(spec.entrypoint()).withCmd(List.of());
            }
            if (stdin) {
                // docker run -i: stdin open for the one client that attaches, closed for good once it closes it
                create.withStdinOpen(true).withStdInOnce(true).withAttachStdin(true).withAttachStdout(true)
                        .withAttachStderr(true).withTty(false);
            }
            return create.exec().getId();
        } catch (NotFoundException e) {
            throw new ContainerEngineException("image " + spec.image() + " not found on the Docker engine", e);
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not create a container from " + spec.image() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The isolation every function container gets, pooled or one-shot. */
    private static HostConfig hostConfig(ContainerSpec spec) {
        HostConfig host = HostConfig.newHostConfig()
                // "none" (loopback only) unless the function asked for outbound traffic
                .withNetworkMode(spec.network())
                .withRuntime(spec.ociRuntime())
                // docker-init (tini) as PID 1: reaps the zombies of processes a function forks and forwards signals
                .withInit(true)
                // a private IPC namespace without /dev/shm: no shared memory segments, no second writable tmpfs
                .withIpcMode("none")
                .withCapDrop(Capability.ALL)
                // no seccomp option: Docker's default profile applies (an "unconfined" one would switch it off)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of("/tmp", TMP_OPTIONS + ",size=" + spec.tmpfsBytes()))
                .withMemory(spec.memoryBytes())
                .withMemorySwap(spec.memoryBytes())
                .withPidsLimit(spec.pidsLimit())
                // a CFS quota rather than NanoCpus: the same limit, but Docker refuses NanoCpus above the host's
                // CPU count (where a quota simply does not limit), and a container made with one cannot be updated
                // with the other
                .withCpuPeriod(CPU_PERIOD_MICROS)
                .withCpuQuota(cpuQuotaMicros(spec.cpuMillis()))
                .withUlimits(List.of(new Ulimit("nofile", 1024L, 1024L)))
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", Long.toString(spec.logMaxBytes()), "max-file", "1")));
        if (spec.bindSource() != null) {
            host.withBinds(new Bind(spec.bindSource(), new Volume(spec.bindTarget()), AccessMode.rw));
        }
        return host;
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
    public void updateLimits(String containerId, long memoryBytes, long cpuMillis) {
        try {
            docker.updateContainerCmd(containerId).withMemory(memoryBytes).withMemorySwap(memoryBytes)
                    .withCpuPeriod(CPU_PERIOD_MICROS).withCpuQuota(cpuQuotaMicros(cpuMillis)).exec();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not change the limits of container " + shortId(containerId)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The CFS quota of {@code cpuMillis} thousandths of a CPU per {@link #CPU_PERIOD_MICROS}. */
    static long cpuQuotaMicros(long cpuMillis) {
        return cpuMillis * CPU_PERIOD_MICROS / 1000;
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
    public Optional<String> containerId(String nameOrId) {
        try {
            return Optional.ofNullable(docker.inspectContainerCmd(nameOrId).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not inspect container " + nameOrId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(String containerId, Duration timeout) {
        try {
            docker.stopContainerCmd(containerId).withTimeout((int) Math.max(1, timeout.toSeconds())).exec();
        } catch (NotFoundException | NotModifiedException e) {
            // gone, or stopped already
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not stop container " + shortId(containerId) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void rename(String containerId, String name) {
        try {
            docker.renameContainerCmd(containerId).withName(name).exec();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not rename container " + shortId(containerId) + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String logTail(String containerId, int lines) {
        var text = new StringBuilder();
        try {
            docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            synchronized (text) {
                                text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                            }
                        }
                    }).awaitCompletion(5, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not read the log of container " + shortId(containerId) + ": "
                    + e.getMessage(), e);
        }
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public Set<String> ociRuntimes() {
        try {
            Map<String, ?> runtimes = docker.infoCmd().exec().getRuntimes();
            return runtimes != null ? Set.copyOf(runtimes.keySet()) : Set.of();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not read the engine's OCI runtimes: " + e.getMessage(), e);
        }
    }

    @Override
    public void ensureIsolatedNetwork(String name) {
        try {
            Optional<Network> existing = find(name);
            if (existing.isEmpty()) {
                try {
                    docker.createNetworkCmd()
                            .withName(name)
                            .withDriver("bridge")
                            .withCheckDuplicate(true)
                            .withOptions(Map.of(ICC_OPTION, "false"))
                            .withLabels(Map.of("io.cloudfunc.managed", "true"))
                            .exec();
                    return;
                } catch (ConflictException e) {
                    existing = find(name); // another manager created it meanwhile: check it like any other
                }
            }
            Map<String, String> options = existing.map(Network::getOptions).orElse(Map.of());
            if (existing.isEmpty() || !"false".equals(options != null ? options.get(ICC_OPTION) : null)) {
                throw new ContainerEngineException("network " + name + " exists but lets containers reach each other"
                        + " (" + ICC_OPTION + " is not false): remove it, the manager creates it as needed", null);
            }
        } catch (ContainerEngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not create network " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void ensureNetwork(String name) {
        try {
            if (find(name).isEmpty()) {
                try {
                    docker.createNetworkCmd()
                            .withName(name)
                            .withDriver("bridge")
                            .withCheckDuplicate(true)
                            .withLabels(Map.of("io.cloudfunc.managed", "true"))
                            .exec();
                } catch (ConflictException e) {
                    // another manager created it meanwhile
                }
            }
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not create network " + name + ": " + e.getMessage(), e);
        }
    }

    private Optional<Network> find(String name) {
        // the name filter matches substrings: keep the exact name only
        return docker.listNetworksCmd().withNameFilter(name).exec().stream()
                .filter(n -> name.equals(n.getName()))
                .findFirst();
    }

    @Override
    public void ping() {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("the Docker engine does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public AttachedRun runAttached(String containerId, byte[] stdin, int maxStdout, int maxStderr,
                                   Duration timeout) {
        return new AttachedRunner(docker, dockerHost, containerId).run(stdin, maxStdout, maxStderr, timeout);
    }

    @Override
    public Optional<ImageSummary> inspectImage(String reference) {
        try {
            InspectImageResponse image = docker.inspectImageCmd(reference).exec();
            ContainerConfig config = image.getConfig();
            return Optional.of(new ImageSummary(image.getId(),
                    image.getRepoTags() != null ? List.copyOf(image.getRepoTags()) : List.of(),
                    image.getSize() != null ? image.getSize() : 0,
                    parseCreated(image.getCreated()),
                    config != null && config.getLabels() != null ? Map.copyOf(config.getLabels()) : Map.of(),
                    config != null && config.getUser() != null ? config.getUser() : ""));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not inspect image " + reference + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<ImageSummary> listImages() {
        try {
            return docker.listImagesCmd().exec().stream()
                    .filter(image -> image.getRepoTags() != null)
                    .map(image -> new ImageSummary(image.getId(),
                            Arrays.stream(image.getRepoTags()).filter(tag -> !tag.equals("<none>:<none>")).toList(),
                            image.getSize() != null ? image.getSize() : 0,
                            image.getCreated() != null ? Instant.ofEpochSecond(image.getCreated()) : Instant.EPOCH,
                            image.getLabels() != null ? Map.copyOf(image.getLabels()) : Map.of(),
                            ""))
                    .filter(image -> !image.tags().isEmpty())
                    .toList();
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not list images: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> loadImages(InputStream archive) {
        List<String> loaded = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try {
            docker.loadImageAsyncCmd(archive).exec(new ResultCallback.Adapter<LoadResponseItem>() {
                @Override
                public void onNext(LoadResponseItem item) {
                    if (item.getErrorDetail() != null || item.getError() != null) {
                        errors.add(item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                                ? item.getErrorDetail().getMessage() : item.getError());
                    } else if (item.getStream() != null) {
                        // "Loaded image: myorg/x:1\n" or, for an archive without tags, "Loaded image ID: sha256:..."
                        Matcher m = LOADED.matcher(item.getStream().strip());
                        if (m.matches()) {
                            loaded.add(m.group(1));
                        }
                    }
                }
            }).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerEngineException("interrupted while loading images", e);
        } catch (DockerException e) {
            if (e.getHttpStatus() != 400 && e.getHttpStatus() != 500) {
                throw new ContainerEngineException("could not load images: " + engineMessage(e), e);
            }
            // the engine answers 500 for an archive it cannot read (no manifest, bad tar): the uploader's fault
            throw new InvalidImageArchiveException(engineMessage(e), e);
        } catch (RuntimeException e) {
            throw new ContainerEngineException("could not load images: "
                    + EngineMessages.withoutPaths(e.getMessage()), e);
        }
        if (!errors.isEmpty()) {
            throw new InvalidImageArchiveException(EngineMessages.withoutPaths(String.join("; ", errors)), null);
        }
        if (loaded.isEmpty()) {
            throw new InvalidImageArchiveException("the archive holds no image", null);
        }
        return loaded;
    }

    /**
     * docker-java puts the status and the whole JSON body in the message; keep the engine's own words, without the
     * paths of its own files (these messages reach the uploader).
     */
    private static String engineMessage(DockerException e) {
        String message = e.getMessage() != null ? e.getMessage() : "";
        Matcher m = ENGINE_MESSAGE.matcher(message);
        return EngineMessages.withoutPaths(m.find() ? m.group(1) : message);
    }

    private static Instant parseCreated(String created) {
        try {
            return created != null ? Instant.parse(created) : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
