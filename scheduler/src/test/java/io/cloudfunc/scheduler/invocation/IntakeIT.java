package io.cloudfunc.scheduler.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationIds;
import io.cloudfunc.contracts.invocation.InvocationMode;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.scheduler.support.FakeContainerManager;
import io.cloudfunc.scheduler.support.RunningScheduler;
import io.cloudfunc.scheduler.support.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The scheduler's intake against the real local RabbitMQ (its own vhost), a stub registry over HTTP and a fake
 * container-manager node consuming {@code cloudfunc.node.local}: requests are published as a gateway publishes them,
 * replies read from a reply queue of the test's.
 */
class IntakeIT {

    private static RunningScheduler running;
    private static FakeContainerManager node;
    private static Channel channel;
    private static String replyQueue;
    private static final Map<String, CompletableFuture<Reply>> replies = new ConcurrentHashMap<>();

    record Reply(String type, byte[] body) {
        JsonNode json() {
            return StubRegistry.JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        running = RunningScheduler.start("cf_it_intake");
        node = running.containerManager;
        running.registry.put("echo", 3, 2_000);
        running.registry.put("silent", 1, 200);
        channel = node.connection().createChannel();
        replyQueue = channel.queueDeclare().getQueue();
        channel.basicConsume(replyQueue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                replies.computeIfAbsent(properties.getCorrelationId(), id -> new CompletableFuture<>())
                        .complete(new Reply(properties.getType(), body));
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (running != null) {
            running.close();
        }
    }

    private static UUID request(String reference, String event, InvocationMode mode, Long deadline) throws Exception {
        return request(reference, event, mode, deadline, Map.of());
    }

    private static UUID request(String reference, String event, InvocationMode mode, Long deadline,
                                Map<String, Object> more) throws Exception {
        UUID id = InvocationIds.newId();
        Map<String, Object> headers = new HashMap<>(more);
        headers.put(InvocationHeaders.FUNCTION, reference);
        headers.put(InvocationHeaders.MODE, mode.name());
        headers.put(InvocationHeaders.ACCEPTED_AT, System.currentTimeMillis());
        if (deadline != null) {
            headers.put(InvocationHeaders.DEADLINE, deadline);
        }
        var properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                .type(Topology.TYPE_INVOCATION_REQUEST).messageId(id.toString()).correlationId(id.toString())
                .replyTo(replyQueue).deliveryMode(mode == InvocationMode.ASYNC ? 2 : 1).headers(headers).build();
        synchronized (channel) {
            channel.basicPublish(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, properties,
                    event.getBytes(StandardCharsets.UTF_8));
        }
        return id;
    }

    private static Reply reply(UUID id) throws Exception {
        return replies.computeIfAbsent(id.toString(), key -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
    }

    private static InvocationRecords recordsWithCompletion(UUID id) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> node.records().stream()
                .filter(r -> r.completed().stream().anyMatch(c -> c.invocationId().equals(id))).findFirst()
                .orElse(null), Objects::nonNull);
    }

    @Test
    void forwardsASynchronousCallToTheNodeWithTheCallersReplyQueueAndTheEventBytesAsSent() throws Exception {
        String event = "{ \"greeting\" :\n \"hello\" }";
        UUID id = request("echo", event, InvocationMode.SYNC, System.currentTimeMillis() + 30_000);

        Reply reply = reply(id);

        assertThat(reply.type()).isEqualTo(Topology.TYPE_INVOCATION_COMPLETED);
        InvocationCompleted completed = StubRegistry.JSON.readValue(reply.body(), InvocationCompleted.class);
        assertThat(completed.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(completed.version()).isEqualTo(3);
        var delivery = node.deliveryOf(id.toString());
        assertThat(delivery.properties().getReplyTo()).isEqualTo(replyQueue);
        assertThat(delivery.properties().getCorrelationId()).isEqualTo(id.toString());
        assertThat(delivery.properties().getDeliveryMode()).as("a sync call is transient").isEqualTo(1);
        assertThat(delivery.properties().getHeaders()).containsKey(InvocationHeaders.DEADLINE);
        assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).as("the event spliced in, never re-written")
                .contains("\"payload\":" + event);
        assertThat(delivery.command().codeSha256()).isEqualTo("0".repeat(64));
    }

    @Test
    void carriesTheCallersOwnTimeoutToTheNode() throws Exception {
        UUID timed = request("echo", "{}", InvocationMode.SYNC, System.currentTimeMillis() + 30_000,
                Map.of(InvocationHeaders.TIMEOUT_MS, 1500L));
        UUID untimed = request("echo", "{}", InvocationMode.SYNC, System.currentTimeMillis() + 30_000);
        reply(timed);
        reply(untimed);

        assertThat(InvocationHeaders.timeoutMs(node.deliveryOf(timed.toString()).properties().getHeaders()))
                .isEqualTo(1500L);
        assertThat(node.deliveryOf(untimed.toString()).properties().getHeaders())
                .doesNotContainKey(InvocationHeaders.TIMEOUT_MS);
    }

