package io.cloudfunc.scheduler.trigger;

import java.util.Map;

/**
 * A message taken from a trigger's source, with what it takes to acknowledge it and to answer it.
 *
 * @param body          the message's bytes
 * @param contentType   its content type when the protocol carries one, else null
 * @param headers       its headers or properties (strings)
 * @param replyTo       where the message asks for a reply (RabbitMQ {@code reply_to}, a NATS reply subject), or null
 * @param correlationId the correlation id to answer with (RabbitMQ), or null
 */
record TriggerMessage(byte[] body, String contentType, Map<String, String> headers, String replyTo,
                      String correlationId, Settle settle) {

    /** Acknowledges the message, or hands it back to its source to be delivered again. */
    interface Settle {
        void ack() throws Exception;

        void requeue() throws Exception;
    }
}
