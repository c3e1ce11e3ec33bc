package io.cloudfunc.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.testing.RabbitVhost;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

/** {@link RecordPublisher} against the local RabbitMQ, in a vhost of its own. */
class RecordPublisherIT {

    private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");

    private final JsonMapper json = JsonMapper.builder().build();
    private RabbitVhost vhost;
    private CachingConnectionFactory connections;
    private RabbitTemplate rabbit;
    private RecordPublisher records;

    @BeforeEach
    void broker() {
        vhost = RabbitVhost.create("cf_it_support");
        connections = connections(5672);
        rabbit = mandatoryTemplate(connections);
        records = new RecordPublisher(rabbit, json, Duration.ofMillis(5), 256, Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        records.close();
        connections.destroy();
        vhost.close();
    }

    @Test
    void deliversTheRecordsOfManyThreadsToTheRecordsQueueInFewConfirmedMessages() {
        new RabbitAdmin(connections).declareQueue(new InvocationTopology(QueueType.CLASSIC).recordsQueue());
        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        Set<UUID> ids = new HashSet<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 200; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                threads.execute(() -> futures.add(records.publish(new InvocationRecords(
                        List.of(new CreateInvocation(id, "greeter", 1, json.readTree("{\"n\":1}"), T0)),
                        List.of(new InvocationStarted(id, T0, 1)), null,
                        List.of(new InvocationCompleted(id, "greeter", 1, InvocationStatus.SUCCEEDED, null, null,
                                null, null, "", T0, T0.plusMillis(2), 2))))));
            }
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

        List<Message> messages = new ArrayList<>();
        for (Message m; (m = rabbit.receive(Topology.RECORDS_QUEUE)) != null; ) {
            messages.add(m);
        }
        List<InvocationRecords> bodies = messages.stream()
                .map(m -> json.readValue(m.getBody(), InvocationRecords.class)).toList();
        assertThat(messages).hasSizeLessThan(200).allSatisfy(m -> {
            assertThat(m.getMessageProperties().getType()).isEqualTo(Topology.TYPE_INVOCATION_RECORDS);
            assertThat(m.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        });
        assertThat(bodies).allSatisfy(body -> assertThat(body.size()).isLessThanOrEqualTo(256));
        assertThat(bodies.stream().flatMap(b -> b.completed().stream()).map(InvocationCompleted::invocationId))
                .containsExactlyInAnyOrderElementsOf(ids);
        // the three records of one call always travel together
        assertThat(bodies).allSatisfy(body -> assertThat(body.created().stream().map(CreateInvocation::id).toList())
                .containsExactlyInAnyOrderElementsOf(body.completed().stream()
                        .map(InvocationCompleted::invocationId).toList()));
    }

    @Test
    void failsWhenTheRecordsQueueDoesNotExist() {
        CompletableFuture<Void> sent = records.started(new InvocationStarted(UUID.randomUUID(), T0, 1));

        assertThatThrownBy(() -> ConfirmedPublisher.await(sent))
                .isInstanceOfSatisfying(PublishFailedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PublishFailedException.Reason.RETURNED))
                .hasMessageContaining("NO_ROUTE");
    }

    @Test
    void failsWhenTheBrokerCannotBeReached() {
        CachingConnectionFactory nowhere = connections(1);
        nowhere.setConnectionTimeout(500);
        try (var unreachable = new RecordPublisher(mandatoryTemplate(nowhere), json, Duration.ZERO, 256,
                Duration.ofSeconds(5))) {
            CompletableFuture<Void> sent = unreachable.started(new InvocationStarted(UUID.randomUUID(), T0, 1));

            assertThatThrownBy(() -> ConfirmedPublisher.await(sent))
                    .isInstanceOfSatisfying(PublishFailedException.class,
                            e -> assertThat(e.reason()).isEqualTo(PublishFailedException.Reason.BROKER_UNREACHABLE));
        } finally {
            nowhere.destroy();
        }
    }

    private CachingConnectionFactory connections(int port) {
        var factory = new CachingConnectionFactory("127.0.0.1", port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setVirtualHost(vhost.name());
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        return factory;
    }

    private static RabbitTemplate mandatoryTemplate(CachingConnectionFactory factory) {
        var template = new RabbitTemplate(factory);
        template.setMandatory(true);
        return template;
    }
}
