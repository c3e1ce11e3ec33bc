package io.cloudfunc.scheduler.schedule;

import io.cloudfunc.contracts.schedule.ScheduleTick;
import io.cloudfunc.contracts.schedule.ScheduleTicks;
import io.cloudfunc.scheduler.registry.RegistryClient;
import io.cloudfunc.support.messaging.PublishFailedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs schedules' ticks: claims the due ones from the registry, publishes each, and sleeps until the earliest next
 * tick the registry named (at most {@code scheduler.schedules.max-sleep}) or until {@link #wake()}.
 * <p>
 * Exactly one invocation per tick with any number of schedulers: the registry hands each tick to one claimant (a row
 * lock and the schedule moved past the tick in the claim's transaction), and the claimant publishes it at most once.
 * A publish the broker surely did not take is tried again (it cannot have arrived); one whose confirm did not come,
 * or a scheduler that dies between its claim and its publish, loses that tick: skipped, never run twice.
 */
@Component
class ScheduleTicker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScheduleTicker.class);

    private final RegistryClient registry;
    private final TickPublisher publisher;
    private final ScheduleProperties properties;
    private final Counter published;
    private final Counter lost;
    private final Timer lag;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    ScheduleTicker(RegistryClient registry, TickPublisher publisher, ScheduleProperties properties,
            MeterRegistry meters) {
        this.registry = registry;
        this.publisher = publisher;
        this.properties = properties;
        this.published = Counter.builder("cloudfunc.schedule.ticks").tag("outcome", "published")
                .description("Schedule ticks this scheduler claimed, by outcome").register(meters);
        this.lost = Counter.builder("cloudfunc.schedule.ticks").tag("outcome", "lost")
                .description("Schedule ticks this scheduler claimed, by outcome").register(meters);
        this.lag = Timer.builder("cloudfunc.schedule.tick.lag")
                .description("From a tick's time to its invocation's publish (a missed tick run late included)")
                .register(meters);
    }

    /** Claim again now: a schedule was created, resumed, paused or deleted. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("Schedules are not run by this scheduler (scheduler.schedules.enabled=false)");
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("schedule-ticker").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        int failures = 0;
        while (running) {
            Duration sleep;
            try {
                sleep = runDueTicks();
                if (failures > 0) {
                    log.info("Claiming schedule ticks again after {} failed attempts", failures);
                }
                failures = 0;
            } catch (RuntimeException e) {
                // one line per outage, not one a second
                if (failures++ == 0) {
                    log.warn("Could not claim schedule ticks (trying again every {}): {}", properties.retryPause(),
                            e.getMessage());
                }
                sleep = properties.retryPause();
            }
            pause(sleep);
        }
    }

    /** Claims and publishes the due ticks; returns how long to sleep before the next claim. */
    private Duration runDueTicks() {
        ScheduleTicks claimed = registry.claimScheduleTicks(properties.claimLimit());
        for (ScheduleTick tick : claimed.ticks()) {
            publish(tick);
        }
        if (claimed.ticks().size() >= properties.claimLimit()) {
            return Duration.ZERO; // more may be due
        }
        if (claimed.nextDueAt() == null) {
            return properties.maxSleep();
        }
        Duration until = Duration.between(Instant.now(), claimed.nextDueAt());
        // a due tick another claimant holds (or a clock a little behind the registry's): look again shortly
        Duration floor = Duration.ofMillis(50);
        return until.compareTo(floor) < 0 ? floor : until.compareTo(properties.maxSleep()) > 0
                ? properties.maxSleep() : until;
    }

    private void publish(ScheduleTick tick) {
        for (int attempt = 0; ; attempt++) {
            try {
                publisher.publish(tick);
                published.increment();
                lag.record(Duration.between(tick.tick(), Instant.now()));
                log.debug("Tick {} of schedule {}/{} published as invocation {}", tick.tick(), tick.functionName(),
                        tick.schedule(), tick.invocationId());
                return;
            } catch (PublishFailedException e) {
                if (!e.surelyLost() || attempt >= properties.publishRetries() || !running) {
                    lost.increment();
                    log.warn("Tick {} of schedule {}/{} is skipped: its invocation {} was not published ({})",
                            tick.tick(), tick.functionName(), tick.schedule(), tick.invocationId(), e.getMessage());
                    return;
                }
                pause(properties.retryPause());
            }
        }
    }

    private void pause(Duration duration) {
        long millis = duration.toMillis();
        if (millis <= 0) {
            return;
        }
        synchronized (signal) {
            try {
                if (!woken && running) {
                    signal.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            woken = false;
        }
    }
}
