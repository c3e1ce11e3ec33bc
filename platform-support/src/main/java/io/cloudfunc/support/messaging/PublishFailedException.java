package io.cloudfunc.support.messaging;

import org.springframework.amqp.AmqpException;

/**
 * The broker did not (surely, or in time) take a message published with {@link ConfirmedPublisher}; {@link #reason()}
 * says which way, and the message names it for logs.
 */
public class PublishFailedException extends AmqpException {

    /** How a confirmed publish failed. */
    public enum Reason {
        /** The broker could not be reached (no connection or channel): the message was not sent. */
        BROKER_UNREACHABLE,
        /** The broker refused the message (basic.nack). */
        NACKED,
        /** The message could not be routed to any queue (mandatory, basic.return). */
        RETURNED,
        /** No confirm arrived in time: the broker may still have the message. */
        TIMED_OUT,
        /** The publishing thread was interrupted while it waited. */
        INTERRUPTED
    }

    private final Reason reason;

    public PublishFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the broker surely did not take the message (it will never be delivered). */
    public boolean surelyLost() {
        return reason == Reason.BROKER_UNREACHABLE || reason == Reason.NACKED || reason == Reason.RETURNED;
    }
}
