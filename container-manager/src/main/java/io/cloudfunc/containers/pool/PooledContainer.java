package io.cloudfunc.containers.pool;

import io.cloudfunc.containers.runtime.RuntimeConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One container of the pool. Everything but {@link #launched} is guarded by the pool's lock. A prewarmed container
 * has no function until it is specialised; then it takes the function's settings.
 */
public final class PooledContainer {

    private final String key;
    private final String runtime;
    private FunctionKey function;
    private Duration idleTtl;
    private int concurrency;
    private int memoryMb;
    private int minInstances;
    private ContainerState state;
    private boolean retired;
    private boolean prewarmedOrigin;
    /** Calls holding a slot: in flight, or waiting for this container to finish starting. */
    private int calls;
    /** Connections not in use by a call. */
    private final Deque<RuntimeConnection> free = new ArrayDeque<>();
    /** Why its start failed, for the calls that were waiting for it. */
    private NoContainerException startFailure;
    private volatile LaunchedContainer launched;
    private volatile long launchedAtNanos;
    /** Warm calls no warm-reuse log line has reported yet, and when the last line was written (0: never). */
    private final AtomicInteger unreportedWarmCalls = new AtomicInteger();
    private volatile long warmLineAtNanos;

    PooledContainer(String key, String runtime, FunctionKey function, Duration idleTtl, int concurrency,
                    int memoryMb, int minInstances, ContainerState state) {
        this.key = key;
        this.runtime = runtime;
        this.function = function;
        this.idleTtl = idleTtl;
        this.concurrency = concurrency;
        this.memoryMb = memoryMb;
        this.minInstances = minInstances;
        this.state = state;
    }

    public String key() {
        return key;
    }

    /** Null while it is a prewarmed (generic) container. */
    public FunctionKey function() {
        return function;
    }

    String runtime() {
        return runtime;
    }

    public String containerId() {
        LaunchedContainer started = launched;
        return started != null ? started.containerId() : null;
    }

    /** Whether it started generic (prewarmed) and was then given its function. */
    boolean prewarmedOrigin() {
        return prewarmedOrigin;
    }

    /** Takes the settings of the function it is being given. Caller holds the lock. */
    void specialiseFor(FunctionKey function, Duration idleTtl, int concurrency, int memoryMb, int minInstances) {
        this.function = function;
        this.idleTtl = idleTtl;
        this.concurrency = concurrency;
        this.memoryMb = memoryMb;
        this.minInstances = minInstances;
        this.prewarmedOrigin = true;
    }

    LaunchedContainer launched() {
        return launched;
    }

    /** Now started: its connections are free for calls. Caller holds the lock. */
    void launched(LaunchedContainer container) {
        this.launched = container;
        this.launchedAtNanos = System.nanoTime();
        free.clear();
        free.addAll(container.connections());
    }

    /** Whether it was launched before that moment ({@link System#nanoTime()}). */
    boolean launchedBefore(long nanos) {
        return launched != null && launchedAtNanos - nanos < 0;
    }

    /**
     * A free connection for a call (caller holds the lock, and the container has a free slot). Null only for
     * containers launched without connections (test doubles).
     */
    RuntimeConnection takeConnection() {
        return free.poll();
    }

    void returnConnection(RuntimeConnection connection) {
        if (connection != null) {
            free.push(connection);
        }
    }

    /**
     * Counts a warm call and says how many warm calls a log line written now reports: none while the last line is
     * less than {@code intervalNanos} old (a later line counts this call). Without the pool's lock: calls of a
     * container with concurrency > 1 get here at once, and one of them writes the line.
     */
    int warmCallsToReport(long nowNanos, long intervalNanos) {
        unreportedWarmCalls.incrementAndGet();
        long last = warmLineAtNanos;
        if (last != 0 && nowNanos - last < intervalNanos) {
            return 0;
        }
        synchronized (this) {
            if (warmLineAtNanos != last) {
                return 0; // another call took this line
            }
            warmLineAtNanos = nowNanos;
        }
        return unreportedWarmCalls.getAndSet(0);
    }

    ContainerState state() {
        return state;
    }

    void state(ContainerState state) {
        this.state = state;
    }

    boolean retired() {
        return retired;
    }

    void retire() {
        this.retired = true;
    }

    int calls() {
        return calls;
    }

    void calls(int calls) {
        this.calls = calls;
    }

    int memoryMb() {
        return memoryMb;
    }

    NoContainerException startFailure() {
        return startFailure;
    }

    void startFailure(NoContainerException failure) {
        this.startFailure = failure;
    }

    ContainerSnapshot snapshot() {
        return new ContainerSnapshot(key, function, runtime, state, idleTtl, retired, calls, concurrency, memoryMb,
                minInstances);
    }
}
