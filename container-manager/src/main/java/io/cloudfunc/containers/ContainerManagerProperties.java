package io.cloudfunc.containers;

import io.cloudfunc.contracts.invocation.InvocationLogs;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param images      functions of runtime {@code image}: uploads and one-shot (stdin/stdout) containers
 * @param builds      dependency builds at deploy (a {@code requirements.txt}, a {@code package.json} without
 *                    {@code node_modules}): their containers' limits, network and package indexes
 * @param logPayloads a debugging aid: log every call's payload, and its outcome with the result and the function's
 *                    output, at INFO (application.yml reads {@code CLOUDFUNC_LOG_PAYLOADS}). Off by default:
 *                    payloads and results may carry personal data or secrets, and it writes two lines per call
 * @param sampleInterval how often the node tells the registry how many warm containers it holds ({@code NodeSample}
 *                    on {@code cloudfunc.node-samples}, for {@code GET /stats/series/nodes}); default 1 minute
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
        @NotNull @Valid Isolation isolation,
        @NotNull @Valid Consumer consumer,
        @NotNull @Valid Timeouts timeouts,
        @NotNull Duration runningMarkDelay,
        @NotNull @Valid Images images,
        @NotNull @Valid Builds builds,
        boolean logPayloads,
        Duration sampleInterval) {

    /** Longest path a unix socket address may have (sun_path), including its terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    /** Length of {@code /<container key>/runtime.sock} appended to the socket root. */
    static final int SOCKET_SUFFIX_LENGTH = 1 + 16 + "/runtime.sock".length();

    /** Defaults, which a compose replica's node derives its own from too (node.ReplicaNodeEnvironment). */
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    public static final String DEFAULT_NODE = "local";
    public static final Path DEFAULT_SOCKET_ROOT = Path.of("/var/lib/cloudfunc/containers");
    public static final Path DEFAULT_CODE_CACHE = Path.of("/var/lib/cloudfunc/code-cache");

    public ContainerManagerProperties {
        registryUrl = registryUrl != null ? registryUrl : URI.create("http://localhost:7000");
        dockerHost = dockerHost != null ? dockerHost : DEFAULT_DOCKER_HOST;
        socketRoot = (socketRoot != null ? socketRoot : DEFAULT_SOCKET_ROOT).toAbsolutePath();
        codeCache = (codeCache != null ? codeCache : DEFAULT_CODE_CACHE).toAbsolutePath();
        runtimes = runtimes != null && !runtimes.isEmpty()
                ? Map.copyOf(runtimes)
                : Map.of("python", new RuntimeImage("cloudfunc/runtime-python:latest", null, null, null),
                        // V8 and the JVM size their heaps when they start (see application.yml)
                        "node", new RuntimeImage("cloudfunc/runtime-node:latest", null, null, false),
                        "java", new RuntimeImage("cloudfunc/runtime-java:latest", null, null, false));
        runtimeUid = runtimeUid != 0 ? runtimeUid : 10001;
        node = node != null ? node : DEFAULT_NODE;
        pool = pool != null ? pool : new Pool(null, null, 0, null, null, 0, null, null);
        limits = limits != null ? limits : new Limits(0, null, 0, null, null, null, null);
        isolation = isolation != null ? isolation : new Isolation(null, null);
        consumer = consumer != null ? consumer : new Consumer(0, 0, null, null, null, null);
        timeouts = timeouts != null ? timeouts : new Timeouts(null, null, null, null, null);
        runningMarkDelay = runningMarkDelay != null ? runningMarkDelay : Duration.ofMillis(100);
        images = images != null ? images : new Images(null, null, null);
        builds = builds != null ? builds : new Builds(null, null, null, 0, null, null, null, null, null, null);
        if (builds.workDir() == null) {
            builds = builds.withWorkDir(codeCache.resolveSibling("builds"));
        }
        sampleInterval = sampleInterval != null && sampleInterval.isPositive() ? sampleInterval : Duration.ofMinutes(1);
        if (socketRoot.toString().length() + SOCKET_SUFFIX_LENGTH > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("containers.socket-root '" + socketRoot + "' is too long: a unix socket"
                    + " path is limited to " + MAX_SOCKET_PATH + " bytes, so the root may have at most "
                    + (MAX_SOCKET_PATH - SOCKET_SUFFIX_LENGTH) + " characters");
        }
    }

    /**
     * Image of a runtime, and how many prewarmed (generic) containers of it to keep: {@code prewarmMin} always, up
     * to {@code prewarmMax} while cold starts that found none keep happening (see {@code pool.prewarm-window}).
     * 0 and 0 turn prewarming off for the runtime. {@code prewarmAnyMemory} (default true): a prewarmed container
     * may take a function of any memory size, its limit changed when it is given the function; set it to false for
     * a runtime that sizes its heap when it starts (a JVM, Node's V8): its prewarmed containers then only take
     * functions whose memory is exactly {@code pool.prewarm-memory}, and other functions start cold.
     */
    public record RuntimeImage(@NotBlank String image, @PositiveOrZero Integer prewarmMin,
                               @PositiveOrZero Integer prewarmMax, Boolean prewarmAnyMemory) {
        public RuntimeImage {
            prewarmMin = prewarmMin != null ? prewarmMin : 1;
            prewarmMax = Math.max(prewarmMin, prewarmMax != null ? prewarmMax : 2);
            prewarmAnyMemory = prewarmAnyMemory != null ? prewarmAnyMemory : true;
        }
    }

    /**
     * Warm pool sizing and expiry.
     *
     * @param defaultIdleTtl        how long an idle container is kept when the function does not say (reset by
     *                              every call)
     * @param reaperInterval        how often idle containers are checked for expiry, and minInstances and
     *                              prewarmed containers topped up
     * @param maxContainers         containers this manager runs at most
     * @param capacityWait          how long a call waits for a free slot (function at maxInstances, node full)
     *                              before it fails with a platform error
     * @param memoryBudget          memory all containers of this manager may have together (each counts its
     *                              function's memoryMb); when full, the least recently used idle containers of other
     *                              functions are evicted. Default: half of the host's physical memory
     * @param maxWaitingPerFunction calls of one function that may wait here for a slot at once; further ones are
     *                              handed back to the broker (to the tail of the queue), so that a burst on one
     *                              function never holds every consumer
     * @param prewarmMemory         memory limit of a prewarmed container until it is given a function (then it is
     *                              changed to the function's, unless equal)
     * @param prewarmWindow         cold starts that found no prewarmed container within this window raise the
     *                              runtime's prewarm target above its minimum
     */
    public record Pool(Duration defaultIdleTtl, Duration reaperInterval, @PositiveOrZero int maxContainers,
                       Duration capacityWait, DataSize memoryBudget, @PositiveOrZero int maxWaitingPerFunction,
                       DataSize prewarmMemory, Duration prewarmWindow) {
        public Pool {
            defaultIdleTtl = defaultIdleTtl != null ? defaultIdleTtl : Duration.ofSeconds(60);
            reaperInterval = reaperInterval != null ? reaperInterval : Duration.ofSeconds(1);
            maxContainers = maxContainers != 0 ? maxContainers : 64;
            capacityWait = capacityWait != null ? capacityWait : Duration.ofSeconds(30);
            memoryBudget = memoryBudget != null ? memoryBudget : DataSize.ofBytes(hostMemoryBytes() / 2);
            maxWaitingPerFunction = maxWaitingPerFunction != 0 ? maxWaitingPerFunction : 16;
            prewarmMemory = prewarmMemory != null ? prewarmMemory : DataSize.ofMegabytes(128);
            prewarmWindow = prewarmWindow != null ? prewarmWindow : Duration.ofSeconds(60);
        }

        private static long hostMemoryBytes() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
            return DataSize.ofGigabytes(4).toBytes();
        }
    }

    /**
     * Limits every function container runs with (its memory comes from the function's {@code memoryMb}, its CPU
     * from the function's {@code cpuMillis} when it sets one).
     *
     * @param pidsLimit     processes/threads one container may have (stops fork bombs)
     * @param tmpfsSize     size of the writable {@code /tmp} (the root file system is read-only); writing past it
     *                      fails with ENOSPC. Its pages count against the function's memory
     * @param cpus          CPUs one container may use (CFS quota), e.g. 1.0 or 0.5: the CPU limit of functions
     *                      that set none of their own, and of prewarmed containers until they take a function
     * @param maxFrame      largest runtime reply accepted (result + logs); larger ones fail the call and the
     *                      container is discarded (the stream cannot be trusted), so the manager never buffers more
     * @param logMaxSize    size of the container's own Docker log (what the runtime prints outside calls)
     * @param maxResultSize largest result (as JSON) a call may return; a larger one fails the call with
     *                      {@code ResultTooLarge} and the container stays warm (the frame was intact)
     * @param maxLogSize    most log bytes (UTF-8) kept per call; more is cut and marked with
     *                      {@value #TRUNCATION_MARK}. The runtimes cap their capture too; this is the platform's
     *                      guarantee whatever a runtime does
     */
    public record Limits(@Positive long pidsLimit, DataSize tmpfsSize, @Positive double cpus, DataSize maxFrame,
                         DataSize logMaxSize, DataSize maxResultSize, DataSize maxLogSize) {

        /** Ends logs that were cut; the same line the runtimes append when their own capture overflows. */
        public static final String TRUNCATION_MARK = InvocationLogs.TRUNCATION_MARK;

        public Limits {
            pidsLimit = pidsLimit != 0 ? pidsLimit : 128;
            tmpfsSize = tmpfsSize != null ? tmpfsSize : DataSize.ofMegabytes(64);
            cpus = cpus != 0 ? cpus : 1.0;
            maxFrame = maxFrame != null ? maxFrame : DataSize.ofMegabytes(16);
            logMaxSize = logMaxSize != null ? logMaxSize : DataSize.ofMegabytes(1);
            maxResultSize = maxResultSize != null ? maxResultSize : DataSize.ofMegabytes(6);
            maxLogSize = maxLogSize != null ? maxLogSize : DataSize.ofKilobytes(64);
            if (maxResultSize.toBytes() <= 0 || maxLogSize.toBytes() <= 0 || tmpfsSize.toBytes() <= 0) {
                throw new IllegalArgumentException("containers.limits sizes must be positive");
            }
            if (maxFrame.toBytes() < maxResultSize.toBytes() + maxLogSize.toBytes()) {
                throw new IllegalArgumentException("containers.limits.max-frame (" + maxFrame + ") must hold a"
                        + " result of max-result-size (" + maxResultSize + ") and logs of max-log-size ("
                        + maxLogSize + ")");
            }
        }

        /** A container's CPU limit in thousandths of a CPU: the function's own, or {@link #cpus} without one. */
        public long cpuMillis(Integer functionCpuMillis) {
            return functionCpuMillis != null ? functionCpuMillis : Math.round(cpus * 1000);
        }
    }

    /**
     * How function containers are separated from the host, the network and each other (beyond {@link Limits}).
     *
     * @param ociRuntime      OCI runtime of functions that do not name one ({@code runc}; {@code runsc} for gVisor,
     *                        {@code kata-runtime} for Kata Containers, as registered in the Docker engine's
     *                        {@code runtimes}). A call of a function whose runtime the engine lacks fails
     * @param outboundNetwork Docker network of functions deployed with {@code network: outbound}: a bridge with
     *                        inter-container traffic disabled, created by the manager when missing. Functions
     *                        with {@code network: none} (the default) get no network at all
     */
    public record Isolation(String ociRuntime, String outboundNetwork) {
        public Isolation {
            ociRuntime = ociRuntime != null && !ociRuntime.isBlank() ? ociRuntime : "runc";
            outboundNetwork = outboundNetwork != null && !outboundNetwork.isBlank() ? outboundNetwork
                    : "cloudfunc-outbound";
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
     * @param records       how the records of calls are gathered into messages for the registry
     * @param platformRetries how many times an ASYNC call that failed on the platform (errorKind PLATFORM: its
     *                      container vanished or was killed, Docker failed) runs again, whatever the function's
     *                      {@code maxRetries}, before it is a dead letter (a redelivery after a crash counts as one)
     * @param platformRetryDelay the wait before such a run
     */
    public record Consumer(@Positive int concurrency, @Positive int prefetch, Duration shutdownGrace,
                           @Valid Records records, @PositiveOrZero Integer platformRetries,
                           Duration platformRetryDelay) {
        public Consumer {
            concurrency = concurrency != 0 ? concurrency : 32;
            prefetch = prefetch != 0 ? prefetch : 1;
            shutdownGrace = shutdownGrace != null ? shutdownGrace : Duration.ofSeconds(30);
            records = records != null ? records : new Records(null, 0, null);
            platformRetries = platformRetries != null ? platformRetries : 2;
            platformRetryDelay = platformRetryDelay != null ? platformRetryDelay : Duration.ofSeconds(1);
        }
    }

    /**
     * Records go to the registry as {@code InvocationRecords} messages on {@code cloudfunc.records}: a writer takes
     * the first record, gathers more for up to {@code linger} (or until {@code maxBatch}) and publishes them as one
     * persistent, confirmed message. The caller already has its reply; only the message's ack waits, so the linger
     * costs no call latency and saves the broker one message per call under load.
     *
     * @param linger         how long the writer waits for more records after the first (0: sends what is there)
     * @param maxBatch       most records in one message
     * @param confirmTimeout how long the broker may take to confirm a message of records
     */
    public record Records(Duration linger, @Positive int maxBatch, Duration confirmTimeout) {
        public Records {
            linger = linger != null ? linger : Duration.ofMillis(1);
            maxBatch = maxBatch != 0 ? maxBatch : 256;
            confirmTimeout = confirmTimeout != null ? confirmTimeout : Duration.ofSeconds(5);
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

    /**
     * Functions of runtime {@code image} (docs/runtime-contract.md, "Image functions").
     *
     * @param maxUploadSize largest {@code docker save} archive {@code POST /internal/images} accepts
     * @param maxOutput     most a one-shot container may write to stdout (its result); more fails the call
     * @param maxLogs       most of a one-shot container's stderr kept as the call's logs; the rest is dropped
     */
    public record Images(DataSize maxUploadSize, DataSize maxOutput, DataSize maxLogs) {
        public Images {
            maxUploadSize = maxUploadSize != null ? maxUploadSize : DataSize.ofGigabytes(2);
            maxOutput = maxOutput != null ? maxOutput : DataSize.ofMegabytes(6);
            maxLogs = maxLogs != null ? maxLogs : DataSize.ofKilobytes(64);
        }
    }

    /**
     * Dependency builds at deploy (docs/architecture.md, "Builds at deploy"): each runs in a throwaway container of
     * the function's runtime image, as the runtime's unprivileged user, on a network of its own.
     *
     * @param network     the Docker network build containers join: a bridge of their own (created when missing), from
     *                    which the package index is reachable but none of the platform's networks; a site's mirror
     *                    may run on it
     * @param timeout     how long a build may run before it is stopped (and the deploy refused, saying so)
     * @param memory      memory limit of a build container (also its memory+swap: no swap)
     * @param cpuMillis   CPU limit of a build container, thousandths of a CPU
     * @param maxOutput   largest output a build may produce (what was installed, zipped)
     * @param pip         where pip finds packages
     * @param npmRegistry the npm registry ({@code npm --registry}); null: npm's default, or the archive's .npmrc
     * @param npmVersion  the npm a build runs through corepack when the runtime image has no npm of its own (Debian's
     *                    nodejs package, the local base image, ships without it)
     * @param caBundle    PEM certificates build containers trust (pip's {@code PIP_CERT}, Node's
     *                    {@code NODE_EXTRA_CA_CERTS}): a mirror with its own CA, or a TLS-inspecting proxy on the way
     *                    to the index. Default: the manager host's bundle, when it has one
     * @param workDir     where builds run, one directory each, bind-mounted into the build container: as with
     *                    {@code socket-root}, the same path on the Docker host (default: {@code builds} beside the
     *                    code cache)
     */
    public record Builds(String network, Duration timeout, DataSize memory, @PositiveOrZero int cpuMillis,
                         DataSize maxOutput, @Valid Pip pip, String npmRegistry, String npmVersion, Path caBundle,
                         Path workDir) {

        /** Debian's (and Ubuntu's) bundle of the host's trusted certificates. */
        static final Path HOST_CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

        public Builds {
            network = network != null && !network.isBlank() ? network : "cloudfunc-builds";
            timeout = timeout != null ? timeout : Duration.ofMinutes(5);
            memory = memory != null ? memory : DataSize.ofMegabytes(1024);
            cpuMillis = cpuMillis != 0 ? cpuMillis : 1000;
            maxOutput = maxOutput != null ? maxOutput : DataSize.ofMegabytes(250);
            pip = pip != null ? pip : new Pip(null, null, null);
            npmRegistry = npmRegistry != null && !npmRegistry.isBlank() ? npmRegistry : null;
            npmVersion = npmVersion != null && !npmVersion.isBlank() ? npmVersion : "10.9.2";
            if (caBundle == null && Files.isReadable(HOST_CA_BUNDLE)) {
                caBundle = HOST_CA_BUNDLE;
            }
            workDir = workDir != null ? workDir.toAbsolutePath() : null;
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("containers.builds.timeout must be positive");
            }
        }

        Builds withWorkDir(Path workDir) {
            return new Builds(network, timeout, memory, cpuMillis, maxOutput, pip, npmRegistry, npmVersion, caBundle,
                    workDir);
        }
    }

    /**
     * pip's package indexes ({@code pip install --index-url}, {@code --extra-index-url}, {@code --find-links}): a
     * site's mirror. An index or link reached over plain http is trusted ({@code --trusted-host}): the operator named
     * it. A {@code requirements.txt} may name its own ({@code --index-url} on a line of its own).
     */
    public record Pip(String indexUrl, List<String> extraIndexUrls, List<String> findLinks) {
        public Pip {
            indexUrl = indexUrl != null && !indexUrl.isBlank() ? indexUrl : null;
            extraIndexUrls = extraIndexUrls != null ? List.copyOf(extraIndexUrls) : List.of();
            findLinks = findLinks != null ? List.copyOf(findLinks) : List.of();
        }
    }
}
