package io.cloudfunc.scheduler.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.cloudfunc.contracts.invocation.InvocationStatus;
import io.cloudfunc.contracts.invocation.StartType;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.InvokeFunction;
import io.cloudfunc.contracts.messaging.NodeAnnouncement;
import io.cloudfunc.contracts.messaging.Topology;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the container-manager node {@code local} on the broker: declares the topology the way it does, consumes
 * {@code cloudfunc.node.local} and answers {@code reply_to}; also plays the registry's records consumer. By function name: {@code silent*} never replies; otherwise
 * it replies SUCCEEDED with the payload as the result, after {@code payload.delayMs} milliseconds if given.
 */
public final class FakeContainerManager implements AutoCloseable {

    /** The node it plays: the scheduler's default. */
    public static final String NODE = "local";

    /** One consumed message as the broker delivered it. */
    public record Delivery(Envelope envelope, AMQP.BasicProperties properties, InvokeFunction command, byte[] body) {
    }

    private final Connection connection;
    private final Channel consumeChannel;
    private final Channel replyChannel;
    private final ScheduledExecutorService delayed = Executors.newSingleThreadScheduledExecutor();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<InvocationRecords> records = new CopyOnWriteArrayList<>();

    public FakeContainerManager(String vhost) throws Exception {
        var factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setVirtualHost(vhost);
        connection = factory.newConnection("fake-container-manager");
        consumeChannel = connection.createChannel();
        declareTopologyLikeTheContainerManager(consumeChannel);
        replyChannel = connection.createChannel();
        consumeRecords(connection.createChannel());
        announce(connection.createChannel());
        consumeChannel.basicQos(64);
        consumeChannel.basicConsume(Topology.nodeQueue(NODE), false, new DefaultConsumer(consumeChannel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws IOException {
                InvokeFunction command = StubRegistry.JSON.readValue(body, InvokeFunction.class);
                deliveries.add(new Delivery(envelope, properties, command, body));
                handle(command, properties);
                consumeChannel.basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    /** Announces node {@value #NODE} every 200 ms, as a container-manager does every second. */
    private void announce(Channel channel) throws IOException {
        channel.exchangeDeclare(Topology.NODES_EXCHANGE, "fanout", true);
        Instant started = Instant.now();
        var sequence = new java.util.concurrent.atomic.AtomicLong();
        delayed.scheduleWithFixedDelay(() -> {
            try {
                var announcement = new NodeAnnouncement(NODE, java.net.URI.create("http://127.0.0.1:1"), started,
                        sequence.incrementAndGet(), Instant.now(), NodeAnnouncement.UP,
                        new NodeAnnouncement.Capacity(4096, 0, 64, 0, 64), new NodeAnnouncement.Load(0, 0, 0),
                        List.of(), Map.of());
                synchronized (channel) {
                    channel.basicPublish(Topology.NODES_EXCHANGE, "", null,
                            StubRegistry.JSON.writeValueAsBytes(announcement));
                }
            } catch (IOException | RuntimeException e) {
                // the connection is closing
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** The records the scheduler published for the registry, as the registry would consume them. */
    public List<InvocationRecords> records() {
        return records;
    }

    private void consumeRecords(Channel channel) throws IOException {
        channel.basicConsume(Topology.RECORDS_QUEUE, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                records.add(StubRegistry.JSON.readValue(body, InvocationRecords.class));
            }
        });
    }

    /** The arguments container-manager uses; RabbitMQ rejects the call if the scheduler declared anything else. */
    public static void declareTopologyLikeTheContainerManager(Channel channel) throws IOException {
        channel.exchangeDeclare(Topology.INVOCATIONS_EXCHANGE, "direct", true);
        channel.exchangeDeclare(Topology.DEAD_LETTER_EXCHANGE, "fanout", true);
        channel.exchangeDeclare(Topology.EVENTS_EXCHANGE, "topic", true);
        channel.queueDeclare(Topology.INVOKE_QUEUE, true, false, false,
                Map.of("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE));
        channel.queueDeclare(Topology.DEAD_LETTER_QUEUE, true, false, false, null);
        channel.queueBind(Topology.INVOKE_QUEUE, Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY);
        channel.queueBind(Topology.DEAD_LETTER_QUEUE, Topology.DEAD_LETTER_EXCHANGE, "");
        channel.queueDeclare(Topology.CALLBACK_QUEUE, true, false, false, null);
        channel.queueBind(Topology.CALLBACK_QUEUE, Topology.INVOCATIONS_EXCHANGE, Topology.CALLBACK_ROUTING_KEY);
        channel.queueDeclare(Topology.RECORDS_QUEUE, true, false, false, null);
        channel.queueDeclare(Topology.nodeQueue(NODE), true, false, false,
                Map.of("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE));
        channel.queueBind(Topology.nodeQueue(NODE), Topology.INVOCATIONS_EXCHANGE, Topology.nodeRoutingKey(NODE));
    }

    public Connection connection() {
        return connection;
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    public Delivery deliveryOf(String invocationId) {
        return deliveries.stream()
                .filter(delivery -> delivery.command().invocationId().toString().equals(invocationId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no delivery for invocation " + invocationId));
    }

    private void handle(InvokeFunction command, AMQP.BasicProperties properties) {
        if (command.functionName().startsWith("silent") || properties.getReplyTo() == null) {
            return;
        }
        long delayMs = command.payload().path("delayMs").asLong(0);
        Instant now = Instant.now();
        var completed = new InvocationCompleted(command.invocationId(), command.functionName(), command.version(),
                InvocationStatus.SUCCEEDED, StartType.WARM, command.payload(), null, null, "", now, now, 1);
        Runnable reply = () -> reply(properties, completed);
        if (delayMs > 0) {
            delayed.schedule(reply, delayMs, TimeUnit.MILLISECONDS);
        } else {
            reply.run();
        }
    }

    private void reply(AMQP.BasicProperties request, InvocationCompleted completed) {
        var properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .correlationId(request.getCorrelationId())
                .type(Topology.TYPE_INVOCATION_COMPLETED)
                .build();
        try {
            synchronized (replyChannel) {
                replyChannel.basicPublish("", request.getReplyTo(), properties,
                        StubRegistry.JSON.writeValueAsBytes(completed));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        delayed.shutdownNow();
        connection.close();
    }
}
