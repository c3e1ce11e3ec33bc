package io.cloudfunc.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudfunc.contracts.messaging.Topology;
import io.cloudfunc.support.testing.RabbitVhost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The quorum topology against the local RabbitMQ (a single node is a cluster of one), in a vhost of its own: the
 * broker takes every argument, a retry delay queue sends its message back to the intake when the delay has passed,
 * and a classic queue of the same name is not silently turned into a quorum one.
 */
class QuorumTopologyIT {

    private final InvocationTopology quorum = new InvocationTopology(QueueType.QUORUM);
    private RabbitVhost vhost;
    private CachingConnectionFactory connections;
    private RabbitAdmin admin;
    private RabbitTemplate rabbit;

    @BeforeEach
    void broker() {
        vhost = RabbitVhost.create("cf_it_quorum");
        connections = new CachingConnectionFactory("127.0.0.1", 5672);
        connections.setUsername("guest");
        connections.setPassword("guest");
        connections.setVirtualHost(vhost.name());
        admin = new RabbitAdmin(connections);
        rabbit = new RabbitTemplate(connections);
    }

    @AfterEach
    void close() {
        connections.destroy();
        vhost.close();
    }

    @Test
    void aRetryDelayQueueOfQuorumTypeSendsItsMessageBackToTheIntakeAfterItsDelay() throws Exception {
        declare(quorum.declarables().getDeclarables());
        declare(quorum.nodeQueue("n1").getDeclarables());
        Queue retry = quorum.retryQueue(300);
        admin.declareQueue(retry);
        admin.declareQueue(retry); // declared again before every publish: the same arguments

        var properties = new MessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        rabbit.send("", retry.getName(), new Message("attempt 2".getBytes(StandardCharsets.UTF_8), properties));

        Message back = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (back == null && Instant.now().isBefore(deadline)) {
            back = rabbit.receive(Topology.INVOKE_QUEUE, 200);
        }
        assertThat(back).as("the retry came back to the intake").isNotNull();
        assertThat(new String(back.getBody(), StandardCharsets.UTF_8)).isEqualTo("attempt 2");
        assertThat(admin.getQueueInfo(retry.getName()).getMessageCount()).isZero();
    }

    @Test
    void aClassicQueueOfTheSameNameIsRefusedNotConverted() {
        admin.declareQueue(new InvocationTopology(QueueType.CLASSIC).recordsQueue());

        assertThatThrownBy(() -> admin.declareQueue(quorum.recordsQueue())).isInstanceOf(AmqpException.class);
    }

    private void declare(Collection<Declarable> declarables) {
        declarables.stream().filter(Exchange.class::isInstance).map(Exchange.class::cast)
                .forEach(admin::declareExchange);
        declarables.stream().filter(Queue.class::isInstance).map(Queue.class::cast).forEach(admin::declareQueue);
        declarables.stream().filter(Binding.class::isInstance).map(Binding.class::cast).forEach(admin::declareBinding);
    }
}
