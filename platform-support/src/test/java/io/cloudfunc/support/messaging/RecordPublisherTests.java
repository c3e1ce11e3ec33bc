package io.cloudfunc.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

class RecordPublisherTests {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private final JsonMapper json = JsonMapper.builder().build();
    private final List<RecordPublisher> publishers = new ArrayList<>();

    @AfterEach
    void close() {
        publishers.forEach(RecordPublisher::close);
    }

    @Test
    void gathersTheRecordsOfManyThreadsIntoOneConfirmedMessage() throws Exception {
        var broker = new FakeBroker((message, correlation) -> correlation.getFuture()
                .complete(new CorrelationData.Confirm(true, null)));
        RecordPublisher records = publisher(broker, Duration.ofMillis(300), 256);

        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 20; i++) {
                threads.execute(() -> futures.add(records.started(new InvocationStarted(UUID.randomUUID(), T0, 1))));
            }
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

        assertThat(broker.sent).hasSize(1);
        Message message = broker.sent.getFirst();
        assertThat(message.getMessageProperties().getType()).isEqualTo(Topology.TYPE_INVOCATION_RECORDS);
        assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/json");
        assertThat(message.getMessageProperties().getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(broker.routingKeys).containsExactly(Topology.RECORDS_QUEUE);
        assertThat(read(message).started()).hasSize(20);
    }

    @Test
    void startsANewMessageWhenTheNextRecordsWouldNotFitAndNeverSplitsOnePublish() {
        var broker = new FakeBroker((message, correlation) -> correlation.getFuture()
                .complete(new CorrelationData.Confirm(true, null)));
        RecordPublisher records = publisher(broker, Duration.ofMillis(200), 3);
        UUID together = UUID.randomUUID();

        List<CompletableFuture<Void>> futures = List.of(
                records.started(new InvocationStarted(UUID.randomUUID(), T0, 1)),
                records.started(new InvocationStarted(UUID.randomUUID(), T0, 1)),
                records.publish(new InvocationRecords(List.of(created(together)), null, null,
                        List.of(completed(together)))),
                records.started(new InvocationStarted(UUID.randomUUID(), T0, 1)),
                records.started(new InvocationStarted(UUID.randomUUID(), T0, 1)),
                records.started(new InvocationStarted(UUID.randomUUID(), T0, 1)));
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

        List<InvocationRecords> messages = broker.sent.stream().map(this::read).toList();
        assertThat(messages).extracting(InvocationRecords::size).containsExactly(2, 3, 2);
        assertThat(messages.get(1).created()).extracting(CreateInvocation::id).containsExactly(together);
        assertThat(messages.get(1).completed()).extracting(InvocationCompleted::invocationId)
                .containsExactly(together);
    }

    @Test
    void failsEveryRecordOfAMessageTheBrokerRefused() {
        var broker = new FakeBroker((message, correlation) -> correlation.getFuture()
                .complete(new CorrelationData.Confirm(false, "disk full")));
        RecordPublisher records = publisher(broker, Duration.ZERO, 256);

        assertFailure(records.completed(completed(UUID.randomUUID())), PublishFailedException.Reason.NACKED,
                "disk full");
    }

    @Test
    void failsARecordWhoseMessageCouldNotBeRouted() {
        var broker = new FakeBroker((message, correlation) -> {
            correlation.setReturned(new ReturnedMessage(message, 312, "NO_ROUTE", "", Topology.RECORDS_QUEUE));
            correlation.getFuture().complete(new CorrelationData.Confirm(true, null));
        });
        RecordPublisher records = publisher(broker, Duration.ZERO, 256);

        assertFailure(records.created(created(UUID.randomUUID())), PublishFailedException.Reason.RETURNED,
                "NO_ROUTE");
    }

    @Test
    void failsARecordWithoutAConfirmInTime() {
        var broker = new FakeBroker((message, correlation) -> { });
        RecordPublisher records = new RecordPublisher(broker, json, Duration.ZERO, 256, Duration.ofMillis(100));
        publishers.add(records);

        assertFailure(records.completed(completed(UUID.randomUUID())), PublishFailedException.Reason.TIMED_OUT,
                "within 100 ms");
    }

    @Test
    void failsARecordWhenTheBrokerCannotBeReached() {
        var broker = new FakeBroker((message, correlation) -> {
            throw new AmqpConnectException(new java.net.ConnectException("Connection refused"));
        });
        RecordPublisher records = publisher(broker, Duration.ZERO, 256);

        assertFailure(records.completed(completed(UUID.randomUUID())),
                PublishFailedException.Reason.BROKER_UNREACHABLE, "Connection refused");
    }

    @Test
    void writesARawJsonRequestAsItIs() {
        var broker = new FakeBroker((message, correlation) -> correlation.getFuture()
                .complete(new CorrelationData.Confirm(true, null)));
        RecordPublisher records = publisher(broker, Duration.ZERO, 256);
        String event = "{\"name\":\"Ada\",  \"n\":[1,2.50]}";
        UUID id = UUID.randomUUID();

        records.created(new CreateInvocation(id, "greeter", 1,
                json.getNodeFactory().rawValueNode(new RawValue(event)), T0)).join();

        String body = new String(broker.sent.getFirst().getBody(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).contains("\"request\":" + event);
        assertThat(read(broker.sent.getFirst()).created().getFirst().request())
                .isEqualTo(json.readTree("{\"name\":\"Ada\",\"n\":[1,2.50]}"));
    }

    @Test
    void refusesATemplateThatDoesNotPublishMandatory() {
        var template = new RabbitTemplate();

        assertThatThrownBy(() -> new ConfirmedPublisher(template, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("publisher-returns");
    }

    private RecordPublisher publisher(FakeBroker broker, Duration linger, int maxBatch) {
        var publisher = new RecordPublisher(broker, json, linger, maxBatch, Duration.ofSeconds(5));
        publishers.add(publisher);
        return publisher;
    }

    private InvocationRecords read(Message message) {
        return json.readValue(message.getBody(), InvocationRecords.class);
    }

    private static void assertFailure(CompletableFuture<Void> future, PublishFailedException.Reason reason,
                                      String detail) {
        assertThatThrownBy(() -> ConfirmedPublisher.await(future))
                .isInstanceOfSatisfying(PublishFailedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(detail);
    }

    private static CreateInvocation created(UUID id) {
        return new CreateInvocation(id, "greeter", 1, null, T0);
    }

    private static InvocationCompleted completed(UUID id) {
        return new InvocationCompleted(id, "greeter", 1, InvocationStatus.SUCCEEDED, null, null, null, null, "",
                T0, T0.plusMillis(3), 3);
    }

    /** A template that hands each message to {@code broker} instead of RabbitMQ, mandatory like Boot's. */
    private static final class FakeBroker extends RabbitTemplate {

        final List<Message> sent = new CopyOnWriteArrayList<>();
        final List<String> routingKeys = new CopyOnWriteArrayList<>();
        private final BiConsumer<Message, CorrelationData> broker;

        FakeBroker(BiConsumer<Message, CorrelationData> broker) {
            this.broker = broker;
            setMandatory(true);
        }

        @Override
        public void send(String exchange, String routingKey, Message message, CorrelationData correlation) {
            broker.accept(message, correlation);
            sent.add(message);
            routingKeys.add(routingKey);
        }
    }
}
