package io.cloudfunc.gateway.support;

import io.cloudfunc.contracts.messaging.InvocationHeaders;
import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.messaging.InvocationTopology;
import io.cloudfunc.support.messaging.QueueType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * Stands in for the schedulers on a RabbitMQ vhost of the test's: consumes the intake queue, keeps every request by
 * the function reference it names, and answers each reference as told (an outcome, an acceptance, a problem, or
 * nothing) to the request's {@code reply_to}, as a scheduler or a node would.
 */
public final class StubIntake implements AutoCloseable {

    /** A reply: its AMQP type, content type and body. */
    public record Reply(String type, String contentType, String body) {

        public static Reply completed(String json) {
            return new Reply(Topology.TYPE_INVOCATION_COMPLETED, "application/json", json);
        }

        public static Reply accepted(String json) {
            return new Reply("InvocationAccepted", "application/json", json);
        }

        public static Reply problem(String json) {
            return new Reply(Topology.TYPE_PROBLEM, "application/problem+json", json);
        }
    }

    /** A request as the gateway published it. */
    public record Received(byte[] body, MessageProperties properties) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Object header(String name) {
            return properties.getHeaders().get(name);
        }
    }

    private final CachingConnectionFactory connections;
    private final RabbitTemplate rabbit;
    private final DirectMessageListenerContainer consumer;
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

    public StubIntake(String vhost) {
        connections = new CachingConnectionFactory("127.0.0.1", 5672);
        connections.setVirtualHost(vhost);
        var admin = new RabbitAdmin(connections);
        new InvocationTopology(QueueType.CLASSIC).declarables().getDeclarables().forEach(declarable -> {
            if (declarable instanceof org.springframework.amqp.core.Exchange exchange) {
                admin.declareExchange(exchange);
            } else if (declarable instanceof org.springframework.amqp.core.Queue queue) {
                admin.declareQueue(queue);
            } else if (declarable instanceof org.springframework.amqp.core.Binding binding) {
                admin.declareBinding(binding);
            }
        });
        rabbit = new RabbitTemplate(connections);
        consumer = new DirectMessageListenerContainer(connections);
        consumer.setQueueNames(Topology.INVOKE_QUEUE);
        consumer.setAcknowledgeMode(AcknowledgeMode.AUTO);
        consumer.setMessageListener(this::onMessage);
        consumer.start();
    }

    public void answer(String reference, Reply reply) {
        replies.put(reference, reply);
    }

    public List<Received> received(String reference) {
        return List.copyOf(received.getOrDefault(reference, List.of()));
    }

    public Received last(String reference) {
        List<Received> all = received(reference);
        if (all.isEmpty()) {
            throw new AssertionError("no request for " + reference);
        }
        return all.getLast();
    }

    private void onMessage(Message message) {
        MessageProperties properties = message.getMessageProperties();
        String reference = String.valueOf(properties.getHeaders().get(InvocationHeaders.FUNCTION));
        received.computeIfAbsent(reference, r -> new CopyOnWriteArrayList<>())
                .add(new Received(message.getBody(), properties));
        Reply reply = replies.get(reference);
        if (reply == null || properties.getReplyTo() == null) {
            return;
        }
        var answer = new MessageProperties();
        answer.setType(reply.type());
        answer.setContentType(reply.contentType());
        answer.setCorrelationId(properties.getCorrelationId());
        rabbit.send("", properties.getReplyTo(), new Message(reply.body().getBytes(StandardCharsets.UTF_8), answer));
    }

    /** Stops consuming the intake queue (no scheduler is left), until {@link #resume()}. */
    public void pause() {
        consumer.stop();
    }

    public void resume() {
        consumer.start();
    }

    @Override
    public void close() {
        consumer.stop();
        connections.destroy();
    }
}
