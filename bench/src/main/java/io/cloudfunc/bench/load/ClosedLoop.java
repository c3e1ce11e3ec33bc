package io.cloudfunc.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A fixed number of callers, each sending its next call as soon as the previous one answered, for a fixed time.
 * This is how "concurrency N" is measured; a closed loop slows down with the system, so throughput limits are
 * measured with {@link OpenLoop} instead.
 */
public final class ClosedLoop {

    /** One call; true when it succeeded. */
    @FunctionalInterface
    public interface Call {
        boolean call() throws Exception;
    }

    private ClosedLoop() {
    }

    public static Latencies run(int concurrency, Duration duration, Call call) throws InterruptedException {
        Histogram histogram = new ConcurrentHistogram(1, Latencies.HIGHEST_MICROS, 3);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            callers.add(Thread.ofPlatform().daemon().name("caller-" + i).start(() -> {
                int failuresInARow = 0;
                // a platform that refuses everything must not spin the loop for the whole interval
                while (System.nanoTime() < end && failuresInARow < 1_000) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = call.call();
                    } catch (Exception e) {
                        ok = false;
                    }
                    if (ok) {
                        histogram.recordValue(Latencies.clampMicros(System.nanoTime() - t0));
                        failuresInARow = 0;
                    } else {
                        errors.incrementAndGet();
                        failuresInARow++;
                    }
                }
            }));
        }
        for (Thread caller : callers) {
            caller.join(duration.toMillis() + 120_000);
        }
        return Latencies.of(histogram, errors.get(), (System.nanoTime() - start) / 1e9);
    }
}
