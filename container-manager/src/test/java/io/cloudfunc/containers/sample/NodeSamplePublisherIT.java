package io.cloudfunc.containers.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudfunc.containers.pool.ContainerSnapshot;
import io.cloudfunc.containers.pool.ContainerState;
import io.cloudfunc.containers.pool.FunctionKey;
import io.cloudfunc.contracts.messaging.NodeSample;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.ConfirmedPublisher;
import io.cloudfunc.support.messaging.InvocationTopology;
import io.cloudfunc.support.messaging.QueueType;
import io.cloudfunc.support.testing.RabbitVhost;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The node's sample, counted from the pool's snapshot and published (confirmed) to the local RabbitMQ. */
class NodeSamplePublisherIT {

    private static final Instant T0 = Instant.parse("2026-12-07T18:00:05Z");
    private static final FunctionKey HELLO = new FunctionKey("hello", 1, "a".repeat(64));

    private final JsonMapper json = JsonMapper.builder().build();
    private RabbitVhost vhost;
    private CachingConnectionFactory connections;
    private RabbitTemplate rabbit;

    @BeforeEach
    void broker() {
        vhost = RabbitVhost.create("cf_it_cm_samples");
        connections = new CachingConnectionFactory("127.0.0.1", 5672);
        connections.setUsername("guest");
        connections.setPassword("guest");
        connections.setVirtualHost(vhost.name());
        connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        connections.setPublisherReturns(true);
        rabbit = new RabbitTemplate(connections);
        rabbit.setMandatory(true);
    }

    @AfterEach
    void close() {
        connections.destroy();
        vhost.close();
    }

    @Test
    void publishesTheWarmContainerCountOfTheNodeToTheSamplesQueue() {
        new RabbitAdmin(connections).declareQueue(new InvocationTopology(QueueType.CLASSIC).nodeSamplesQueue());
        List<ContainerSnapshot> pool = List.of(
                container(HELLO, new ContainerState.Idle(T0), false),
                container(HELLO, new ContainerState.Busy(T0), false),
                container(HELLO, new ContainerState.Idle(T0), true), // retired: on its way out
                container(HELLO, new ContainerState.Starting(T0), false),
                container(null, new ContainerState.Prewarmed(T0), false));
        var samples = new NodeSamplePublisher("node-7", () -> pool, new ConfirmedPublisher(rabbit,
                Duration.ofSeconds(5)), json, Clock.fixed(T0, ZoneOffset.UTC));

        ConfirmedPublisher.await(samples.publish());

        Message message = rabbit.receive(Topology.NODE_SAMPLES_QUEUE, 5000);
        assertThat(message).isNotNull();
        assertThat(message.getMessageProperties().getType()).isEqualTo(Topology.TYPE_NODE_SAMPLE);
        assertThat(json.readValue(message.getBody(), NodeSample.class)).isEqualTo(new NodeSample("node-7", T0, 2));
    }

    @Test
    void aSampleTheBrokerCannotRouteFailsItsFutureAndIsOnlyLogged() {
        // no queue declared in this vhost: a mandatory publish comes back
        var samples = new NodeSamplePublisher("node-7", List::of, new ConfirmedPublisher(rabbit,
                Duration.ofSeconds(5)), json, Clock.fixed(T0, ZoneOffset.UTC));

        assertThat(samples.publish()).failsWithin(Duration.ofSeconds(5));
        samples.publishQuietly(); // does not throw
    }

    private static ContainerSnapshot container(FunctionKey function, ContainerState state, boolean retired) {
        return new ContainerSnapshot("c" + System.nanoTime(), function, "python", state, Duration.ofMinutes(1),
                retired, state instanceof ContainerState.Busy ? 1 : 0, 1, 128, 0);
    }
}
