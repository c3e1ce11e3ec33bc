package io.cloudfunc.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Calls at a steady pace while a fault is injected (ClusterIT, CrashIT): call 1, 2, 3, ... each on a virtual thread
 * of its own, so that a slow or hanging call never holds up the next, until {@link #stop} or {@code most} calls.
 *
 * @param <T> what one call ends with
 */
final class PacedLoad<T> implements AutoCloseable {

    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<T>> sent = new ArrayList<>();
    private final Duration callBound;
    private final Thread pacer;
    private volatile boolean stopped;

    /** {@code call} makes call {@code n}, ending within {@code callBound}; a call starts every {@code every}. */
    PacedLoad(String name, Duration every, int most, Duration callBound, IntFunction<T> call) {
        this.callBound = callBound;
        pacer = Thread.ofPlatform().name(name).start(() -> {
            for (int n = 1; !stopped && n <= most; n++) {
                int number = n;
                synchronized (sent) {
                    sent.add(calls.submit(() -> call.apply(number)));
                }
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops sending and waits for every call sent to end, in the order they were sent. */
    List<T> stop() throws Exception {
        stopped = true;
        pacer.join();
        List<T> done = new ArrayList<>();
        synchronized (sent) {
            for (Future<T> call : sent) {
                done.add(call.get(callBound.toSeconds() + 30, TimeUnit.SECONDS));
            }
        }
        return done;
    }

    @Override
    public void close() {
        stopped = true;
        calls.shutdownNow();
    }
}
