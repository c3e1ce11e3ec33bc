package io.cloudfunc.contracts.trigger;

import java.util.Locale;
import java.util.Optional;

/**
 * The brokers a trigger consumes from, written in lower case over HTTP ({@code rabbitmq}, {@code mqtt}, {@code nats}).
 * Each names what its {@code source} is and which URL schemes its {@code url} may have.
 */
public enum TriggerKind {
    RABBITMQ("queue", "amqp", "amqps"),
    MQTT("topic", "tcp", "ssl", "mqtt", "mqtts"),
    NATS("subject", "nats", "tls");

    private final String source;
    private final java.util.List<String> schemes;

    TriggerKind(String source, String... schemes) {
        this.source = source;
        this.schemes = java.util.List.of(schemes);
    }

    /** What the trigger's {@code source} names: a queue, a topic or a subject. */
    public String source() {
        return source;
    }

    /** The URL schemes a trigger of this kind accepts. */
    public java.util.List<String> schemes() {
        return schemes;
    }

    /** {@code rabbitmq}, {@code mqtt} or {@code nats}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TriggerKind> parse(String value) {
        for (TriggerKind kind : values()) {
            if (kind.wireName().equals(value)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
