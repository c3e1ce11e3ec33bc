package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.docker.ContainerEngine.ContainerStatus;
import io.cloudfunc.contracts.function.FunctionVersionView;
import io.cloudfunc.contracts.invocation.StartType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of this manager and their states. Decisions come from {@link PoolDecisions}; this class applies
 * them under one lock (held for microseconds, never across Docker or socket I/O) and runs the slow parts (cold
 * starts, removals) outside it.
 */
public class ContainerPool {

    private static final Logger log = LoggerFactory.getLogger(ContainerPool.class);

    private final ContainerLauncher launcher;
    private final ExecutorService background;
    private final Clock clock;
    private final int maxContainers;
    private final Duration capacityWait;
    private final Duration defaultIdleTtl;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a container becomes idle or leaves the pool: capacity may have freed up. */
    private final Condition changed = lock.newCondition();
    private final Map<String, PooledContainer> containers = new HashMap<>();
    private boolean closed;

    private final Counter coldStarts;
    private final Counter warmStarts;
    private final Timer coldStartLatency;
    private final MeterRegistry meters;

    public ContainerPool(ContainerLauncher launcher, ExecutorService background, Clock clock, int maxContainers,
                         Duration capacityWait, Duration defaultIdleTtl, MeterRegistry meters) {
        this.launcher = launcher;
        this.background = background;
        this.clock = clock;
        this.maxContainers = maxContainers;
        this.capacityWait = capacityWait;
        this.defaultIdleTtl = defaultIdleTtl;
        this.meters = meters;
        this.coldStarts = Counter.builder("cloudfunc.container.starts").tag("type", StartType.COLD.label())
                .description("Calls served, by how their container was obtained").register(meters);
        this.warmStarts = Counter.builder("cloudfunc.container.starts").tag("type", StartType.WARM.label())
                .description("Calls served, by how their container was obtained").register(meters);
        this.coldStartLatency = Timer.builder("cloudfunc.container.cold.start")
                .description("Time from asking for a new container to its runtime having loaded the function")
                .publishPercentileHistogram()
                .register(meters);
        for (String state : List.of("starting", "idle", "busy", "removing")) {
            Gauge.builder("cloudfunc.containers", this, pool -> pool.count(state))
                    .tag("state", state)
                    .description("Containers of this manager, by state")
                    .register(meters);
        }
    }

