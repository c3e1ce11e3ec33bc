package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.code.CodeUnavailableException;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.docker.ContainerSpec;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cold starts on Docker: prepare the container's directory (code linked in, handed to the runtime user), create
 * and start the container, connect to its runtime's socket, take the directory back, send {@code init}.
 */
final class DockerContainerLauncher implements ContainerLauncher {

    private static final Logger log = LoggerFactory.getLogger(DockerContainerLauncher.class);
    static final String MOUNT_POINT = "/cloudfunc";
    static final String SOCKET_NAME = "runtime.sock";
    private static final int DEFAULT_MEMORY_MB = 128;

    private final ContainerEngine engine;
    private final CodeCache codeCache;
    private final ContainerDirectories directories;
    private final ContainerManagerProperties properties;
    private final JsonMapper json;
    private final ScheduledExecutorService timer;

    DockerContainerLauncher(ContainerEngine engine, CodeCache codeCache, ContainerDirectories directories,
                            ContainerManagerProperties properties, JsonMapper json, ScheduledExecutorService timer) {
        this.engine = engine;
        this.codeCache = codeCache;
        this.directories = directories;
        this.properties = properties;
        this.json = json;
        this.timer = timer;
    }

    @Override
    public LaunchedContainer launch(String key, FunctionVersionView function, Supplier<Path> code)
            throws NoContainerException {
        ContainerManagerProperties.RuntimeImage image = properties.runtimes().get(function.runtime());
        if (image == null) {
            throw NoContainerException.platform("UnsupportedRuntime", "this container-manager has no image for"
                    + " runtime '" + function.runtime() + "' (known: " + properties.runtimes().keySet() + ")", null);
        }
        long start = System.nanoTime();
        Path directory = directories.of(key);
        String containerId = null;
        RuntimeConnection connection = null;
        Phase phase = Phase.PREPARE;
        try {
            Path cached = code.get();
            directories.create(key);
            codeCache.install(cached, directory.resolve("code"));
            directories.handToRuntime(directory);
            long prepared = System.nanoTime();

            phase = Phase.CREATE;
            containerId = engine.create(spec(key, function, image.image(), directory));
            long created = System.nanoTime();
            phase = Phase.START;
            engine.start(containerId);
            long started = System.nanoTime();

            phase = Phase.CONNECT;
            String id = containerId;
            ContainerManagerProperties.Timeouts timeouts = properties.timeouts();
            connection = RuntimeConnection.open(directory.resolve(SOCKET_NAME), timeouts.socketConnect(),
                    timeouts.socketPoll(), () -> isRunning(id), (int) properties.limits().maxFrame().toBytes(), json,
                    timer);
            directories.takeBack(directory);
            long connected = System.nanoTime();

            phase = Phase.INIT;
            Optional<FunctionError> initError = connection.init(new InitRequest(function.handler(),
                    MOUNT_POINT + "/code", function.env() != null ? function.env() : Map.of(),
                    function.functionName(), function.version(), memoryMb(function), function.timeoutMs()),
                    timeouts.init());
            if (initError.isPresent()) {
                log.info("Function {} v{} failed to load in container {}: {}: {}", function.functionName(),
                        function.version(), key, initError.get().type(), initError.get().message());
                throw new NoContainerException(initError.get(), ErrorKind.FUNCTION, StartType.COLD, null);
            }
            long ready = System.nanoTime();
            log.info("Cold start of {} v{}: container {} ready in {} ms (prepare {}, create {}, start {}, connect {},"
                            + " init {})", function.functionName(), function.version(), key, millis(ready - start),
                    millis(prepared - start), millis(created - prepared), millis(started - created),
                    millis(connected - started), millis(ready - connected));
            return new LaunchedContainer(containerId, directory, connection);
        } catch (NoContainerException e) {
            cleanUp(key, containerId, connection);
            throw e;
        } catch (RuntimeFailure e) {
            NoContainerException failure = startFailure(phase, e, containerId, function);
            cleanUp(key, containerId, connection);
            throw failure;
        } catch (ContainerEngineException e) {
            cleanUp(key, containerId, connection);
            throw NoContainerException.platform("PlatformError", e.getMessage(), e);
        } catch (CodeUnavailableException e) {
            cleanUp(key, containerId, connection);
            throw NoContainerException.platform("CodeUnavailable", e.getMessage(), e);
        } catch (IOException e) {
            cleanUp(key, containerId, connection);
            throw NoContainerException.platform("PlatformError", "cannot prepare the container's directory: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) { // e.g. the registry is down while fetching the code: the caller decides
            cleanUp(key, containerId, connection);
            throw e;
        }
    }

    @Override
    public void destroy(String key, LaunchedContainer container) {
        if (container != null) {
            container.connection().close();
            try {
                engine.remove(container.containerId());
            } catch (ContainerEngineException e) {
                log.warn("Could not remove container {}: {}", key, e.getMessage());
            }
        }
        directories.delete(directories.of(key));
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

    private NoContainerException startFailure(Phase phase, RuntimeFailure failure, String containerId,
                                              FunctionVersionView function) {
        if (phase == Phase.INIT && failure.kind() == RuntimeFailure.Kind.TIMED_OUT) {
            return new NoContainerException(FunctionError.of("InitTimeoutError", "loading the function took longer"
                    + " than " + properties.timeouts().init().toMillis() + " ms"), ErrorKind.FUNCTION,
                    StartType.COLD, failure);
        }
        if (phase == Phase.INIT && failure.kind() == RuntimeFailure.Kind.CONNECTION_LOST) {
            // The process died while importing the user's module: out of memory, or the module exited.
            Optional<ContainerStatus> status = waitForExit(containerId);
            if (status.isPresent() && status.get().oomKilled()) {
                return new NoContainerException(FunctionError.of("OutOfMemoryError", "the function ran out of"
                        + " memory while loading (limit " + memoryMb(function) + " MB)"), ErrorKind.FUNCTION,
                        StartType.COLD, failure);
            }
            String exit = status.map(s -> s.exitCode() != null ? " with code " + s.exitCode() : "").orElse("");
            return new NoContainerException(FunctionError.of("RuntimeExited", "the runtime exited" + exit
                    + " while loading the function"), ErrorKind.FUNCTION, StartType.COLD, failure);
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

    private ContainerSpec spec(String key, FunctionVersionView function, String image, Path directory) {
        ContainerManagerProperties.Limits limits = properties.limits();
        String uid = Integer.toString(properties.runtimeUid());
        return new ContainerSpec(
                "cloudfunc-" + function.functionName() + "-v" + function.version() + "-" + key.substring(0, 8),
                image,
                uid + ":" + uid,
                Map.of(Labels.MANAGED, "true",
                        Labels.FUNCTION, function.functionName(),
                        Labels.VERSION, Integer.toString(function.version()),
                        Labels.MANAGER, properties.node(),
                        Labels.KEY, key),
                List.of("CLOUDFUNC_SOCKET=" + MOUNT_POINT + "/" + SOCKET_NAME),
                directory.toString(),
                MOUNT_POINT,
                memoryMb(function) * 1024L * 1024L,
                limits.pidsLimit(),
                Math.round(limits.cpus() * 1_000_000_000d),
                limits.tmpfsSize().toBytes(),
                limits.logMaxSize().toBytes());
    }

    private boolean isRunning(String containerId) {
        try {
            return engine.inspect(containerId).map(ContainerStatus::running).orElse(false);
        } catch (ContainerEngineException e) {
            return true; // cannot tell: keep waiting until the connect timeout
        }
    }

    private void cleanUp(String key, String containerId, RuntimeConnection connection) {
        if (connection != null) {
            connection.close();
        }
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
