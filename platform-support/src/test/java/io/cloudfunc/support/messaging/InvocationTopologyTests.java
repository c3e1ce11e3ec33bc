package io.cloudfunc.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.cloudfunc.contracts.messaging.Topology;
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

    private final Declarables topology = InvocationTopology.declarables();

    @Test
    void declaresFourDurableSharedQueuesOnlyTheInvokeQueueWithAnArgument() {
        assertThat(topology.getDeclarablesByType(Queue.class))
                .extracting(Queue::getName, Queue::isDurable, Queue::isExclusive, Queue::isAutoDelete,
                        Queue::getArguments)
                .containsExactlyInAnyOrder(
                        tuple(Topology.INVOKE_QUEUE, true, false, false,
                                Map.of("x-dead-letter-exchange", Topology.DEAD_LETTER_EXCHANGE)),
                        tuple(Topology.DEAD_LETTER_QUEUE, true, false, false, Map.of()),
                        tuple(Topology.CALLBACK_QUEUE, true, false, false, Map.of()),
                        tuple(Topology.RECORDS_QUEUE, true, false, false, Map.of()));
        assertThat(InvocationTopology.recordsQueue().getName()).isEqualTo(Topology.RECORDS_QUEUE);
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
        Queue retry = InvocationTopology.retryQueue(4_000);

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
