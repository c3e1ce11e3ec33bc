package io.cloudfunc.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cloudfunc.contracts.messaging.Topology;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** A service instance's own queue: gone with its connection, bound to the events it wants, consumed unacknowledged. */
class InstanceQueueTests {

    @Test
    void namesTheQueueWithTheirPrefixAndARandomUuid() {
        InstanceQueue one = InstanceQueue.named("cloudfunc.gateway.events.");
        InstanceQueue two = InstanceQueue.named("cloudfunc.gateway.events.");

        assertThat(one.name()).matches("cloudfunc\\.gateway\\.events\\.[0-9a-f-]{36}");
        assertThat(one.name()).isNotEqualTo(two.name());
    }

    @Test
    void declaresAnExclusiveAutoDeleteQueueBoundToEachEvent() {
        Declarables declared = new InstanceQueue("q.1").declarables(Topology.FUNCTION_CHANGED_ROUTING_KEY,
                Topology.SCHEDULE_CHANGED_ROUTING_KEY);

        assertThat(declared.getDeclarablesByType(Queue.class))
                .extracting(Queue::getName, Queue::isDurable, Queue::isExclusive, Queue::isAutoDelete)
                .containsExactly(tuple("q.1", false, true, true));
        assertThat(declared.getDeclarablesByType(Binding.class))
                .extracting(Binding::getDestination, Binding::getExchange, Binding::getRoutingKey)
                .containsExactly(tuple("q.1", Topology.EVENTS_EXCHANGE, Topology.FUNCTION_CHANGED_ROUTING_KEY),
                        tuple("q.1", Topology.EVENTS_EXCHANGE, Topology.SCHEDULE_CHANGED_ROUTING_KEY));
        assertThat(new InstanceQueue("q.2").declarables().getDeclarablesByType(Binding.class)).isEmpty();
    }

    @Test
    void consumesTheQueueWithoutAcknowledgements() {
        var connectionFactory = new CachingConnectionFactory("127.0.0.1", 1);
        try {
            var container = new InstanceQueue("q.1").listener(connectionFactory, message -> { }, () -> { });

            assertThat(container.getQueueNames()).containsExactly("q.1");
            assertThat(container.getAcknowledgeMode()).isEqualTo(AcknowledgeMode.NONE);
        } finally {
            connectionFactory.destroy();
        }
    }
}