    /**
     * A container for one call of {@code function}: an idle warm one, or a new one started now (cold start, on
     * the calling thread). Waits up to the configured capacity wait when every container is busy.
     */
    public Lease acquire(FunctionVersionView function, UUID invocationId, Supplier<Path> code)
            throws NoContainerException {
        FunctionKey key = FunctionKey.of(function);
        PooledContainer fresh;
        List<PooledContainer> evicted = new ArrayList<>();
        lock.lock();
        try {
            long waitNanos = capacityWait.toNanos();
            while (true) {
                if (closed) {
                    throw NoContainerException.platform("PlatformError", "the container-manager is shutting down",
                            null);
                }
                Placement placement = PoolDecisions.place(key, snapshots(), maxContainers);
                if (placement instanceof Placement.Reuse(String warmKey)) {
                    PooledContainer warm = containers.get(warmKey);
                    warm.state(new ContainerState.Busy(invocationId, clock.instant()));
                    warmStarts.increment();
                    log.debug("Warm container {} of {} takes the call", warmKey, key);
                    return new Lease(warm, StartType.WARM, 0);
                }
                if (placement instanceof Placement.StartNew(List<String> evict)) {
                    for (String victim : evict) {
                        evicted.add(beginRemoval(containers.get(victim), RemovalReason.EVICTED));
                    }
                    fresh = new PooledContainer(newKey(), key, idleTtlOf(function),
                            new ContainerState.Starting(clock.instant()));
                    containers.put(fresh.key(), fresh);
                    break;
                }
                if (waitNanos <= 0) {
                    throw NoContainerException.platform("CapacityExhausted", "all " + maxContainers
                            + " containers of this manager stayed busy for " + capacityWait.toMillis() + " ms", null);
                }
                waitNanos = changed.awaitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NoContainerException.platform("PlatformError", "interrupted while waiting for a container", e);
        } finally {
            lock.unlock();
        }
        evicted.forEach(this::removeLater);
        return coldStart(fresh, function, invocationId, code);
    }

    private Lease coldStart(PooledContainer fresh, FunctionVersionView function, UUID invocationId,
                            Supplier<Path> code) throws NoContainerException {
        long start = System.nanoTime();
        LaunchedContainer launched;
        try {
            launched = launcher.launch(fresh.key(), function, code);
        } catch (NoContainerException | RuntimeException e) {
            forget(fresh); // the launcher cleaned up what it had created
            throw e;
        }
        long nanos = System.nanoTime() - start;
        boolean abandoned;
        lock.lock();
        try {
            fresh.launched(launched);
            // shutdown() gave the container up while it was starting; only now is there a Docker container to remove
            abandoned = fresh.state() instanceof ContainerState.Removing;
            if (!abandoned) {
                fresh.state(new ContainerState.Busy(invocationId, clock.instant()));
            }
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            remove(fresh);
            throw NoContainerException.platform("PlatformError", "the container-manager is shutting down", null);
        }
        coldStartLatency.record(nanos, TimeUnit.NANOSECONDS);
        coldStarts.increment();
        return new Lease(fresh, StartType.COLD, nanos);
    }

    /**
     * The call is over and the container healthy: it becomes idle (or goes, if retired meanwhile, or if its
     * connection was closed after all, e.g. by a time limit that expired just as the answer arrived).
     */
    public void release(Lease lease) {
        PooledContainer container = lease.container();
        boolean usable = container.connectionOpen();
        boolean remove;
        lock.lock();
        try {
            remove = !usable || container.retired() || closed;
            if (remove) {
                beginRemoval(container, closed ? RemovalReason.SHUTDOWN
                        : !usable ? RemovalReason.FAILED : RemovalReason.RETIRED);
            } else {
                container.state(new ContainerState.Idle(clock.instant()));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (remove) {
            removeLater(container);
        }
    }

    /** The container must not serve again (timed out, died, broke the protocol): removed before this returns. */
    public void discard(Lease lease, RemovalReason reason) {
        lock.lock();
        try {
            beginRemoval(lease.container(), reason);
        } finally {
            lock.unlock();
        }
        remove(lease.container());
    }

    /** How a leased container's process ended (after its connection was lost). */
    public Optional<ContainerStatus> exitStatus(Lease lease) {
        return launcher.exitStatus(lease.container().launched());
    }

    /** Removes idle containers past their TTL (and idle retired ones). Returns how many were expired. */
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

    /** Retires the matching containers: idle ones are removed now, busy ones after their call. */
    public void retire(Predicate<FunctionKey> which, String why) {
        List<PooledContainer> idle = new ArrayList<>();
        int busy = 0;
        lock.lock();
        try {
            for (PooledContainer container : containers.values()) {
                if (!which.test(container.function()) || container.state() instanceof ContainerState.Removing) {
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
     * Stops the pool: no new calls; idle containers are removed at once, busy ones when their call ends or when
     * {@code wait} has passed, whichever comes first. Returns when every container is gone (or could not be).
     */
    public void shutdown(Duration wait) {
        List<PooledContainer> removing = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (PooledContainer container : containers.values()) {
                if (container.state() instanceof ContainerState.Idle) {
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
                if (!starting) { // a starting container is removed by its cold start, once it has been launched
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

    /** Snapshots of every container, for decisions and tests. */
    public List<ContainerSnapshot> snapshot() {
        lock.lock();
        try {
            return snapshots();
        } finally {
            lock.unlock();
        }
    }

    /** Containers in the state with that label (starting, idle, busy, removing). */
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
            // Still starting: Docker may be creating it right now, so there is nothing to remove yet. Its cold start
            // sees the Removing state once launched and removes it then.
            return;
        }
        RemovalReason reason = container.state() instanceof ContainerState.Removing removing
                ? removing.reason() : RemovalReason.FAILED;
        long start = System.nanoTime();
        launcher.destroy(container.key(), container.launched());
        forget(container);
        meters.counter("cloudfunc.container.removals", "reason", reason.tag()).increment();
        log.info("Removed container {} of {} ({}) in {} ms", container.key(), container.function(), reason.tag(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private void forget(PooledContainer container) {
        lock.lock();
        try {
            containers.remove(container.key());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Duration idleTtlOf(FunctionVersionView function) {
        return function.idleTtlMs() > 0 ? Duration.ofMillis(function.idleTtlMs()) : defaultIdleTtl;
    }

    private static String newKey() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
