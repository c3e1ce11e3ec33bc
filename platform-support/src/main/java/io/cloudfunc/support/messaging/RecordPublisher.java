package io.cloudfunc.support.messaging;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends invocation records to the function-registry, their only writer, as {@link InvocationRecords} messages on
 * {@link Topology#RECORDS_QUEUE} (docs/messaging.md). Records handed over by many threads are gathered by one writer
 * thread: it takes the first, then whatever arrives within the linger or until the batch holds {@code maxBatch}
 * records, and publishes them as ONE message ({@link ConfirmedPublisher}: persistent, mandatory, confirmed). Each
 * record's future completes when the broker confirmed its message, or fails with a {@link PublishFailedException}.
 * The writer does not wait for a confirm before it gathers the next batch.
 *
 * <p>A plain class (a service makes it a bean); thread-safe. {@link #close()} fails what was not sent yet.
 */
public final class RecordPublisher implements AutoCloseable {

    private final ConfirmedPublisher publisher;
    private final JsonMapper json;
    private final long lingerNanos;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** A record taken that did not fit into the last message (writer thread only). */
    private Pending carried;
    private volatile boolean closed;

    /**
     * @param linger         how long the writer waits for more records after the first (zero: sends what is there)
     * @param maxBatch       most records in one message (a {@link #publish} of more travels alone)
     * @param confirmTimeout how long the broker may take to confirm a message
     */
    public RecordPublisher(RabbitTemplate rabbit, JsonMapper json, Duration linger, int maxBatch,
                           Duration confirmTimeout) {
        if (maxBatch < 1 || linger.isNegative()) {
            throw new IllegalArgumentException("need maxBatch >= 1 and linger >= 0, got " + maxBatch + ", " + linger);
        }
        this.publisher = new ConfirmedPublisher(rabbit, confirmTimeout);
        this.json = json;
        this.lingerNanos = linger.toNanos();
        this.maxBatch = maxBatch;
        this.writer = Thread.ofPlatform().daemon().name("record-publisher").start(this::run);
    }

    public CompletableFuture<Void> created(CreateInvocation created) {
        return publish(new InvocationRecords(List.of(created), null, null, null));
    }

    public CompletableFuture<Void> started(InvocationStarted started) {
        return publish(new InvocationRecords(null, List.of(started), null, null));
    }

    public CompletableFuture<Void> retried(RetryScheduled retried) {
        return publish(new InvocationRecords(null, null, List.of(retried), null));
    }

    public CompletableFuture<Void> completed(InvocationCompleted completed) {
        return publish(new InvocationRecords(null, null, null, List.of(completed)));
    }

    /** Records that must travel in one message (they may share it with others'). */
    public CompletableFuture<Void> publish(InvocationRecords records) {
        var pending = new Pending(records, new CompletableFuture<>());
        if (records.isEmpty()) {
            pending.confirmed().complete(null);
            return pending.confirmed();
        }
        queue.add(pending);
        if (closed && queue.remove(pending)) {
            pending.confirmed().completeExceptionally(stopping());
        }
        return pending.confirmed();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        try {
            while (!closed) {
                gather(batch);
                send(List.copyOf(batch));
                batch.clear();
            }
        } catch (InterruptedException e) {
            // closing
        }
        batch.forEach(p -> p.confirmed().completeExceptionally(stopping()));
        if (carried != null) {
            carried.confirmed().completeExceptionally(stopping());
        }
    }

    /**
     * Waits for a first record, then up to the linger for more, while the batch has room for them; a record that does
     * not fit is carried over to the next message.
     */
    private void gather(List<Pending> batch) throws InterruptedException {
        Pending first = carried != null ? carried : queue.take();
        carried = null;
        batch.add(first);
        int size = first.records().size();
        long deadline = System.nanoTime() + lingerNanos;
        while (size < maxBatch) {
            Pending next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (next = queue.poll(left, TimeUnit.NANOSECONDS)) == null) {
                    return;
                }
            }
            if (size + next.records().size() > maxBatch) {
                carried = next;
                return;
            }
            batch.add(next);
            size += next.records().size();
        }
    }

    private void send(List<Pending> batch) {
        CompletableFuture<Void> confirmed;
        try {
            var properties = new MessageProperties();
            properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
            properties.setType(Topology.TYPE_INVOCATION_RECORDS);
            byte[] body = json.writeValueAsBytes(merge(batch));
            confirmed = publisher.publish("", Topology.RECORDS_QUEUE, new Message(body, properties));
        } catch (RuntimeException e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        confirmed.whenComplete((ok, failure) -> batch.forEach(p -> {
            if (failure != null) {
                p.confirmed().completeExceptionally(failure);
            } else {
                p.confirmed().complete(null);
            }
        }));
    }

    static InvocationRecords merge(List<Pending> batch) {
        if (batch.size() == 1) {
            return batch.getFirst().records();
        }
        var created = new ArrayList<CreateInvocation>();
        var started = new ArrayList<InvocationStarted>();
        var retried = new ArrayList<RetryScheduled>();
        var completed = new ArrayList<InvocationCompleted>();
        for (Pending pending : batch) {
            created.addAll(pending.records().created());
            started.addAll(pending.records().started());
            retried.addAll(pending.records().retried());
            completed.addAll(pending.records().completed());
        }
        return new InvocationRecords(created, started, retried, completed);
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        for (Pending pending; (pending = queue.poll()) != null; ) {
            pending.confirmed().completeExceptionally(stopping());
        }
    }

    private static PublishFailedException stopping() {
        return new PublishFailedException(PublishFailedException.Reason.BROKER_UNREACHABLE,
                "the record publisher is closed", null);
    }

    record Pending(InvocationRecords records, CompletableFuture<Void> confirmed) {
    }
}
