package io.cloudfunc.scheduler.trigger;

import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * An MQTT topic filter, subscribed as the shared subscription {@code $share/cloudfunc/<topic>} at QoS 1 so that
 * several schedulers share the messages, with manual acks: the PUBACK goes out once the invocation was accepted. A
 * persistent session (a client id stable for this scheduler and trigger) keeps unacknowledged messages for the
 * client's return. MQTT 3.1.1 has no reply topic: no replies.
 */
final class MqttTriggerSource implements TriggerSource {

    private final String url;
    private final String topic;
    private final String clientId;
    private final int concurrency;
    private MqttClient client;

    MqttTriggerSource(String url, String topic, String clientId, int concurrency) {
        this.url = url;
        this.topic = topic;
        this.clientId = clientId;
        this.concurrency = concurrency;
    }

    @Override
    public void start(Consumer<TriggerMessage> handler) throws Exception {
        java.net.URI uri = java.net.URI.create(url);
        String server = uri.getScheme().replace("mqtts", "ssl").replace("mqtt", "tcp") + "://" + uri.getHost() + ":"
                + (uri.getPort() > 0 ? uri.getPort() : 1883);
        client = new MqttClient(server, clientId, new MemoryPersistence());
        client.setManualAcks(true);
        var options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxInflight(Math.max(10, concurrency * 2));
        if (uri.getUserInfo() != null) {
            String[] user = uri.getUserInfo().split(":", 2);
            options.setUserName(java.net.URLDecoder.decode(user[0], java.nio.charset.StandardCharsets.UTF_8));
            if (user.length > 1) {
                options.setPassword(java.net.URLDecoder.decode(user[1], java.nio.charset.StandardCharsets.UTF_8)
                        .toCharArray());
            }
        }
        MqttClient mqtt = client;
        String shared = "$share/cloudfunc/" + topic;
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    try {
                        mqtt.subscribe(shared, 1);
                    } catch (Exception e) {
                        // the next reconnect tries again
                    }
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String arrivedOn, MqttMessage message) {
                int id = message.getId();
                int qos = message.getQos();
                handler.accept(new TriggerMessage(message.getPayload(), null, Map.of("topic", arrivedOn), null, null,
                        new TriggerMessage.Settle() {
                            @Override
                            public void ack() throws Exception {
                                mqtt.messageArrivedComplete(id, qos);
                            }

                            @Override
                            public void requeue() {
                                // MQTT cannot hand a message back: without a PUBACK it is sent again on reconnect
                            }
                        }));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(options);
        client.subscribe(shared, 1);
    }

    @Override
    public void deadLetter(String destination, TriggerMessage message, String error) throws Exception {
        client.publish(destination, message.body(), 1, false); // returns once the server acknowledged it
    }

    @Override
    public void reply(TriggerMessage message, byte[] body, boolean failed) {
        // MQTT 3.1.1 messages carry no reply topic
    }

    /** Ends the persistent session: a clean connect with the same client id removes it from the server. */
    @Override
    public void forget() {
        try {
            var cleanup = new MqttClient(client.getServerURI(), clientId, new MemoryPersistence());
            var options = new MqttConnectOptions();
            options.setCleanSession(true);
            cleanup.connect(options);
            cleanup.disconnect();
            cleanup.close();
        } catch (Exception e) {
            // the session stays until the server expires it
        }
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                client.disconnectForcibly(1_000, 1_000);
                client.close(true);
            } catch (Exception e) {
                // closing anyway
            }
        }
    }
}
