package io.cloudfunc.support.messaging;

/**
 * The kind of RabbitMQ queue every queue on which accepted work waits is declared as
 * ({@code cloudfunc.messaging.queue-type}, docs/messaging.md, "Queue types").
 */
public enum QueueType {

    /** RabbitMQ's default queue, held by one broker node: for a single broker (the default). */
    CLASSIC,

    /**
     * A quorum queue ({@code x-queue-type: quorum}): replicated over the nodes of a RabbitMQ cluster, so that the
     * cluster keeps it and its messages when one broker node dies.
     */
    QUORUM
}
