package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.code.CodeCache;
import io.cloudfunc.containers.oneshot.OneShotResult;
import io.cloudfunc.containers.oneshot.OneShotRunner;
import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.containers.pool.ContainerPool;
import io.cloudfunc.containers.pool.Lease;
import io.cloudfunc.containers.pool.NoContainerException;
import io.cloudfunc.containers.pool.RemovalReason;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.support.messaging.RecordPublisher;
import io.cloudfunc.containers.runtime.CallOutcome;
import io.cloudfunc.containers.runtime.RuntimeFailure;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.ErrorKind;
import io.cloudfunc.contracts.invocation.FunctionError;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Runs one invocation: resolves the version, takes a container from the pool (cold start if needed), makes the
 * call over the container's socket, gives the container back (or removes it) and says how it ended.
 */
@Service
public class InvocationService {

    private static final Logger log = LoggerFactory.getLogger(InvocationService.class);

    private final RegistryClient registry;
    private final RecordPublisher records;
    private final CodeCache codeCache;
    private final ContainerPool pool;
    private final OneShotRunner oneShot;
    private final ExecutorService background;
    private final ScheduledExecutorService timer;
    private final Duration runningMarkDelay;
    private final OutputLimits outputLimits;
    private final Clock clock;
    private final boolean logPayloads;
    private final Map<InvocationStatus, Timer> durations = new EnumMap<>(InvocationStatus.class);
    private final Map<OutputLimits.Limit, Counter> limitHits = new EnumMap<>(OutputLimits.Limit.class);

    private final Counter timeouts;
    private final Counter oomKills;

    public InvocationService(RegistryClient registry, RecordPublisher records, CodeCache codeCache, ContainerPool pool,
                             OneShotRunner oneShot,
                             @Qualifier("cloudfuncBackground") ExecutorService background,
                             @Qualifier("cloudfuncTimer") ScheduledExecutorService timer,
                             ContainerManagerProperties properties, Clock clock, MeterRegistry meters) {
        this.registry = registry;
        this.records = records;
        this.codeCache = codeCache;
        this.pool = pool;
        this.oneShot = oneShot;
        this.background = background;
        this.timer = timer;
        this.runningMarkDelay = properties.runningMarkDelay();
        this.outputLimits = OutputLimits.of(properties.limits());
        this.clock = clock;
        this.logPayloads = properties.logPayloads();
        this.timeouts = Counter.builder("cloudfunc.invocation.timeouts")
                .description("Calls stopped at their function's timeout (their container is killed)").register(meters);
        this.oomKills = Counter.builder("cloudfunc.container.oom.kills")
                .description("Containers the kernel killed for exceeding their memory limit").register(meters);
        for (InvocationStatus status : InvocationStatus.values()) {
            if (status.isFinal()) {
                durations.put(status, Timer.builder("cloudfunc.invocation.duration")
                        .description("Time a call spent in its function's container")
                        .tag("status", status.name())
                        .publishPercentileHistogram()
                        .register(meters));
            }
        }
        for (OutputLimits.Limit limit : OutputLimits.Limit.values()) {
            limitHits.put(limit, Counter.builder("cloudfunc.limits.hit")
                    .description("Calls that ran into one of the limits of their container")
                    .tag("limit", limit.tag())
                    .register(meters));
        }
    }

    /**
     * Runs the invocation to its final state. Function errors, timeouts and container failures are outcomes, not
     * exceptions.
     *
     * @throws io.cloudfunc.containers.registry.FunctionNotFoundException    no such function version
     * @throws io.cloudfunc.containers.registry.FunctionReplacedException    the version has other code than the
     *                                                                      invocation was sent for
     * @throws io.cloudfunc.containers.registry.RegistryUnavailableException the registry is down: try again later
     * @throws ContainerPool.WaitQueueFullException too many calls of the function wait already: hand it back
     */
    public InvocationCompleted run(InvokeFunction command) {
        return run(command, null);
    }

    /**
     * Runs a call within the smaller of the function's timeout and the caller's own {@code callTimeoutMs} (seed
     * 004's {@code timeout}, {@code ?timeout=}), when not null.
     */
    public InvocationCompleted run(InvokeFunction command, Long callTimeoutMs) {
        Instant startedAt = clock.instant();
        UUID id = command.invocationId();
        int attempt = command.attempt();
        // fire and forget: the final record carries startedAt anyway
        Runnable mark = () -> records.started(new InvocationStarted(id, startedAt, attempt));
        ScheduledFuture<?> runningMark = runningMarkDelay.isZero() ? null
                : timer.schedule(mark, runningMarkDelay.toNanos(), TimeUnit.NANOSECONDS);
        if (runningMark == null) {
            mark.run();
        }
        if (logPayloads) {
            log.info("Executing {} v{} with payload {}", command.functionName(), command.version(),
                    command.payload());
        }
        try {
            InvocationCompleted completed = execute(command, id, startedAt, callTimeoutMs);
            if (logPayloads) {
                logOutcome(completed);
            }
            return completed;
        } finally {
            if (runningMark != null) {
                runningMark.cancel(false); // finished first: the final state says it all
            }
        }
    }

