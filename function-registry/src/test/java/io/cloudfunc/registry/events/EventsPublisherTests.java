package io.cloudfunc.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.cloudfunc.contracts.messaging.ApiKeyRevoked;
import io.cloudfunc.contracts.messaging.FunctionChanged;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.contracts.trigger.TriggerChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.MessagePostProcessor;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

class EventsPublisherTests {

    /** A broker that takes its time (as an unreachable one does until the connect timeout) or refuses. */
    private static final class SlowBroker extends RabbitTemplate {

        final CountDownLatch release = new CountDownLatch(1);
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<Thread> senders = new CopyOnWriteArrayList<>();
        final CountDownLatch done;
        volatile boolean refuse;

        SlowBroker(int expected) {
            done = new CountDownLatch(expected);
        }

        @Override
        public void convertAndSend(String exchange, String routingKey, Object message,
                MessagePostProcessor postProcessor) {
            try {
                senders.add(Thread.currentThread());
                release.await(5, TimeUnit.SECONDS);
                if (refuse) {
                    throw new AmqpConnectException(new java.net.ConnectException("Connection refused"));
                }
                sent.add(exchange + " " + routingKey + " " + message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.countDown();
            }
        }
    }

    @Test
    void publishReturnsAtOnceWhileTheBrokerIsSlowAndSendsInCommitOrder() throws Exception {
        SlowBroker broker = new SlowBroker(2);
        EventsPublisher publisher = new EventsPublisher(broker);
        var deployed = new FunctionChanged("f", FunctionChanged.Change.DEPLOYED, 1);
        var deleted = new FunctionChanged("f", FunctionChanged.Change.DELETED, 0);

        assertTimeout(Duration.ofSeconds(1), () -> {
            publisher.publish(deployed);
            publisher.publish(deleted);
        });
        broker.release.countDown();

        assertThat(broker.done.await(5, TimeUnit.SECONDS)).isTrue();
        String target = Topology.EVENTS_EXCHANGE + " " + Topology.FUNCTION_CHANGED_ROUTING_KEY + " ";
        assertThat(broker.sent).containsExactly(target + deployed, target + deleted);
        assertThat(broker.senders).allMatch(Thread::isVirtual).doesNotContain(Thread.currentThread());
        publisher.destroy();
    }

    @Test
    void aFailedSendIsLoggedAndLaterEventsStillGoOut() throws Exception {
        SlowBroker broker = new SlowBroker(1);
        broker.refuse = true;
        broker.release.countDown();
        EventsPublisher publisher = new EventsPublisher(broker);

        publisher.publish(new FunctionChanged("f", FunctionChanged.Change.DEPLOYED, 1));
        assertThat(broker.done.await(5, TimeUnit.SECONDS)).isTrue();
        broker.refuse = false;
        publisher.publish(new FunctionChanged("f", FunctionChanged.Change.DEPLOYED, 2));
        publisher.destroy();

        assertThat(broker.sent).hasSize(1).allMatch(line -> line.contains("latestVersion=2,"));
    }

    @Test
    void aRevokedKeyGoesOutOnTheEventsExchangeWithItsOwnRoutingKey() throws Exception {
        SlowBroker broker = new SlowBroker(1);
        broker.release.countDown();
        EventsPublisher publisher = new EventsPublisher(broker);
        var revoked = new ApiKeyRevoked(UUID.randomUUID(), Instant.parse("2026-12-07T21:00:00Z"));

        publisher.publish(revoked);
        publisher.destroy();

        assertThat(broker.sent).containsExactly(
                Topology.EVENTS_EXCHANGE + " " + Topology.API_KEY_REVOKED_ROUTING_KEY + " " + revoked);
    }

    @Test
    void aTriggerChangeGoesOutOnTheEventsExchangeWithItsOwnRoutingKeyAfterTheEarlierEvents() throws Exception {
        SlowBroker broker = new SlowBroker(2);
        broker.release.countDown();
        EventsPublisher publisher = new EventsPublisher(broker);
        var deployed = new FunctionChanged("f", FunctionChanged.Change.DEPLOYED, 1);
        var created = new TriggerChanged("f", "orders", TriggerChanged.Change.CREATED);

        publisher.publish(deployed);
        publisher.publish(created);
        publisher.destroy();

        assertThat(broker.sent).containsExactly(
                Topology.EVENTS_EXCHANGE + " " + Topology.FUNCTION_CHANGED_ROUTING_KEY + " " + deployed,
                Topology.EVENTS_EXCHANGE + " trigger.changed " + created);
    }
}
