package io.cloudfunc.containers;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the container-manager can be configured with ({@code containers.*}; environment variables by relaxed
 * binding, e.g. {@code CONTAINERS_REGISTRY_URL}, {@code CONTAINERS_POOL_MAX_CONTAINERS}). Defaults live here and
 * only here, in the compact constructors.
 *
 * @param registryUrl base URL of the function-registry's internal API
 * @param dockerHost  Docker engine endpoint ({@code unix:///var/run/docker.sock} or {@code tcp://host:2375})
 * @param socketRoot  host directory holding one sub-directory per container (its code and its runtime's socket),
 *                    bind-mounted into the container. The Docker daemon resolves bind sources on the HOST, so when
 *                    the manager itself runs in a container this path must be mounted at the same path inside it.
 * @param codeCache   directory where code archives are kept unpacked, one directory per SHA-256. Best on the same
 *                    file system as {@code socketRoot}: code is then hard-linked into containers instead of copied.
 * @param runtimes    runtime name (as in a function's {@code runtime}) to the image its containers run
 * @param runtimeUid  uid (and gid) the runtime images run as; the per-container directory is handed to it
 * @param node        this manager's name, put on its containers as the {@code io.cloudfunc.manager} label; at start
 *                    the manager removes containers carrying its own name (left over from a previous life). Give
 *                    each manager sharing one Docker engine a distinct, stable name.
 * @param runningMarkDelay how long a call runs before the registry is told it is RUNNING. Calls that finish sooner
 *                    go from QUEUED straight to their final state (which carries {@code startedAt}), sparing the
 *                    registry one request per fast call; 0 marks every call at once.
 */
@Validated
@ConfigurationProperties("containers")
public record ContainerManagerProperties(
        @NotNull URI registryUrl,
        @NotBlank String dockerHost,
        @NotNull Path socketRoot,
        @NotNull Path codeCache,
        @NotEmpty Map<String, @Valid RuntimeImage> runtimes,
        @Positive int runtimeUid,
        @NotBlank String node,
        @NotNull @Valid Pool pool,
        @NotNull @Valid Limits limits,
        @NotNull @Valid Consumer consumer,
        @NotNull @Valid Timeouts timeouts,
        @NotNull Duration runningMarkDelay) {

    /** Longest path a unix socket address may have (sun_path), including its terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;
    /** Length of {@code /<container key>/runtime.sock} appended to the socket root. */
    static final int SOCKET_SUFFIX_LENGTH = 1 + 16 + "/runtime.sock".length();

    public ContainerManagerProperties {
        registryUrl = registryUrl != null ? registryUrl : URI.create("http://localhost:7000");
        dockerHost = dockerHost != null ? dockerHost : "unix:///var/run/docker.sock";
        socketRoot = (socketRoot != null ? socketRoot : Path.of("/var/lib/cloudfunc/containers")).toAbsolutePath();
        codeCache = (codeCache != null ? codeCache : Path.of("/var/lib/cloudfunc/code-cache")).toAbsolutePath();
        runtimes = runtimes != null && !runtimes.isEmpty()
                ? Map.copyOf(runtimes)
                : Map.of("python", new RuntimeImage("cloudfunc/runtime-python:latest"));
        runtimeUid = runtimeUid != 0 ? runtimeUid : 10001;
        node = node != null ? node : "local";
        pool = pool != null ? pool : new Pool(null, null, 0, null);
        limits = limits != null ? limits : new Limits(0, null, 0, null, null);
        consumer = consumer != null ? consumer : new Consumer(0, 0, null);
        timeouts = timeouts != null ? timeouts : new Timeouts(null, null, null, null, null);
        runningMarkDelay = runningMarkDelay != null ? runningMarkDelay : Duration.ofMillis(100);
        if (socketRoot.toString().length() + SOCKET_SUFFIX_LENGTH > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("containers.socket-root '" + socketRoot + "' is too long: a unix socket"
                    + " path is limited to " + MAX_SOCKET_PATH + " bytes, so the root may have at most "
                    + (MAX_SOCKET_PATH - SOCKET_SUFFIX_LENGTH) + " characters");
        }
    }

    /** Image of a runtime. */
    public record RuntimeImage(@NotBlank String image) {
    }

    /**
     * Warm pool sizing and expiry.
     *
     * @param defaultIdleTtl how long an idle container is kept when the function does not say (reset by every call)
     * @param reaperInterval how often idle containers are checked for expiry
     * @param maxContainers  containers this manager runs at most; when full, the least recently used idle container
     *                       of another function is evicted, or the call waits for one to free up
     * @param capacityWait   how long a call waits for capacity before it fails with a platform error
     */
    public record Pool(Duration defaultIdleTtl, Duration reaperInterval, @Positive int maxContainers,
                       Duration capacityWait) {
        public Pool {
            defaultIdleTtl = defaultIdleTtl != null ? defaultIdleTtl : Duration.ofSeconds(60);
            reaperInterval = reaperInterval != null ? reaperInterval : Duration.ofSeconds(1);
            maxContainers = maxContainers != 0 ? maxContainers : 64;
            capacityWait = capacityWait != null ? capacityWait : Duration.ofSeconds(30);
        }
    }

    /**
     * Limits every function container runs with (its memory comes from the function's {@code memoryMb}).
     *
     * @param pidsLimit processes/threads one container may have (stops fork bombs)
     * @param tmpfsSize size of the writable {@code /tmp} (the root file system is read-only)
     * @param cpus      CPUs one container may use (CFS quota), e.g. 1.0 or 0.5
     * @param maxFrame  largest runtime reply accepted (result + logs); larger ones fail the call
     * @param logMaxSize size of the container's own Docker log (what the runtime prints outside calls)
     */
    public record Limits(@Positive long pidsLimit, DataSize tmpfsSize, @Positive double cpus, DataSize maxFrame,
                         DataSize logMaxSize) {
        public Limits {
            pidsLimit = pidsLimit != 0 ? pidsLimit : 128;
            tmpfsSize = tmpfsSize != null ? tmpfsSize : DataSize.ofMegabytes(64);
            cpus = cpus != 0 ? cpus : 1.0;
            maxFrame = maxFrame != null ? maxFrame : DataSize.ofMegabytes(16);
            logMaxSize = logMaxSize != null ? logMaxSize : DataSize.ofMegabytes(1);
        }
    }

    /**
     * How {@code InvokeFunction} messages are consumed. Each consumer handles one invocation at a time on its own
     * (virtual) thread and acks it itself, so at most {@code concurrency x prefetch} messages are held unacked and at
     * most {@code concurrency} calls run at once.
     *
     * @param concurrency   parallel consumers, i.e. the most calls this manager runs at once
     * @param prefetch      unacked messages per consumer (1: a message never waits behind another's long call)
     * @param shutdownGrace how long a stop waits for calls in progress before their messages go back to the queue
     */
    public record Consumer(@Positive int concurrency, @Positive int prefetch, Duration shutdownGrace) {
        public Consumer {
            concurrency = concurrency != 0 ? concurrency : 32;
            prefetch = prefetch != 0 ? prefetch : 1;
            shutdownGrace = shutdownGrace != null ? shutdownGrace : Duration.ofSeconds(30);
        }
    }

    /**
     * @param socketConnect how long a new container's runtime has to open its socket
     * @param socketPoll    pause between two connection attempts while it starts
     * @param init          how long loading the function's module (init) may take
     * @param registry      read timeout of calls to the registry
     * @param dockerResponse response timeout of calls to the Docker engine
     */
    public record Timeouts(Duration socketConnect, Duration socketPoll, Duration init, Duration registry,
                           Duration dockerResponse) {
        public Timeouts {
            socketConnect = socketConnect != null ? socketConnect : Duration.ofSeconds(10);
            socketPoll = socketPoll != null ? socketPoll : Duration.ofMillis(2);
            init = init != null ? init : Duration.ofSeconds(10);
            registry = registry != null ? registry : Duration.ofSeconds(5);
            dockerResponse = dockerResponse != null ? dockerResponse : Duration.ofSeconds(30);
        }
    }
}
