package io.cloudfunc.containers.oneshot;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.docker.ContainerEngine;
import io.cloudfunc.containers.docker.ContainerEngine.AttachedRun;
import io.cloudfunc.containers.docker.ContainerEngine.ImageSummary;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.docker.ContainerSpec;
import io.cloudfunc.containers.isolation.ContainerIsolation;
import io.cloudfunc.containers.isolation.IsolationUnavailableException;
import io.cloudfunc.containers.images.ImageCatalog;
import io.cloudfunc.containers.images.ImageProtocol;
import io.cloudfunc.containers.pool.Labels;
import io.cloudfunc.containers.pool.NoContainerException;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs calls of functions whose image speaks the stdin/stdout contract: {@code docker run -i --rm} with the same
 * isolation as pooled containers. The event JSON is written to the process's stdin, which is then closed; the
 * process prints one JSON value on stdout and exits 0. Its stderr is the call's logs.
 */
@Service
public class OneShotRunner {

    private static final Logger log = LoggerFactory.getLogger(OneShotRunner.class);
    private static final String TRUNCATED = "\n...[truncated]";
    private static final int ERROR_TAIL = 1000;
    private static final int DEFAULT_MEMORY_MB = 128;
    /**
     * How long an image seen to embed the runtime protocol is taken for one without asking the engine again: spares
     * warm calls of pooled images an inspect each (a few ms); a tag re-uploaded with another protocol is noticed
     * after this long.
     */
    private static final long SOCKET_MEMORY_NANOS = Duration.ofSeconds(10).toNanos();
    /** Marks one-shot containers for operators ({@code docker ps --filter label=io.cloudfunc.oneshot}). */
    static final String ONESHOT_LABEL = "io.cloudfunc.oneshot";

    private final ContainerEngine engine;
    private final OneShotCapacity capacity;
    private final ContainerIsolation isolation;
    private final ImageCatalog images;
    private final ContainerManagerProperties properties;
    private final JsonMapper json;
    private final ExecutorService background;
    private final Map<String, Long> socketImagesSeen = new ConcurrentHashMap<>();

    OneShotRunner(ContainerEngine engine, ImageCatalog images, ContainerManagerProperties properties,
                  ContainerIsolation isolation, JsonMapper json,
                  @Qualifier("cloudfuncBackground") ExecutorService background, OneShotCapacity capacity) {
        this.capacity = capacity;
        this.engine = engine;
        this.isolation = isolation;
        this.images = images;
        this.properties = properties;
        this.json = json;
        this.background = background;
    }

    /**
     * Runs the call when the function's image speaks stdin/stdout; empty when it embeds the runtime protocol (the
     * pool runs it) or the function is not of runtime {@code image}.
     */
    public Optional<OneShotResult> runIfOneShot(FunctionVersionView function, UUID id, JsonNode event) {
        if (!ImageProtocol.RUNTIME.equals(function.runtime())) {
            return Optional.empty();
        }
        Long seen = socketImagesSeen.get(function.image());
        if (seen != null && System.nanoTime() - seen < SOCKET_MEMORY_NANOS) {
            return Optional.empty();
        }
        Optional<ImageSummary> image;
        try {
            image = images.find(function.image());
        } catch (ContainerEngineException e) {
            return Optional.of(OneShotResult.notStarted(FunctionError.of("PlatformError", e.getMessage()),
                    ErrorKind.PLATFORM, 0));
        }
        if (image.isEmpty()) {
            return Optional.of(OneShotResult.notStarted(FunctionError.of("ImageNotFound", "image "
                    + function.image() + " is not on the platform's Docker engine: upload it with cloudfunc images"
                    + " upload"), ErrorKind.FUNCTION, 0));
        }
        if (ImageProtocol.of(image.get()) == ImageProtocol.SOCKET) {
            socketImagesSeen.put(function.image(), System.nanoTime());
            return Optional.empty();
        }
        socketImagesSeen.remove(function.image());
        // the one-shot container counts in the node's budget like a pooled one, for as long as it runs
        try (OneShotCapacity.Room room = capacity.reserve(function)) {
            OneShotResult result = run(function, id, event, image.get());
            if (result.startType() != null) {
                room.started();
            }
            return Optional.of(result);
        } catch (NoContainerException e) {
            return Optional.of(OneShotResult.notStarted(e.error(), e.kind(), 0));
        }
    }

