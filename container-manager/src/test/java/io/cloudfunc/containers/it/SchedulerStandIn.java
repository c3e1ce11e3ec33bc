package io.cloudfunc.containers.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * What surrounds one node on the broker, played on the test's vhost: the scheduler's placement (every call published
 * to {@code cloudfunc.invocations} / {@code invoke}, the tests' and the retries', also reaches this node's queue, as
 * the scheduler would forward it) and the registry's consumer of {@code cloudfunc.records}, which feeds what the
 * manager recorded into the stub registry for the tests to read.
 */
final class SchedulerStandIn implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();
    private final Connection connection;
    /** The acceptances that came with the records (the event and acceptance time), by invocation id. */
    final Map<UUID, CreateInvocation> created = new ConcurrentHashMap<>();
    /** Messages of records received (each may carry many). */
    final AtomicInteger recordMessages = new AtomicInteger();

    SchedulerStandIn(String vhost, String node, StubRegistry registry) throws Exception {
        var factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setVirtualHost(vhost);
        connection = factory.newConnection("scheduler-stand-in");
        Channel channel = connection.createChannel();
        channel.exchangeDeclare(Topology.INVOCATIONS_EXCHANGE, "direct", true);
        channel.queueDeclare(Topology.nodeQueue(node), true, false, false,
                Map.of("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE));
        channel.queueBind(Topology.nodeQueue(node), Topology.INVOCATIONS_EXCHANGE, Topology.nodeRoutingKey(node));
        channel.queueBind(Topology.nodeQueue(node), Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_ROUTING_KEY);
        channel.queueDeclare(Topology.RECORDS_QUEUE, true, false, false, null);
        channel.basicConsume(Topology.RECORDS_QUEUE, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                InvocationRecords records = json.readValue(body, InvocationRecords.class);
                recordMessages.incrementAndGet();
                records.created().forEach(one -> created.put(one.id(), one));
                records.started().forEach(one -> {
                    registry.running.add(one.invocationId());
                    registry.runningAttempt.merge(one.invocationId(), one.attempt(), Math::max);
                });
                records.completed().forEach(one -> registry.completed.put(one.invocationId(), one));
            }
        });
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
