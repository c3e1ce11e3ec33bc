package io.cloudfunc.contracts.messaging;

/**
 * RabbitMQ names every CloudFunc service and outside producer agree on. Described in docs/messaging.md.
 */
public final class Topology {

    /** Durable direct exchange invocations are published to. */
    public static final String INVOCATIONS_EXCHANGE = "cloudfunc.invocations";
    /** Routing key of {@link InvokeFunction} messages on {@link #INVOCATIONS_EXCHANGE}. */
    public static final String INVOKE_ROUTING_KEY = "invoke";
    /** Durable queue container-managers consume {@link InvokeFunction} from. */
    public static final String INVOKE_QUEUE = "cloudfunc.invoke";
    /** Durable fanout exchange rejected (unprocessable) invocation messages are dead-lettered to. */
    public static final String DEAD_LETTER_EXCHANGE = "cloudfunc.invocations.dlx";
    /** Durable queue holding dead-lettered invocation messages. */
    public static final String DEAD_LETTER_QUEUE = "cloudfunc.invoke.dead";
    /** Durable topic exchange of function lifecycle events ({@link FunctionChanged}). */
    public static final String EVENTS_EXCHANGE = "cloudfunc.events";
    /** Routing key of {@link FunctionChanged} on {@link #EVENTS_EXCHANGE}. */
    public static final String FUNCTION_CHANGED_ROUTING_KEY = "function.changed";
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
    public static final String TYPE_CALLBACK_REQUESTED = "CallbackRequested";

    private Topology() {
    }
}
