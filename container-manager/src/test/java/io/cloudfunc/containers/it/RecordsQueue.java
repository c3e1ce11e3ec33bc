package io.cloudfunc.containers.it;

import io.cloudfunc.contracts.invocation.CreateInvocation;
import io.cloudfunc.contracts.invocation.InvocationStarted;
import io.cloudfunc.contracts.invocation.RetryScheduled;
import io.cloudfunc.contracts.messaging.InvocationCompleted;
import io.cloudfunc.contracts.messaging.InvocationRecords;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.InvocationTopology;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the registry's consumer of {@code cloudfunc.records} in the test vhost: keeps what the manager's
 * {@code InvocationRecords} messages said, by invocation id.
 */
final class RecordsQueue implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();
    private final CachingConnectionFactory connections;
    private final SimpleMessageListenerContainer consumer;
    final Map<UUID, CreateInvocation> created = new ConcurrentHashMap<>();
    final Set<UUID> started = ConcurrentHashMap.newKeySet();
    final Map<UUID, RetryScheduled> retried = new ConcurrentHashMap<>();
    final Map<UUID, InvocationCompleted> completed = new ConcurrentHashMap<>();
    /** {@code InvocationRecords} messages received. */
    final AtomicInteger messages = new AtomicInteger();

    RecordsQueue(String vhost) {
        connections = new CachingConnectionFactory("localhost", 5672);
        connections.setUsername("guest");
        connections.setPassword("guest");
        connections.setVirtualHost(vhost);
        new RabbitAdmin(connections).declareQueue(InvocationTopology.recordsQueue());
        consumer = new SimpleMessageListenerContainer(connections);
        consumer.setQueueNames(Topology.RECORDS_QUEUE);
        consumer.setMessageListener(message -> {
            InvocationRecords records = json.readValue(message.getBody(), InvocationRecords.class);
            records.created().forEach(r -> created.put(r.id(), r));
            records.started().stream().map(InvocationStarted::invocationId).forEach(started::add);
            records.retried().forEach(r -> retried.put(r.invocationId(), r));
            records.completed().forEach(r -> completed.put(r.invocationId(), r));
            messages.incrementAndGet();
        });
        consumer.start();
    }

    @Override
    public void close() {
        consumer.stop();
        connections.destroy();
    }
}
