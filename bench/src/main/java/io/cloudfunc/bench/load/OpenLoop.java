package io.cloudfunc.bench.load;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Calls sent at a fixed arrival rate whatever the system does (open loop). Each call's latency is measured from
 * the time it was <em>meant</em> to be sent, so a stalled system is charged for the calls it delayed (no
 * coordinated omission). At most {@code maxInFlight} calls are outstanding: past that the sender waits, and the
 * waiting counts in the latency of the calls that waited.
 */
public final class OpenLoop {

    private OpenLoop() {
    }

    /** Intended send time of call {@code i}, in nanoseconds after the start, at {@code rate} calls per second. */
    static long intendedOffsetNanos(long i, double rate) {
        return (long) (i * (1e9 / rate));
    }

    public static Latencies run(double rate, Duration duration, int maxInFlight,
                                Supplier<CompletableFuture<Boolean>> call) throws InterruptedException {
        Histogram histogram = new ConcurrentHistogram(1, Latencies.HIGHEST_MICROS, 3);
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(maxInFlight);
        long calls = Math.max(1, (long) (rate * duration.toNanos() / 1e9));
        long start = System.nanoTime() + 1_000_000;
        // a system that cannot keep up must not hold the run for ever: stop sending at twice the planned time
        long giveUp = start + 2 * duration.toNanos() + 10_000_000_000L;
        long notSent = 0;
        for (long i = 0; i < calls; i++) {
            long intended = start + intendedOffsetNanos(i, rate);
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long left = giveUp - System.nanoTime();
            if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                notSent = calls - i;
                break;
            }
            CompletableFuture<Boolean> future;
            try {
                future = call.get();
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            future.whenComplete((ok, failure) -> {
                if (failure == null && Boolean.TRUE.equals(ok)) {
                    histogram.recordValue(Latencies.clampMicros(System.nanoTime() - intended));
                } else {
                    errors.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.tryAcquire(maxInFlight, 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return Latencies.of(histogram, errors.get() + notSent, seconds);
    }
}
