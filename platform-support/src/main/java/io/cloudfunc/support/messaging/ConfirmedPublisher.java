package io.cloudfunc.support.messaging;

import io.cloudfunc.support.messaging.PublishFailedException.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The one way CloudFunc publishes a message that must not be lost: persistent and mandatory, then the broker's
 * confirm. A nack, an unroutable return, no confirm within the timeout or a broker that cannot be reached all end in
 * one {@link PublishFailedException} whose {@link PublishFailedException#reason() reason} says which it was.
 *
 * <p>The template must publish with correlated confirms ({@code spring.rabbitmq.publisher-confirm-type=correlated})
 * and mandatory ({@code spring.rabbitmq.publisher-returns=true}, which makes Boot's template mandatory): checked here,
 * since without them a lost message would pass for a confirmed one. Thread-safe.
 */
public final class ConfirmedPublisher {

    private final RabbitTemplate rabbit;
    private final Duration timeout;

    public ConfirmedPublisher(RabbitTemplate rabbit, Duration timeout) {
        if (!Boolean.TRUE.equals(rabbit.isMandatoryFor(new Message(new byte[0])))) {
            throw new IllegalStateException("confirmed publishing needs a mandatory RabbitTemplate"
                    + " (spring.rabbitmq.publisher-returns=true)");
        }
        ConnectionFactory connections = rabbit.getConnectionFactory();
        if (connections != null && !connections.isPublisherConfirms()) {
            throw new IllegalStateException("confirmed publishing needs correlated publisher confirms"
                    + " (spring.rabbitmq.publisher-confirm-type=correlated)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the confirm timeout must be positive, got " + timeout);
        }
        this.rabbit = rabbit;
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Publishes {@code message} and returns at once; the future completes when the broker confirmed it, or fails with
     * a {@link PublishFailedException}. The message is persistent unless its properties say
     * {@link MessageDeliveryMode#NON_PERSISTENT} (a synchronous call, whose caller is waiting: a broker restart may lose
     * it, and the caller then gets an error, never a silent loss).
     */
    public CompletableFuture<Void> publish(String exchange, String routingKey, Message message) {
        if (message.getMessageProperties().getDeliveryMode() != MessageDeliveryMode.NON_PERSISTENT) {
            message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        }
        var correlation = new CorrelationData();
        String what = describe(message, exchange, routingKey);
        try {
            rabbit.send(exchange, routingKey, message, correlation);
        } catch (AmqpException e) {
            return CompletableFuture.failedFuture(new PublishFailedException(Reason.BROKER_UNREACHABLE,
                    "RabbitMQ could not be reached to publish " + what + ": " + e.getMessage(), e));
        }
        return correlation.getFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((confirm, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        if (cause instanceof TimeoutException) {
                            throw new PublishFailedException(Reason.TIMED_OUT, "RabbitMQ did not confirm " + what
                                    + " within " + timeout.toMillis() + " ms", cause);
                        }
                        throw new PublishFailedException(Reason.BROKER_UNREACHABLE, "publishing " + what
                                + " failed: " + cause, cause);
                    }
                    if (!confirm.ack()) {
                        throw new PublishFailedException(Reason.NACKED, "RabbitMQ refused " + what + ": "
                                + confirm.reason(), null);
                    }
                    if (correlation.getReturned() != null) {
                        throw new PublishFailedException(Reason.RETURNED, "RabbitMQ could not route " + what
                                + ": " + correlation.getReturned().getReplyText(), null);
                    }
                    return null;
                });
    }

    /**
     * Publishes {@code message} (made persistent) and returns once the broker confirmed it.
     *
     * @throws PublishFailedException the broker did not take it, or did not say so in time
     */
    public void publishAndWait(String exchange, String routingKey, Message message) {
        await(publish(exchange, routingKey, message));
    }

    /**
     * Waits for a future of {@link #publish} (or of anything completed by one, such as a record's), rethrowing its
     * failure as it is.
     *
     * @throws PublishFailedException the broker did not take it, or did not say so in time
     */
    public static void await(CompletableFuture<Void> confirmed) {
        try {
            confirmed.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PublishFailedException failed) {
                throw failed;
            }
            throw new PublishFailedException(Reason.BROKER_UNREACHABLE, "publishing failed: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(Reason.INTERRUPTED, "interrupted while waiting for RabbitMQ's confirm", e);
        }
    }

    private static String describe(Message message, String exchange, String routingKey) {
        MessageProperties properties = message.getMessageProperties();
        String type = properties.getType() != null ? properties.getType() : "a message";
        return type + " to " + (exchange.isEmpty() ? "queue " + routingKey
                : "exchange " + exchange + " (key " + routingKey + ")");
    }
}
