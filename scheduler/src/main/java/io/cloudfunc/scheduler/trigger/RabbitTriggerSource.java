package io.cloudfunc.scheduler.trigger;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A RabbitMQ queue: manual acks with a prefetch of the trigger's concurrency; several schedulers consuming one queue
 * share its messages (RabbitMQ gives each to one consumer). The queue and the dead-letter queue are declared
 * (durable) when missing. Dead letters go out on a confirming channel of their own.
 */
final class RabbitTriggerSource implements TriggerSource {

    private final ConnectionFactory factory;
    private final String queue;
    private final int prefetch;
    private Connection connection;
    private Channel consumer;
    private Channel publisher;

    RabbitTriggerSource(ConnectionFactory factory, String queue, int prefetch) {
        this.factory = factory;
        this.queue = queue;
        this.prefetch = prefetch;
    }

    @Override
    public void start(Consumer<TriggerMessage> handler) throws Exception {
        connection = factory.newConnection("cloudfunc-trigger");
        declare(queue);
        consumer = connection.createChannel();
        consumer.basicQos(prefetch);
        publisher = connection.createChannel();
        publisher.confirmSelect();
        Channel channel = consumer;
        consumer.basicConsume(queue, false, (tag, delivery) -> {
            AMQP.BasicProperties properties = delivery.getProperties();
            Map<String, String> headers = new HashMap<>();
            if (properties.getHeaders() != null) {
                properties.getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
            }
            long deliveryTag = delivery.getEnvelope().getDeliveryTag();
            handler.accept(new TriggerMessage(delivery.getBody(), properties.getContentType(), headers,
                    properties.getReplyTo(), properties.getCorrelationId(), new TriggerMessage.Settle() {
                        @Override
                        public void ack() throws IOException {
                            synchronized (channel) {
                                channel.basicAck(deliveryTag, false);
                            }
                        }

                        @Override
                        public void requeue() throws IOException {
                            synchronized (channel) {
                                channel.basicNack(deliveryTag, false, true);
                            }
                        }
                    }));
        }, tag -> { });
    }

    /** Declares a durable queue unless one of that name exists (whatever its arguments). */
    private void declare(String name) throws IOException {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclarePassive(name);
        } catch (IOException missing) {
            try (Channel channel = connection.createChannel()) {
                channel.queueDeclare(name, true, false, false, null);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IOException(e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void deadLetter(String destination, TriggerMessage message, String error) throws Exception {
        declare(destination);
        Map<String, Object> headers = new HashMap<>(message.headers());
        headers.put("x-cloudfunc-error", error);
        var properties = new AMQP.BasicProperties.Builder().contentType(message.contentType()).deliveryMode(2)
                .headers(headers).correlationId(message.correlationId()).build();
        synchronized (publisher) {
            publisher.basicPublish("", destination, true, properties, message.body());
            publisher.waitForConfirmsOrDie(5_000);
        }
    }

    @Override
    public void reply(TriggerMessage message, byte[] body, boolean failed) throws Exception {
        var properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                .correlationId(message.correlationId())
                .headers(Map.of("x-cloudfunc-status", failed ? "FAILED" : "SUCCEEDED")).build();
        synchronized (publisher) {
            publisher.basicPublish("", message.replyTo(), false, properties, body);
            publisher.waitForConfirmsOrDie(5_000);
        }
    }

    @Override
    public long waiting() {
        if (connection == null || !connection.isOpen()) {
            return -1;
        }
        // a channel of its own: a failed passive declare closes the channel it ran on
        try (Channel channel = connection.createChannel()) {
            return channel.messageCount(queue);
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                connection.abort();
            }
        }
    }
}
