package io.cloudfunc.support.messaging;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory.ConfirmType;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.CachingConnectionFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionFactoryBeanConfigurer;

/**
 * Publishes the messages of a synchronous call (the gateway's request, the scheduler's forward to a node, the reply
 * to the caller): transient, not mandatory, on a connection of its own whose channels are not in confirm mode.
 *
 * <p>Such a message needs no confirm because its caller is waiting and notices a loss by itself: a broker that
 * cannot be reached fails the publish here at once, a broker restart closes the caller's connection (the gateway
 * then answers 503), and a call that never reaches a node ends at the caller's timeout. What a confirm would add is
 * an ack frame per message, its bookkeeping on both sides and a thread woken to complete it, on every hop of every
 * call. Messages that must not be lost (asynchronous calls, records, retries) go through {@link ConfirmedPublisher}.
 *
 * <p>The connection is configured like the service's own ({@code spring.rabbitmq.*}, through Boot's configurers),
 * with confirms and returns off. Thread-safe; {@link #close()} closes the connection.
 */
public final class TransientPublisher implements AutoCloseable {

    private final CachingConnectionFactory connections;
    private final RabbitTemplate rabbit;

    public TransientPublisher(RabbitConnectionFactoryBeanConfigurer rabbitConfigurer,
                              CachingConnectionFactoryConfigurer cachingConfigurer) {
        var factoryBean = new RabbitConnectionFactoryBean();
        rabbitConfigurer.configure(factoryBean);
        try {
            factoryBean.afterPropertiesSet();
            this.connections = new CachingConnectionFactory(factoryBean.getObject());
        } catch (Exception e) {
            throw new IllegalStateException("cannot configure the RabbitMQ connection for transient messages", e);
        }
        cachingConfigurer.configure(connections);
        connections.setPublisherConfirmType(ConfirmType.NONE);
        connections.setPublisherReturns(false);
        connections.setConnectionNameStrategy(factory -> "transient-publisher");
        this.rabbit = new RabbitTemplate(connections);
        rabbit.setMandatory(false);
    }

    /**
     * Publishes {@code message} as a transient message and returns once it is written to the connection.
     *
     * @throws org.springframework.amqp.AmqpException the broker cannot be reached
     */
    public void publish(String exchange, String routingKey, Message message) {
        message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
        rabbit.send(exchange, routingKey, message);
    }

    /**
     * The connection's factory, for a consumer that publishes on its own channel what it must not ack before
     * publishing: on one channel the broker sees the publish before the ack, so an acked message's successor is never
     * lost with the consumer (its channels are not in confirm mode either).
     */
    public CachingConnectionFactory connectionFactory() {
        return connections;
    }

    @Override
    public void close() {
        connections.destroy();
    }
}