    private InvocationCompleted execute(InvokeFunction command, UUID id, Instant startedAt, Long callTimeoutMs) {
        FunctionVersionView function = registry.version(command.functionName(), command.version(),
                command.codeSha256());
        // this call's timeout; a pooled container is still started (init) with the function's own, kept for others
        FunctionVersionView call = function.withTimeoutAtMost(callTimeoutMs);
        JsonNode payload = command.payload() != null ? command.payload() : NullNode.getInstance();
        // An image speaking stdin/stdout runs in a container of its own, cold every time; the rest is pooled.
        Optional<OneShotResult> single = oneShot.runIfOneShot(call, id, payload);
        if (single.isPresent()) {
            OneShotResult r = single.get();
            return finish(command, r.status(), r.startType(), r.result(), r.error(), r.kind(), r.logs(), startedAt,
                    r.nanos());
        }
        Lease lease;
        try {
            lease = pool.acquire(function, id, () -> codeCache.resolve(function));
        } catch (NoContainerException e) {
            if ("OutOfMemoryError".equals(e.error().type())) {
                oomKills.increment(); // killed while loading the function
            }
            return finish(command, InvocationStatus.FAILED, e.startType(), null, e.error(), e.kind(), "", startedAt,
                    0);
        }
        JsonNode event = payload;
        long timeoutMs = call.timeoutMs();
        long start = System.nanoTime();
        CallOutcome outcome;
        try {
            outcome = lease.connection().invoke(id, event, clock.millis() + timeoutMs, command.attempt(),
                    command.trigger(), Duration.ofMillis(timeoutMs));
        } catch (RuntimeFailure failure) {
            long nanos = System.nanoTime() - start;
            return failed(command, call, lease, failure, startedAt, nanos);
        } catch (RuntimeException | Error e) {
            // A bug of ours, not the function's: the lease must still be settled, or the container stays busy for
            // ever. What state its connection is in is unknown, so it goes.
            long nanos = System.nanoTime() - start;
            pool.discard(lease, RemovalReason.FAILED);
            if (e instanceof Error error) {
                throw error;
            }
            log.error("The call failed on an unexpected error; container {} removed", lease.container().key(), e);
            return finish(command, InvocationStatus.FAILED, lease.startType(), null,
                    FunctionError.of("PlatformError", "the container-manager failed during the call"),
                    ErrorKind.PLATFORM, "", startedAt, nanos);
        }
        long nanos = System.nanoTime() - start;
        pool.release(lease); // a result over the cap was read whole: the stream is intact, the container stays warm
        outcome = outputLimits.enforce(outcome);
        return outcome.ok()
                ? finish(command, InvocationStatus.SUCCEEDED, lease.startType(), outcome.result(), null, null,
                        outcome.logs(), startedAt, nanos)
                : finish(command, InvocationStatus.FAILED, lease.startType(), null, outcome.error(),
                        ErrorKind.FUNCTION, outcome.logs(), startedAt, nanos);
    }

