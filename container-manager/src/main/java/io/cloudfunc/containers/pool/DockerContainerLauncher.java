package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.code.CodeUnavailableException;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.containers.docker.ContainerEngine.ImageSummary;
import io.cloudfunc.containers.images.ImageProtocol;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.docker.ContainerSpec;
import io.cloudfunc.containers.isolation.ContainerIsolation;
import io.cloudfunc.containers.isolation.IsolationUnavailableException;
import io.cloudfunc.containers.runtime.InitRequest;
import io.cloudfunc.containers.runtime.RuntimeConnection;
import io.cloudfunc.containers.runtime.RuntimeFailure;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.StartType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cold starts on Docker: prepare the container's directory (code linked in, handed to the runtime user), create
 * and start the container, connect to its runtime's socket, take the directory back, send {@code init}. Prewarmed
 * starts do the first half ahead of time without code, and the rest ({@link #specialise}) when a call comes.
 */
final class DockerContainerLauncher implements ContainerLauncher {

    private static final Logger log = LoggerFactory.getLogger(DockerContainerLauncher.class);
    static final String MOUNT_POINT = "/cloudfunc";
    static final String SOCKET_NAME = "runtime.sock";
    /** How long after a prewarmed container took its function it is renamed after it. */
    static final long RENAME_DELAY_MS = 1_000;
    private static final int DEFAULT_MEMORY_MB = 128;
    /** How much of a dying runtime's last output an error message quotes. */
    private static final int LAST_WORDS = 400;
    /** Removals Docker refused are tried again this often, this many times (a daemon restart takes seconds). */
    private static final Duration REMOVAL_RETRY = Duration.ofSeconds(2);
    private static final int REMOVAL_ATTEMPTS = 30;

    private final ContainerEngine engine;
    private final CodeCache codeCache;
    private final ContainerDirectories directories;
    private final ContainerManagerProperties properties;
    private final ContainerIsolation isolation;
    private final JsonMapper json;
    private final ScheduledExecutorService timer;
    private final SecretsSource secrets;

    DockerContainerLauncher(ContainerEngine engine, CodeCache codeCache, ContainerDirectories directories,
                            ContainerManagerProperties properties, ContainerIsolation isolation, JsonMapper json,
                            ScheduledExecutorService timer, SecretsSource secrets) {
        this.secrets = secrets;
        this.engine = engine;
        this.isolation = isolation;
        this.codeCache = codeCache;
        this.directories = directories;
        this.properties = properties;
        this.json = json;
        this.timer = timer;
    }

    @Override
    public LaunchedContainer launch(String key, FunctionVersionView function, Supplier<Path> code)
            throws NoContainerException {
        String image;
        String codeDir = MOUNT_POINT + "/code";
        String handler = function.handler();
        if (ImageProtocol.RUNTIME.equals(function.runtime())) {
            // An image embedding the runtime protocol: its own image, code baked in where its labels say.
            ImageSummary own = ownImage(function);
            image = function.image();
            codeDir = own.labels().getOrDefault(ImageProtocol.CODE_DIR_LABEL, codeDir);
            if (handler == null || handler.isBlank()) {
                handler = own.labels().getOrDefault(ImageProtocol.HANDLER_LABEL, "function.handler");
            }
        } else {
            image = imageOf(function.runtime());
        }
        ContainerIsolation.Settings isolated;
        try {
            isolated = isolation.settingsFor(function);
        } catch (IsolationUnavailableException e) {
            throw NoContainerException.platform(e.type(), e.getMessage(), e);
        }
        long start = System.nanoTime();
        Path directory = directories.of(key);
        String containerId = null;
        List<RuntimeConnection> connections = new ArrayList<>();
        Phase phase = Phase.PREPARE;
        try {
            Path cached = code.get();
            directories.create(key);
            codeCache.install(cached, directory.resolve("code"));
            directories.handToRuntime(directory);
            long prepared = System.nanoTime();

            phase = Phase.CREATE;
            containerId = engine.create(spec(key, function, image, directory, isolated));
            long created = System.nanoTime();
            phase = Phase.START;
            engine.start(containerId);
            long started = System.nanoTime();

            phase = Phase.CONNECT;
            connections.add(connect(directory, containerId, properties.timeouts().socketConnect()));
            directories.takeBack(directory);
            long connected = System.nanoTime();

            phase = Phase.INIT;
            init(key, function, handler, codeDir, connections, directory, containerId, StartType.COLD);
            long ready = System.nanoTime();
            log.info("Container started: {} for {} v{} in {} ms (prepare {}, create {}, start {}, connect {},"
                            + " init {})", containerId.substring(0, Math.min(12, containerId.length())),
                    function.functionName(), function.version(), millis(ready - start),
                    millis(prepared - start), millis(created - prepared), millis(started - created),
                    millis(connected - started), millis(ready - connected));
            return new LaunchedContainer(containerId, directory, connections);
        } catch (NoContainerException e) {
            cleanUp(key, containerId, connections);
            throw e;
        } catch (RuntimeFailure e) {
            NoContainerException failure = startFailure(phase, e, containerId, function, StartType.COLD);
            cleanUp(key, containerId, connections);
            throw failure;
        } catch (ContainerEngineException e) {
            cleanUp(key, containerId, connections);
            throw NoContainerException.platform("PlatformError", e.getMessage(), e);
        } catch (CodeUnavailableException e) {
            cleanUp(key, containerId, connections);
            throw NoContainerException.platform("CodeUnavailable", e.getMessage(), e);
        } catch (IOException e) {
            cleanUp(key, containerId, connections);
            throw NoContainerException.platform("PlatformError", "cannot prepare the container's directory: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) { // e.g. the registry is down while fetching the code: the caller decides
            cleanUp(key, containerId, connections);
            throw e;
        }
    }

    private ImageSummary ownImage(FunctionVersionView function) throws NoContainerException {
        try {
            return engine.inspectImage(function.image()).orElseThrow(() -> new NoContainerException(
                    FunctionError.of("ImageNotFound", "image " + function.image() + " is not on the platform's"
                            + " Docker engine: upload it with cloudfunc images upload"), ErrorKind.FUNCTION,
                    StartType.COLD, null));
        } catch (ContainerEngineException e) {
            throw NoContainerException.platform("PlatformError", e.getMessage(), e);
        }
    }

    @Override
    public LaunchedContainer launchGeneric(String key, String runtime) throws NoContainerException {
        String image = imageOf(runtime);
        Path directory = directories.of(key);
        String containerId = null;
        List<RuntimeConnection> connections = new ArrayList<>();
        try {
            directories.create(key);
            directories.handToRuntime(directory);
            containerId = engine.create(genericSpec(key, runtime, image, directory));
            engine.start(containerId);
            connections.add(connect(directory, containerId, properties.timeouts().socketConnect()));
            directories.takeBack(directory);
            return new LaunchedContainer(containerId, directory, connections);
        } catch (RuntimeFailure | ContainerEngineException | IOException e) {
            cleanUp(key, containerId, connections);
            throw NoContainerException.platform("PlatformError", "the prewarmed " + runtime + " container did not"
                    + " start: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cleanUp(key, containerId, connections);
            throw e;
        }
    }

    /**
     * The prewarmed path of a cold start: what a new container would need, minus create and start. The code is
     * linked into the directory the runtime already sees, the memory and CPU limits changed only if the function's
     * differ from the prewarmed one's, then {@code init} goes over the open connection.
     */
    @Override
    public LaunchedContainer specialise(String key, LaunchedContainer generic, FunctionVersionView function,
                                        Supplier<Path> code) throws NoContainerException {
        long start = System.nanoTime();
        Path directory = generic.directory();
        List<RuntimeConnection> connections = new ArrayList<>(generic.connections());
        try {
            codeCache.install(code.get(), directory.resolve("code"));
            long installed = System.nanoTime();
            long memory = memoryMb(function) * 1024L * 1024L;
            long cpuMillis = properties.limits().cpuMillis(function.cpuMillis());
            if (memory != properties.pool().prewarmMemory().toBytes()
                    || cpuMillis != properties.limits().cpuMillis(null)) {
                engine.updateLimits(generic.containerId(), memory, cpuMillis);
            }
            long updated = System.nanoTime();
            init(key, function, function.handler(), MOUNT_POINT + "/code", connections, directory,
                    generic.containerId(), StartType.PREWARMED);
            log.debug("Specialised container {} for {} v{}: install {} us, limits {} us, init {} us", key,
                    function.functionName(), function.version(), (installed - start) / 1000,
                    (updated - installed) / 1000, (System.nanoTime() - updated) / 1000);
            renameLater(generic.containerId(), containerName(function, key));
            return new LaunchedContainer(generic.containerId(), directory, connections);
        } catch (RuntimeFailure e) {
            connections.forEach(RuntimeConnection::close);
            throw startFailure(Phase.INIT, e, generic.containerId(), function, StartType.PREWARMED);
        } catch (ContainerEngineException e) {
            throw NoContainerException.platform("PlatformError", e.getMessage(), e);
        } catch (CodeUnavailableException e) {
            throw NoContainerException.platform("CodeUnavailable", e.getMessage(), e);
        } catch (IOException e) {
            throw NoContainerException.platform("PlatformError", "cannot install the code in the prewarmed"
                    + " container: " + e.getMessage(), e);
        }
    }

    private static String containerName(FunctionVersionView function, String key) {
        return "cloudfunc-" + function.functionName() + "-v" + function.version() + "-" + key.substring(0, 8);
    }

    /**
     * A specialised container takes its function's name, so that {@code docker ps} says what it runs (its labels
     * still say prewarmed: Docker cannot change them). Off the call's path, and a moment after it: on a small machine
     * dockerd's work would compete with the first call for the CPU. A failure only leaves the old name.
     */
    private void renameLater(String containerId, String name) {
        Thread.ofVirtual().name("rename-" + name).start(() -> {
            try {
                Thread.sleep(RENAME_DELAY_MS);
                engine.rename(containerId, name);
            } catch (ContainerEngineException e) {
                log.debug("Could not rename container {}: {}", containerId, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Sends init over the first connection, then opens one more connection per extra call slot. */
    private void init(String key, FunctionVersionView function, String handler, String codeDir,
                      List<RuntimeConnection> connections, Path directory, String containerId, StartType startType)
            throws NoContainerException, RuntimeFailure {
        int concurrency = Math.max(1, function.concurrency());
        ContainerManagerProperties.Timeouts timeouts = properties.timeouts();
        // Secrets go into the runtime's environment through init only: never into the container's own
        // environment, where docker inspect would show them.
        Optional<FunctionError> initError = connections.getFirst().init(new InitRequest(handler,
                codeDir, environment(function),
                function.functionName(), function.version(), memoryMb(function), function.timeoutMs(), concurrency),
                timeouts.init());
        if (initError.isPresent()) {
            log.info("Function {} v{} failed to load in container {}: {}: {}", function.functionName(),
                    function.version(), key, initError.get().type(), initError.get().message());
            throw new NoContainerException(initError.get(), ErrorKind.FUNCTION, startType, null);
        }
        while (connections.size() < concurrency) {
            connections.add(connect(directory, containerId, timeouts.init()));
        }
    }

    private RuntimeConnection connect(Path directory, String containerId, Duration timeout) throws RuntimeFailure {
        ContainerManagerProperties.Timeouts timeouts = properties.timeouts();
        return RuntimeConnection.open(directory.resolve(SOCKET_NAME), timeout, timeouts.socketPoll(),
                () -> isRunning(containerId), (int) properties.limits().maxFrame().toBytes(), json, timer);
    }

    private String imageOf(String runtime) throws NoContainerException {
        ContainerManagerProperties.RuntimeImage image = properties.runtimes().get(runtime);
        if (image == null) {
            throw NoContainerException.platform("UnsupportedRuntime", "this container-manager has no image for"
                    + " runtime '" + runtime + "' (known: " + properties.runtimes().keySet() + ")", null);
        }
        return image.image();
    }

    @Override
    public Set<String> runningKeys() {
        Set<String> keys = new HashSet<>();
        for (ContainerEngine.ContainerSummary summary : engine.list(Map.of(Labels.MANAGED, "true",
                Labels.MANAGER, properties.node()))) {
            if ("running".equals(summary.state()) && summary.labels().get(Labels.KEY) != null) {
                keys.add(summary.labels().get(Labels.KEY));
            }
        }
        return keys;
    }

    private Map<String, String> environment(FunctionVersionView function) {
        Map<String, String> env = function.env() != null ? function.env() : Map.of();
        if (function.secretNames() == null || function.secretNames().isEmpty()) {
            return env;
        }
        Map<String, String> merged = new java.util.HashMap<>(env);
        merged.putAll(secrets.secretsOf(function));
        return merged;
    }

    /** Where the secrets of a version come from (the registry's internal API); asked at each cold start. */
    @FunctionalInterface
    interface SecretsSource {
        Map<String, String> secretsOf(FunctionVersionView function);
    }

    @Override
    public void destroy(String key, LaunchedContainer container) {
        if (container != null) {
            container.connections().forEach(RuntimeConnection::close);
            try {
                engine.remove(container.containerId());
            } catch (ContainerEngineException e) {
                log.warn("Could not remove container {} (trying again): {}", key, e.getMessage());
                removeLater(key, container.containerId(), 1);
            }
        }
        directories.delete(directories.of(key));
    }

    /**
     * Tries again to remove a container Docker could not remove (the engine restarting, say), every
     * {@link #REMOVAL_RETRY} for up to {@link #REMOVAL_ATTEMPTS} tries, so that none is left behind once the engine
     * answers again. The removal runs on a virtual thread, never on the timer's.
     */
    private void removeLater(String key, String containerId, int attempt) {
        if (attempt > REMOVAL_ATTEMPTS) {
            log.warn("Gave up removing container {} ({}) after {} tries", key, containerId, REMOVAL_ATTEMPTS);
            return;
        }
        timer.schedule(() -> Thread.ofVirtual().name("remove-" + key).start(() -> {
            try {
                engine.remove(containerId);
                log.info("Removed container {} on try {}", key, attempt + 1);
            } catch (ContainerEngineException e) {
                removeLater(key, containerId, attempt + 1);
            }
        }), REMOVAL_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<ContainerStatus> exitStatus(LaunchedContainer container) {
        return waitForExit(container.containerId());
    }

    private Optional<ContainerStatus> waitForExit(String containerId) {
        // The socket closes a moment before Docker has recorded the exit (and the OOM flag): look a few times.
        Optional<ContainerStatus> status = Optional.empty();
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                status = engine.inspect(containerId);
            } catch (ContainerEngineException e) {
                return Optional.empty();
            }
            if (status.isEmpty() || !status.get().running()) {
                return status;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return status;
    }

    /** What a runtime that died while loading wrote last (its own stderr: a JVM error, an exit message), if any. */
    private String lastWords(String containerId) {
        String tail;
        try {
            tail = engine.logTail(containerId, 5).strip();
        } catch (ContainerEngineException e) {
            return "";
        }
        if (tail.isEmpty()) {
            return "";
        }
        log.warn("Container {} exited while loading its function; its last output:\n{}", containerId.substring(0, Math.min(12, containerId.length())),
                tail);
        String oneLine = tail.replaceAll("\\s*\\R\\s*", " | ");
        return ": " + (oneLine.length() > LAST_WORDS ? "..." + oneLine.substring(oneLine.length() - LAST_WORDS)
                : oneLine);
    }

    private NoContainerException startFailure(Phase phase, RuntimeFailure failure, String containerId,
                                              FunctionVersionView function, StartType startType) {
        if (phase == Phase.INIT && failure.kind() == RuntimeFailure.Kind.TIMED_OUT) {
            return new NoContainerException(FunctionError.of("InitTimeoutError", "loading the function took longer"
                    + " than " + properties.timeouts().init().toMillis() + " ms"), ErrorKind.FUNCTION,
                    startType, failure);
        }
        if (phase == Phase.INIT && failure.kind() == RuntimeFailure.Kind.CONNECTION_LOST) {
            // The process died while importing the user's module: out of memory, or the module exited.
            Optional<ContainerStatus> status = waitForExit(containerId);
            if (status.isPresent() && status.get().oomKilled()) {
                return new NoContainerException(FunctionError.of("OutOfMemoryError", "the function ran out of"
                        + " memory while loading (limit " + memoryMb(function) + " MB)"), ErrorKind.FUNCTION,
                        startType, failure);
            }
            String exit = status.map(s -> s.exitCode() != null ? " with code " + s.exitCode() : "").orElse("");
            return new NoContainerException(FunctionError.of("RuntimeExited", "the runtime exited" + exit
                    + " while loading the function" + lastWords(containerId)), ErrorKind.FUNCTION, startType,
                    failure);
        }
        String detail = failure.getMessage();
        if (phase == Phase.CONNECT && containerId != null) {
            Optional<ContainerStatus> status = waitForExit(containerId);
            if (status.isPresent() && !status.get().running() && status.get().exitCode() != null) {
                detail += " (container exited with code " + status.get().exitCode() + ")";
            }
        }
        return NoContainerException.platform("PlatformError", "the " + function.runtime()
                + " runtime did not start: " + detail, failure);
    }

    private ContainerSpec spec(String key, FunctionVersionView function, String image, Path directory,
                               ContainerIsolation.Settings isolated) {
        ContainerManagerProperties.Limits limits = properties.limits();
        String uid = Integer.toString(properties.runtimeUid());
        return new ContainerSpec(
                containerName(function, key),
                image,
                uid + ":" + uid,
                Map.of(Labels.MANAGED, "true",
                        Labels.FUNCTION, function.functionName(),
                        Labels.VERSION, Integer.toString(function.version()),
                        Labels.RUNTIME, function.runtime(),
                        Labels.MANAGER, properties.node(),
                        Labels.KEY, key),
                List.of("CLOUDFUNC_SOCKET=" + MOUNT_POINT + "/" + SOCKET_NAME),
                directory.toString(),
                MOUNT_POINT,
                memoryMb(function) * 1024L * 1024L,
                limits.pidsLimit(),
                limits.cpuMillis(function.cpuMillis()),
                limits.tmpfsSize().toBytes(),
                limits.logMaxSize().toBytes(),
                isolated.network(),
                isolated.ociRuntime());
    }

    /** A container of no function yet: same isolation, the prewarm memory limit, no function labels. */
    private ContainerSpec genericSpec(String key, String runtime, String image, Path directory) {
        ContainerManagerProperties.Limits limits = properties.limits();
        String uid = Integer.toString(properties.runtimeUid());
        return new ContainerSpec(
                "cloudfunc-prewarm-" + runtime + "-" + key.substring(0, 8),
                image,
                uid + ":" + uid,
                Map.of(Labels.MANAGED, "true",
                        Labels.PREWARMED, "true",
                        Labels.RUNTIME, runtime,
                        Labels.MANAGER, properties.node(),
                        Labels.KEY, key),
                List.of("CLOUDFUNC_SOCKET=" + MOUNT_POINT + "/" + SOCKET_NAME),
                directory.toString(),
                MOUNT_POINT,
                properties.pool().prewarmMemory().toBytes(),
                limits.pidsLimit(),
                limits.cpuMillis(null),
                limits.tmpfsSize().toBytes(),
                limits.logMaxSize().toBytes(),
                // only functions with these settings may take a prewarmed container (ContainerIsolation.isDefault)
                ContainerSpec.NO_NETWORK,
                isolation.defaultOciRuntime());
    }

    private boolean isRunning(String containerId) {
        try {
            return engine.inspect(containerId).map(ContainerStatus::running).orElse(false);
        } catch (ContainerEngineException e) {
            return true; // cannot tell: keep waiting until the connect timeout
        }
    }

    private void cleanUp(String key, String containerId, List<RuntimeConnection> connections) {
        connections.forEach(RuntimeConnection::close);
        if (containerId != null) {
            try {
                engine.remove(containerId);
            } catch (ContainerEngineException e) {
                log.warn("Could not remove container {} after a failed start: {}", key, e.getMessage());
            }
        }
        directories.delete(directories.of(key));
    }

    private static int memoryMb(FunctionVersionView function) {
        return function.memoryMb() > 0 ? function.memoryMb() : DEFAULT_MEMORY_MB;
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    private enum Phase { PREPARE, CREATE, START, CONNECT, INIT }
}
