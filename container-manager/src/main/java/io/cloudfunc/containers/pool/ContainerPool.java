package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.containers.docker.ContainerEngineException;
import io.cloudfunc.containers.runtime.RuntimeConnection;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.StartType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of this manager and their states. Decisions come from {@link PoolDecisions}; this class applies
 * them under one lock (held for microseconds, never across Docker or socket I/O) and runs the slow parts (starts,
 * specialisations, removals) outside it.
 *
 * <p>Calls of one function wait for a slot in arrival order: only the oldest waiting call of a function version
 * places itself, so a burst is served first come, first served, and starts at most the containers it needs (up
 * to maxInstances). Calls of different functions do not wait for each other, only for the node's budget.
 */
public class ContainerPool {

    /** How long after a prewarmed container was taken its replacement is started. */
    static final long REFILL_DELAY_MS = 250;
    /** At most one warm-reuse log line a second per container. */
    static final long WARM_LINE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger log = LoggerFactory.getLogger(ContainerPool.class);
    private static final int DEFAULT_MEMORY_MB = 128;
    private static final int DEFAULT_MAX_INSTANCES = 10;
    private static final Duration START_FAILURE_BACKOFF = Duration.ofSeconds(5);

    private final ContainerLauncher launcher;
    private final ExecutorService background;
    private final Clock clock;
    private final PoolSettings settings;
    private final Function<FunctionVersionView, Path> codeOf;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a slot frees up, a container starts or leaves, or the head of a wait queue changes. */
    private final Condition changed = lock.newCondition();
    private final Map<String, PooledContainer> containers = new HashMap<>();
    /** How long a container of a function version stays busy, a running mean, in milliseconds (announcements). */
    private final Map<FunctionKey, Long> callTime = new ConcurrentHashMap<>();
    /** Calls waiting for a slot, by function version, oldest first. */
    private final Map<FunctionKey, Deque<Object>> waiting = new HashMap<>();
    /** Latest version of each function with minInstances > 0, by name. */
    private final Map<String, FunctionVersionView> keptWarm = new ConcurrentHashMap<>();
    /** Cold starts that could have used a prewarmed container and found none, by runtime (for the target). */
    private final Map<String, Deque<Instant>> prewarmMisses = new HashMap<>();
    private Instant backgroundStartsAfter = Instant.MIN;
    private boolean closed;

    private final MeterRegistry meters;
    private final Map<StartType, Counter> starts = new EnumMap<>(StartType.class);
    private final Map<StartType, Timer> startLatency = new EnumMap<>(StartType.class);
    private final Counter evictions;
    private final MultiGauge gauge;

    public ContainerPool(ContainerLauncher launcher, ExecutorService background, Clock clock, PoolSettings settings,
                         Function<FunctionVersionView, Path> codeOf, MeterRegistry meters) {
        this.launcher = launcher;
        this.background = background;
        this.clock = clock;
        this.settings = settings;
        this.codeOf = codeOf;
        this.meters = meters;
        for (StartType type : StartType.values()) {
            starts.put(type, Counter.builder("cloudfunc.container.starts").tag("type", type.label())
                    .description("Calls served, by how their container was obtained").register(meters));
            if (type != StartType.WARM) {
                startLatency.put(type, Timer.builder("cloudfunc.container.start").tag("type", type.label())
                        .description("Time from asking for a container to its runtime having loaded the function")
                        .publishPercentileHistogram()
                        .register(meters));
            }
        }
        this.evictions = Counter.builder("cloudfunc.container.evictions")
                .description("Idle containers removed to make room for another function's").register(meters);
        this.gauge = MultiGauge.builder("cloudfunc.containers")
                .description("Containers of this manager, by function and state").register(meters);
        refreshGauges();
    }

    /**
     * A slot in a container for one call of {@code function}: in a warm container, a prewarmed one given the
     * function's code, or a new one started now (on the calling thread). Waits (in arrival order, up to the
     * capacity wait) while the function is at maxInstances with every slot busy, or the node is full.
     *
     * @throws WaitQueueFullException too many calls of this function wait already: the caller hands it back
     */
    public Lease acquire(FunctionVersionView function, UUID invocationId, Supplier<Path> code)
            throws NoContainerException {
        Lease lease = acquire(function, code, false);
        if (lease.startType() == StartType.WARM) {
            logWarmReuse(lease.container());
        }
        return lease;
    }