    @Test
    void answersAnUnknownFunctionWithA404ProblemAndForwardsNothing() throws Exception {
        int before = node.deliveries().size();
        UUID id = request("ghost", "{}", InvocationMode.SYNC, System.currentTimeMillis() + 30_000);

        Reply reply = reply(id);

        assertThat(reply.type()).isEqualTo(Topology.TYPE_PROBLEM);
        assertThat(reply.json().path("status").asInt()).isEqualTo(404);
        assertThat(reply.json().path("type").asString()).endsWith("function-not-found");
        assertThat(node.deliveries()).hasSize(before);
    }

    @Test
    void answersABadReferenceWithA400Problem() throws Exception {
        Reply reply = reply(request("Bad_Name", "{}", InvocationMode.SYNC, null));

        assertThat(reply.type()).isEqualTo(Topology.TYPE_PROBLEM);
        assertThat(reply.json().path("status").asInt()).isEqualTo(400);
    }

    @Test
    void doesNotForwardASynchronousCallPastItsDeadlineAndRecordsWhy() throws Exception {
        int before = node.deliveries().size();
        UUID id = request("echo", "{\"late\":true}", InvocationMode.SYNC, System.currentTimeMillis() - 1);

        Reply reply = reply(id);

        assertThat(reply.type()).isEqualTo(Topology.TYPE_PROBLEM);
        assertThat(reply.json().path("status").asInt()).isEqualTo(504);
        assertThat(node.deliveries()).hasSize(before);
        InvocationRecords records = recordsWithCompletion(id);
        InvocationCompleted completed = records.completed().stream().filter(c -> c.invocationId().equals(id))
                .findFirst().orElseThrow();
        assertThat(completed.status()).isEqualTo(InvocationStatus.TIMED_OUT);
        assertThat(completed.error().type()).isEqualTo("DeadlineExceeded");
        CreateInvocation created = records.created().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow();
        assertThat(created.request().path("late").asBoolean()).isTrue();
    }

    @Test
    void acceptsAnAsynchronousCallOnceItsForwardAndQueuedRecordAreConfirmed() throws Exception {
        UUID id = request("silent", "{\"n\":1}", InvocationMode.ASYNC, null);

        Reply reply = reply(id);

        assertThat(reply.type()).isEqualTo(IntakeListener.TYPE_INVOCATION_ACCEPTED);
        assertThat(reply.json().path("invocationId").asString()).isEqualTo(id.toString());
        assertThat(reply.json().path("version").asInt()).isEqualTo(1);
        assertThat(reply.json().path("status").asString()).isEqualTo("QUEUED");
        var delivery = await().atMost(Duration.ofSeconds(10)).until(
                () -> node.deliveries().stream().filter(d -> d.command().invocationId().equals(id)).findFirst()
                        .orElse(null), Objects::nonNull);
        assertThat(delivery.properties().getDeliveryMode()).as("persistent").isEqualTo(2);
        assertThat(delivery.properties().getReplyTo()).as("the outcome goes to the record only").isNull();
        assertThat(delivery.command().mode()).isEqualTo(InvocationMode.ASYNC);
        CreateInvocation created = await().atMost(Duration.ofSeconds(10)).until(() -> node.records().stream()
                .flatMap(r -> r.created().stream()).filter(c -> c.id().equals(id)).findFirst().orElse(null),
                Objects::nonNull);
        assertThat(created.mode()).isEqualTo(InvocationMode.ASYNC);
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.request().path("n").asInt()).isEqualTo(1);
    }

    @Test
    void forwardsAnOutsideProducersInvokeFunctionUnchanged() throws Exception {
        UUID id = UUID.randomUUID();
        String body = "{\"invocationId\":\"" + id + "\",\"functionName\":\"echo\",\"version\":3,"
                + "\"payload\":{\"x\":1},\"acceptedAt\":\"2026-05-01T10:00:01Z\"}";
        var properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                .type(Topology.TYPE_INVOKE_FUNCTION).correlationId(id.toString()).replyTo(replyQueue)
                .deliveryMode(2).build();
        synchronized (channel) {
            channel.basicPublish(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY, properties,
                    body.getBytes(StandardCharsets.UTF_8));
        }

        Reply reply = reply(id);

        assertThat(reply.type()).isEqualTo(Topology.TYPE_INVOCATION_COMPLETED);
        var delivery = node.deliveryOf(id.toString());
        assertThat(new String(delivery.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(delivery.properties().getDeliveryMode()).isEqualTo(2);
    }
}
