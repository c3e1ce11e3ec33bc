package io.cloudfunc.scheduler.trigger;

import io.cloudfunc.contracts.trigger.TriggerDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.springframework.stereotype.Component;

/**
 * Per trigger ({@code function}, {@code trigger}, {@code kind} tags): {@code cloudfunc_trigger_deliveries_total}
 * (messages made invocations), {@code cloudfunc_trigger_failures_total} (invocations failed for good),
 * {@code cloudfunc_trigger_lag_messages} (messages waiting in the source, where the broker says: RabbitMQ queue depth,
 * JetStream pending) and {@code cloudfunc_trigger_in_flight}.
 */
@Component
class TriggerMetrics {

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    TriggerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(TriggerDefinition trigger, TriggerSource source, IntSupplier inFlight) {
        Tags tags = tags(trigger);
        meters.put(key(trigger), List.of(
                Gauge.builder("cloudfunc.trigger.lag.messages", source, s -> {
                    long waiting = s.waiting();
                    return waiting < 0 ? Double.NaN : waiting;
                }).tags(tags).strongReference(true).description("Messages waiting in the trigger's source")
                        .register(registry),
                // strong: a gauge holds its object weakly by default, and nothing else holds this supplier, so that
                // it read NaN after the first garbage collection
                Gauge.builder("cloudfunc.trigger.in.flight", inFlight, IntSupplier::getAsInt).tags(tags)
                        .strongReference(true).description("Invocations of the trigger accepted and not finished")
                        .register(registry)));
    }

    void delivered(TriggerDefinition trigger) {
        Counter.builder("cloudfunc.trigger.deliveries").tags(tags(trigger))
                .description("Messages made invocations").register(registry).increment();
    }

    void failed(TriggerDefinition trigger) {
        Counter.builder("cloudfunc.trigger.failures").tags(tags(trigger))
                .description("Invocations of trigger messages that failed for good").register(registry).increment();
    }

    void unregister(TriggerDefinition trigger) {
        List<Meter> gone = meters.remove(key(trigger));
        if (gone != null) {
            gone.forEach(registry::remove);
        }
    }

    private static Tags tags(TriggerDefinition trigger) {
        return Tags.of("function", trigger.function(), "trigger", trigger.name(), "kind", trigger.kind().wireName());
    }

    private static String key(TriggerDefinition trigger) {
        return trigger.function() + "/" + trigger.name();
    }
}