    /**
     * The warm-reuse line of {@code docker logs}: one per warm call while calls are a second or more apart (a
     * person trying a function sees each), at most one a second per container under load, counting the calls since
     * the last line (docs/architecture.md, "What the manager logs"). Not written under the pool's lock.
     */
    private static void logWarmReuse(PooledContainer container) {
        int calls = container.warmCallsToReport(System.nanoTime(), WARM_LINE_INTERVAL_NANOS);
        if (calls == 1) {
            log.info("Warm reuse for {}: container {}", shown(container.function()), shortId(container));
        } else if (calls > 1) {
            log.info("Warm reuse for {}: container {} ({} warm calls since the last line)",
                    shown(container.function()), shortId(container), calls);
        }
    }

    /**
     * Room in the node's budget (memory and container count) for one container the pool does not run: a one-shot
     * call of an image that speaks stdin/stdout. It waits, evicts and counts as a cold start of the function would
     * (its maxInstances included), shows as a busy container of the function meanwhile, and is given back when the
     * reservation is closed.
     *
     * @throws WaitQueueFullException too many calls of this function wait already: the caller hands it back
     */
    public Reservation reserve(FunctionVersionView function) throws NoContainerException {
        PooledContainer room = acquire(function, null, true).container();
        return new Reservation() {
            @Override
            public void started() {
                starts.get(StartType.COLD).increment();
            }

            @Override
            public void close() {
                forget(room);
            }
        };
    }

    /** Room held for a container outside the pool; {@link #close} gives it back. */
    public interface Reservation extends AutoCloseable {

        /** The container it was held for ran: counted as a cold start (its latency is not the pool's to time). */
        void started();

        @Override
        void close();
    }

