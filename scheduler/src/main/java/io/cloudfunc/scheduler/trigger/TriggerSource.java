package io.cloudfunc.scheduler.trigger;

import java.util.function.Consumer;

/** One trigger's connection to its broker: consumes its source, publishes dead letters and replies. */
interface TriggerSource extends AutoCloseable {

    /** Starts consuming; {@code handler} is called for each message, and must not block. */
    void start(Consumer<TriggerMessage> handler) throws Exception;

    /** Publishes a message that failed for good to the dead-letter destination (waits until the broker took it). */
    void deadLetter(String destination, TriggerMessage message, String error) throws Exception;

    /** Sends the function's result where the message asked for it. */
    void reply(TriggerMessage message, byte[] body, boolean failed) throws Exception;

    /** Messages waiting in the source, when the broker says (else -1). */
    default long waiting() {
        return -1;
    }

    /** The trigger was deleted: drop what the broker keeps for this consumer (a session, a durable consumer). */
    default void forget() {
    }

    @Override
    void close();
}