    private InvocationCompleted failed(InvokeFunction command, FunctionVersionView function, Lease lease,
                                      RuntimeFailure failure, Instant startedAt, long nanos) {
        StartType startType = lease.startType();
        switch (failure.kind()) {
            case TIMED_OUT -> {
                pool.discard(lease, RemovalReason.TIMED_OUT);
                timeouts.increment();
                log.info("Invocation timed out after {} ms: container {} removed", function.timeoutMs(),
                        lease.container().key());
                return finish(command, InvocationStatus.TIMED_OUT, startType, null,
                        FunctionError.of("TimeoutError", "the function did not finish within its timeout of "
                                + function.timeoutMs() + " ms"), ErrorKind.FUNCTION, "", startedAt, nanos);
            }
            case CONNECTION_LOST -> {
                Optional<ContainerStatus> status = pool.exitStatus(lease);
                pool.discard(lease, RemovalReason.FAILED);
                Death death = Death.of(status, function.memoryMb());
                if (status.isPresent() && status.get().oomKilled()) {
                    oomKills.increment();
                }
                log.info("Container {} died during the call: {}", lease.container().key(), death.error().message());
                return finish(command, InvocationStatus.FAILED, startType, null, death.error(), death.kind(), "",
                        startedAt, nanos);
            }
            case FRAME_TOO_LARGE -> {
                pool.discard(lease, RemovalReason.FAILED);
                return finish(command, InvocationStatus.FAILED, startType, null,
                        FunctionError.of("ResultTooLarge", "the call's result and logs exceed the limit: "
                                + failure.getMessage()), ErrorKind.FUNCTION, "", startedAt, nanos);
            }
            case FOREIGN_ANSWER -> {
                pool.discard(lease, RemovalReason.FAILED);
                log.info("Container {} removed: its function's code wrote to the runtime's socket: {}",
                        lease.container().key(), failure.getMessage());
                return finish(command, InvocationStatus.FAILED, startType, null,
                        FunctionError.of("ProtocolViolation", "the function's code wrote to the runtime's control"
                                + " socket (" + failure.getMessage() + ")"), ErrorKind.FUNCTION, "", startedAt,
                        nanos);
            }
            default -> {
                pool.discard(lease, RemovalReason.FAILED);
                log.warn("Runtime of container {} broke the protocol: {}", lease.container().key(),
                        failure.getMessage());
                return finish(command, InvocationStatus.FAILED, startType, null,
                        FunctionError.of("PlatformError", "the runtime answered out of protocol: "
                                + failure.getMessage()), ErrorKind.PLATFORM, "", startedAt, nanos);
            }
        }
    }

    /** The second line of {@code containers.log-payloads}: how the call ended, its result or error, its output. */
    private static void logOutcome(InvocationCompleted completed) {
        String outcome = completed.status() == InvocationStatus.SUCCEEDED || completed.error() == null
                ? "result " + completed.result()
                : "error " + completed.error().type() + ": " + completed.error().message();
        String logs = completed.logs() == null || completed.logs().isEmpty() ? " (no output)"
                : ", function output:\n" + completed.logs().stripTrailing();
        log.info("Invoked {} v{}: {} in {} ms, {}{}", completed.functionName(), completed.version(),
                completed.status(), completed.durationMs(), outcome, logs);
    }

    /** A completed record for an invocation that could not even be attempted (bad message, unknown function). */
    InvocationCompleted notRun(UUID id, String functionName, int version, String errorType, String message) {
        Instant now = clock.instant();
        return new InvocationCompleted(id, functionName, version, InvocationStatus.FAILED, null, null,
                FunctionError.of(errorType, message), ErrorKind.PLATFORM, "", now, now, 0);
    }

    private InvocationCompleted finish(InvokeFunction command, InvocationStatus status, StartType startType,
                                       JsonNode result, FunctionError error, ErrorKind kind, String logs,
                                       Instant startedAt, long callNanos) {
        durations.get(status).record(callNanos, TimeUnit.NANOSECONDS);
        for (OutputLimits.Limit limit : OutputLimits.limitsHit(status, error, logs)) {
            limitHits.get(limit).increment();
        }
        long durationMs = TimeUnit.NANOSECONDS.toMillis(callNanos);
        if (status == InvocationStatus.SUCCEEDED && result == null) {
            result = NullNode.getInstance(); // the handler returned None/null
        }
        return new InvocationCompleted(command.invocationId(), command.functionName(), command.version(), status,
                startType, result, error, kind, logs, startedAt, clock.instant(), durationMs);
    }

    /** Why a container's process ended during a call, and who is to blame. */
    record Death(FunctionError error, ErrorKind kind) {

        static Death of(Optional<ContainerStatus> status, int memoryMb) {
            if (status.isEmpty()) {
                return new Death(FunctionError.of("PlatformError", "the function's container disappeared during"
                        + " the call"), ErrorKind.PLATFORM);
            }
            ContainerStatus s = status.get();
            if (s.oomKilled()) {
                return new Death(FunctionError.of("OutOfMemoryError", "the function ran out of memory (limit "
                        + memoryMb + " MB) and its container was killed"), ErrorKind.FUNCTION);
            }
            if (s.running()) {
                return new Death(FunctionError.of("PlatformError", "the runtime closed its connection during the"
                        + " call"), ErrorKind.PLATFORM);
            }
            Integer code = s.exitCode();
            if (code != null && code == 137) { // SIGKILL from outside, not the kernel's OOM killer
                return new Death(FunctionError.of("PlatformError", "the function's container was killed during"
                        + " the call (exit code 137)"), ErrorKind.PLATFORM);
            }
            return new Death(FunctionError.of("RuntimeExited", "the function's process exited during the call"
                    + (code != null ? " with code " + code : "")), ErrorKind.FUNCTION);
        }
    }
}