    OneShotResult run(FunctionVersionView function, UUID id, JsonNode event, ImageSummary image) {
        ContainerManagerProperties.Images limits = properties.images();
        byte[] stdin = json.writeValueAsBytes(event);
        ContainerIsolation.Settings isolated;
        try {
            isolated = isolation.settingsFor(function);
        } catch (IsolationUnavailableException e) {
            return OneShotResult.notStarted(FunctionError.of(e.type(), e.getMessage()), ErrorKind.PLATFORM, 0);
        }
        String containerId;
        try {
            containerId = engine.createWithStdin(spec(function, id, image, isolated));
        } catch (ContainerEngineException e) {
            return OneShotResult.notStarted(FunctionError.of("PlatformError", e.getMessage()), ErrorKind.PLATFORM, 0);
        }
        long start = System.nanoTime();
        try {
            AttachedRun run = engine.runAttached(containerId, stdin, (int) limits.maxOutput().toBytes(),
                    (int) limits.maxLogs().toBytes(), Duration.ofMillis(function.timeoutMs()));
            long nanos = System.nanoTime() - start;
            OneShotResult result = outcome(function, run, nanos);
            log.info("One-shot container of {} v{} ran in {} ms: {}", function.functionName(), function.version(),
                    Duration.ofNanos(nanos).toMillis(), result.status());
            return result;
        } catch (ContainerEngineException e) {
            // the engine failed to start or attach to it: no run to count as a start
            return OneShotResult.notStarted(FunctionError.of("PlatformError", e.getMessage()), ErrorKind.PLATFORM,
                    System.nanoTime() - start);
        } finally {
            // The answer need not wait for the removal (~100 ms).
            background.execute(() -> remove(containerId));
        }
    }

    private OneShotResult outcome(FunctionVersionView function, AttachedRun run, long nanos) {
        String logs = new String(run.stderr(), StandardCharsets.UTF_8) + (run.stderrOverflow() ? TRUNCATED : "");
        if (run.timedOut()) {
            return OneShotResult.ran(InvocationStatus.TIMED_OUT, null, FunctionError.of("TimeoutError",
                    "the function did not finish within its timeout of " + function.timeoutMs() + " ms"),
                    ErrorKind.FUNCTION, logs, nanos);
        }
        if (run.oomKilled()) {
            return OneShotResult.failed(FunctionError.of("OutOfMemoryError", "the function ran out of memory (limit "
                    + memoryMb(function) + " MB) and its container was killed"), ErrorKind.FUNCTION, logs, nanos);
        }
        if (run.exitCode() == null || run.exitCode() != 0) {
            return OneShotResult.failed(FunctionError.of("NonZeroExit", "the image's process exited with code "
                    + run.exitCode() + tail(logs)), ErrorKind.FUNCTION, logs, nanos);
        }
        if (run.stdoutOverflow()) {
            return OneShotResult.failed(FunctionError.of("ResultTooLarge", "the image wrote more than "
                    + properties.images().maxOutput().toBytes() + " bytes to stdout"), ErrorKind.FUNCTION, logs, nanos);
        }
        String stdout = new String(run.stdout(), StandardCharsets.UTF_8).strip();
        if (stdout.isEmpty()) {
            return OneShotResult.failed(FunctionError.of("InvalidOutput", "the image exited 0 without writing its"
                    + " result (a JSON value) to stdout"), ErrorKind.FUNCTION, logs, nanos);
        }
        try {
            JsonNode result = json.readTree(stdout);
            return OneShotResult.ran(InvocationStatus.SUCCEEDED, result, null, null, logs, nanos);
        } catch (JacksonException e) {
            return OneShotResult.failed(FunctionError.of("InvalidOutput", "the image's stdout is not one JSON value: "
                    + abbreviate(stdout, 200)), ErrorKind.FUNCTION, logs, nanos);
        }
    }

    private ContainerSpec spec(FunctionVersionView function, UUID id, ImageSummary image,
                               ContainerIsolation.Settings isolated) {
        ContainerManagerProperties.Limits limits = properties.limits();
        List<String> env = new ArrayList<>();
        if (function.env() != null) {
            function.env().forEach((k, v) -> env.add(k + "=" + v));
        }
        return new ContainerSpec(
                "cloudfunc-" + function.functionName() + "-v" + function.version() + "-" + id,
                function.image(),
                user(image.user()),
                Map.of(Labels.MANAGED, "true",
                        Labels.FUNCTION, function.functionName(),
                        Labels.VERSION, Integer.toString(function.version()),
                        Labels.MANAGER, properties.node(),
                        ONESHOT_LABEL, "true"),
                env,
                null,
                null,
                memoryMb(function) * 1024L * 1024L,
                limits.pidsLimit(),
                limits.cpuMillis(function.cpuMillis()),
                limits.tmpfsSize().toBytes(),
                limits.logMaxSize().toBytes(),
                isolated.network(),
                isolated.ociRuntime());
    }

    /** The image's own user, unless it is root (or unset, which is root): then the platform's unprivileged uid. */
    String user(String imageUser) {
        String user = imageUser == null ? "" : imageUser.strip();
        String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
        if (name.isEmpty() || name.equals("0") || name.equals("root")) {
            String uid = Integer.toString(properties.runtimeUid());
            return uid + ":" + uid;
        }
        return user;
    }

    private void remove(String containerId) {
        try {
            engine.remove(containerId);
        } catch (ContainerEngineException e) {
            log.warn("Could not remove one-shot container {}: {}", containerId, e.getMessage());
        }
    }

    private static String tail(String logs) {
        String trimmed = logs.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return ": " + (trimmed.length() > ERROR_TAIL ? "..." + trimmed.substring(trimmed.length() - ERROR_TAIL)
                : trimmed);
    }

    private static String abbreviate(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }

    private static int memoryMb(FunctionVersionView function) {
        return function.memoryMb() > 0 ? function.memoryMb() : DEFAULT_MEMORY_MB;
    }
}