    private Lease acquire(FunctionVersionView function, Supplier<Path> code, boolean reservation)
            throws NoContainerException {
        Demand demand = demandOf(function);
        FunctionKey key = demand.function();
        if (function.minInstances() > 0) {
            keepWarm(function);
        }
        Object ticket = new Object();
        PooledContainer chosen;
        Step step;
        List<PooledContainer> evicted = new ArrayList<>();
        lock.lock();
        try {
            Deque<Object> queue = waiting.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (queue.size() >= settings.maxWaitingPerFunction()) {
                if (queue.isEmpty()) {
                    waiting.remove(key);
                }
                throw new WaitQueueFullException(key, queue.size());
            }
            queue.addLast(ticket);
            try {
                long waitNanos = settings.capacityWait().toNanos();
                Placement.Reason reason = Placement.Reason.FUNCTION_AT_MAX;
                while (true) {
                    if (closed) {
                        throw NoContainerException.platform("PlatformError",
                                "the container-manager is shutting down", null);
                    }
                    if (queue.peekFirst() == ticket) {
                        Placement placement = PoolDecisions.place(demand, snapshots(), settings.capacity(),
                                queue.size());
                        // a warm function scales out in the background: the call takes whichever slot frees first
                        boolean scaleOut = !reservation && running(key);
                        if (reservation && placement instanceof Placement.Reuse) {
                            // an idle pooled container of the function, from before its image was re-tagged with
                            // one that speaks stdin/stdout: it cannot run a one-shot call, which gets room of its own
                            placement = new Placement.StartNew(List.of());
                        }
                        if (placement instanceof Placement.Reuse(String reuse)) {
                            chosen = containers.get(reuse);
                            chosen.calls(chosen.calls() + 1);
                            step = chosen.state() instanceof ContainerState.Starting ? Step.JOIN : Step.WARM;
                            if (step == Step.WARM) {
                                if (chosen.state() instanceof ContainerState.Idle) {
                                    chosen.state(new ContainerState.Busy(clock.instant()));
                                }
                                RuntimeConnection connection = chosen.takeConnection();
                                starts.get(StartType.WARM).increment();
                                return new Lease(chosen, connection, StartType.WARM, 0);
                            }
                            break;
                        }
                        if (placement instanceof Placement.Specialise(String prewarmed, List<String> evict)) {
                            evict.forEach(victim -> evicted.add(beginRemoval(containers.get(victim),
                                    RemovalReason.EVICTED)));
                            chosen = containers.get(prewarmed);
                            chosen.specialiseFor(key, idleTtlOf(function), demand.concurrency(), demand.memoryMb(),
                                    function.minInstances());
                            chosen.state(new ContainerState.Starting(clock.instant()));
                            if (scaleOut) {
                                PooledContainer scaled = chosen;
                                background.execute(() -> scaleOutInBackground(scaled, function, code, true));
                                continue; // placed again: it waits (or takes the container, if already up)
                            } else {
                                chosen.calls(1);
                                step = Step.SPECIALISE;
                                break;
                            }
                        } else if (placement instanceof Placement.StartNew(List<String> evict) && scaleOut) {
                            evict.forEach(victim -> evicted.add(beginRemoval(containers.get(victim),
                                    RemovalReason.EVICTED)));
                            PooledContainer scaled = new PooledContainer(newKey(), demand.runtime(), key,
                                    idleTtlOf(function), demand.concurrency(), demand.memoryMb(),
                                    function.minInstances(), new ContainerState.Starting(clock.instant()));
                            containers.put(scaled.key(), scaled);
                            if (demand.prewarmable() && settings.prewarm().containsKey(demand.runtime())) {
                                prewarmMisses.computeIfAbsent(demand.runtime(), r -> new ArrayDeque<>())
                                        .addLast(clock.instant());
                            }
                            background.execute(() -> scaleOutInBackground(scaled, function, code, false));
                            continue; // placed again: it waits (or takes the container, if already up)
                        } else if (placement instanceof Placement.StartNew(List<String> evict)) {
                            evict.forEach(victim -> evicted.add(beginRemoval(containers.get(victim),
                                    RemovalReason.EVICTED)));
                            chosen = new PooledContainer(newKey(), demand.runtime(), key, idleTtlOf(function),
                                    demand.concurrency(), demand.memoryMb(), function.minInstances(),
                                    reservation ? new ContainerState.Busy(clock.instant())
                                            : new ContainerState.Starting(clock.instant()));
                            chosen.calls(1);
                            containers.put(chosen.key(), chosen);
                            if (reservation) {
                                step = Step.RESERVE;
                                break;
                            }
                            if (demand.prewarmable() && settings.prewarm().containsKey(demand.runtime())) {
                                prewarmMisses.computeIfAbsent(demand.runtime(), r -> new ArrayDeque<>())
                                        .addLast(clock.instant());
                            }
                            step = Step.COLD;
                            break;
                        }
                        if (placement instanceof Placement.Impossible(String why)) {
                            throw NoContainerException.platform("InsufficientCapacity", why, null);
                        } else if (placement instanceof Placement.Wait(Placement.Reason why)) {
                            reason = why;
                        }
                    }
                    if (waitNanos <= 0) {
                        throw NoContainerException.platform("CapacityExhausted", waitMessage(reason, demand), null);
                    }
                    waitNanos = changed.awaitNanos(waitNanos);
                }
            } finally {
                queue.remove(ticket);
                if (queue.isEmpty()) {
                    waiting.remove(key);
                }
                changed.signalAll(); // the next call of this function is at the head now
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NoContainerException.platform("PlatformError", "interrupted while waiting for a container", e);
        } finally {
            lock.unlock();
        }
        if (!evicted.isEmpty()) {
            evictions.increment(evicted.size());
            log.info("Evicting {} idle containers to make room for {}", evicted.size(), key);
            evicted.forEach(this::removeLater);
        }
        return switch (step) {
            case RESERVE -> new Lease(chosen, null, StartType.COLD, 0);
            case JOIN -> join(chosen);
            case SPECIALISE -> specialise(chosen, function, code);
            default -> coldStart(chosen, function, code);
        };
    }

    private Lease coldStart(PooledContainer fresh, FunctionVersionView function, Supplier<Path> code)
            throws NoContainerException {
        log.info("Cold start for {}: a new {} container (removed after {} s idle)", shown(fresh.function()),
                fresh.runtime(), idleTtlOf(function).toSeconds());
        long start = System.nanoTime();
        LaunchedContainer launched;
        try {
            launched = launcher.launch(fresh.key(), function, code);
        } catch (NoContainerException e) {
            failStart(fresh, e, false); // the launcher cleaned up what it had created
            throw e;
        } catch (RuntimeException e) {
            failStart(fresh, NoContainerException.platform("PlatformError", "the container could not be started",
                    e), false);
            throw e;
        }
        return started(fresh, launched, StartType.COLD, System.nanoTime() - start);
    }

    private Lease specialise(PooledContainer container, FunctionVersionView function, Supplier<Path> code)
            throws NoContainerException {
        log.info("Cold start for {}: prewarmed {} container {} takes it (removed after {} s idle)",
                shown(container.function()), container.runtime(), shortId(container),
                idleTtlOf(function).toSeconds());
        long start = System.nanoTime();
        // Refill the prewarmed containers soon rather than at the next tick, but not at once: starting a container
        // takes the CPU (dockerd, containerd, runc) that this call's init and first run need on a small machine, and
        // a replacement would not be ready for another call within the delay anyway.
        CompletableFuture.delayedExecutor(REFILL_DELAY_MS, TimeUnit.MILLISECONDS, background).execute(this::maintain);
        LaunchedContainer launched;
        try {
            launched = launcher.specialise(container.key(), container.launched(), function, code);
        } catch (NoContainerException e) {
            failStart(container, e, true);
            throw e;
        } catch (RuntimeException e) {
            failStart(container, NoContainerException.platform("PlatformError",
                    "the prewarmed container could not take the function", e), true);
            throw e;
        }
        log.info("Container started: {} for {} (prewarmed, function loaded in {} ms)", shortId(container),
                shown(container.function()), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return started(container, launched, StartType.PREWARMED, System.nanoTime() - start);
    }

    /** The container is ready: the call that started it takes a slot, and calls waiting for it may go. */
    private Lease started(PooledContainer container, LaunchedContainer launched, StartType type, long nanos)
            throws NoContainerException {
        boolean abandoned;
        RuntimeConnection connection = null;
        lock.lock();
        try {
            container.launched(launched);
            // shutdown() gave the container up while it was starting; only now is there a Docker container to remove
            abandoned = container.state() instanceof ContainerState.Removing;
            if (!abandoned) {
                container.state(new ContainerState.Busy(clock.instant()));
                connection = container.takeConnection();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            remove(container);
            throw NoContainerException.platform("PlatformError", "the container-manager is shutting down", null);
        }
        startLatency.get(type).record(nanos, TimeUnit.NANOSECONDS);
        starts.get(type).increment();
        return new Lease(container, connection, type, nanos);
    }

    /** A call took a slot in a container still starting: waits for the start, then uses it (or fails as it did). */
    private Lease join(PooledContainer container) throws NoContainerException {
        lock.lock();
        try {
            while (container.state() instanceof ContainerState.Starting
                    && containers.get(container.key()) == container) {
                changed.awaitUninterruptibly();
            }
            if (container.startFailure() != null) {
                throw container.startFailure();
            }
            if (!(containers.get(container.key()) == container) || container.launched() == null
                    || container.state() instanceof ContainerState.Removing) {
                throw NoContainerException.platform("PlatformError", "the container this call waited for did not"
                        + " start", null);
            }
            if (container.state() instanceof ContainerState.Idle) {
                container.state(new ContainerState.Busy(clock.instant()));
            }
            StartType type = container.prewarmedOrigin() ? StartType.PREWARMED : StartType.COLD;
            starts.get(type).increment();
            return new Lease(container, container.takeConnection(), type, 0);
        } finally {
            lock.unlock();
        }
    }

    private void failStart(PooledContainer container, NoContainerException failure, boolean destroy) {
        lock.lock();
        try {
            container.startFailure(failure);
            if (!(container.state() instanceof ContainerState.Removing)) {
                beginRemoval(container, RemovalReason.FAILED);
            }
        } finally {
            lock.unlock();
        }
        if (destroy && container.launched() != null) {
            remove(container);
        } else {
            forget(container);
        }
    }

    /**
     * The call is over and its connection healthy: the slot frees up, and the container becomes idle when it was
     * the last call (or goes, if retired meanwhile, or if the connection was closed after all, e.g. by a time
     * limit that expired just as the answer arrived).
     */
    public void release(Lease lease) {
        PooledContainer container = lease.container();
        boolean usable = lease.connection() == null || lease.connection().isOpen();
        boolean remove = false;
        lock.lock();
        try {
            container.calls(container.calls() - 1);
            if (usable) {
                container.returnConnection(lease.connection());
            } else {
                container.retire(); // one of its connections is broken: no new calls, gone after the last one
            }
            if (container.state() instanceof ContainerState.Removing) {
                return;
            }
            if ((container.retired() || closed) && container.calls() == 0) {
                beginRemoval(container, closed ? RemovalReason.SHUTDOWN
                        : !usable ? RemovalReason.FAILED : RemovalReason.RETIRED);
                remove = true;
            } else if (container.calls() == 0) {
                Instant now = clock.instant();
                if (container.state() instanceof ContainerState.Busy busy && container.function() != null) {
                    callTime.merge(container.function(), Duration.between(busy.since(), now).toMillis(),
                            (mean, last) -> (3 * mean + last) / 4);
                }
                container.state(new ContainerState.Idle(now));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (remove) {
            removeLater(container);
        }
    }

    /**
     * The container must not serve again (timed out, died, broke the protocol): removed before this returns. Other
     * calls in flight in the same container (concurrency > 1) lose their connection and fail.
     */
    public void discard(Lease lease, RemovalReason reason) {
        boolean first;
        lock.lock();
        try {
            lease.container().calls(lease.container().calls() - 1);
            first = !(lease.container().state() instanceof ContainerState.Removing);
            if (first) {
                beginRemoval(lease.container(), reason);
            }
        } finally {
            lock.unlock();
        }
        if (first) {
            remove(lease.container());
        }
    }

    /** How a leased container's process ended (after its connection was lost). */
    public Optional<ContainerStatus> exitStatus(Lease lease) {
        return launcher.exitStatus(lease.container().launched());
    }

    /** Removes idle containers past their TTL (never below minInstances) and idle retired ones. */
    public int expire() {
        List<PooledContainer> expired = new ArrayList<>();
        lock.lock();
        try {
            for (String key : PoolDecisions.expired(snapshots(), clock.instant())) {
                PooledContainer container = containers.get(key);
                expired.add(beginRemoval(container,
                        container.retired() ? RemovalReason.RETIRED : RemovalReason.IDLE_EXPIRED));
            }
        } finally {
            lock.unlock();
        }
        expired.forEach(this::removeLater);
        return expired.size();
    }

    /**
     * Background sizing, run by the reaper tick: starts containers for functions below their minInstances and
     * prewarmed containers up to each runtime's target, removes prewarmed ones beyond it. Starts only what fits the
     * budget without evicting anything; after a failed start (Docker down?) it pauses a few seconds.
     */
    public void maintain() {
        List<PooledContainer> generic = new ArrayList<>();
        Map<PooledContainer, FunctionVersionView> forMinimum = new HashMap<>();
        List<PooledContainer> surplus = new ArrayList<>();
        lock.lock();
        try {
            Instant now = clock.instant();
            if (closed || now.isBefore(backgroundStartsAfter)) {
                return;
            }
            Map<String, Integer> targets = prewarmTargets(now);
            for (String key : PoolDecisions.prewarmSurplus(targets, snapshots())) {
                surplus.add(beginRemoval(containers.get(key), RemovalReason.IDLE_EXPIRED));
            }
            Map<FunctionKey, FunctionVersionView> views = new HashMap<>();
            Map<FunctionKey, Integer> minimums = new HashMap<>();
            keptWarm.values().forEach(view -> {
                views.put(FunctionKey.of(view), view);
                minimums.put(FunctionKey.of(view), view.minInstances());
            });
            PoolDecisions.belowMinimum(minimums, snapshots()).forEach((key, missing) -> {
                FunctionVersionView view = views.get(key);
                Demand demand = demandOf(view);
                for (int i = 0; i < missing && PoolDecisions.fits(demand.memoryMb(), snapshots(),
                        settings.capacity()); i++) {
                    PooledContainer container = new PooledContainer(newKey(), demand.runtime(), key,
                            idleTtlOf(view), demand.concurrency(), demand.memoryMb(), view.minInstances(),
                            new ContainerState.Starting(now));
                    containers.put(container.key(), container);
                    forMinimum.put(container, view);
                }
            });
            PoolDecisions.prewarmShortfall(targets, snapshots()).forEach((runtime, missing) -> {
                for (int i = 0; i < missing && PoolDecisions.fits(settings.prewarmMemoryMb(), snapshots(),
                        settings.capacity()); i++) {
                    PooledContainer container = new PooledContainer(newKey(), runtime, null, Duration.ZERO, 1,
                            settings.prewarmMemoryMb(), 0, new ContainerState.Starting(now));
                    containers.put(container.key(), container);
                    generic.add(container);
                }
            });
        } finally {
            lock.unlock();
        }
        surplus.forEach(this::removeLater);
        generic.forEach(container -> background.execute(() -> startInBackground(container, null)));
        forMinimum.forEach((container, view) -> background.execute(() -> startInBackground(container, view)));
    }

    /** Whether the function has a container that is up (busy, idle), not only starting ones. Under the lock. */
    private boolean running(FunctionKey key) {
        for (PooledContainer container : containers.values()) {
            ContainerSnapshot snapshot = container.snapshot();
            if (snapshot.live() && snapshot.serves(key) && !(snapshot.state() instanceof ContainerState.Starting)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A container started (or a prewarmed one specialised) for a warm function whose containers were all busy, bound
     * to no call: once up it is idle, and the waiting calls are told.
     */
    private void scaleOutInBackground(PooledContainer container, FunctionVersionView function, Supplier<Path> code,
                                      boolean specialise) {
        if (!specialise) {
            startInBackground(container, function);
            return;
        }
        LaunchedContainer launched;
        try {
            launched = launcher.specialise(container.key(), container.launched(), function, code);
        } catch (NoContainerException | RuntimeException e) {
            log.warn("Could not specialise a prewarmed container for {} in the background: {}",
                    function.functionName(), e.getMessage());
            failStart(container, e instanceof NoContainerException failure ? failure
                    : NoContainerException.platform("PlatformError", "the prewarmed container could not take the"
                    + " function", e), true);
            return;
        }
        CompletableFuture.delayedExecutor(REFILL_DELAY_MS, TimeUnit.MILLISECONDS, background).execute(this::maintain);
        boolean abandoned;
        lock.lock();
        try {
            container.launched(launched);
            abandoned = container.state() instanceof ContainerState.Removing;
            if (!abandoned) {
                Instant now = clock.instant();
                container.state(container.calls() > 0 ? new ContainerState.Busy(now) : new ContainerState.Idle(now));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            remove(container);
        } else {
            log.info("Container started: {} for {} (prewarmed, in the background: its containers were all busy)",
                    shortId(container), shown(container.function()));
        }
    }

    private void startInBackground(PooledContainer container, FunctionVersionView function) {
        LaunchedContainer launched;
        try {
            launched = function == null ? launcher.launchGeneric(container.key(), container.runtime())
                    : launcher.launch(container.key(), function, () -> codeOf.apply(function));
        } catch (NoContainerException | RuntimeException e) {
            log.warn("Could not start a {} container in the background: {}",
                    function == null ? "prewarmed " + container.runtime() : function.functionName() + " minimum",
                    e.getMessage());
            lock.lock();
            try {
                backgroundStartsAfter = clock.instant().plus(START_FAILURE_BACKOFF);
            } finally {
                lock.unlock();
            }
            failStart(container, e instanceof NoContainerException failure ? failure
                    : NoContainerException.platform("PlatformError", "the container could not be started", e), false);
            return;
        }
        boolean abandoned;
        lock.lock();
        try {
            container.launched(launched);
            abandoned = container.state() instanceof ContainerState.Removing;
            if (!abandoned) {
                Instant now = clock.instant();
                container.state(function == null ? new ContainerState.Prewarmed(now)
                        : container.calls() > 0 ? new ContainerState.Busy(now) : new ContainerState.Idle(now));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            remove(container);
        } else if (function == null) { // the launcher logs a function's start
            log.info("Container started: {} (prewarmed {}, for the next cold start)", shortId(container),
                    container.runtime());
        }
    }

    /**
     * Removes containers Docker no longer runs (killed from outside, lost with a restart of the Docker daemon) so
     * that no call is sent to a dead runtime; the background sizing replaces them. Skipped while the engine does
     * not answer.
     */
    public int reconcile() {
        long listedAt = System.nanoTime();
        Set<String> running;
        try {
            running = launcher.runningKeys();
        } catch (ContainerEngineException e) {
            log.warn("Docker engine unavailable, containers not checked: {}", e.getMessage());
            return 0;
        }
        List<PooledContainer> dead = new ArrayList<>();
        lock.lock();
        try {
            for (PooledContainer container : containers.values()) {
                boolean idle = container.state() instanceof ContainerState.Idle
                        || container.state() instanceof ContainerState.Prewarmed;
                if (idle && container.launchedBefore(listedAt) && !running.contains(container.key())) {
                    dead.add(beginRemoval(container, RemovalReason.FAILED));
                }
            }
        } finally {
            lock.unlock();
        }
        if (!dead.isEmpty()) {
            log.warn("{} idle containers are no longer running (Docker restarted, or killed from outside): removed",
                    dead.size());
        }
        dead.forEach(this::removeLater);
        return dead.size();
    }

    /** Keeps the function's minInstances warm from now on (replacing an older version's minimum). */
    public void keepWarm(FunctionVersionView function) {
        keptWarm.compute(function.functionName(), (name, current) -> {
            if (function.minInstances() <= 0) {
                return current != null && current.version() > function.version() ? current : null;
            }
            return current == null || current.version() <= function.version() ? function : current;
        });
    }

    /** Stops keeping the function warm (deleted). */
    public void dropMinimum(String functionName) {
        keptWarm.remove(functionName);
    }

    /** Retires the matching containers: idle ones are removed now, busy ones after their last call. */
    public void retire(Predicate<FunctionKey> which, String why) {
        List<PooledContainer> idle = new ArrayList<>();
        int busy = 0;
        lock.lock();
        try {
            for (PooledContainer container : containers.values()) {
                if (container.function() == null || !which.test(container.function())
                        || container.state() instanceof ContainerState.Removing) {
                    continue;
                }
                container.retire();
                if (container.state() instanceof ContainerState.Idle) {
                    idle.add(beginRemoval(container, RemovalReason.RETIRED));
                } else {
                    busy++;
                }
            }
        } finally {
            lock.unlock();
        }
        if (!idle.isEmpty() || busy > 0) {
            log.info("Retiring containers ({}): {} idle removed now, {} busy removed after their call", why,
                    idle.size(), busy);
        }
        idle.forEach(this::removeLater);
    }

    /**
     * Stops the pool: no new calls; idle and prewarmed containers are removed at once, busy ones when their call
     * ends or when {@code wait} has passed, whichever comes first. Returns when every container is gone (or could
     * not be).
     */
    public void shutdown(Duration wait) {
        List<PooledContainer> removing = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            for (PooledContainer container : containers.values()) {
                if (container.state() instanceof ContainerState.Idle
                        || container.state() instanceof ContainerState.Prewarmed) {
                    removing.add(beginRemoval(container, RemovalReason.SHUTDOWN));
                }
            }
        } finally {
            lock.unlock();
        }
        removing.forEach(this::removeLater);
        removing.clear();
        lock.lock();
        try {
            awaitEmpty(wait); // busy containers are removed by release() once their call ends
            for (PooledContainer container : containers.values()) {
                if (container.state() instanceof ContainerState.Removing) {
                    continue;
                }
                boolean starting = container.state() instanceof ContainerState.Starting;
                beginRemoval(container, RemovalReason.SHUTDOWN);
                if (!starting) { // a starting container is removed by its start, once it has been launched
                    removing.add(container);
                }
            }
        } finally {
            lock.unlock();
        }
        removing.forEach(this::removeLater);
        lock.lock();
        try {
            awaitEmpty(Duration.ofSeconds(30));
            if (!containers.isEmpty()) {
                log.warn("{} containers could not be removed at shutdown", containers.size());
            }
        } finally {
            lock.unlock();
        }
        refreshGauges();
    }

    /** Caller holds the lock. */
    private void awaitEmpty(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (!containers.isEmpty() && deadline - System.nanoTime() > 0) {
                changed.awaitNanos(deadline - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What {@link #stop} did. */
    public enum StopResult { STOPPED, BUSY, NOT_FOUND }

    /**
     * Stops one container on an operator's request: an idle or prewarmed one is removed now; a starting or busy one is left
     * alone ({@link StopResult#BUSY}), so that no call in progress is cut short; one already being removed counts
     * as stopped.
     */
    public StopResult stop(String key) {
        PooledContainer stopped;
        lock.lock();
        try {
            PooledContainer container = containers.get(key);
            if (container == null) {
                return StopResult.NOT_FOUND;
            }
            if (container.state() instanceof ContainerState.Removing) {
                return StopResult.STOPPED;
            }
            if (!(container.state() instanceof ContainerState.Idle)
                    && !(container.state() instanceof ContainerState.Prewarmed)) {
                return StopResult.BUSY;
            }
            stopped = beginRemoval(container, RemovalReason.STOPPED);
        } finally {
            lock.unlock();
        }
        log.info("Stopping container {} of {} on request", key, stopped.function());
        removeLater(stopped);
        return StopResult.STOPPED;
    }

    /** Snapshots of every container, for decisions and tests. */
    public List<ContainerSnapshot> snapshot() {
        lock.lock();
        try {
            return snapshots();
        } finally {
            lock.unlock();
        }
    }

    /** Containers in the state with that label (starting, prewarmed, idle, busy, removing). */
    public int count(String state) {
        lock.lock();
        try {
            int count = 0;
            for (PooledContainer container : containers.values()) {
                if (container.state().label().equals(state)) {
                    count++;
                }
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Calls of that function version waiting for a slot. */
    public int waiting(FunctionKey function) {
        lock.lock();
        try {
            Deque<Object> queue = waiting.get(function);
            return queue == null ? 0 : queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** How long a container of each function version stays busy, a running mean in milliseconds (announcements). */
    public Map<FunctionKey, Long> callMillis() {
        return Map.copyOf(callTime);
    }

    /** Calls waiting for a slot, by function version (for the node's announcements). */
    public Map<FunctionKey, Integer> waitingCalls() {
        lock.lock();
        try {
            Map<FunctionKey, Integer> counts = new HashMap<>();
            waiting.forEach((key, queue) -> {
                if (!queue.isEmpty()) {
                    counts.put(key, queue.size());
                }
            });
            return counts;
        } finally {
            lock.unlock();
        }
    }

    /** Updates the {@code cloudfunc.containers} gauge (function, state) from the pool's current content. */
    public void refreshGauges() {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (String state : List.of("starting", "prewarmed", "idle", "busy", "removing")) {
            counts.put(List.of("", state), 0); // the totals' rows exist even when empty
        }
        lock.lock();
        try {
            for (PooledContainer container : containers.values()) {
                String function = container.function() != null ? container.function().name()
                        : "(" + container.runtime() + ")";
                counts.merge(List.of(function, container.state().label()), 1, Integer::sum);
            }
        } finally {
            lock.unlock();
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((tags, count) -> {
            if (!tags.getFirst().isEmpty()) {
                rows.add(MultiGauge.Row.of(Tags.of("function", tags.getFirst(), "state", tags.get(1)), count));
            }
        });
        gauge.register(rows, true);
    }

    private Map<String, Integer> prewarmTargets(Instant now) {
        Map<String, Integer> targets = new HashMap<>();
        settings.prewarm().forEach((runtime, prewarm) -> {
            Deque<Instant> misses = prewarmMisses.getOrDefault(runtime, new ArrayDeque<>());
            while (!misses.isEmpty() && misses.peekFirst().isBefore(now.minus(settings.prewarmWindow()))) {
                misses.pollFirst();
            }
            targets.put(runtime, PoolDecisions.prewarmTarget(prewarm.min(), prewarm.max(), misses.size()));
        });
        return targets;
    }

    private String waitMessage(Placement.Reason reason, Demand demand) {
        return switch (reason) {
            case FUNCTION_AT_MAX -> "all " + demand.maxInstances() + " containers of " + demand.function().name()
                    + " (maxInstances) stayed busy for " + settings.capacityWait().toMillis() + " ms";
            case NODE_FULL -> "this node's memory budget (" + settings.capacity().memoryBudgetMb() + " MB, "
                    + settings.capacity().maxContainers() + " containers) stayed full of busy containers for "
                    + settings.capacityWait().toMillis() + " ms";
            case SCALING_OUT -> "every container of " + demand.function().name() + " stayed busy and none of those"
                    + " started for it came up within " + settings.capacityWait().toMillis() + " ms";
        };
    }

    private List<ContainerSnapshot> snapshots() {
        List<ContainerSnapshot> snapshots = new ArrayList<>(containers.size());
        for (PooledContainer container : containers.values()) {
            snapshots.add(container.snapshot());
        }
        return snapshots;
    }

    /** Caller holds the lock. */
    private PooledContainer beginRemoval(PooledContainer container, RemovalReason reason) {
        container.state(new ContainerState.Removing(reason, clock.instant()));
        return container;
    }

    private void removeLater(PooledContainer container) {
        background.execute(() -> remove(container));
    }

    private void remove(PooledContainer container) {
        if (container.launched() == null) {
            // Still starting: Docker may be creating it right now, so there is nothing to remove yet. Its start
            // sees the Removing state once launched and removes it then.
            return;
        }
        RemovalReason reason = container.state() instanceof ContainerState.Removing removing
                ? removing.reason() : RemovalReason.FAILED;
        long start = System.nanoTime();
        launcher.destroy(container.key(), container.launched());
        forget(container);
        meters.counter("cloudfunc.container.removals", "reason", reason.tag()).increment();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (reason == RemovalReason.IDLE_EXPIRED && container.function() != null) {
            log.info("Idle cleanup: container {} of {} removed after {} s idle (in {} ms)", shortId(container),
                    shown(container.function()), container.snapshot().idleTtl().toSeconds(), millis);
        } else {
            log.info("Removed container {} of {} ({}) in {} ms", shortId(container), container.function() != null
                    ? shown(container.function()) : "(prewarmed " + container.runtime() + ")", reason.tag(), millis);
        }
    }

    private void forget(PooledContainer container) {
        lock.lock();
        try {
            containers.remove(container.key(), container);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Demand demandOf(FunctionVersionView function) {
        int memoryMb = function.memoryMb() > 0 ? function.memoryMb() : DEFAULT_MEMORY_MB;
        return new Demand(FunctionKey.of(function), function.runtime(), memoryMb,
                function.maxInstances() > 0 ? function.maxInstances() : DEFAULT_MAX_INSTANCES,
                Math.max(1, function.concurrency()),
                prewarmable(function) && settings.prewarmFits(function.runtime(), memoryMb));
    }

    /** Network mode, OCI runtime and image are fixed when a container is created: such functions start their own. */
    static boolean prewarmable(FunctionVersionView function) {
        return (function.network() == null || function.network().isBlank() || "none".equals(function.network()))
                && (function.ociRuntime() == null || function.ociRuntime().isBlank())
                && (function.image() == null || function.image().isBlank())
                && !"image".equals(function.runtime());
    }

    private Duration idleTtlOf(FunctionVersionView function) {
        return function.idleTtlMs() > 0 ? Duration.ofMillis(function.idleTtlMs()) : settings.defaultIdleTtl();
    }

    /** A function as the log lines name it: {@code hello_fn v1}. */
    private static String shown(FunctionKey function) {
        return function.name() + " v" + function.version();
    }

    /** The container as {@code docker ps} shows it (Docker's short id), or its pool key before Docker has one. */
    private static String shortId(PooledContainer container) {
        String id = container.containerId();
        return id != null ? id.substring(0, Math.min(12, id.length())) : "(key " + container.key() + ")";
    }

    private static String newKey() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private enum Step { WARM, JOIN, SPECIALISE, COLD, RESERVE }

    /** Too many calls of one function wait for a slot already; this one should go back to the broker. */
    public static final class WaitQueueFullException extends RuntimeException {
        public WaitQueueFullException(FunctionKey function, int waiting) {
            super(waiting + " calls of " + function + " already wait for a container");
        }
    }
}
