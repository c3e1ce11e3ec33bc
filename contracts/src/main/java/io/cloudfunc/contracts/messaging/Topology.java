package io.cloudfunc.contracts.messaging;

/**
 * RabbitMQ names every CloudFunc service and outside producer agree on. Described in docs/messaging.md.
 */
public final class Topology {

    /** Durable direct exchange invocations are published to. */
    public static final String INVOCATIONS_EXCHANGE = "cloudfunc.invocations";
    /** Routing key of {@link InvokeFunction} messages on {@link #INVOCATIONS_EXCHANGE}. */
    public static final String INVOKE_ROUTING_KEY = "invoke";
    /**
     * Durable queue of invocation requests, the scheduler's intake: gateways publish {@value #TYPE_INVOCATION_REQUEST}
     * messages and outside producers {@link InvokeFunction} messages to it; the scheduler places each on a node's
     * queue ({@link #nodeQueue}).
     */
    public static final String INVOKE_QUEUE = "cloudfunc.invoke";
    /** Prefix of the durable per-node queues {@code cloudfunc.node.<node id>} a container-manager consumes. */
    public static final String NODE_QUEUE_PREFIX = "cloudfunc.node.";
    /** Prefix of the routing keys {@code node.<node id>} of the node queues on {@link #INVOCATIONS_EXCHANGE}. */
    public static final String NODE_ROUTING_KEY_PREFIX = "node.";
    /**
     * Durable queue of {@link InvocationRecords}, consumed by the function-registry (the only writer of invocation
     * records), addressed through the default exchange.
     */
    public static final String RECORDS_QUEUE = "cloudfunc.records";
    /**
     * Durable queue of {@link NodeSample}s (warm containers per node, once a minute), consumed by the
     * function-registry, addressed through the default exchange.
     */
    public static final String NODE_SAMPLES_QUEUE = "cloudfunc.node-samples";
    /**
     * Durable fanout exchange of {@link NodeAnnouncement}s (transient messages, one per node per second); schedulers
     * and gateways bind exclusive auto-delete queues to it.
     */
    public static final String NODES_EXCHANGE = "cloudfunc.nodes";
    /** Durable fanout exchange rejected (unprocessable) invocation messages are dead-lettered to. */
    public static final String DEAD_LETTER_EXCHANGE = "cloudfunc.invocations.dlx";
    /** Durable queue holding dead-lettered invocation messages. */
    public static final String DEAD_LETTER_QUEUE = "cloudfunc.invoke.dead";
    /** Durable topic exchange of function lifecycle events ({@link FunctionChanged}) and {@link ApiKeyRevoked}. */
    public static final String EVENTS_EXCHANGE = "cloudfunc.events";
    /** Routing key of {@link FunctionChanged} on {@link #EVENTS_EXCHANGE}. */
    public static final String FUNCTION_CHANGED_ROUTING_KEY = "function.changed";
    /** Routing key of {@link ScheduleChanged} on {@link #EVENTS_EXCHANGE}. */
    public static final String SCHEDULE_CHANGED_ROUTING_KEY = "schedule.changed";
    /** Routing key of {@link ApiKeyRevoked} on {@link #EVENTS_EXCHANGE}. */
    public static final String API_KEY_REVOKED_ROUTING_KEY = "apikey.revoked";
    /** Routing key of {@link CallbackRequested} on {@link #INVOCATIONS_EXCHANGE}. */
    public static final String CALLBACK_ROUTING_KEY = "callback";
    /** Durable queue of {@link CallbackRequested}, consumed by the scheduler. */
    public static final String CALLBACK_QUEUE = "cloudfunc.callbacks";
    /**
     * Prefix of the durable retry delay queues {@code cloudfunc.invoke.retry.<ms>}: each holds the next attempts of
     * failed ASYNC invocations for {@code <ms>} milliseconds ({@code x-message-ttl}), then dead-letters them back to
     * {@link #INVOCATIONS_EXCHANGE} with routing key {@link #INVOKE_ROUTING_KEY}.
     */
    public static final String RETRY_QUEUE_PREFIX = "cloudfunc.invoke.retry.";
    /** AMQP message type header values. */
    public static final String TYPE_INVOKE_FUNCTION = "InvokeFunction";
    public static final String TYPE_INVOCATION_COMPLETED = "InvocationCompleted";
    public static final String TYPE_FUNCTION_CHANGED = "FunctionChanged";
    public static final String TYPE_SCHEDULE_CHANGED = "ScheduleChanged";
    public static final String TYPE_CALLBACK_REQUESTED = "CallbackRequested";
    public static final String TYPE_INVOCATION_RECORDS = "InvocationRecords";
    public static final String TYPE_NODE_SAMPLE = "NodeSample";
    public static final String TYPE_NODE_ANNOUNCEMENT = "NodeAnnouncement";
    public static final String TYPE_API_KEY_REVOKED = "ApiKeyRevoked";
    /** A gateway's request: the body is the event as the caller sent it, the rest is in {@link InvocationHeaders}. */
    public static final String TYPE_INVOCATION_REQUEST = "InvocationRequest";
    /** A reply that is an RFC 9457 problem detail (application/problem+json) instead of an outcome. */
    public static final String TYPE_PROBLEM = "Problem";

    private Topology() {
    }

    /** The queue of one container-manager node. */
    public static String nodeQueue(String nodeId) {
        return NODE_QUEUE_PREFIX + nodeId;
    }

    /** The routing key of one node's queue on {@link #INVOCATIONS_EXCHANGE}. */
    public static String nodeRoutingKey(String nodeId) {
        return NODE_ROUTING_KEY_PREFIX + nodeId;
    }
}
