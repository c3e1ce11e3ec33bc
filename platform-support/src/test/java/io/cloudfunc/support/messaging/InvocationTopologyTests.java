package io.cloudfunc.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cloudfunc.contracts.messaging.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;

/** RabbitMQ refuses a redeclaration with other arguments: these are the ones every service must declare. */
class InvocationTopologyTests {

    private final Declarables topology = new InvocationTopology(QueueType.CLASSIC).declarables();

    @Test
    void declaresFiveDurableSharedQueuesOnlyTheIntakeWithAnArgument() {
        assertThat(topology.getDeclarablesByType(Queue.class))
                .extracting(Queue::getName, Queue::isDurable, Queue::isExclusive, Queue::isAutoDelete,
                        Queue::getArguments)
                .containsExactlyInAnyOrder(
                        tuple(Topology.INVOKE_QUEUE, true, false, false,
                                Map.of("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE)),
                        tuple(Topology.DEAD_LETTER_QUEUE, true, false, false, Map.of()),
                        tuple(Topology.CALLBACK_QUEUE, true, false, false, Map.of()),
                        tuple(Topology.RECORDS_QUEUE, true, false, false, Map.of()),
                        tuple(Topology.NODE_SAMPLES_QUEUE, true, false, false, Map.of()));
    }

    @Test
    void quorumMakesEveryQueueOnWhichWorkWaitsAQuorumQueueAndItsDeadLetteringAtLeastOnce() {
        var quorum = new InvocationTopology(QueueType.QUORUM);
        List<Queue> queues = new ArrayList<>(quorum.declarables().getDeclarablesByType(Queue.class));
        queues.addAll(quorum.nodeQueue("n1").getDeclarablesByType(Queue.class));
        queues.add(quorum.retryQueue(4_000));

        assertThat(queues).extracting(Queue::getName).containsExactlyInAnyOrder(Topology.INVOKE_QUEUE,
                Topology.DEAD_LETTER_QUEUE, Topology.CALLBACK_QUEUE, Topology.RECORDS_QUEUE,
                Topology.NODE_SAMPLES_QUEUE, "cloudfunc.node.n1", Topology.RETRY_QUEUE_PREFIX + "4000");
        assertThat(queues).allSatisfy(queue -> {
            assertThat(queue.isDurable()).isTrue();
            assertThat(queue.isExclusive()).isFalse();
            assertThat(queue.isAutoDelete()).isFalse();
            assertThat(queue.getArguments()).containsEntry("x-queue-type", "quorum")
                    .containsEntry("x-delivery-limit", InvocationTopology.QUORUM_DELIVERY_LIMIT)
                    .doesNotContainKeys("x-max-priority", "x-queue-mode", "x-queue-master-locator");
            if (queue.getArguments().containsKey("x-dead-letter-exchange")) {
                assertThat(queue.getArguments()).containsEntry("x-dead-letter-strategy", "at-least-once")
                        .containsEntry("x-overflow", "reject-publish");
            } else {
                assertThat(queue.getArguments()).doesNotContainKeys("x-dead-letter-strategy", "x-overflow");
            }
        });
        assertThat(quorum.retryQueue(4_000).getArguments()).containsEntry("x-message-ttl", 4_000)
                .containsEntry("x-expires", 608_000)
                .containsEntry("x-dead-letter-routing-key", Topology.INVOKE_ROUTING_KEY);
    }

    @Test
    void classicQueuesCarryNoQueueTypeSoThatRunningInstallationsKeepTheirQueues() {
        var classic = new InvocationTopology(QueueType.CLASSIC);

        assertThat(classic.declarables().getDeclarablesByType(Queue.class))
                .allSatisfy(queue -> assertThat(queue.getArguments()).doesNotContainKeys("x-queue-type",
                        "x-delivery-limit", "x-dead-letter-strategy", "x-overflow"));
        assertThat(classic.retryQueue(1_000).getArguments()).doesNotContainKey("x-queue-type");
    }

    @Test
    void aNodesQueueDeadLettersLikeTheIntakeAndIsBoundByItsNodeKey() {
        Declarables node = new InvocationTopology(QueueType.CLASSIC).nodeQueue("n1");

        assertThat(node.getDeclarablesByType(Queue.class)).singleElement().satisfies(queue -> {
            assertThat(queue.getName()).isEqualTo("cloudfunc.node.n1");
            assertThat(queue.isDurable()).isTrue();
            assertThat(queue.getArguments()).isEqualTo(Map.of("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE));
        });
        assertThat(node.getDeclarablesByType(Binding.class)).extracting(Binding::getExchange, Binding::getRoutingKey)
                .containsExactly(tuple(Topology.INVOCATIONS_EXCHANGE, "node.n1"));
    }

    @Test
    void declaresDurableExchangesOfTheDocumentedKinds() {
        assertThat(exchange(Topology.INVOCATIONS_EXCHANGE)).isInstanceOf(DirectExchange.class);
        assertThat(exchange(Topology.DEAD_LETTER_EXCHANGE)).isInstanceOf(FanoutExchange.class);
        assertThat(exchange(Topology.EVENTS_EXCHANGE)).isInstanceOf(TopicExchange.class);
        assertThat(topology.getDeclarablesByType(Exchange.class)).hasSize(3).allSatisfy(exchange -> {
            assertThat(exchange.isDurable()).isTrue();
            assertThat(exchange.isAutoDelete()).isFalse();
            assertThat(exchange.getArguments()).isEmpty();
        });
    }

    @Test
    void bindsInvokeAndCallbackQueuesByRoutingKeyAndTheDeadQueueToTheFanout() {
        assertThat(topology.getDeclarablesByType(Binding.class))
                .extracting(Binding::getExchange, Binding::getDestination, Binding::getRoutingKey)
                .containsExactlyInAnyOrder(
                        tuple(Topology.INVOCATIONS_EXCHANGE, Topology.INVOKE_QUEUE,
                                Topology.INVOKE_ROUTING_KEY),
                        tuple(Topology.DEAD_LETTER_EXCHANGE,
                                Topology.DEAD_LETTER_QUEUE, ""),
                        tuple(Topology.INVOCATIONS_EXCHANGE, Topology.CALLBACK_QUEUE,
                                Topology.CALLBACK_ROUTING_KEY));
    }

    @Test
    void retryQueueHoldsMessagesForItsDelayThenSendsThemBackToTheInvokeRoute() {
        Queue retry = new InvocationTopology(QueueType.CLASSIC).retryQueue(4_000);

        assertThat(retry.getName()).isEqualTo(Topology.RETRY_QUEUE_PREFIX + "4000");
        assertThat(retry.isDurable()).isTrue();
        assertThat(retry.getArguments()).containsEntry("x-message-ttl", 4_000)
                .containsEntry("x-dead-letter-exchange", Topology.INVOCATIONS_EXCHANGE)
                .containsEntry("x-dead-letter-routing-key", Topology.INVOKE_ROUTING_KEY)
                .containsEntry("x-expires", 608_000);
    }

    @Test
    void eventsExchangeAloneIsTheSameAsInTheWholeTopology() {
        TopicExchange events = InvocationTopology.eventsExchange();

        assertThat(events.getName()).isEqualTo(Topology.EVENTS_EXCHANGE);
        assertThat(events.isDurable()).isTrue();
        assertThat(events.isAutoDelete()).isFalse();
        assertThat(events.getArguments()).isEqualTo(exchange(Topology.EVENTS_EXCHANGE).getArguments());
    }

    private Exchange exchange(String name) {
        return topology.getDeclarablesByType(Exchange.class).stream()
                .filter(exchange -> exchange.getName().equals(name)).findFirst().orElseThrow();
    }
}
