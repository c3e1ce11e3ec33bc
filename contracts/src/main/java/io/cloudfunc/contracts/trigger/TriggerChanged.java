package io.cloudfunc.contracts.trigger;

/**
 * Event published by the registry on {@code cloudfunc.events} with routing key {@link #ROUTING_KEY} after a trigger
 * was created or deleted (or its function deleted), so that schedulers start or stop its consumers at once instead
 * of at their next periodic check. It names the trigger only: a scheduler reads the definitions from the registry.
 */
public record TriggerChanged(String function, String name, Change change) {

    /** Routing key on {@code cloudfunc.events}. */
    public static final String ROUTING_KEY = "trigger.changed";
    /** AMQP {@code type} property. */
    public static final String TYPE = "TriggerChanged";

    public enum Change {
        CREATED, DELETED
    }
}
