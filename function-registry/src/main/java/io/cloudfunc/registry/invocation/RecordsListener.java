package io.cloudfunc.registry.invocation;

import com.rabbitmq.client.Channel;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.registry.RegistryProperties;
import io.cloudfunc.registry.problem.DataExceptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes {@link InvocationRecords} ({@code cloudfunc.records}, manual acks, several messages at a time): applies
 * all records of the gathered messages in one transaction ({@link InvocationRecordWriter}), then acks them.
 *
 * <p>A message must never loop: a record that cannot be read or stored (unknown enum value, not JSON, an invalid
 * function name, a value PostgreSQL refuses) is logged and dropped, the others are applied (one by one when the
 * whole batch failed on a data error), and the message is acked. A database that cannot be reached is the only
 * reason to hand the messages back (after a pause, so that an outage does not spin the queue): nothing is lost.
 */
@Component
class RecordsListener implements ChannelAwareBatchMessageListener {

    private static final Logger log = LoggerFactory.getLogger(RecordsListener.class);

    private final InvocationRecordWriter writer;
    private final JsonMapper json;
    private final Duration requeuePause;
    private final Counter applied;
    private final Counter dropped;

    RecordsListener(InvocationRecordWriter writer, JsonMapper json, RegistryProperties properties,
                    MeterRegistry meters) {
        this.writer = writer;
        this.json = json;
        this.requeuePause = properties.invocations().requeuePause();
        this.applied = Counter.builder("cloudfunc.records").tag("outcome", "applied")
                .description("Invocation records applied (or found already applied)").register(meters);
        this.dropped = Counter.builder("cloudfunc.records").tag("outcome", "dropped")
                .description("Invocation records (or unreadable messages) dropped as invalid").register(meters);
    }

    @Override
    public void onMessageBatch(List<Message> messages, Channel channel) {
        var records = new Gathered();
        messages.forEach(message -> read(message.getBody(), records));
        try {
            apply(records.toRecords());
        } catch (RuntimeException e) {
            log.warn("The database cannot take {} invocation records; {} messages go back to the queue: {}",
                    records.size(), messages.size(), e.getMessage());
            pause(requeuePause);
            settle(messages, channel, true);
            return;
        }
        settle(messages, channel, false);
    }

    /**
     * Applies the records in one transaction; when that fails on a record's data, applies them one by one and drops
     * those the database refuses.
     *
     * @throws RuntimeException the database cannot be reached (or fails for another reason than the data)
     */
    private void apply(InvocationRecords records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            writer.apply(records);
            applied.increment(records.size());
            return;
        } catch (RuntimeException e) {
            if (!refusesData(e)) {
                throw e;
            }
            log.warn("A batch of {} invocation records failed on its data; applying them one by one: {}",
                    records.size(), e.getMessage());
        }
        for (InvocationRecords single : oneByOne(records)) {
            try {
                writer.apply(single);
                applied.increment();
            } catch (RuntimeException e) {
                if (!refusesData(e)) {
                    throw e;
                }
                log.warn("Dropping an invocation record the database refuses ({}): {}", e.getMessage(), single);
                dropped.increment();
            }
        }
    }

    /**
     * Whether a write failed on what it wrote (a value the database refuses, a broken constraint, a value that cannot
     * be written as JSON, a bug on one record), rather than on the database (no connection, no transaction, a lock
     * timeout): retrying the same records cannot help.
     */
    private static boolean refusesData(RuntimeException e) {
        if (e instanceof DataIntegrityViolationException || DataExceptions.isDataException(e)) {
            return true;
        }
        return !(e instanceof DataAccessException || e instanceof TransactionException);
    }

    private static List<InvocationRecords> oneByOne(InvocationRecords records) {
        List<InvocationRecords> singles = new ArrayList<>(records.size());
        records.created().forEach(r -> singles.add(new InvocationRecords(List.of(r), null, null, null)));
        records.started().forEach(r -> singles.add(new InvocationRecords(null, List.of(r), null, null)));
        records.retried().forEach(r -> singles.add(new InvocationRecords(null, null, List.of(r), null)));
        records.completed().forEach(r -> singles.add(new InvocationRecords(null, null, null, List.of(r))));
        return singles;
    }

    /** Adds the valid records of one message to {@code records}; logs and counts the rest. */
    private void read(byte[] body, Gathered records) {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JacksonException e) {
            tree = null;
        }
        if (tree == null || !tree.isObject()) {
            log.warn("Dropping a records message that is not a JSON object ({} bytes)", body.length);
            dropped.increment();
            return;
        }
        readAll(tree.path("created"), CreateInvocation.class, InvocationRecordWriter::invalid, records.created);
        readAll(tree.path("started"), InvocationStarted.class, InvocationRecordWriter::invalid, records.started);
        readAll(tree.path("retried"), RetryScheduled.class, InvocationRecordWriter::invalid, records.retried);
        readAll(tree.path("completed"), InvocationCompleted.class, InvocationRecordWriter::invalid,
                records.completed);
    }

    private <T> void readAll(JsonNode array, Class<T> type, Function<T, String> invalid, List<T> into) {
        if (array.isMissingNode() || array.isNull()) {
            return;
        }
        if (!array.isArray()) {
            log.warn("Dropping {} records that are not a JSON array: {}", type.getSimpleName(), array);
            dropped.increment();
            return;
        }
        for (JsonNode element : array) {
            String why;
            T record = null;
            try {
                record = json.treeToValue(element, type);
                why = record == null ? "null" : invalid.apply(record);
            } catch (JacksonException e) {
                why = e.getOriginalMessage();
            }
            if (why == null) {
                into.add(record);
            } else {
                log.warn("Dropping an invalid {} record ({}): {}", type.getSimpleName(), why, element);
                dropped.increment();
            }
        }
    }

    private static void settle(List<Message> messages, Channel channel, boolean requeue) {
        for (Message message : messages) {
            long tag = message.getMessageProperties().getDeliveryTag();
            try {
                if (requeue) {
                    channel.basicNack(tag, false, true);
                } else {
                    channel.basicAck(tag, false);
                }
            } catch (IOException e) {
                // The channel is gone: the broker hands the message to a consumer again (records are idempotent).
                log.warn("Could not settle a records message: {}", e.toString());
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onMessage(Message message) {
        throw new UnsupportedOperationException("records are consumed in batches");
    }

    /** The valid records of the messages of one batch. */
    private static final class Gathered {

        final List<CreateInvocation> created = new ArrayList<>();
        final List<InvocationStarted> started = new ArrayList<>();
        final List<RetryScheduled> retried = new ArrayList<>();
        final List<InvocationCompleted> completed = new ArrayList<>();

        int size() {
            return created.size() + started.size() + retried.size() + completed.size();
        }

        InvocationRecords toRecords() {
            return new InvocationRecords(created, started, retried, completed);
        }
    }
}
