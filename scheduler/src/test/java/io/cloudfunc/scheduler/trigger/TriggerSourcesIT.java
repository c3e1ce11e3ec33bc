package io.cloudfunc.scheduler.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import io.cloudfunc.support.testing.RabbitVhost;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * The three trigger sources against the real brokers of this machine (RabbitMQ 5672, Mosquitto 1883, NATS with
 * JetStream 4222): a message whose consumer stops before acknowledging it is delivered again, and a message once
 * acknowledged is not; each test uses a vhost, topic or stream of its own and removes it.
 */
class TriggerSourcesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void rabbitMqMessageNotAckedIsDeliveredAgainToTheNextConsumer() throws Exception {
        try (RabbitVhost vhost = RabbitVhost.create("cf_trig_src")) {
            var factory = new ConnectionFactory();
            factory.setUri("amqp://guest:guest@127.0.0.1:5672/" + vhost.name());
            String queue = "orders";
            var first = new RabbitTriggerSource(factory, queue, 1);
            var received = new LinkedBlockingQueue<TriggerMessage>();
            first.start(received::add);
            try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
                channel.basicPublish("", queue, null, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
                channel.basicPublish("", queue, null, "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
            }
            TriggerMessage one = poll(received);
            assertThat(new String(one.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            one.settle().ack();
            TriggerMessage two = poll(received);
            assertThat(new String(two.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
            first.close(); // stopped before the second message's ack

            var second = new RabbitTriggerSource(factory, queue, 1);
            var again = new LinkedBlockingQueue<TriggerMessage>();
            second.start(again::add);
            TriggerMessage redelivered = poll(again);
            assertThat(new String(redelivered.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
            redelivered.settle().ack();
            assertThat(again.poll(1, TimeUnit.SECONDS)).as("the acked message is not delivered again").isNull();
            second.deadLetter("orders.dead", redelivered, "ValueError: boom");
            try (var connection = factory.newConnection(); var channel = connection.createChannel()) {
                var dead = channel.basicGet("orders.dead", true);
                assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
                assertThat(dead.getProps().getHeaders().get("x-cloudfunc-error").toString())
                        .isEqualTo("ValueError: boom");
            }
            second.close();
        }
    }

    @Test
    void natsJetStreamMessageNotAckedIsDeliveredAgain() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String stream = "CF_TRIG_" + id;
        String subject = "cftrig." + id + ".in";
        try (Connection nats = Nats.connect("nats://127.0.0.1:4222")) {
            JetStreamManagement management = nats.jetStreamManagement();
            management.addStream(StreamConfiguration.builder().name(stream).subjects("cftrig." + id + ".>")
                    .storageType(StorageType.Memory).build());
            try {
                var first = new NatsTriggerSource("nats://127.0.0.1:4222", subject, "cf-" + id, 1,
                        Duration.ofSeconds(2));
                var received = new LinkedBlockingQueue<TriggerMessage>();
                first.start(received::add);
                nats.jetStream().publish(subject, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
                TriggerMessage one = poll(received);
                assertThat(new String(one.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
                first.close(); // never acked

                var second = new NatsTriggerSource("nats://127.0.0.1:4222", subject, "cf-" + id, 1,
                        Duration.ofSeconds(2));
                var again = new LinkedBlockingQueue<TriggerMessage>();
                second.start(again::add);
                TriggerMessage redelivered = poll(again);
                assertThat(new String(redelivered.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
                redelivered.settle().ack();
                assertThat(again.poll(4, TimeUnit.SECONDS)).as("the acked message is not delivered again").isNull();
                second.close();
            } finally {
                management.deleteStream(stream);
            }
        }
    }

    @Test
    void mqttMessageNotAckedIsDeliveredAgainWhenTheClientComesBack() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "cloudfunc-test/" + id + "/in";
        String clientId = "cf-trig-src-" + id;
        var first = new MqttTriggerSource("tcp://127.0.0.1:1883", topic, clientId, 1);
        var received = new LinkedBlockingQueue<TriggerMessage>();
        first.start(received::add);
        var publisher = new MqttClient("tcp://127.0.0.1:1883", "cf-trig-pub-" + id, new MemoryPersistence());
        publisher.connect(new MqttConnectOptions());
        try {
            publisher.publish(topic, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), 1, false);
            TriggerMessage one = poll(received);
            assertThat(new String(one.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            first.close(); // no PUBACK sent

            var second = new MqttTriggerSource("tcp://127.0.0.1:1883", topic, clientId, 1);
            var again = new LinkedBlockingQueue<TriggerMessage>();
            second.start(again::add);
            TriggerMessage redelivered = poll(again);
            assertThat(new String(redelivered.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            redelivered.settle().ack();
            second.close();
            // the persistent session is the broker's: end it (a clean session with the same id removes it)
            var cleanup = new MqttClient("tcp://127.0.0.1:1883", clientId, new MemoryPersistence());
            var clean = new MqttConnectOptions();
            clean.setCleanSession(true);
            cleanup.connect(clean);
            cleanup.disconnect();
            cleanup.close();
        } finally {
            publisher.disconnect();
            publisher.close();
        }
    }

    private static TriggerMessage poll(LinkedBlockingQueue<TriggerMessage> queue) throws InterruptedException {
        TriggerMessage message = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(message).as("a message within " + WAIT).isNotNull();
        return message;
    }
}
