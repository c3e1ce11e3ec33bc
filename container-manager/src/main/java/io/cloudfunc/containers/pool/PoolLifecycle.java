package io.cloudfunc.containers.pool;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts before the invocation consumer and stops after it: at start, cleans up orphans of a previous life and
 * starts the idle reaper; at stop (once no more calls arrive), removes every container of this manager.
 */
final class PoolLifecycle implements SmartLifecycle {

    /** Lower than the listener containers' phase (Integer.MAX_VALUE): started before, stopped after them. */
    static final int PHASE = 0;
    private static final Logger log = LoggerFactory.getLogger(PoolLifecycle.class);

    private final ContainerPool pool;
    private final OrphanCleaner orphans;
    private final ScheduledExecutorService timer;
    private final Duration reaperInterval;
    private final Duration shutdownGrace;
    /** Docker is asked which containers still run every this many ticks (5 s at the default 1 s interval). */
    private static final int RECONCILE_EVERY_TICKS = 5;
    private volatile ScheduledFuture<?> reaper;
    private long ticks;

    PoolLifecycle(ContainerPool pool, OrphanCleaner orphans, ScheduledExecutorService timer, Duration reaperInterval,
                  Duration shutdownGrace) {
        this.pool = pool;
        this.orphans = orphans;
        this.timer = timer;
        this.reaperInterval = reaperInterval;
        this.shutdownGrace = shutdownGrace;
    }

    @Override
    public void start() {
        orphans.clean();
        pool.maintain(); // prewarmed containers from the start
        long interval = reaperInterval.toNanos();
        reaper = timer.scheduleWithFixedDelay(this::reap, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Every tick: expiry, background sizing (minInstances, prewarm), gauges; every few seconds a Docker check. */
    private void reap() {
        try {
            pool.expire();
            pool.maintain();
            if (++ticks % RECONCILE_EVERY_TICKS == 0) {
                pool.reconcile();
            }
            pool.refreshGauges();
        } catch (RuntimeException e) { // never let the schedule die
            log.warn("Pool maintenance failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = reaper;
        if (running != null) {
            running.cancel(false);
        }
        reaper = null;
        log.info("Removing this manager's containers before stopping");
        pool.shutdown(shutdownGrace);
    }

    @Override
    public boolean isRunning() {
        return reaper != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
