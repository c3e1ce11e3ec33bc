package io.cloudfunc.scheduler.invocation;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.scheduler.SchedulerProperties;
import io.cloudfunc.scheduler.registry.RegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Writes the QUEUED records of synchronous and asynchronous calls in batches: each call enqueues its record and gets a future; a few
 * writer threads each take whatever has gathered (up to {@code scheduler.async.max-batch}) and send it in one
 * registry request. Under load many calls share a request and a transaction; alone, a call waits for one request as
 * before, so batching adds no delay.
 */
@Component
class QueuedRecords implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(QueuedRecords.class);

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final RegistryClient registry;
    private final int maxBatch;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopped;

    QueuedRecords(RegistryClient registry, SchedulerProperties properties) {
        this.registry = registry;
        this.maxBatch = properties.async().maxBatch();
        for (int i = 0; i < properties.async().writers(); i++) {
            writers.add(Thread.ofVirtual().name("queued-records-" + i).start(this::write));
        }
    }

    /** Completes once the record is written; fails when the registry refused it or could not be reached. */
    CompletableFuture<Void> add(CreateInvocation record) {
        var pending = new Pending(record, new CompletableFuture<>());
        queue.add(pending);
        return pending.written();
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!stopped) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            try {
                registry.createInvocations(batch.stream().map(Pending::record).toList());
                batch.forEach(p -> p.written().complete(null));
            } catch (RuntimeException e) {
                log.debug("Writing {} QUEUED records failed: {}", batch.size(), e.getMessage());
                batch.forEach(p -> p.written().completeExceptionally(e));
            }
            batch.clear();
        }
    }

    @Override
    public void destroy() {
        stopped = true;
        writers.forEach(Thread::interrupt);
    }

    private record Pending(CreateInvocation record, CompletableFuture<Void> written) {
    }
}
