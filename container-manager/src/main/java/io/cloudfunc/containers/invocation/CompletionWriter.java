package io.cloudfunc.containers.invocation;

import io.cloudfunc.containers.ContainerManagerProperties;
import io.cloudfunc.containers.registry.RegistryClient;
import io.cloudfunc.containers.registry.RegistryRejectedException;
import io.cloudfunc.containers.registry.RegistryUnavailableException;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Writes final records to the registry in batches. A consumer thread hands its completion over and blocks until
 * the batch holding it was written (or failed), so each message keeps its order reply, record, ack and its retries;
 * meanwhile a few writer threads each take the first waiting completion, gather more for up to the linger (or until
 * the batch is full) and send them in one request: under load one request and one transaction record many calls.
 *
 * <p>A batch the registry refuses as a whole (4xx: one bad completion) is written again one by one, so that only
 * the bad one is refused; a registry that cannot be reached fails every completion of the batch, and each consumer
 * retries or hands its message back as it did with one request per call.
 */
@Component
class CompletionWriter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CompletionWriter.class);

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<InvocationCompleted>> batches;
    private final Consumer<InvocationCompleted> single;
    private final long lingerNanos;
    private final int maxBatch;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopped;

    @Autowired
    CompletionWriter(RegistryClient registry, ContainerManagerProperties properties) {
        this(registry::completeAll, registry::complete, properties.consumer().completions());
    }

    CompletionWriter(Consumer<List<InvocationCompleted>> batches, Consumer<InvocationCompleted> single,
                     ContainerManagerProperties.Completions settings) {
        this.batches = batches;
        this.single = single;
        this.lingerNanos = settings.linger().toNanos();
        this.maxBatch = settings.maxBatch();
        for (int i = 0; i < settings.writers(); i++) {
            writers.add(Thread.ofVirtual().name("completion-writer-" + i).start(this::write));
        }
    }

    /**
     * Records the final state; returns once it is written.
     *
     * @throws RegistryRejectedException    the registry refused this completion
     * @throws RegistryUnavailableException the registry could not be reached or failed
     */
    void write(InvocationCompleted completed) {
        var pending = new Pending(completed, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.written().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new RegistryUnavailableException("recording " + completed.invocationId() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while recording " + completed.invocationId(), e);
        }
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!stopped) {
            try {
                gather(batch);
            } catch (InterruptedException e) {
                batch.forEach(p -> p.written().completeExceptionally(
                        new RegistryUnavailableException("the container-manager is stopping", e)));
                return;
            }
            send(batch);
            batch.clear();
        }
    }

    /** Waits for a first completion, then up to the linger for more, until the batch is full. */
    private void gather(List<Pending> batch) throws InterruptedException {
        batch.add(queue.take());
        queue.drainTo(batch, maxBatch - batch.size());
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void send(List<Pending> batch) {
        try {
            batches.accept(batch.stream().map(Pending::completed).toList());
            batch.forEach(p -> p.written().complete(null));
        } catch (RegistryRejectedException e) {
            if (batch.size() == 1) {
                batch.getFirst().written().completeExceptionally(e);
                return;
            }
            log.warn("The registry refused a batch of {} completions ({}); writing them one by one", batch.size(),
                    e.getMessage());
            batch.forEach(this::sendAlone);
        } catch (RuntimeException e) {
            log.debug("Writing {} completions failed: {}", batch.size(), e.getMessage());
            batch.forEach(p -> p.written().completeExceptionally(e));
        } catch (Error e) {
            // Never leave a consumer waiting for ever on a batch whose writer died.
            batch.forEach(p -> p.written().completeExceptionally(
                    new RegistryUnavailableException("writing the completions failed: " + e, e)));
            throw e;
        }
    }

    private void sendAlone(Pending pending) {
        try {
            single.accept(pending.completed());
            pending.written().complete(null);
        } catch (RuntimeException e) {
            pending.written().completeExceptionally(e);
        }
    }

    @Override
    public void destroy() {
        stopped = true;
        writers.forEach(Thread::interrupt);
        RegistryUnavailableException stopping = new RegistryUnavailableException("the container-manager is stopping",
                null);
        for (Pending pending; (pending = queue.poll()) != null; ) {
            pending.written().completeExceptionally(stopping);
        }
    }

    private record Pending(InvocationCompleted completed, CompletableFuture<Void> written) {
    }
}
